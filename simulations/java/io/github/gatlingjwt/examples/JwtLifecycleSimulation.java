package io.github.gatlingjwt.examples;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;
import static io.github.gatlingjwt.JwtDsl.*;

import io.gatling.javaapi.core.*;
import io.gatling.javaapi.http.*;
import io.github.gatlingjwt.JwtAuth;
import io.github.gatlingjwt.examples.api.EmbeddedJwtApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The flagship example, run by {@code mvn gatling:test}: virtual users log in once, then call
 * protected endpoints for the whole run while their short-lived tokens are refreshed before expiry
 * (proactively) and after early revocations (reactively, on 401).
 *
 * <p>Without {@code -DbaseUrl}, it starts the embedded JWT API on 127.0.0.1 with {@code -DtokenTtl}
 * second tokens and stops it at the end. With {@code -DbaseUrl}, it targets that API with
 * credentials from {@code -DcredentialsCsv} or the {@code GATLING_JWT_USERNAME} / {@code
 * GATLING_JWT_PASSWORD} environment variables.
 *
 * <p>It ends with assertions, so the run fails the build when protected calls fail or get slow, and
 * with auth assertions (no auth failure, no unrecovered refusal, no user stopped, refreshes per
 * user within bounds). {@code -DsilentAuth=true} keeps login and refresh out of the statistics.
 */
public class JwtLifecycleSimulation extends Simulation {

  private final EmbeddedJwtApi embeddedApi;

  // ---- Endpoints ----------------------------------------------------------------------------

  static final HttpRequestActionBuilder listItems =
      http("items: list")
          .get(ExampleConfig.itemsPath())
          .check(jsonPath("$[*].id").findRandom().saveAs("itemId"));

  static final HttpRequestActionBuilder getItem =
      http("items: get").get(ExampleConfig.itemsPath() + "/#{itemId}");

  static final HttpRequestActionBuilder protectedResource =
      http("protected resource").get(ExampleConfig.protectedPath());

  // ---- Auth ---------------------------------------------------------------------------------

  static final JwtAuth auth =
      silentIfAsked(jwtAuth)
          .loginUrl(ExampleConfig.loginPath())
          .credentials("#{username}", "#{password}")
          .tokenPath(ExampleConfig.tokenPath())
          .refreshTokenPath(ExampleConfig.refreshTokenPath())
          .refreshUrl(ExampleConfig.refreshPath())
          .refreshLeadTime(ExampleConfig.refreshLead())
          .refreshJitter(ExampleConfig.refreshJitter())
          // ride out a token endpoint outage of ~10 s: waits of 0.5-1, 1-2, 2-4, 4-8, 5-10 s
          .loginAttempts(6, Duration.ofSeconds(1), Duration.ofSeconds(10))
          .authRequestTimeout(Duration.ofSeconds(10))
          // the auth CI gate, checked at the end of the run next to Gatling's assertions
          .assertions(
              authMetrics().authFailures().is(0),
              authMetrics().unrecoveredRefusals().is(0),
              authMetrics().usersStopped().is(0),
              authMetrics().refreshesPerUser().lte(ExampleConfig.maxRefreshesPerUser()));

  static final JwtAuth authForThisRun = ExampleConfig.silentAuth() ? auth.silentAuth() : auth;

  /** {@code -DsilentAuth=true}: login and refresh stay out of the statistics, not the counters. */
  private static JwtAuth silentIfAsked(JwtAuth auth) {
    return ExampleConfig.silentAuth() ? auth.silentAuth() : auth;
  }

  // ---- Chains -------------------------------------------------------------------------------

  static final ChainBuilder browse =
      exec(auth.call(listItems))
          .exec(auth.call(getItem))
          .exec(auth.call(protectedResource))
          .pause(Duration.ofMillis(200), Duration.ofMillis(600));

  // ---- Simulation ---------------------------------------------------------------------------

  public JwtLifecycleSimulation() {
    String baseUrl = ExampleConfig.baseUrl();
    FeederBuilder<?> credentials;
    if (baseUrl == null) {
      embeddedApi =
          EmbeddedJwtApi.start(
              EmbeddedJwtApi.Options.defaults()
                  .tokenTtl(ExampleConfig.tokenTtl())
                  .users(Math.max(1000, ExampleConfig.users()))
                  .revokeEarly(
                      ExampleConfig.revokeFraction(), ExampleConfig.tokenTtl().dividedBy(3)));
      baseUrl = embeddedApi.baseUrl();
      System.out.println(
          "Embedded JWT API on "
              + baseUrl
              + " ("
              + ExampleConfig.tokenTtl().toSeconds()
              + " s tokens); -DbaseUrl=<url> targets your own API instead.");
      credentials = listFeeder(embeddedApi.credentials()).queue();
    } else {
      embeddedApi = null;
      credentials = realApiCredentials();
    }

    ScenarioBuilder users =
        scenario("JWT users")
            .feed(credentials)
            .exec(auth.login())
            .during(ExampleConfig.duration())
            .on(browse);

    setUp(
            users.injectOpen(
                ExampleConfig.ramp().isZero()
                    ? atOnceUsers(ExampleConfig.users())
                    : rampUsers(ExampleConfig.users()).during(ExampleConfig.ramp())))
        .protocols(http.baseUrl(baseUrl).acceptHeader("application/json"))
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(95.0).lt(ExampleConfig.p95Millis()));
  }

  private static FeederBuilder<?> realApiCredentials() {
    String csvPath = ExampleConfig.credentialsCsv();
    if (csvPath != null) {
      return warnIfFewerCredentials(csv(csvPath).circular(), ExampleConfig.users());
    }
    String username = System.getenv("GATLING_JWT_USERNAME");
    String password = System.getenv("GATLING_JWT_PASSWORD");
    if (username == null || username.isBlank() || password == null || password.isEmpty()) {
      throw new IllegalArgumentException(
          "-DbaseUrl is set but no credentials are: give -DcredentialsCsv=path/to/users.csv (a"
              + " username,password header) or set GATLING_JWT_USERNAME and GATLING_JWT_PASSWORD.");
    }
    return listFeeder(List.of(Map.<String, Object>of("username", username, "password", password)))
        .circular();
  }

  @Override
  public void after() {
    if (embeddedApi != null) {
      embeddedApi.close();
    }
  }
}
