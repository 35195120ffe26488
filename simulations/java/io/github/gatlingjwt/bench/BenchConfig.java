package io.github.gatlingjwt.bench;

import java.time.Duration;

/**
 * The knobs of one benchmark simulation run, read from {@code -Dbench.*} system properties that
 * {@link BenchmarkRunner} sets. Credentials come from a CSV file, never from a property.
 *
 * @param baseUrl the embedded API's URL
 * @param credentialsCsv a {@code username,password} CSV file written by the embedded API
 * @param phase what is measured: {@code throughput} or {@code memory}
 * @param users virtual users
 * @param warmUp throughput phase: time before the measurement window opens
 * @param measure throughput phase: length of the measurement window
 * @param ramp memory phase: time over which the users are injected
 * @param refreshLead gatling-jwt's refresh lead time
 * @param refreshJitter gatling-jwt's refresh jitter
 */
record BenchConfig(
    String baseUrl,
    String credentialsCsv,
    Phase phase,
    int users,
    Duration warmUp,
    Duration measure,
    Duration ramp,
    Duration refreshLead,
    Duration refreshJitter) {

  /** What a run measures. */
  enum Phase {
    /** A fixed population calling without pauses: requests per second and CPU per request. */
    THROUGHPUT,
    /** Users that log in, then hold: heap after GC per user. */
    MEMORY
  }

  /** The protected endpoint every variant calls. */
  static final String PROTECTED_PATH = "/api/protected_resource";

  static final String LOGIN_PATH = "/api/login";
  static final String REFRESH_PATH = "/api/refresh_token";

  /** Extra time the users keep calling after the measurement window closes. */
  static final Duration TAIL = Duration.ofSeconds(2);

  static BenchConfig fromSystemProperties() {
    return new BenchConfig(
        required("bench.baseUrl"),
        required("bench.credentialsCsv"),
        Phase.valueOf(required("bench.phase").toUpperCase(java.util.Locale.ROOT)),
        Integer.parseInt(required("bench.users")),
        seconds("bench.warmUp", "5"),
        seconds("bench.measure", "10"),
        seconds("bench.ramp", "5"),
        seconds("bench.refreshLead", "2"),
        seconds("bench.refreshJitter", "1"));
  }

  /**
   * How long each user keeps calling in the throughput phase: the probe's window, which opens a
   * warm-up after the first call, closes before the first user stops.
   */
  Duration callingTime() {
    return warmUp.plus(measure).plus(TAIL);
  }

  private static String required(String name) {
    String value = System.getProperty(name, "").trim();
    if (value.isEmpty()) {
      throw new IllegalArgumentException(
          "-D" + name + " is not set: the benchmark simulations are started by BenchmarkRunner.");
    }
    return value;
  }

  private static Duration seconds(String name, String fallback) {
    return Duration.ofMillis(
        Math.round(Double.parseDouble(System.getProperty(name, fallback)) * 1000));
  }
}
