package io.github.gatlingjwt.it;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.testkit.GatlingRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SecretsNeverLeakTest} for OAuth2 forms: with Gatling's HTTP logging at DEBUG (whole
 * requests and answers) through {@code SecretMaskingLayout}, and failures on every auth path, the
 * client secret (in a Basic header or in the form), the password, the tokens and the refresh tokens
 * appear nowhere in what the run printed or wrote.
 */
class OAuth2SecretsNeverLeakTest extends TokenModesTestBase {

  static final String PASSWORD = "secret-pw-1"; // what the test simulation feeds user1
  static final String CLIENT_SECRET = "cs-Qx81vLw0Zp-client-secret";
  static final String AT1 = "at-" + "Hq27Vn0sXc" + "Lp93";
  static final String AT2 = "at-" + "Wd50Rk8mUe" + "Jt41";
  static final String RT1 = "rt-" + "Bn66Fy1aQo" + "Zs72";
  static final String RT2 = "rt-" + "Ck18Pg9dWi" + "Xv05";

  @ParameterizedTest
  @ValueSource(strings = {"basic", "post"})
  void nothingSecretInAnyOutputWithDebugLogging(String clientAuth) throws Exception {
    // login: a 503 first, then tokens; the refresh is refused, echoing the client secret in free
    // text, which Gatling's DEBUG dump prints whole: masked because the secret is registered
    wm.stubFor(
        post(TOKEN_URL)
            .inScenario("logins")
            .whenScenarioStateIs(STARTED)
            .withRequestBody(containing("grant_type=password"))
            .willSetStateTo("up")
            .willReturn(jsonResponse("{\"error\":\"temporarily_unavailable\"}", 503)));
    wm.stubFor(
        post(TOKEN_URL)
            .inScenario("logins")
            .whenScenarioStateIs("up")
            .withRequestBody(containing("grant_type=password"))
            .willSetStateTo("second")
            .willReturn(okJson(OAuth2IntegrationTest.oauthBody(AT1, RT1, 300))));
    wm.stubFor(
        post(TOKEN_URL)
            .inScenario("logins")
            .whenScenarioStateIs("second")
            .withRequestBody(containing("grant_type=password"))
            .willReturn(okJson(OAuth2IntegrationTest.oauthBody(AT2, RT2, 300))));
    wm.stubFor(
        post(TOKEN_URL)
            .withRequestBody(containing("grant_type=refresh_token"))
            .willReturn(
                jsonResponse(
                    "{\"error\":\"invalid_grant\",\"error_description\":\"client secret "
                        + CLIENT_SECRET
                        + " is being rotated\"}",
                    400)));
    stubProtected(AT1, 401);
    stubProtected(AT2, 200);

    Map<String, String> props = new LinkedHashMap<>();
    props.put("it.baseUrl", wm.baseUrl());
    props.put("it.oauth2", "password");
    props.put("it.clientId", "web-app");
    props.put("it.clientSecret", CLIENT_SECRET);
    props.put("it.clientAuth", clientAuth);
    props.put("it.loginAttempts", "3");
    props.put("it.backoffMs", "50");
    props.put(
        "logback.configurationFile",
        Path.of("src/test/resources/logback-debug-masked.xml").toAbsolutePath().toString());
    props.put("gatlingJwt.logFile", results.resolve("gatling-debug.log").toString());
    GatlingRun run = GatlingRun.run(TokenModesTestSimulation.class, props, results);
    String all = everythingWritten(run);

    assertTrue(all.contains("HTTP request:"), "no DEBUG dump in the output");
    assertEquals(1, run.counts("auth: refresh").ko(), run.toString());
    assertEquals(1, run.counts("protected (replay)").ok(), run.toString());
    String basic =
        Base64.getEncoder()
            .encodeToString(("web-app:" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    for (String secret : List.of(CLIENT_SECRET, basic, PASSWORD, AT1, AT2, RT1, RT2)) {
      assertFalse(all.contains(secret), "leaked " + secret.substring(0, 6) + "…");
    }
  }
}
