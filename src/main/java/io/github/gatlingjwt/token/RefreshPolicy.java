package io.github.gatlingjwt.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides, before a protected call, whether the held token can be used, must be refreshed, or a
 * fresh login is needed. Pure: the clock is injected.
 *
 * <p>A token is refreshed once {@code now >= expiresAt - lead - jitter}, where {@code lead} is the
 * configured lead time and {@code jitter} a share of the configured jitter that depends on the
 * token itself (a hash of it), so that users whose tokens were issued in the same second do not all
 * refresh in the same second. Lead and jitter together are capped at half the token's lifetime (the
 * lead first), so that short-lived tokens are not refreshed before every call.
 */
public final class RefreshPolicy {

  /** What to do before a protected call. */
  public enum Decision {
    /** The token is valid for longer than the lead time: use it. */
    USE,
    /** The token expires within the lead time and a refresh token is held: refresh. */
    REFRESH,
    /** No token, or it expires within the lead time and cannot be refreshed: log in. */
    LOGIN
  }

  private final Duration leadTime;
  private final Duration jitter;
  private final Clock clock;

  /**
   * @param leadTime how long before expiry to refresh; zero or positive
   * @param clock the clock to read "now" from
   */
  public RefreshPolicy(Duration leadTime, Clock clock) {
    this(leadTime, Duration.ZERO, clock);
  }

  /**
   * @param leadTime how long before expiry to refresh; zero or positive
   * @param jitter how much earlier still, at most, a given token is refreshed; zero or positive
   * @param clock the clock to read "now" from
   */
  public RefreshPolicy(Duration leadTime, Duration jitter, Clock clock) {
    if (leadTime == null || leadTime.isNegative()) {
      throw new JwtConfigException(
          "The refresh lead time is " + leadTime + ": give zero or a positive duration.");
    }
    if (jitter == null || jitter.isNegative()) {
      throw new JwtConfigException(
          "The refresh jitter is " + jitter + ": give zero or a positive duration.");
    }
    this.leadTime = leadTime;
    this.jitter = jitter;
    this.clock = clock;
  }

  /**
   * Decide what to do with a user's token state now.
   *
   * @param state the user's token state, or null when the user holds none
   * @return the decision
   */
  public Decision decide(TokenState state) {
    if (state == null) {
      return Decision.LOGIN;
    }
    Instant expiresAt = state.expiresAt();
    if (expiresAt == null) {
      return Decision.USE; // unknown expiry: only a refusal triggers a refresh
    }
    if (clock.instant().isBefore(refreshAt(state))) {
      return Decision.USE;
    }
    return state.canRefresh() ? Decision.REFRESH : Decision.LOGIN;
  }

  /**
   * The instant from which the token is refreshed.
   *
   * @param state a state with a known expiry
   * @return {@code expiresAt - lead - share * jitter}, lead and jitter capped at half the lifetime
   */
  public Instant refreshAt(TokenState state) {
    Duration lifetime = Duration.between(state.obtainedAt(), state.expiresAt());
    long halfLife = lifetime.isNegative() ? 0 : lifetime.toMillis() / 2;
    long lead = Math.min(leadTime.toMillis(), halfLife);
    long spread = Math.min(jitter.toMillis(), halfLife - lead);
    long early = (long) (spread * share(state.accessToken()));
    return state.expiresAt().minusMillis(lead + early);
  }

  /**
   * A number in [0, 1) that is the same for a token every time and spread across tokens. It runs
   * before every protected call, so it starts from {@link String#hashCode()}, which the JVM
   * computes once per string and caches: the per-call cost does not grow with the token's length.
   */
  static double share(String token) {
    long h = token.hashCode();
    h ^= (h >>> 33);
    h *= 0xff51afd7ed558ccdL;
    h ^= (h >>> 33);
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= (h >>> 33);
    return (h >>> 11) * 0x1.0p-53;
  }

  /**
   * @return the configured lead time
   */
  public Duration leadTime() {
    return leadTime;
  }
}
