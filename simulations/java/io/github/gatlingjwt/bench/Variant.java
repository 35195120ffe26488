package io.github.gatlingjwt.bench;

/** The throughput variants, all on the same workload against the same embedded API. */
enum Variant {
  BASELINE("baseline", "hand-written Gatling: one login, then a static bearer token; 1 h tokens"),
  JWT_LONG(
      "gatling-jwt, long tokens",
      "auth.login() and auth.call(...); 1 h tokens: expiry checks only, no refresh"),
  JWT_SHORT(
      "gatling-jwt, short tokens",
      "auth.login() and auth.call(...); short tokens: refreshes during the run"),
  JMETER_SHORT(
      "JMeter, short tokens",
      "JMeter 5.6.3, simulations/jmeter/jwt-lifecycle.jmx; short tokens: refreshes during the run");

  private final String label;
  private final String description;

  Variant(String label, String description) {
    this.label = label;
    this.description = description;
  }

  /** Its name in the summary. */
  String label() {
    return label;
  }

  /** What it does, in one line. */
  String description() {
    return description;
  }

  /** Whether it runs against the short-token API. */
  boolean shortTokens() {
    return this == JWT_SHORT || this == JMETER_SHORT;
  }
}
