package io.github.gatlingjwt.it;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;
import static io.github.gatlingjwt.JwtDsl.*;

import io.gatling.javaapi.core.*;
import io.gatling.javaapi.http.*;
import io.github.gatlingjwt.JwtAuth;
import io.github.gatlingjwt.TokenScope;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Edge cases of shared tokens and silent auth, one per {@code it.mode}: an owner whose {@code
 * during} loop ends mid-flight ({@code duringEnd}), an owner that leaves its {@code
 * exitBlockOnFail} after a refused refresh ({@code exitBlock}), a silent login that fails once
 * ({@code silentRetry}, {@code sharedSilent}), a shared scope whose credential functions give two
 * accounts ({@code sharedFunctionAccounts}).
 */
public class ScopeEdgeCaseSimulation extends Simulation {

  static String prop(String name, String fallback) {
    return System.getProperty("it." + name, fallback);
  }

  {
    String mode = prop("mode", "duringEnd");
    List<Map<String, Object>> accounts = csv(prop("credentialsCsv", "missing.csv")).readRecords();
    String user = (String) accounts.get(0).get("username");
    String password = (String) accounts.get(0).get("password");
    HttpProtocolBuilder protocol = http.baseUrl(prop("baseUrl", "http://127.0.0.1:1"));

    switch (mode) {
      case "duringEnd" -> {
        // SHARED token. The "owner" user's during loop ends while it is in its login flight
        // (its first login attempt gets 503, the backoff pause outlasts its 200 ms loop).
        JwtAuth auth = jwtAuth.tokenScope(TokenScope.SHARED).credentials(s -> user, s -> password);
        ChainBuilder call = exec(auth.call(http("whoami").get("/api/protected_resource")));
        ScenarioBuilder owner =
            scenario("owner")
                .during(Duration.ofMillis(200))
                .on(exec(call).pause(Duration.ofMillis(50)));
        ScenarioBuilder others =
            scenario("others")
                .during(Duration.ofSeconds(8))
                .on(exec(call).pause(Duration.ofMillis(200)));
        setUp(
                owner.injectOpen(atOnceUsers(1)),
                others.injectOpen(nothingFor(Duration.ofMillis(300)), atOnceUsers(20)))
            .protocols(protocol);
      }
      case "exitBlock" -> {
        // SHARED token, server refuses refreshes. User "a" renews inside exitBlockOnFail: its
        // refresh is refused (KO), so it leaves the block before its fallback login and release.
        JwtAuth auth =
            jwtAuth
                .tokenScope(TokenScope.SHARED)
                .credentials(s -> user, s -> password)
                .refreshLeadTime(Duration.ofSeconds(12))
                .refreshJitter(Duration.ZERO);
        ChainBuilder call = exec(auth.call(http("whoami").get("/api/protected_resource")));
        ScenarioBuilder a =
            scenario("a")
                .exec(auth.login())
                .pause(Duration.ofSeconds(12))
                .exitBlockOnFail()
                .on(call);
        ScenarioBuilder others =
            scenario("others")
                .exec(auth.login())
                .during(Duration.ofSeconds(8))
                .on(exec(call).pause(Duration.ofMillis(200)));
        setUp(
                a.injectOpen(atOnceUsers(1)),
                others.injectOpen(nothingFor(Duration.ofSeconds(15)), atOnceUsers(20)))
            .protocols(protocol);
      }
      case "silentRetry" -> {
        // PER_USER, 1 user; the first login answers 503. silent=true/false.
        JwtAuth auth = jwtAuth.credentials(s -> user, s -> password);
        if (Boolean.parseBoolean(prop("silent", "false"))) {
          auth = auth.silentAuth();
        }
        setUp(
                scenario("u")
                    .exec(auth.call(http("whoami").get("/api/protected_resource")))
                    .injectOpen(atOnceUsers(1)))
            .protocols(protocol);
      }
      case "sharedSilent" -> {
        // SHARED + silentAuth, 20 users at once; the first login answers 503
        JwtAuth auth =
            jwtAuth
                .tokenScope(TokenScope.SHARED)
                .credentials(s -> user, s -> password)
                .silentAuth();
        setUp(
                scenario("u")
                    .repeat(5)
                    .on(
                        exec(auth.call(http("whoami").get("/api/protected_resource")))
                            .pause(Duration.ofMillis(100)))
                    .injectOpen(atOnceUsers(20)))
            .protocols(protocol);
      }
      case "sharedFunctionAccounts" -> {
        // SHARED, but the credential functions give two accounts (by user id parity): no build
        // error can see it; 200 users at once must each get a token of their own account
        String user2 = (String) accounts.get(1).get("username");
        String password2 = (String) accounts.get(1).get("password");
        JwtAuth auth =
            jwtAuth
                .tokenScope(TokenScope.SHARED)
                .credentials(
                    s -> s.userId() % 2 == 0 ? user : user2,
                    s -> s.userId() % 2 == 0 ? password : password2);
        setUp(
                scenario("u")
                    .repeat(3)
                    .on(
                        exec(auth.call(
                                http("whoami")
                                    .get("/api/protected_resource")
                                    .check(
                                        jsonPath("$.user")
                                            .is(
                                                session ->
                                                    session.userId() % 2 == 0 ? user : user2))))
                            .pause(Duration.ofMillis(100)))
                    .injectOpen(atOnceUsers(200)))
            .protocols(protocol);
      }
      default -> throw new IllegalArgumentException(mode);
    }
  }
}
