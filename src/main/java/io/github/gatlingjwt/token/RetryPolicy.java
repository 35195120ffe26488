package io.github.gatlingjwt.token;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When a failed login is tried again, and after how long. Pure: randomness is injected.
 *
 * <p>Only transient failures are retried: no answer at all (connection refused, time-out), 429 and
 * 5xx. A refusal of the credentials (400, 401, 403...) is final: retrying it would only lock the
 * account. The wait before attempt {@code n} (from 2) is an exponential backoff {@code first *
 * 2^(n-2)}, capped, with "equal jitter" (half fixed, half random) so that users that failed
 * together do not come back together. A server's {@code Retry-After} is a minimum (at most {@link
 * #MAX_RETRY_AFTER}, plus up to 25 % jitter): a server down for longer than it says still gets the
 * growing backoff.
 */
public final class RetryPolicy {

  /** The longest {@code Retry-After} honoured. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

  private final int maxAttempts;
  private final Duration firstBackoff;
  private final Duration maxBackoff;

  /**
   * @param maxAttempts attempts of one login, at least 1
   * @param firstBackoff the wait before the second attempt
   * @param maxBackoff the longest wait between two attempts
   */
  public RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
    this.maxAttempts = maxAttempts;
    this.firstBackoff = firstBackoff;
    this.maxBackoff = maxBackoff;
  }

  /**
   * Whether a failed attempt may be tried again.
   *
   * @param status the HTTP status of the failed answer, or null when there was no answer
   * @param attemptsMade how many attempts were made so far
   * @return true to try again
   */
  public boolean retry(Integer status, int attemptsMade) {
    if (attemptsMade >= maxAttempts) {
      return false;
    }
    return status == null || status == 429 || status >= 500;
  }

  /**
   * The wait before an attempt.
   *
   * @param attempt the attempt about to be made, from 2
   * @param retryAfterSeconds the server's {@code Retry-After} in seconds, or null
   * @param random a source of numbers in [0, 1)
   * @return the wait
   */
  public Duration delayBefore(int attempt, Long retryAfterSeconds, DoubleSupplier random) {
    int doublings = Math.min(Math.max(attempt - 2, 0), 62);
    long first = firstBackoff.toMillis();
    long ceiling =
        first > (maxBackoff.toMillis() >> doublings)
            ? maxBackoff.toMillis()
            : Math.min(maxBackoff.toMillis(), first << doublings);
    long half = ceiling / 2;
    long backoff = half + (long) ((ceiling - half) * random.getAsDouble());
    if (retryAfterSeconds == null || retryAfterSeconds < 0) {
      return Duration.ofMillis(backoff);
    }
    // the server's word is a minimum: never earlier, and never all at the same instant
    long floor = Math.min(retryAfterSeconds * 1000, MAX_RETRY_AFTER.toMillis());
    long jittered = floor + (long) (floor * 0.25 * random.getAsDouble());
    return Duration.ofMillis(Math.max(jittered, backoff));
  }

  /**
   * @return the attempts of one login
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Read a {@code Retry-After} header: seconds, or an HTTP date.
   *
   * @param header the header value, or null
   * @param now the instant the answer was written, on the server's clock where known (its {@code
   *     Date} header), for a date
   * @return the seconds to wait (0 for a date in the past, capped at a day), or null when absent or
   *     unreadable
   */
  public static Long parseRetryAfter(String header, Instant now) {
    if (header == null) {
      return null;
    }
    String trimmed = header.trim();
    if (trimmed.matches("\\d{1,18}")) {
      return Math.min(Long.parseLong(trimmed), 86_400L);
    }
    Instant at = HttpDates.parse(trimmed);
    if (at == null) {
      return null;
    }
    // rounded up: a retry a fraction of a second before the server's date would be early
    long millis = Duration.between(now, at).toMillis();
    return Math.min(Math.max(0, (millis + 999) / 1000), 86_400L);
  }
}
