package io.github.gatlingjwt.token;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenStateTest {

  static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void rotatedRefreshTokenReplacesTheSpentOne() {
    TokenState s = TokenState.of(new TokenGrant("a1", "r1", T0.plusSeconds(60), T0));
    TokenState next = s.refreshedWith(new TokenGrant("a2", "r2", T0.plusSeconds(120), T0));
    assertEquals("a2", next.accessToken());
    assertEquals("r2", next.refreshToken());
    assertEquals(T0.plusSeconds(120), next.expiresAt());
  }

  @Test
  void refreshTokenIsKeptWhenTheServerDoesNotRotate() {
    TokenState s = TokenState.of(new TokenGrant("a1", "r1", null, T0));
    assertEquals("r1", s.refreshedWith(new TokenGrant("a2", null, null, T0)).refreshToken());
  }

  @Test
  void printsFingerprintsNotSecrets() {
    TokenState s =
        TokenState.of(new TokenGrant("access-secret-value", "refresh-secret-value", null, T0));
    String printed = s.toString();
    assertFalse(printed.contains("access-secret-value"), printed);
    assertFalse(printed.contains("refresh-secret-value"), printed);
    assertTrue(printed.contains(Fingerprint.of("access-secret-value")), printed);
  }
}
