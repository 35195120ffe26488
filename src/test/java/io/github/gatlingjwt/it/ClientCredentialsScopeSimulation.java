package io.github.gatlingjwt.it;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;
import static io.github.gatlingjwt.JwtDsl.*;

import io.gatling.javaapi.core.*;
import io.gatling.javaapi.http.*;
import io.github.gatlingjwt.JwtAuth;
import io.github.gatlingjwt.TokenScope;

/**
 * OAuth2 client credentials with a token scope, against a stub token endpoint at {@code
 * /oauth/token}. Knobs: {@code it.baseUrl}, {@code it.scope}, {@code it.users}, {@code it.calls},
 * {@code it.pauseMs}, {@code it.leadSeconds}, {@code it.sendCookie}, {@code it.path}.
 */
public class ClientCredentialsScopeSimulation extends Simulation {

  static String prop(String name, String fallback) {
    return System.getProperty("it." + name, fallback);
  }

  {
    JwtAuth auth =
        oauth2("/oauth/token")
            .clientId(prop("clientId", "svc"))
            .clientSecret(prop("clientSecret", "svc-secret-value-123"))
            .clientCredentials()
            .tokenScope(TokenScope.valueOf(prop("scope", "SHARED")))
            .refreshLeadTime(
                java.time.Duration.ofSeconds(Integer.parseInt(prop("leadSeconds", "10"))));
    if (!prop("sendCookie", "").isEmpty()) {
      auth = auth.sendAsCookie(prop("sendCookie", ""));
    }
    ScenarioBuilder scn =
        scenario("r3")
            .exec(
                session -> {
                  long n = session.userId();
                  return session
                      .set("username", "user" + n)
                      .set("clientId", "svc" + n)
                      .set("clientSecret", "secret-of-svc" + n);
                })
            .exec(auth.login())
            .repeat(Integer.parseInt(prop("calls", "1")))
            .on(
                exec(auth.call(http("protected").get(prop("path", "/api/protected_resource"))))
                    .pause(java.time.Duration.ofMillis(Integer.parseInt(prop("pauseMs", "0")))));
    setUp(scn.injectOpen(atOnceUsers(Integer.parseInt(prop("users", "1")))))
        .protocols(http.baseUrl(prop("baseUrl", "http://127.0.0.1:1")));
  }
}
