package io.github.gatlingjwt.token;

import static io.github.gatlingjwt.token.RefreshPolicy.Decision.*;
import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefreshPolicyTest {

  static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  final MutableClock clock = new MutableClock(T0);
  final RefreshPolicy policy = new RefreshPolicy(Duration.ofSeconds(10), clock);

  static TokenState state(long lifetimeSeconds, String refreshToken) {
    return new TokenState("access", refreshToken, T0.plusSeconds(lifetimeSeconds), T0);
  }

  @Test
  void usesTheTokenUntilTheLeadTimeThenRefreshes() {
    TokenState s = state(60, "r1");
    assertEquals(USE, policy.decide(s));
    clock.advance(Duration.ofSeconds(49));
    assertEquals(USE, policy.decide(s));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(REFRESH, policy.decide(s));
    clock.advance(Duration.ofSeconds(30)); // long expired
    assertEquals(REFRESH, policy.decide(s));
  }

  @Test
  void logsInWhenThereIsNoTokenOrNoRefreshToken() {
    assertEquals(LOGIN, policy.decide(null));
    TokenState s = state(60, null);
    clock.advance(Duration.ofSeconds(55));
    assertEquals(LOGIN, policy.decide(s));
  }

  @Test
  void unknownExpiryIsUsedUntilRefused() {
    TokenState s = new TokenState("access", "r1", null, T0);
    clock.advance(Duration.ofDays(1));
    assertEquals(USE, policy.decide(s));
  }

  @Test
  void leadTimeIsCappedAtHalfTheLifetime() {
    // a 6 s token with a 10 s lead: refreshed after 3 s, not before every call
    TokenState s = state(6, "r1");
    assertEquals(T0.plusSeconds(3), policy.refreshAt(s));
    clock.advance(Duration.ofMillis(2999));
    assertEquals(USE, policy.decide(s));
    clock.advance(Duration.ofMillis(1));
    assertEquals(REFRESH, policy.decide(s));
  }

  @Test
  void negativeLeadTimeIsAConfigurationError() {
    JwtConfigException e =
        assertThrows(
            JwtConfigException.class, () -> new RefreshPolicy(Duration.ofSeconds(-1), clock));
    assertTrue(e.getMessage().contains("positive"), e.getMessage());
  }

  @Test
  void jitterSpreadsTokensIssuedTogetherAcrossTheJitterWindow() {
    RefreshPolicy jittered =
        new RefreshPolicy(Duration.ofSeconds(10), Duration.ofSeconds(10), clock);
    int[] buckets = new int[10]; // one per second of the 10 s window
    for (int i = 0; i < 5000; i++) {
      TokenState s = new TokenState("token-" + i, "r", T0.plusSeconds(300), T0);
      Instant at = jittered.refreshAt(s);
      long early = Duration.between(at, T0.plusSeconds(290)).toMillis();
      assertTrue(early >= 0 && early < 10_000, "refreshAt outside the window: " + at);
      buckets[(int) (early / 1000)]++;
      assertEquals(at, jittered.refreshAt(s), "the same token, the same instant");
    }
    for (int count : buckets) {
      assertTrue(count > 400 && count < 600, java.util.Arrays.toString(buckets));
    }
  }

  @Test
  void leadAndJitterTogetherStayWithinHalfTheLifetime() {
    RefreshPolicy jittered =
        new RefreshPolicy(Duration.ofSeconds(3), Duration.ofSeconds(10), clock);
    for (int i = 0; i < 100; i++) {
      TokenState s = new TokenState("t" + i, "r", T0.plusSeconds(10), T0);
      Instant at = jittered.refreshAt(s);
      assertFalse(at.isBefore(T0.plusSeconds(5)), at.toString());
      assertFalse(at.isAfter(T0.plusSeconds(7)), at.toString());
    }
  }
}
