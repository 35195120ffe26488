package io.github.gatlingjwt.token;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(10));

  @Test
  void onlyTransientFailuresAreRetriedWithinTheBound() {
    assertTrue(policy.retry(null, 1), "no answer (refused connection, time-out)");
    assertTrue(policy.retry(503, 1));
    assertTrue(policy.retry(500, 4));
    assertTrue(policy.retry(429, 1));
    assertFalse(policy.retry(401, 1), "refused credentials are final");
    assertFalse(policy.retry(400, 1));
    assertFalse(policy.retry(403, 1));
    assertFalse(policy.retry(200, 1), "a 200 without a token is not transient");
    assertFalse(policy.retry(503, 5), "the bound");
  }

  @Test
  void backoffDoublesWithEqualJitterUpToTheCap() {
    assertEquals(Duration.ofMillis(500), policy.delayBefore(2, null, () -> 0.0));
    assertEquals(Duration.ofMillis(1000), policy.delayBefore(2, null, () -> 1.0));
    assertEquals(Duration.ofMillis(1000), policy.delayBefore(3, null, () -> 0.0));
    assertEquals(Duration.ofMillis(2000), policy.delayBefore(4, null, () -> 0.0));
    assertEquals(Duration.ofMillis(4000), policy.delayBefore(5, null, () -> 0.0));
    assertEquals(Duration.ofMillis(5000), policy.delayBefore(6, null, () -> 0.0));
    assertEquals(Duration.ofMillis(10000), policy.delayBefore(30, null, () -> 1.0));
    assertEquals(Duration.ofMillis(5000), policy.delayBefore(99, null, () -> 0.0), "no overflow");
  }

  @Test
  void retryAfterIsAMinimumWithJitterAndACap() {
    assertEquals(Duration.ofMillis(2000), policy.delayBefore(2, 2L, () -> 0.0));
    assertEquals(Duration.ofMillis(2500), policy.delayBefore(2, 2L, () -> 1.0));
    // a server that says 1 s but stays down gets the growing backoff
    assertEquals(Duration.ofMillis(4000), policy.delayBefore(5, 1L, () -> 0.0));
    assertEquals(Duration.ofSeconds(60), policy.delayBefore(2, 3600L, () -> 0.0));
  }

  @Test
  void retryAfterInSecondsOrAsADate() {
    java.time.Instant now = java.time.Instant.parse("2015-10-21T07:28:00Z");
    assertEquals(7L, RetryPolicy.parseRetryAfter(" 7 ", now));
    assertEquals(30L, RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now));
    assertEquals(0L, RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now));
    assertEquals(86_400L, RetryPolicy.parseRetryAfter("99999999999", now));
    assertNull(RetryPolicy.parseRetryAfter("-5", now));
    assertNull(RetryPolicy.parseRetryAfter(null, now));
    // a date 4.2 s away is waited for 5 s, never 4 (the retry would come before the date)
    assertEquals(
        5L, RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now.plusMillis(25_800)));
  }

  @Test
  void hugeBackoffsDoNotOverflow() {
    RetryPolicy huge =
        new RetryPolicy(5, Duration.ofMillis(1L << 50), Duration.ofMillis(Long.MAX_VALUE / 4));
    assertTrue(huge.delayBefore(5, null, () -> 0.0).toMillis() > 0);
  }
}
