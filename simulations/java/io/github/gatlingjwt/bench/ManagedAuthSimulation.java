package io.github.gatlingjwt.bench;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.github.gatlingjwt.JwtDsl.jwtAuth;

import io.gatling.javaapi.core.Simulation;
import io.github.gatlingjwt.JwtAuth;

/**
 * The benchmark's gatling-jwt variant: the same workload as {@link BaselineSimulation}, with the
 * login and every call managed by gatling-jwt ({@code auth.login()}, {@code auth.call(...)}): an
 * expiry check before each call, refreshes before expiry, refresh and replay on a 401.
 */
public class ManagedAuthSimulation extends Simulation {

  private final BenchProbe probe = new BenchProbe();

  /** Builds the run from the {@code -Dbench.*} properties that {@link BenchmarkRunner} sets. */
  public ManagedAuthSimulation() {
    BenchConfig config = BenchConfig.fromSystemProperties();
    JwtAuth auth =
        jwtAuth
            .loginUrl(BenchConfig.LOGIN_PATH)
            .credentials("#{username}", "#{password}")
            .tokenPath("$.token")
            .refreshTokenPath("$.refresh_token")
            .refreshUrl(BenchConfig.REFRESH_PATH)
            .refreshLeadTime(config.refreshLead())
            .refreshJitter(config.refreshJitter());
    setUp(
            BenchScenarios.population(
                "gatling-jwt",
                config,
                probe,
                auth.login(),
                exec(auth.call(http("protected").get(BenchConfig.PROTECTED_PATH)))))
        .protocols(BenchScenarios.protocol(config));
  }
}
