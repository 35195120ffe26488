package io.github.gatlingjwt.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides, before a protected call, whether the held token can be used, must be refreshed, or a
 * fresh login is needed. Pure: the clock is injected.
 *
 * <p>A token is refreshed once {@code now >= expiresAt - lead}, where {@code lead} is the
 * configured lead time, capped at half the token's lifetime so that short-lived tokens are not
 * refreshed before every call.
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
  private final Clock clock;

  /**
   * @param leadTime how long before expiry to refresh; zero or positive
   * @param clock the clock to read "now" from
   */
  public RefreshPolicy(Duration leadTime, Clock clock) {
    if (leadTime == null || leadTime.isNegative()) {
      throw new JwtConfigException(
          "The refresh lead time is " + leadTime + ": give zero or a positive duration.");
    }
    this.leadTime = leadTime;
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
   * @return {@code expiresAt - min(leadTime, lifetime / 2)}
   */
  public Instant refreshAt(TokenState state) {
    Duration lifetime = Duration.between(state.obtainedAt(), state.expiresAt());
    Duration lead = lifetime.isNegative() ? Duration.ZERO : lifetime.dividedBy(2);
    if (leadTime.compareTo(lead) < 0) {
      lead = leadTime;
    }
    return state.expiresAt().minus(lead);
  }

  /**
   * @return the configured lead time
   */
  public Duration leadTime() {
    return leadTime;
  }
}
