package io.github.gatlingjwt.it;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.gatlingjwt.testkit.GatlingRun;
import io.github.gatlingjwt.testkit.GatlingRun.Counts;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OAuth2 token endpoints (RFC 6749) end to end: form-encoded grants, client authentication, error
 * answers as KOs, and rotated refresh tokens each spent once (cases C05, C06).
 */
class OAuth2IntegrationTest extends TokenModesTestBase {

  static final String FORM = "application/x-www-form-urlencoded";
  static final String CLIENT_SECRET = "cs-7f3a9d1e-client-secret-value";

  static String oauthBody(String accessToken, String refreshToken, int expiresIn) {
    return "{\"access_token\":\""
        + accessToken
        + "\",\"token_type\":\"Bearer\",\"expires_in\":"
        + expiresIn
        + (refreshToken == null ? "" : ",\"refresh_token\":\"" + refreshToken + "\"")
        + "}";
  }

  /**
   * Like RFC 6749 servers: grant_type is read from a form only; JSON gets unsupported_grant_type.
   */
  void stubJsonRefused() {
    wm.stubFor(
        post(TOKEN_URL)
            .atPriority(1)
            .withHeader("Content-Type", containing("application/json"))
            .willReturn(jsonResponse("{\"error\":\"unsupported_grant_type\"}", 400)));
  }

  void stubProtectedOk(String token) {
    stubProtected(token, 200);
  }

