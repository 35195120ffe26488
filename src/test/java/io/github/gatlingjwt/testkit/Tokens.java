package io.github.gatlingjwt.testkit;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.time.Instant;
import java.util.UUID;

/** Mints real signed JWTs at test time; no token is ever committed. */
public final class Tokens {

  private static final Algorithm HS256 = Algorithm.HMAC256(UUID.randomUUID().toString());

  private Tokens() {}

  /** A JWT for {@code sub} issued now on the given clock and living {@code ttlSeconds}. */
  public static String jwt(String sub, Instant issuedAt, long ttlSeconds) {
    return JWT.create()
        .withSubject(sub)
        .withIssuedAt(issuedAt)
        .withExpiresAt(issuedAt.plusSeconds(ttlSeconds))
        .withJWTId(UUID.randomUUID().toString())
        .sign(HS256);
  }

  public static String jwt(String sub, long ttlSeconds) {
    return jwt(sub, Instant.now(), ttlSeconds);
  }

  /** A JWT for {@code sub} with an {@code exp} and no {@code iat}. */
  public static String expOnly(String sub, Instant exp) {
    return JWT.create()
        .withSubject(sub)
        .withExpiresAt(exp)
        .withJWTId(UUID.randomUUID().toString())
        .sign(HS256);
  }
}
