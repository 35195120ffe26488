package io.github.gatlingjwt.examples;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The knobs of {@link SoakSimulation}, read from system properties, and what they imply for the
 * refresh cadence (see the class comment of {@link SoakSimulation}).
 *
 * @param users virtual users ({@code -Dusers}, default 100)
 * @param duration how long each user keeps calling ({@code -Dduration} seconds, default 1800)
 * @param ramp injection ramp ({@code -DrampSeconds}, default 5)
 * @param tokenTtl access-token lifetime of the embedded API ({@code -DtokenTtl}, default 5 s)
 * @param refreshLead the configured refresh lead ({@code -DrefreshLead}, default 3 s)
 * @param pace one iteration per pace ({@code -DpaceMs}, default two thirds of the refresh offset)
 * @param heapSamplePeriod heap sampling period ({@code -DheapSampleSeconds}, default 10)
 * @param warmUp samples before this are dropped ({@code -DwarmUpSeconds}, default 20)
 * @param summaryPath where the JSON summary goes ({@code -DsoakSummary})
 */
record SoakSettings(
    int users,
    Duration duration,
    Duration ramp,
    Duration tokenTtl,
    Duration refreshLead,
    Duration pace,
    Duration heapSamplePeriod,
    Duration warmUp,
    Path summaryPath) {

  /** {@code iat} is whole seconds: the plugin takes a second off the lifetime it reads. */
  static final Duration IAT_ROUNDING = Duration.ofSeconds(1);

  /** The closest a refresh instant may come to a call slot for the count to be well defined. */
  static final Duration MIN_MARGIN = Duration.ofMillis(100);

  static SoakSettings fromSystemProperties() {
    Duration tokenTtl = Duration.ofSeconds(ExampleConfig.positiveInt("tokenTtl", 5));
    if (tokenTtl.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new IllegalArgumentException(
          "-DtokenTtl=" + tokenTtl.toSeconds() + " is too short for a soak: give 2 or more.");
    }
    Duration lead = ExampleConfig.refreshLead();
    Duration offset = refreshOffset(tokenTtl, lead);
    int defaultPaceMs = (int) Math.max(1, offset.toMillis() * 2 / 3);
    SoakSettings s =
        new SoakSettings(
            ExampleConfig.positiveInt("users", 100),
            Duration.ofSeconds(ExampleConfig.positiveInt("duration", 1800)),
            Duration.ofSeconds(ExampleConfig.positiveInt("rampSeconds", 5)),
            tokenTtl,
            lead,
            Duration.ofMillis(ExampleConfig.positiveInt("paceMs", defaultPaceMs)),
            Duration.ofSeconds(ExampleConfig.positiveInt("heapSampleSeconds", 10)),
            Duration.ofSeconds(ExampleConfig.positiveInt("warmUpSeconds", 20)),
            Path.of(System.getProperty("soakSummary", "results/soak-summary.json").trim()));
    if (s.marginBefore().compareTo(MIN_MARGIN) < 0 || s.marginAfter().compareTo(MIN_MARGIN) < 0) {
      throw new IllegalArgumentException(
          "-DpaceMs="
              + s.pace().toMillis()
              + " puts the refresh instant ("
              + offset.toMillis()
              + " ms after a token is received) within "
              + MIN_MARGIN.toMillis()
              + " ms of a call, so the expected refresh count is not well defined: leave"
              + " -DpaceMs out (default "
              + defaultPaceMs
              + ") or move it away from "
              + offset.toMillis()
              + " ms divided by a whole number.");
    }
    return s;
  }

  /**
   * How long after receipt a token of the embedded API is refreshed: {@code L - min(lead, L/2)},
   * with {@code L = ttl - 1 s} the local lifetime (see {@code ExpiryCalculator} and {@code
   * RefreshPolicy}).
   */
  static Duration refreshOffset(Duration tokenTtl, Duration lead) {
    Duration lifetime = tokenTtl.minus(IAT_ROUNDING);
    Duration half = lifetime.dividedBy(2);
    Duration effectiveLead = lead.compareTo(half) < 0 ? lead : half;
    return lifetime.minus(effectiveLead);
  }

  Duration localLifetime() {
    return tokenTtl.minus(IAT_ROUNDING);
  }

  Duration effectiveLead() {
    return localLifetime().minus(refreshOffset());
  }

  Duration refreshOffset() {
    return refreshOffset(tokenTtl, refreshLead);
  }

  /** A user refreshes every this many iterations: {@code floor(T / P) + 1}. */
  int iterationsPerRefresh() {
    return (int) (refreshOffset().toMillis() / pace.toMillis()) + 1;
  }

  /** {@code m * P}: the time between two refreshes of one user. */
  Duration refreshInterval() {
    return pace.multipliedBy(iterationsPerRefresh());
  }

  /** How far the refresh instant lies after the last slot that does not refresh. */
  Duration marginBefore() {
    return refreshOffset().minus(pace.multipliedBy(iterationsPerRefresh() - 1L));
  }

  /** How far the refresh instant lies before the slot that refreshes. */
  Duration marginAfter() {
    return refreshInterval().minus(refreshOffset());
  }

  /** Iterations a user runs in the whole duration: slots {@code j} with {@code j * P < D}. */
  int nominalIterations() {
    long d = duration.toMillis();
    long p = pace.toMillis();
    return (int) ((d + p - 1) / p);
  }

  /** Expected refreshes of a user that ran {@code iterations} iterations. */
  int expectedRefreshes(int iterations) {
    return iterations <= 0 ? 0 : (iterations - 1) / iterationsPerRefresh();
  }

  @Override
  public String toString() {
    return users
        + " users for "
        + duration.toSeconds()
        + " s, "
        + tokenTtl.toSeconds()
        + " s tokens refreshed "
        + refreshOffset().toMillis()
        + " ms after receipt, one iteration every "
        + pace.toMillis()
        + " ms: a refresh every "
        + iterationsPerRefresh()
        + " iterations";
  }
}
