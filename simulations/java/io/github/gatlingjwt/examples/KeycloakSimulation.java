package io.github.gatlingjwt.examples;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;
import static io.github.gatlingjwt.JwtDsl.*;

import io.gatling.javaapi.core.*;
import io.gatling.javaapi.http.*;
import io.github.gatlingjwt.JwtAuth;
import io.github.gatlingjwt.TokenScope;
import io.github.gatlingjwt.testkit.KeycloakServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * gatling-jwt against a real identity provider: Keycloak 26, started by the build with a realm of
 * 10-second access tokens and rotating refresh tokens (a reused one is refused). Run it with {@code
 * mvn gatling:test -Dgatling.simulationClass=io.github.gatlingjwt.examples.KeycloakSimulation}.
 *
 * <p>Two populations call Keycloak's userinfo endpoint, a real Bearer-protected endpoint that
 * refuses expired tokens, across several token lifetimes:
 *
 * <ul>
 *   <li>users of a public client, each logged in as its own account with the OAuth2 password grant
 *       and refreshed with the {@code refresh_token} grant;
 *   <li>service calls of a confidential client, all sharing one {@code client_credentials} token
 *       (client secret by HTTP Basic), asked for again when it expires.
 * </ul>
 *
 * <p>Knobs: {@code -DkeycloakUrl} (an already running Keycloak with the {@code gatling-jwt} realm
 * of {@code simulations/resources/keycloak}; default: start one, which needs a Java 21+ under
 * {@code /usr/lib/jvm} or {@code KEYCLOAK_JAVA_HOME}), {@code -Dusers} (1 to 10, default 10),
 * {@code -Dduration} (seconds, default 35).
 */
public class KeycloakSimulation extends Simulation {

  private final KeycloakServer keycloak;

  public KeycloakSimulation() {
    String baseUrl = System.getProperty("keycloakUrl", "").trim();
    if (baseUrl.isEmpty()) {
      keycloak = KeycloakServer.start();
      baseUrl = keycloak.baseUrl();
      System.out.println(
          "Keycloak started on " + baseUrl + " in " + keycloak.startupTime().toSeconds() + " s");
    } else {
      keycloak = null;
    }
    String realmUrl = baseUrl + "/realms/" + KeycloakServer.REALM;
    String tokenUrl = realmUrl + "/protocol/openid-connect/token";
    int users = Math.min(10, ExampleConfig.positiveInt("users", 10));
    Duration duration = ExampleConfig.seconds("duration", 35);

    JwtAuth endUsers =
        oauth2(tokenUrl)
            .clientId(KeycloakServer.PUBLIC_CLIENT_ID)
            .passwordGrant("#{username}", "#{password}")
            .scope("openid")
            .refreshLeadTime(Duration.ofSeconds(2))
            .refreshJitter(Duration.ofSeconds(2))
            .assertions(
                authMetrics().authFailures().is(0),
                authMetrics().unrecoveredRefusals().is(0),
                // rotated refresh tokens were used: each user refreshed again and again
                authMetrics().refreshesPerUser().gte(2));

    JwtAuth service =
        oauth2(tokenUrl)
            .clientId(KeycloakServer.SERVICE_CLIENT_ID)
            .clientSecret(KeycloakServer.SERVICE_CLIENT_SECRET) // test-only realm secret
            .clientCredentials()
            .scope("openid")
            .tokenScope(TokenScope.SHARED)
            .refreshLeadTime(Duration.ofSeconds(2))
            .name("service")
            .assertions(
                authMetrics().authFailures().is(0), authMetrics().unrecoveredRefusals().is(0));

    HttpRequestActionBuilder userinfo =
        http("userinfo")
            .get(realmUrl + "/protocol/openid-connect/userinfo")
            .check(jsonPath("$.preferred_username").isEL("#{username}"));
    HttpRequestActionBuilder serviceUserinfo =
        http("service: userinfo")
            .get(realmUrl + "/protocol/openid-connect/userinfo")
            .check(jsonPath("$.preferred_username").is("service-account-gatling-service"));

    // accounts user11..user20 (the realm's user1..user10 are left to other tests)
    List<Map<String, Object>> accounts = new ArrayList<>();
    for (int i = 11; i <= 10 + users; i++) {
      String name = KeycloakServer.username(i);
      accounts.add(Map.of("username", name, "password", KeycloakServer.password(name)));
    }

    ScenarioBuilder people =
        scenario("Keycloak users")
            .feed(listFeeder(accounts).queue())
            .exec(endUsers.login())
            .during(duration)
            .on(exec(endUsers.call(userinfo)).pause(Duration.ofMillis(500)));
    ScenarioBuilder services =
        scenario("Keycloak service")
            .exec(service.login())
            .during(duration)
            .on(exec(service.call(serviceUserinfo)).pause(Duration.ofMillis(500)));

    setUp(people.injectOpen(atOnceUsers(users)), services.injectOpen(atOnceUsers(5)))
        .protocols(http.acceptHeader("application/json"))
        .assertions(global().failedRequests().count().is(0L));
  }

  @Override
  public void after() {
    if (keycloak != null) {
      keycloak.close();
    }
  }
}
