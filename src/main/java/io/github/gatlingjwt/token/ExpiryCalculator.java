package io.github.gatlingjwt.token;

import com.auth0.jwt.JWT;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Duration;
import java.time.Instant;

/**
 * Works out, once when a token is saved, when it expires on the local clock.
 *
 * <p>Precedence: the JWT's own claims win, because they are what the API checks; {@code expires_in}
 * is used for opaque tokens and JWTs without {@code exp}; otherwise the expiry is unknown and only
 * a refusal (401) triggers a refresh.
 *
 * <p>A JWT carrying both {@code iat} and {@code exp} gets the local expiry {@code receivedAt + (exp
 * - iat) - 1 s}: its lifetime is measured on the issuer's clock and placed on ours, so a skewed
 * issuer clock does not move the refresh; the second taken off covers {@code iat} being rounded
 * down to the second. A JWT with only {@code exp} expires at {@code exp} as read.
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
    if (jwt != null && jwt.getExpiresAtAsInstant() != null) {
      Instant exp = jwt.getExpiresAtAsInstant();
      Instant iat = jwt.getIssuedAtAsInstant();
      if (iat != null) {
        Duration lifetime = Duration.between(iat, exp).minus(IAT_ROUNDING);
        return lifetime.isNegative() ? receivedAt : receivedAt.plus(lifetime);
      }
      return exp;
    }
    if (expiresInSeconds != null && expiresInSeconds >= 0) {
      return receivedAt.plusSeconds(expiresInSeconds);
    }
    return null;
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
