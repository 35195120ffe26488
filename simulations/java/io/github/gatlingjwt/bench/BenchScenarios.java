package io.github.gatlingjwt.bench;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/**
 * The workload every Gatling variant shares, so that the variants differ only in how they log in
 * and authorize a call.
 *
 * <p>Throughput phase: a closed workload, {@code users} virtual users started at once, each logging
 * in, then calling without pauses for the warm-up, the measurement window and a short tail. Memory
 * phase: {@code users} virtual users ramped in, each logging in, then holding until the probe has
 * read the heap.
 */
final class BenchScenarios {

  private BenchScenarios() {}

  /**
   * @param name the scenario name
   * @param config the run's knobs
   * @param probe the run's probe, started here
   * @param login a user's login
   * @param call one protected call
   * @return the population to set up
   */
  static PopulationBuilder population(
      String name, BenchConfig config, BenchProbe probe, ChainBuilder login, ChainBuilder call) {
    ScenarioBuilder scenario = scenario(name).feed(csv(config.credentialsCsv()).circular());
    if (config.phase() == BenchConfig.Phase.THROUGHPUT) {
      probe.startThroughputWindow(config.warmUp(), config.measure());
      return scenario
          .exec(login)
          .during(config.callingTime())
          .on(exec(call).exec(probe::countCall))
          .injectOpen(atOnceUsers(config.users()));
    }
    probe.startMemoryProbe(config.users(), config.ramp().plus(Duration.ofSeconds(60)));
    return scenario
        .exec(login)
        .exec(probe::holdAfterLogin)
        .asLongAs(session -> !probe.measured())
        .on(pause(Duration.ofSeconds(1)))
        .injectOpen(rampUsers(config.users()).during(config.ramp()));
  }

  /** The HTTP protocol: the API's URL, and no warm-up request to a public site. */
  static HttpProtocolBuilder protocol(BenchConfig config) {
    return http.baseUrl(config.baseUrl()).disableWarmUp();
  }
}
