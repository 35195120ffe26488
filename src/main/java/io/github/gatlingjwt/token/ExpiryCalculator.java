package io.github.gatlingjwt.token;

import com.auth0.jwt.JWT;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Duration;
import java.time.Instant;

/**
 * Works out, once when a token is saved, when it expires on the local clock.
 *
 * <p>Both lifetimes an answer can state are relative, so both are placed on the local clock from a
 * local instant (the Gatling glue passes the instant the request was sent, so that the round trip
 * can only make the expiry early), and a skewed issuer clock moves nothing:
 *
 * <ul>
 *   <li>{@code expires_in} (RFC 6749 5.1): what the issuer tells this client, at the moment it
 *       answers. It is the only figure that is right for a token the issuer hands out again from a
 *       cache, part-way through its life;
 *   <li>{@code exp - iat} of a JWT: the lifetime the API will enforce, less one second because
 *       {@code iat} is rounded down to the second.
 * </ul>
 *
 * <p>When both are present, <b>the shorter one wins</b>: a token refreshed a little early costs one
 * refresh, a token used past its real expiry costs a refusal on every user.
 *
 * <p>A JWT with {@code exp} but no {@code iat} states only an instant on the issuer's clock. The
 * answer's {@code Date} header (RFC 9110 6.6.1: the issuer's clock when it answered, in whole
 * seconds) then stands in for {@code iat}: the lifetime left is {@code exp - Date}, less one second
 * for the rounding, which estimates the offset between the two clocks. Only without exactly one
 * readable {@code Date} header is {@code exp} compared with the local clock as it is (an issuer
 * clock ahead of ours pushes that late: the reactive refresh on a refusal covers it). Otherwise the
 * expiry is unknown and only a refusal triggers a refresh.
 */
public final class ExpiryCalculator {

  /**
   * {@code iat} and {@code Date} are in whole seconds: the token may have been issued, or the
   * answer sent, up to a second later.
   */
  private static final Duration IAT_ROUNDING = Duration.ofSeconds(1);

  /**
   * Longer lifetimes (an {@code expires_in} of {@code Long.MAX_VALUE} meaning "never", an {@code
   * exp} in the year 9999) count as this: far beyond any run, and still an instant.
   */
  static final Duration MAX_LIFETIME = Duration.ofDays(365L * 100);

  /**
   * Compute the local expiry instant of a freshly received token.
   *
   * @param token the access token (a JWT or an opaque string)
   * @param expiresInSeconds the {@code expires_in} of the answer, or null
   * @param receivedAt the local instant the lifetimes count from (the Gatling glue passes the
   *     instant the request was sent)
   * @return the local expiry instant, or null when unknown
   */
  public Instant expiresAt(String token, Long expiresInSeconds, Instant receivedAt) {
    return expiresAt(token, expiresInSeconds, receivedAt, null);
  }

  /**
   * Compute the local expiry instant of a freshly received token, given the answer's {@code Date}.
   *
   * @param token the access token (a JWT or an opaque string)
   * @param expiresInSeconds the {@code expires_in} of the answer, or null
   * @param receivedAt the local instant the lifetimes count from (the Gatling glue passes the
   *     instant the request was sent)
   * @param issuerDate the answer's {@code Date} header, parsed, or null
   * @return the local expiry instant, or null when unknown
   */
  public Instant expiresAt(
      String token, Long expiresInSeconds, Instant receivedAt, Instant issuerDate) {
    DecodedJWT jwt = decodeOrNull(token);
    Instant exp = jwt == null ? null : claim(jwt, "exp");
    Instant iat = jwt == null ? null : claim(jwt, "iat");
    Instant issuerNow = iat != null ? iat : issuerDate;
    Duration lifetime = null;
    if (exp != null && issuerNow != null) {
      lifetime = Duration.between(issuerNow, exp).minus(IAT_ROUNDING);
    }
    if (expiresInSeconds != null && expiresInSeconds >= 0) {
      Duration stated = Duration.ofSeconds(Math.min(expiresInSeconds, MAX_LIFETIME.getSeconds()));
      lifetime = lifetime == null || stated.compareTo(lifetime) < 0 ? stated : lifetime;
    }
    if (lifetime != null) {
      if (lifetime.compareTo(MAX_LIFETIME) > 0) {
        lifetime = MAX_LIFETIME;
      }
      return lifetime.isNegative() ? receivedAt : receivedAt.plus(lifetime);
    }
    if (exp != null && exp.isAfter(receivedAt.plus(MAX_LIFETIME))) {
      return receivedAt.plus(MAX_LIFETIME);
    }
    return exp;
  }

  /** A date claim, or null when absent, not a number, or beyond what an instant can hold. */
  private static Instant claim(DecodedJWT jwt, String name) {
    try {
      return jwt.getClaim(name).asInstant();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static DecodedJWT decodeOrNull(String token) {
    if (token.indexOf('.') < 0) {
      return null; // opaque: not worth an exception
    }
    try {
      return JWT.decode(token);
    } catch (JWTDecodeException e) {
      return null;
    } catch (RuntimeException e) {
      return null; // a date claim beyond what an instant can hold (java-jwt reads them eagerly)
    }
  }
}