  List<String> tokenRequestBodies() {
    return wm.findAll(postRequestedFor(urlEqualTo(TOKEN_URL))).stream()
        .sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()))
        .map(LoggedRequest::getBodyAsString)
        .toList();
  }

  @Test
  void passwordGrantOfAPublicClientIsAFormAndItsAnswerIsRead() throws Exception {
    stubJsonRefused();
    wm.stubFor(
        post(TOKEN_URL)
            .withHeader("Content-Type", containing(FORM))
            .withRequestBody(
                equalTo(
                    "grant_type=password&username=user1&password=secret-pw-1&client_id=web-app"
                        + "&scope=openid+profile"))
            .willReturn(okJson(oauthBody("at-1", "rt-1", 300))));
    stubProtectedOk("at-1");

    GatlingRun run =
        runModes(
            Map.of(
                "oauth2",
                "password",
                "clientId",
                "web-app",
                "scope",
                "openid profile",
                "calls",
                "2"));

    assertEquals(new Counts(1, 0), run.counts("auth: login"), run.toString());
    assertEquals(new Counts(2, 0), run.counts("protected"));
    wm.verify(
        1,
        postRequestedFor(urlEqualTo(TOKEN_URL))
            .withHeader("Content-Type", containing(FORM))
            .withHeader("Accept", containing("application/json"))
            .withoutHeader("Authorization")
            .withRequestBody(containing("grant_type=password")));
    assertEquals(List.of("Bearer at-1", "Bearer at-1"), bearersSent());
  }

  @Test
  void anOAuth2ErrorIsALoginKoNamingItAndNothingIsSent() throws Exception {
    // C05: what a server answers a request it cannot read as a form
    wm.stubFor(
        post(TOKEN_URL)
            .willReturn(
                jsonResponse(
                    "{\"error\":\"unsupported_grant_type\",\"error_description\":\"grant_type"
                        + " is missing\"}",
                    400)));

    GatlingRun run = runModes(Map.of("oauth2", "password", "clientId", "web-app", "calls", "2"));

    assertEquals(new Counts(0, 1), run.counts("auth: login"), run.toString());
    assertEquals(new Counts(0, 0), run.counts("protected"));
    assertEquals(
        Map.of(
            "login refused with status 400 (error: unsupported_grant_type, error_description:"
                + " grant_type is missing)",
            1L),
        run.errors());
    wm.verify(0, getRequestedFor(urlEqualTo(PROTECTED)));
  }

  @Test
  void clientCredentialsWithBasicAuthAskAgainOnExpiryAndNeverShowTheSecret() throws Exception {
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("svc-client:" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    wm.stubFor(
        post(TOKEN_URL)
            .inScenario("cc")
            .whenScenarioStateIs(STARTED)
            .withHeader("Authorization", equalTo(basic))
            .withRequestBody(equalTo("grant_type=client_credentials&scope=api.read"))
            .willSetStateTo("second")
            .willReturn(okJson(oauthBody("cc-1", null, 6))));
    wm.stubFor(
        post(TOKEN_URL)
            .inScenario("cc")
            .whenScenarioStateIs("second")
            .withHeader("Authorization", equalTo(basic))
            .withRequestBody(equalTo("grant_type=client_credentials&scope=api.read"))
            .willReturn(okJson(oauthBody("cc-2", null, 300))));
    stubProtectedOk("cc-1");
    stubProtectedOk("cc-2");

    // 6 s tokens, due 3 s before expiry: calls at ~0, ~2 and ~4 s, the third asks again
    GatlingRun run =
        runModes(
            Map.of(
                "oauth2",
                "client_credentials",
                "clientId",
                "svc-client",
                "clientSecret",
                CLIENT_SECRET,
                "scope",
                "api.read",
                "calls",
                "3",
                "pauseMs",
                "2000",
                "leadSeconds",
                "3"));

    assertEquals(
        List.of("Bearer cc-1", "Bearer cc-1", "Bearer cc-2"), bearersSent(), run.toString());
    assertEquals(new Counts(2, 0), run.counts("auth: login"));
    assertEquals(new Counts(0, 0), run.counts("auth: refresh"));
    for (String body : tokenRequestBodies()) {
      assertFalse(body.contains("client_secret"), body);
      assertFalse(body.contains("refresh_token"), body);
    }
    // the secret went out only in the Basic header, and is written nowhere by the run
    assertFalse(everythingWritten(run).contains(CLIENT_SECRET));
  }

  @Test
  void clientSecretPostPutsTheClientInTheFormAndAnErrorNeverEchoesTheSecret() throws Exception {
    wm.stubFor(
        post(TOKEN_URL)
            .withRequestBody(
                equalTo(
                    "grant_type=client_credentials&client_id=svc-client&client_secret="
                        + CLIENT_SECRET))
            .willReturn(
                jsonResponse(
                    "{\"error\":\"invalid_client\",\"error_description\":\"client secret "
                        + CLIENT_SECRET
                        + " is revoked\"}",
                    401)));

    GatlingRun run =
        runModes(
            Map.of(
                "oauth2",
                "client_credentials",
                "clientId",
                "svc-client",
                "clientSecret",
                CLIENT_SECRET,
                "clientAuth",
                "post"));

    wm.verify(1, postRequestedFor(urlEqualTo(TOKEN_URL)).withoutHeader("Authorization"));
    assertEquals(new Counts(0, 1), run.counts("auth: login"), run.toString());
    assertEquals(
        Map.of(
            "login refused with status 401 (error: invalid_client, error_description: client"
                + " secret *** is revoked)",
            1L),
        run.errors());
    assertFalse(everythingWritten(run).contains(CLIENT_SECRET));
  }

  @Test
  void invalidGrantOnRefreshGivesOneReLoginAndEachRefreshTokenIsSpentOnce() throws Exception {
    // C06: at-1 is revoked; rt-1 rotates to rt-2; rt-2 is refused (its family was revoked)
    wm.stubFor(
        post(TOKEN_URL)
            .inScenario("logins")
            .whenScenarioStateIs(STARTED)
            .withRequestBody(containing("grant_type=password"))
            .willSetStateTo("logged-in-once")
            .willReturn(okJson(oauthBody("at-1", "rt-1", 300))));
    wm.stubFor(
        post(TOKEN_URL)
            .inScenario("logins")
            .whenScenarioStateIs("logged-in-once")
            .withRequestBody(containing("grant_type=password"))
            .willReturn(okJson(oauthBody("at-3", "rt-3", 300))));
    wm.stubFor(
        post(TOKEN_URL)
            .withHeader("Content-Type", containing(FORM))
            .withRequestBody(
                equalTo("grant_type=refresh_token&refresh_token=rt-1&client_id=web-app"))
            .willReturn(okJson(oauthBody("at-2", "rt-2", 300))));
    wm.stubFor(
        post(TOKEN_URL)
            .withRequestBody(
                equalTo("grant_type=refresh_token&refresh_token=rt-2&client_id=web-app"))
            .willReturn(
                jsonResponse(
                    "{\"error\":\"invalid_grant\",\"error_description\":\"Token is not active\"}",
                    400)));
    stubProtected("at-1", 401);
    // at-2 serves one call, then is revoked
    wm.stubFor(
        get(PROTECTED)
            .inScenario("at-2")
            .whenScenarioStateIs(STARTED)
            .withHeader("Authorization", equalTo("Bearer at-2"))
            .willSetStateTo("revoked")
            .willReturn(okJson("{\"user\":\"user1\"}")));
    wm.stubFor(
        get(PROTECTED)
            .inScenario("at-2")
            .whenScenarioStateIs("revoked")
            .withHeader("Authorization", equalTo("Bearer at-2"))
            .willReturn(jsonResponse("{\"error\":\"invalid_token\"}", 401)));
    stubProtected("at-3", 200);

    GatlingRun run = runModes(Map.of("oauth2", "password", "clientId", "web-app", "calls", "3"));

    assertEquals(
        List.of(
            "grant_type=password&username=user1&password=secret-pw-1&client_id=web-app",
            "grant_type=refresh_token&refresh_token=rt-1&client_id=web-app",
            "grant_type=refresh_token&refresh_token=rt-2&client_id=web-app",
            "grant_type=password&username=user1&password=secret-pw-1&client_id=web-app"),
        tokenRequestBodies(),
        run.toString());
    assertEquals(
        List.of("Bearer at-1", "Bearer at-2", "Bearer at-2", "Bearer at-3", "Bearer at-3"),
        bearersSent());
    assertEquals(new Counts(2, 0), run.counts("auth: login"));
    assertEquals(new Counts(1, 1), run.counts("auth: refresh"));
    assertEquals(new Counts(3, 0), run.counts("protected"));
    assertEquals(new Counts(2, 0), run.counts("protected (replay)"));
    assertEquals(
        Map.of(
            "refresh refused with status 400 (error: invalid_grant, error_description: Token is"
                + " not active)",
            1L),
        run.errors());
  }
}
