package io.github.gatlingjwt.it;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;
import static io.github.gatlingjwt.JwtDsl.*;

import io.gatling.javaapi.core.*;
import io.gatling.javaapi.http.*;
import io.github.gatlingjwt.JwtAuth;
import io.github.gatlingjwt.TokenScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The simulation the token-scope tests run against the embedded JWT API. Every protected call
 * checks that the API saw the account the user is meant to be, so identities that mix fail the run.
 * Knobs (system properties):
 *
 * <ul>
 *   <li>{@code it.baseUrl}, {@code it.credentialsCsv}: the API and its accounts
 *   <li>{@code it.scope}: {@code PER_USER}, {@code SHARED} (as the CSV's first account) or {@code
 *       POOLED}
 *   <li>{@code it.users} (injected at once), {@code it.accounts} (the first N accounts of the CSV,
 *       fed circularly; default: as many as users, fed as a queue)
 *   <li>{@code it.seconds} of calls per user, {@code it.pauseMs} between them, {@code
 *       it.leadSeconds}, {@code it.jitterSeconds}
 *   <li>{@code it.authGate}: the auth assertions "no auth failure, no unrecovered refusal" (default
 *       true)
 *   <li>{@code it.twoConfigurations}: a second scenario with its own SHARED configuration on the
 *       CSV's second account (C09)
 * </ul>
 */
public class ScopeTestSimulation extends Simulation {

  static String prop(String name, String fallback) {
    return System.getProperty("it." + name, fallback);
  }

  static int intProp(String name, int fallback) {
    return Integer.parseInt(prop(name, String.valueOf(fallback)));
  }

  static JwtAuth auth(TokenScope scope, Map<String, Object> sharedAccount) {
    JwtAuth auth =
        jwtAuth
            .tokenScope(scope)
            .refreshLeadTime(Duration.ofSeconds(intProp("leadSeconds", 10)))
            .refreshJitter(Duration.ofSeconds(intProp("jitterSeconds", 0)));
    if (Boolean.parseBoolean(prop("authGate", "true"))) {
      auth =
          auth.assertions(
              authMetrics().authFailures().is(0), authMetrics().unrecoveredRefusals().is(0));
    }
    if (scope == TokenScope.SHARED) {
      String user = (String) sharedAccount.get("username");
      String password = (String) sharedAccount.get("password");
      return auth.credentials(session -> user, session -> password);
    }
    return auth.credentials("#{username}", "#{password}");
  }

  static ChainBuilder calls(String name, JwtAuth auth, String expectedUser) {
    return exec(auth.login())
        .during(Duration.ofSeconds(intProp("seconds", 5)))
        .on(
            exec(auth.call(
                    http(name + ": whoami")
                        .get("/api/protected_resource")
                        .check(jsonPath("$.user").isEL(expectedUser))))
                .pause(Duration.ofMillis(intProp("pauseMs", 100))));
  }

  {
    TokenScope scope = TokenScope.valueOf(prop("scope", "PER_USER"));
    List<Map<String, Object>> accounts =
        new ArrayList<>(csv(prop("credentialsCsv", "missing.csv")).readRecords());
    int users = intProp("users", 1);
    int accountCount = intProp("accounts", 0);
    FeederBuilder<Object> feeder =
        accountCount > 0
            ? listFeeder(new ArrayList<>(accounts.subList(0, accountCount))).circular()
            : listFeeder(accounts).queue();

    HttpProtocolBuilder protocol = http.baseUrl(prop("baseUrl", "http://127.0.0.1:1"));
    String expected =
        scope == TokenScope.SHARED ? (String) accounts.get(0).get("username") : "#{username}";
    List<PopulationBuilder> populations = new ArrayList<>();
    populations.add(
        scenario("users")
            // a shared token needs no feeder: every user is the CSV's first account
            .doIf(session -> scope != TokenScope.SHARED)
            .then(feed(warnIfFewerCredentials(feeder, users)))
            .exec(calls("users", auth(scope, accounts.get(0)), expected))
            .injectOpen(atOnceUsers(users)));
    if (Boolean.parseBoolean(prop("twoConfigurations", "false"))) {
      populations.add(
          scenario("second")
              .exec(
                  calls(
                      "second",
                      auth(TokenScope.SHARED, accounts.get(1)),
                      (String) accounts.get(1).get("username")))
              .injectOpen(atOnceUsers(users)));
    }
    setUp(populations).protocols(protocol);
  }
}
