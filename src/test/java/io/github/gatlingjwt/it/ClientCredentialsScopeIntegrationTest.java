package io.github.gatlingjwt.it;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.testkit.GatlingRun;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A shared client-credentials token: one token request for all users, then one per lifetime,
 * whether the endpoint issues a new token string each time or hands out the same one again.
 */
class ClientCredentialsScopeIntegrationTest extends StubApiTestBase {

  GatlingRun runShared(Map<String, String> props) throws Exception {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("it.baseUrl", wm.baseUrl());
    props.forEach((k, v) -> all.put("it." + k, v));
    return GatlingRun.run(ClientCredentialsScopeSimulation.class, all, results);
  }

  void stubTokenEndpoint() {
    wm.stubFor(
        post("/oauth/token")
            .willReturn(
                okJson("{\"access_token\":\"cc-1\",\"token_type\":\"Bearer\",\"expires_in\":300}")
                    .withFixedDelay(300)));
  }

  @Test
  void sharedClientCredentialsAsksOnce() throws Exception {
    stubTokenEndpoint();
    stubProtected("cc-1", 200);
    GatlingRun run = runShared(Map.of("scope", "SHARED", "users", "5"));
    assertEquals(5, run.counts("protected").ok(), run.toString());
    wm.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
  }

  /** 5 SHARED users calling for ~8 s on 4 s tokens (2 s lead): one token request every ~2 s. */
  void assertOneTokenRequestPerLifetime() throws Exception {
    runShared(
        Map.of(
            "scope", "SHARED", "users", "5", "calls", "16", "pauseMs", "500", "leadSeconds", "2"));
    int n = wm.findAll(postRequestedFor(urlEqualTo("/oauth/token"))).size();
    assertTrue(n >= 3 && n <= 6, "token requests: " + n);
  }

  /** The same token string handed out again with a new lifetime is taken up by every user. */
  @Test
  void sharedClientCredentialsOneRequestPerLifetime() throws Exception {
    wm.stubFor(
        post("/oauth/token")
            .willReturn(
                okJson("{\"access_token\":\"cc-1\",\"token_type\":\"Bearer\",\"expires_in\":4}")));
    stubProtected("cc-1", 200);
    assertOneTokenRequestPerLifetime();
  }

  /** A new token string per answer, as Keycloak issues. */
  @Test
  void sharedClientCredentialsOneRequestPerLifetimeDistinctTokens() throws Exception {
    wm.stubFor(
        post("/oauth/token")
            .willReturn(
                okJson(
                        "{\"access_token\":\"cc-{{randomValue length=12 type='ALPHANUMERIC'}}\",\"token_type\":\"Bearer\",\"expires_in\":4}")
                    .withTransformers("response-template")));
    wm.stubFor(get(PROTECTED).willReturn(okJson("{}")));
    assertOneTokenRequestPerLifetime();
  }
}
