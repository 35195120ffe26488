package io.github.gatlingjwt.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The auth counters of one named auth configuration in this JVM: what the token lifecycle did,
 * counted as it happened. Thread-safe and cheap: only auth steps count, never a plain protected
 * call.
 *
 * <p>For internal use only.
 */
public final class AuthMetrics {

  /** The counted events. */
  public enum Counter {
    /** Virtual users that took part in auth. */
    USERS("users"),
    /** Login requests sent, including retries. */
    LOGIN_REQUESTS("loginRequests"),
    /** Logins that gave a token. */
    LOGINS("logins"),
    /** Successful logins of users that already held a token (after a failed refresh, or none). */
    RE_LOGINS("reLogins"),
    /** Refresh requests sent because the token was about to expire. */
    PROACTIVE_REFRESHES("proactiveRefreshes"),
    /** Refresh requests sent because the API refused the token. */
    REACTIVE_REFRESHES("reactiveRefreshes"),
    /** Refreshes that gave a token. */
    REFRESHES("refreshes"),
    /** Protected calls refused (401 by default) and replayed. */
    REFUSALS("refusals"),
    /** Replays that were not refused again. */
    REFUSALS_RECOVERED("refusalsRecovered"),
    /** Virtual users stopped because they could get no token. */
    USERS_STOPPED("usersStopped"),
    /** Login and refresh attempts made again after a 429 answer. */
    RETRIES_AFTER_429("retriesAfter429"),
    /** Times a user waited for another user's login or refresh of a shared token. */
    SHARED_WAITS("sharedWaits");

    private final String jsonName;

    Counter(String jsonName) {
      this.jsonName = jsonName;
    }

    /**
     * @return the counter's name in the summary and the JSON file
     */
    public String jsonName() {
      return jsonName;
    }
  }

  private final String name;
  private final Map<Counter, LongAdder> counters = new EnumMap<>(Counter.class);

  AuthMetrics(String name) {
    this.name = name;
    for (Counter c : Counter.values()) {
      counters.put(c, new LongAdder());
    }
  }

  /**
   * @return the auth configuration's name
   */
  public String name() {
    return name;
  }

  /** Count one event. */
  public void increment(Counter counter) {
    counters.get(counter).increment();
  }

  /**
   * Read the counters now.
   *
   * @return a snapshot
   */
  public Snapshot snapshot() {
    Map<Counter, Long> values = new EnumMap<>(Counter.class);
    counters.forEach((c, adder) -> values.put(c, adder.sum()));
    return new Snapshot(name, values);
  }

  /** The counters at one instant, and the figures derived from them. */
  public record Snapshot(String name, Map<Counter, Long> values) {

    /**
     * @return the value of a counter
     */
    public long get(Counter counter) {
      return values.getOrDefault(counter, 0L);
    }

    /**
     * @return refresh requests sent, proactive and reactive
     */
    public long refreshRequests() {
      return get(Counter.PROACTIVE_REFRESHES) + get(Counter.REACTIVE_REFRESHES);
    }

    /**
     * @return auth requests that gave no token: failed logins and failed refreshes
     */
    public long authFailures() {
      return Math.max(0, get(Counter.LOGIN_REQUESTS) - get(Counter.LOGINS))
          + Math.max(0, refreshRequests() - get(Counter.REFRESHES));
    }

    /**
     * @return refused calls whose replay was refused again or could not be sent
     */
    public long unrecoveredRefusals() {
      return Math.max(0, get(Counter.REFUSALS) - get(Counter.REFUSALS_RECOVERED));
    }

    /**
     * @return refresh requests per user, or 0 without users
     */
    public double refreshesPerUser() {
      long users = get(Counter.USERS);
      return users == 0 ? 0 : (double) refreshRequests() / users;
    }

    /**
     * @return login requests per user, or 0 without users
     */
    public double loginsPerUser() {
      long users = get(Counter.USERS);
      return users == 0 ? 0 : (double) get(Counter.LOGIN_REQUESTS) / users;
    }
  }
}
