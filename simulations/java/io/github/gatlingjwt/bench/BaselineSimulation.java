package io.github.gatlingjwt.bench;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * The benchmark's baseline, written by hand as one would without gatling-jwt: each user logs in
 * once and saves the token, then sends it as a static bearer header on every call. No expiry check,
 * no refresh, no replay: with tokens that outlive the run, this is the least a load test can do.
 */
public class BaselineSimulation extends Simulation {

  private final BenchProbe probe = new BenchProbe();

  /** Builds the run from the {@code -Dbench.*} properties that {@link BenchmarkRunner} sets. */
  public BaselineSimulation() {
    BenchConfig config = BenchConfig.fromSystemProperties();
    ChainBuilder login =
        exec(http("login")
                .post(BenchConfig.LOGIN_PATH)
                .asJson()
                .body(StringBody("{\"username\":\"#{username}\",\"password\":\"#{password}\"}"))
                .check(jsonPath("$.token").saveAs("token")))
            .exitHereIfFailed();
    ChainBuilder call =
        exec(
            http("protected")
                .get(BenchConfig.PROTECTED_PATH)
                .header("Authorization", "Bearer #{token}"));
    setUp(BenchScenarios.population("baseline", config, probe, login, call))
        .protocols(BenchScenarios.protocol(config));
  }
}
