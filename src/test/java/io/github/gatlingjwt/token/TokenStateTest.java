package io.github.gatlingjwt.token;

import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.testkit.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenStateTest {

  static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void rotatedRefreshTokenReplacesTheSpentOne() {
    TokenState next =
        TokenState.afterRefresh(new TokenGrant("a2", "r2", T0.plusSeconds(120), T0), "r1");
    assertEquals("a2", next.accessToken());
    assertEquals("r2", next.refreshToken());
    assertEquals(T0.plusSeconds(120), next.expiresAt());
  }

  @Test
  void spentRefreshTokenIsKeptWhenTheServerDoesNotRotate() {
    assertEquals(
        "r1", TokenState.afterRefresh(new TokenGrant("a2", null, null, T0), "r1").refreshToken());
  }

  @Test
  void aRefreshTokenAboutToBeSpentLeavesTheState() {
    TokenState s = TokenState.of(new TokenGrant("a1", "r1", T0.plusSeconds(60), T0));
    TokenState spending = s.withoutRefreshToken();
    assertNull(spending.refreshToken());
    assertFalse(spending.canRefresh());
    assertEquals("a1", spending.accessToken());
  }

  @Test
  void aRefusedTokenIsDueForRefreshWhateverItsExpiry() {
    RefreshPolicy policy =
        new RefreshPolicy(java.time.Duration.ofSeconds(10), new MutableClock(T0.plusSeconds(1)));
    TokenState s = TokenState.of(new TokenGrant("a1", "r1", T0.plusSeconds(3600), T0));
    assertEquals(RefreshPolicy.Decision.USE, policy.decide(s));
    assertEquals(RefreshPolicy.Decision.REFRESH, policy.decide(s.refused()));
    assertEquals(RefreshPolicy.Decision.LOGIN, policy.decide(s.refused().withoutRefreshToken()));
    TokenState unknownExpiry = TokenState.of(new TokenGrant("a1", "r1", null, T0));
    assertEquals(RefreshPolicy.Decision.REFRESH, policy.decide(unknownExpiry.refused()));
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
