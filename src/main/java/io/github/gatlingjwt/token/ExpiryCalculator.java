package io.github.gatlingjwt.token;

import com.auth0.jwt.JWT;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Duration;
import java.time.Instant;

/**
 * Works out, once when a token is saved, when it expires on the local clock.
 *
 * <p>Both lifetimes an answer can state are relative, so both are placed on the local clock from
 * the instant the answer was received, and a skewed issuer clock moves nothing:
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
 * refresh, a token used past its real expiry costs a refusal on every user. Only when neither is
 * known is a JWT's {@code exp} taken as an absolute instant (which an issuer clock ahead of ours
 * would push late: the reactive refresh on 401 covers it). Otherwise the expiry is unknown and only
 * a refusal triggers a refresh.
 */
public final class ExpiryCalculator {

  /** {@code iat} is in whole seconds: the token may have been issued up to a second later. */
  private static final Duration IAT_ROUNDING = Duration.ofSeconds(1);

  /**
   * Compute the local expiry instant of a freshly received token.
   *
   * @param token the access token (a JWT or an opaque string)
   * @param expiresInSeconds the {@code expires_in} of the answer, or null
   * @param receivedAt the local instant at which the answer was received
   * @return the local expiry instant, or null when unknown
   */
  public Instant expiresAt(String token, Long expiresInSeconds, Instant receivedAt) {
    DecodedJWT jwt = decodeOrNull(token);
    Instant exp = jwt == null ? null : jwt.getExpiresAtAsInstant();
    Instant iat = jwt == null ? null : jwt.getIssuedAtAsInstant();
    Duration lifetime = null;
    if (exp != null && iat != null) {
      lifetime = Duration.between(iat, exp).minus(IAT_ROUNDING);
    }
    if (expiresInSeconds != null && expiresInSeconds >= 0) {
      Duration stated = Duration.ofSeconds(expiresInSeconds);
      lifetime = lifetime == null || stated.compareTo(lifetime) < 0 ? stated : lifetime;
    }
    if (lifetime != null) {
      return lifetime.isNegative() ? receivedAt : receivedAt.plus(lifetime);
    }
    return exp;
  }

  private static DecodedJWT decodeOrNull(String token) {
    if (token.indexOf('.') < 0) {
      return null; // opaque: not worth an exception
    }
    try {
      return JWT.decode(token);
    } catch (JWTDecodeException e) {
      return null;
    }
  }
}
