package io.github.gatlingjwt.it;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.gatlingjwt.testkit.GatlingRun;
import io.github.gatlingjwt.testkit.GatlingRun.Counts;
import io.github.gatlingjwt.testkit.Tokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where the token is (a nested JSON field, a header, a cookie, a redirect hop) and where it goes (a
 * bearer, another header, a cookie), end to end (cases C01, C02, C04).
 */
class TokenLocationsIntegrationTest extends TokenModesTestBase {

  static final String NO_TOKEN = "{\"data\":{\"message\":\"No token provided\"},\"success\":false}";

  /** The C01 API: 401 with its envelope for anything but the right bearer. */
  void stubEnvelopeApi(String token) {
    wm.stubFor(get(PROTECTED).willReturn(jsonResponse(NO_TOKEN, 401)));
    wm.stubFor(
        get(PROTECTED)
            .atPriority(1)
            .withHeader("Authorization", equalTo("Bearer " + token))
            .willReturn(okJson("{\"data\":{\"user\":\"user1\"},\"success\":true}")));
  }

  List<String> cookiesSent() {
    return wm.findAll(getRequestedFor(urlEqualTo(PROTECTED))).stream()
        .map(r -> r.getHeader("Cookie"))
        .toList();
  }

  @Test
  void tokenUnderDataAccessTokenIsSentExactly() throws Exception {
    String token = Tokens.jwt("user1", 300);
    wm.stubFor(
        post(LOGIN)
            .willReturn(okJson("{\"data\":{\"accessToken\":\"" + token + "\"},\"success\":true}")));
    stubEnvelopeApi(token);

    GatlingRun run = runModes(Map.of("tokenPath", "$.data.accessToken", "calls", "2"));

    assertEquals(new Counts(1, 0), run.counts("auth: login"), run.toString());
    assertEquals(new Counts(2, 0), run.counts("protected"));
    assertEquals(List.of("Bearer " + token, "Bearer " + token), bearersSent());
  }

  @Test
  void emptyNullAndUndefinedTokensNeverGoOnTheWire() throws Exception {
    // three users, three bad answers; the API would answer them with its "No token" envelope
    String[] answers = {"null", "\"\"", "\"undefined\""};
    for (int i = 0; i < answers.length; i++) {
      wm.stubFor(
          post(LOGIN)
              .withRequestBody(matchingJsonPath("$.username", equalTo("user" + (i + 1))))
              .willReturn(okJson("{\"data\":{\"token\":" + answers[i] + "},\"success\":true}")));
    }
    stubEnvelopeApi("never-issued");

    GatlingRun run = runModes(Map.of("tokenPath", "$.data.token", "users", "3", "calls", "2"));

    assertEquals(new Counts(0, 3), run.counts("auth: login"), run.toString());
    wm.verify(0, getRequestedFor(urlEqualTo(PROTECTED)));
    assertNoEmptyCredentialOnTheWire();
    assertEquals(
        Map.of(
            "the token at `$.data.token` in the login response is null", 1L,
            "the token at `$.data.token` in the login response is empty", 1L,
            "the token at `$.data.token` in the login response is the string \"undefined\"", 1L),
        run.errors());
  }

  @Test
  void tokenInAHeaderOfAnEmptyAnswerIsSentAsABearer() throws Exception {
    String token = Tokens.jwt("user1", 300);
    // 204, no body, the scheme in the header value: stored without it
    wm.stubFor(
        post(LOGIN)
            .willReturn(
                aResponse().withStatus(204).withHeader("x-auth-token", " Bearer " + token + " ")));
    stubProtected(token, 200);

    GatlingRun run = runModes(Map.of("tokenHeader", "X-Auth-Token", "calls", "2"));

    assertEquals(new Counts(1, 0), run.counts("auth: login"), run.toString());
    assertEquals(new Counts(2, 0), run.counts("protected"));
    assertEquals(List.of("Bearer " + token, "Bearer " + token), bearersSent());
  }

  @Test
  void tokenInAHeaderGoesBackInTheSameHeader() throws Exception {
    String token = Tokens.jwt("user1", 300);
    wm.stubFor(
        post(LOGIN)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("X-Auth-Token", token)
                    .withHeader("Content-Type", "text/plain")
                    .withBody("welcome")));
    wm.stubFor(
        get(PROTECTED)
            .withHeader("X-Auth-Token", equalTo(token))
            .withHeader("Authorization", absent())
            .willReturn(okJson("{}")));

