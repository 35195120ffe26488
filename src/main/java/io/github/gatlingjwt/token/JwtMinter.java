package io.github.gatlingjwt.token;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.exceptions.JWTCreationException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mints JWTs locally, for APIs that trust a shared secret or a key pair and have no login endpoint.
 * Each token carries {@code sub}, the given claims, {@code iat} and {@code nbf} (now), {@code exp}
 * (now + lifetime) and a random {@code jti}. The clock is the caller's: tests pass fixed instants.
 */
public final class JwtMinter {

  private final SigningKey key;
  private final Duration lifetime;

  /**
   * @param key the signing key
   * @param lifetime the lifetime of each token, at least one second
   * @throws JwtConfigException when the key is null or the lifetime shorter than one second
   */
  public JwtMinter(SigningKey key, Duration lifetime) {
    if (key == null) {
      throw new JwtConfigException(
          "No signing key is given: give one, e.g. SigningKey.hs256FromEnv(\"API_JWT_SECRET\").");
    }
    if (lifetime == null || lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new JwtConfigException(
          "The minted token lifetime is "
              + lifetime
              + ": give at least one second, e.g. Duration.ofMinutes(5).");
    }
    this.key = key;
    this.lifetime = lifetime;
  }

  /**
   * @return the lifetime of each token
   */
  public Duration lifetime() {
    return lifetime;
  }

  /**
   * Mint a token.
   *
   * @param subject the {@code sub} claim, or null for none
   * @param claims further claims: String, Boolean, Integer, Long, Double, Instant or a List of
   *     Strings
   * @param now the instant of issue
   * @return the signed JWT
   * @throws GatlingJwtException when a claim has an unsupported type or signing fails
   */
  public String mint(String subject, Map<String, Object> claims, Instant now) {
    JWTCreator.Builder b =
        JWT.create()
            .withIssuedAt(now)
            .withNotBefore(now)
            .withExpiresAt(now.plus(lifetime))
            .withJWTId(UUID.randomUUID().toString());
    if (subject != null) {
      b.withSubject(subject);
    }
    for (Map.Entry<String, Object> c : claims.entrySet()) {
      String name = c.getKey();
      Object v = c.getValue();
      if (v instanceof String s) {
        b.withClaim(name, s);
      } else if (v instanceof Boolean x) {
        b.withClaim(name, x);
      } else if (v instanceof Integer x) {
        b.withClaim(name, x);
      } else if (v instanceof Long x) {
        b.withClaim(name, x);
      } else if (v instanceof Double x) {
        b.withClaim(name, x);
      } else if (v instanceof Instant x) {
        b.withClaim(name, x);
      } else if (v instanceof List<?> list && list.stream().allMatch(e -> e instanceof String)) {
        b.withClaim(name, list);
      } else {
        throw new GatlingJwtException(
            "The claim \""
                + name
                + "\" is a "
                + (v == null ? "null" : v.getClass().getSimpleName())
                + ": give a String, Boolean, Integer, Long, Double, Instant or List of Strings.");
      }
    }
    try {
      return b.sign(key.algorithm());
    } catch (JWTCreationException e) {
      throw new GatlingJwtException("Signing a minted token with " + key + " failed.", e);
    }
  }

  @Override
  public String toString() {
    return "JwtMinter{" + key + ", lifetime=" + lifetime + "}";
  }
}
