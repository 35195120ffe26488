package io.github.gatlingjwt.it;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gatlingjwt.examples.KeycloakSimulation;
import io.github.gatlingjwt.testkit.GatlingRun;
import io.github.gatlingjwt.testkit.KeycloakServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Keycloak example against a real Keycloak started by the build: OAuth2 password grant with
 * rotating refresh tokens, and a shared client_credentials token, over several 10-second token
 * lifetimes, with zero failed userinfo calls.
 */
class KeycloakIntegrationTest {

  @TempDir Path dir;

  @Test
  void usersAndAServiceStayLoggedInAcrossSeveralTokenLifetimes() throws Exception {
    KeycloakServer keycloak = KeycloakServer.shared();
    GatlingRun run =
        GatlingRun.run(
            KeycloakSimulation.class,
            Map.of("keycloakUrl", keycloak.baseUrl(), "users", "10", "duration", "25"),
            dir.resolve("results"));

    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(0, run.counts("userinfo").ko(), run.toString());
    assertEquals(0, run.counts("service: userinfo").ko(), run.toString());
    assertTrue(run.counts("userinfo").ok() >= 10 * 40, run.toString());
    // every refresh spent the refresh token the previous one returned: Keycloak refuses a reused
    // one (and then the newer one too), so 2 or more OK refreshes per user, none KO, prove rotation
    JsonNode users = run.authMetrics("auth");
    assertEquals(10, users.get("logins").asLong(), users.toString());
    assertTrue(users.get("refreshes").asLong() >= 20, users.toString());
    assertEquals(0, users.get("authFailures").asLong(), users.toString());
    assertEquals(0, users.get("reLogins").asLong(), users.toString());
    // one client_credentials token for 5 service users, asked for again once per lifetime
    JsonNode service = run.authMetrics("service");
    assertEquals(5, service.get("users").asLong(), service.toString());
    long tokens = service.get("loginRequests").asLong();
    assertTrue(tokens >= 3 && tokens <= 5, service.toString());
  }
}