    GatlingRun run = runModes(Map.of("tokenHeader", "X-Auth-Token", "sendHeader", "X-Auth-Token"));

    assertEquals(new Counts(1, 0), run.counts("auth: login"), run.toString());
    assertEquals(new Counts(1, 0), run.counts("protected"));
  }

  @Test
  void missingTokenHeaderIsALoginKoNamingIt() throws Exception {
    wm.stubFor(post(LOGIN).willReturn(aResponse().withStatus(200)));

    GatlingRun run = runModes(Map.of("tokenHeader", "X-Auth-Token", "calls", "2"));

    assertEquals(new Counts(0, 1), run.counts("auth: login"), run.toString());
    wm.verify(0, getRequestedFor(urlEqualTo(PROTECTED)));
    assertEquals(
        Map.of("no token in header `X-Auth-Token` of the login response (status 200)", 1L),
        run.errors());
  }

  void stubRedirectingLogin(String token) {
    wm.stubFor(
        post(LOGIN)
            .willReturn(
                aResponse()
                    .withStatus(302)
                    .withHeader("Location", "/home")
                    .withHeader("X-Auth-Token", token)));
    wm.stubFor(get("/home").willReturn(aResponse().withStatus(200).withBody("<html></html>")));
  }

  @Test
  void tokenOnARedirectHopIsMissedByDefaultWithAClearKo() throws Exception {
    String token = Tokens.jwt("user1", 300);
    stubRedirectingLogin(token);

    GatlingRun run = runModes(Map.of("tokenHeader", "X-Auth-Token"));

    wm.verify(1, getRequestedFor(urlEqualTo("/home")));
    wm.verify(0, getRequestedFor(urlEqualTo(PROTECTED)));
    // Gatling records each hop: the 302 under the request's name, the final answer, which the
    // checks judge, as its redirect
    assertEquals(new Counts(1, 0), run.counts("auth: login"), run.toString());
    assertEquals(new Counts(0, 1), run.counts("auth: login Redirect 1"));
    assertEquals(
        Map.of("no token in header `X-Auth-Token` of the login response (status 200)", 1L),
        run.errors());
  }

  @Test
  void tokenOnARedirectHopIsReadFromTheFirstResponseWhenAsked() throws Exception {
    String token = Tokens.jwt("user1", 300);
    stubRedirectingLogin(token);
    stubProtected(token, 200);

    GatlingRun run = runModes(Map.of("tokenHeader", "X-Auth-Token", "firstLoginResponse", "true"));

    wm.verify(0, getRequestedFor(urlEqualTo("/home")));
    assertEquals(new Counts(1, 0), run.counts("auth: login"), run.toString());
    assertEquals(new Counts(1, 0), run.counts("protected"));
    assertEquals(List.of("Bearer " + token), bearersSent());
  }

  void stubSecureCookieLogin(String token) {
    wm.stubFor(
        post(LOGIN)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader(
                        "Set-Cookie",
                        "access_token=" + token + "; Path=/; Secure; HttpOnly; SameSite=None")));
  }

  @Test
  void secureCookieOverPlainHttpLocalhostIsSentBackAsACookie() throws Exception {
    // C04: the API reads the JWT from the cookie only
    String token = Tokens.jwt("user1", 300);
    stubSecureCookieLogin(token);
    wm.stubFor(
        get(PROTECTED)
            .withCookie("access_token", equalTo(token))
            .withHeader("Authorization", absent())
            .willReturn(okJson("{}")));

    for (String host : List.of("localhost", "127.0.0.1")) {
      GatlingRun run =
          runModes(
              Map.of(
                  "baseUrl", "http://" + host + ":" + wm.port(),
                  "tokenCookie", "access_token",
                  "sendCookie", "access_token",
                  "calls", "2"));

      assertEquals(new Counts(1, 0), run.counts("auth: login"), host + ": " + run);
      assertEquals(new Counts(2, 0), run.counts("protected"), host);
    }
    // the cookie once per request: the jar's copy (if any) is replaced, not doubled
    for (String cookie : cookiesSent()) {
      assertEquals("access_token=" + token, cookie);
    }
  }

  @Test
  void cookieTokenCanGoOutAsABearerAndGatlingsJarSendsTheSecureCookieToLocalhost()
      throws Exception {
    String token = Tokens.jwt("user1", 300);
    stubSecureCookieLogin(token);
    stubProtected(token, 200);

    GatlingRun run = runModes(Map.of("tokenCookie", "access_token"));

    assertEquals(new Counts(1, 0), run.counts("protected"), run.toString());
    assertEquals(List.of("Bearer " + token), bearersSent());
    // Gatling 3.15.1 treats http://localhost as a secure context (gatling/gatling#4578 is fixed):
    // its cookie jar sends the Secure cookie back by itself
    LoggedRequest call = wm.findAll(getRequestedFor(urlEqualTo(PROTECTED))).get(0);
    assertEquals("access_token=" + token, call.getHeader("Cookie"));
  }

  /**
   * Opaque tokens in cookies, their lifetime in a header: refreshed before expiry with the refresh
   * token read from its cookie, and the new cookies taken from the refresh answer.
   */
  @Test
  void cookieTokensWithTheirLifetimeInAHeaderAreRefreshedBeforeExpiry() throws Exception {
    wm.stubFor(
        post(LOGIN)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Set-Cookie", "access_token=opaque-a1; Path=/; HttpOnly")
                    .withHeader("Set-Cookie", "refresh=opaque-r1; Path=/api/refresh_token")
                    .withHeader("X-Expires-In", "7")));
    wm.stubFor(
        post(REFRESH)
            .withRequestBody(equalToJson("{\"refresh_token\":\"opaque-r1\"}"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Set-Cookie", "access_token=opaque-a2; Path=/; HttpOnly")
                    .withHeader("Set-Cookie", "refresh=opaque-r2; Path=/api/refresh_token")
                    .withHeader("X-Expires-In", "300")));
    stubProtected("opaque-a1", 200);
    stubProtected("opaque-a2", 200);

    GatlingRun run =
        runModes(
            Map.of(
                "tokenCookie", "access_token",
                "refreshTokenCookie", "refresh",
                "expiresInHeader", "X-Expires-In",
                "calls", "3",
                "pauseMs", "2000",
                "leadSeconds", "3"));

    // 7 s, 3 s lead: due at 4 s, so the third call (at about 4 s) refreshes first
    assertEquals(
        List.of("Bearer opaque-a1", "Bearer opaque-a1", "Bearer opaque-a2"),
        bearersSent(),
        run.toString());
    assertEquals(List.of("{\"refresh_token\":\"opaque-r1\"}"), refreshTokensSent());
    assertEquals(new Counts(1, 0), run.counts("auth: refresh"));
    assertEquals(new Counts(3, 0), run.counts("protected"));
  }

  /** The refresh token in a header (scheme-free), the lifetime in a cookie's value. */
  @Test
  void refreshTokenInAHeaderAndLifetimeInACookie() throws Exception {
    String t1 = "opaque-token-1";
    String t2 = "opaque-token-2";
    wm.stubFor(
        post(LOGIN)
            .willReturn(
                okJson("{\"token\":\"" + t1 + "\"}")
                    .withHeader("X-Refresh-Token", "rt-one")
                    .withHeader("Set-Cookie", "expires_in=7; Path=/")));
    wm.stubFor(
        post(REFRESH)
            .withRequestBody(equalToJson("{\"refresh_token\":\"rt-one\"}"))
            .willReturn(
                okJson("{\"token\":\"" + t2 + "\"}")
                    .withHeader("X-Refresh-Token", "rt-two")
                    .withHeader("Set-Cookie", "expires_in=300; Path=/")));
    stubProtected(t1, 200);
    stubProtected(t2, 200);

    GatlingRun run =
        runModes(
            Map.of(
                "refreshTokenHeader", "x-refresh-token",
                "expiresInCookie", "expires_in",
                "calls", "3",
                "pauseMs", "2000",
                "leadSeconds", "3"));

    assertEquals(
        List.of("Bearer " + t1, "Bearer " + t1, "Bearer " + t2), bearersSent(), run.toString());
    assertEquals(List.of("{\"refresh_token\":\"rt-one\"}"), refreshTokensSent());
    assertEquals(new Counts(1, 0), run.counts("auth: refresh"));
  }

  @Test
  void missingCookieIsALoginKoRightAway() throws Exception {
    wm.stubFor(
        post(LOGIN)
            .willReturn(
                aResponse().withStatus(200).withHeader("Set-Cookie", "session=s1; Path=/")));

    GatlingRun run = runModes(Map.of("tokenCookie", "access_token", "sendCookie", "access_token"));

    assertEquals(new Counts(0, 1), run.counts("auth: login"), run.toString());
    wm.verify(0, getRequestedFor(urlEqualTo(PROTECTED)));
    assertEquals(
        Map.of("no token in cookie `access_token` of the login response (status 200)", 1L),
        run.errors());
  }
}
