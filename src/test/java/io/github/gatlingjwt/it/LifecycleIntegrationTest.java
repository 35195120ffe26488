package io.github.gatlingjwt.it;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.gatlingjwt.testkit.GatlingRun;
import io.github.gatlingjwt.testkit.GatlingRun.Counts;
import io.github.gatlingjwt.testkit.Tokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The token lifecycle end to end: real Gatling runs (each in its own JVM) against WireMock stubs,
 * asserting what crossed the wire and what the run counted.
 */
class LifecycleIntegrationTest extends StubApiTestBase {

  @Test
  void logsInThenCallsWithTheBearerToken() throws Exception {
    String token = Tokens.jwt("user1", 300);
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(token, "r1", 300))));
    stubProtected(token, 200);

    GatlingRun run = run(Map.of("calls", "3"));

    assertEquals(0, run.exitCode(), run.toString());
    wm.verify(
        1,
        postRequestedFor(urlEqualTo(LOGIN))
            .withHeader("Content-Type", containing("application/json"))
            .withRequestBody(equalToJson("{\"username\":\"user1\",\"password\":\"secret-pw-1\"}")));
    assertEquals(List.of("Bearer " + token, "Bearer " + token, "Bearer " + token), bearersSent());
    assertEquals(new Counts(1, 0), run.counts("auth: login"));
    assertEquals(new Counts(3, 0), run.counts("protected"));
    assertEquals(new Counts(0, 0), run.counts("auth: refresh"));
  }

  @Test
  void callLogsInByItselfWhenNoLoginRan() throws Exception {
    String token = Tokens.jwt("user1", 300);
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(token, "r1", 300))));
    stubProtected(token, 200);

    GatlingRun run = run(Map.of("calls", "2", "explicitLogin", "false"));

    assertEquals(new Counts(1, 0), run.counts("auth: login"), run.toString());
    assertEquals(new Counts(2, 0), run.counts("protected"));
  }

  @Test
  void refreshesProactivelyBeforeExpiry() throws Exception {
    // 7 s JWT (6 s counted, iat being rounded), 3 s lead: refresh due at 3 s; calls at ~0 s and
    // ~2 s use the first token, the one at ~4 s refreshes
    String t1 = Tokens.jwt("user1", 7);
    String t2 = Tokens.jwt("user1", 300);
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(t1, "r1", null))));
    stubRefresh("r1", tokenBody(t2, "r2", null), 200);
    stubProtected(t1, 200);
    stubProtected(t2, 200);

    GatlingRun run =
        run(Map.of("calls", "3", "pauseMs", "2000", "leadSeconds", "3", "checkStatus", "true"));

    assertEquals(
        List.of("Bearer " + t1, "Bearer " + t1, "Bearer " + t2), bearersSent(), run.toString());
    assertEquals(List.of("{\"refresh_token\":\"r1\"}"), refreshTokensSent());
    assertEquals(new Counts(1, 0), run.counts("auth: refresh"));
    assertEquals(new Counts(3, 0), run.counts("protected"));
  }

  @Test
  void refusedCallIsRefreshedAndReplayedOnceWithTheNewToken() throws Exception {
    String revoked = Tokens.jwt("user1", 300);
    String fresh = Tokens.jwt("user1", 300);
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(revoked, "r1", 300))));
    stubRefresh("r1", tokenBody(fresh, "r2", 300), 200);
    stubProtected(revoked, 401);
    stubProtected(fresh, 200);

    // the request's own status check must not judge the refused attempt
    GatlingRun run = run(Map.of("calls", "2", "checkStatus", "true"));

    assertEquals(
        List.of("Bearer " + revoked, "Bearer " + fresh, "Bearer " + fresh),
        bearersSent(),
        run.toString());
    assertEquals(List.of("{\"refresh_token\":\"r1\"}"), refreshTokensSent());
    assertEquals(new Counts(2, 0), run.counts("protected"));
    assertEquals(new Counts(1, 0), run.counts("protected (replay)"));
    assertEquals(new Counts(1, 0), run.counts("auth: refresh"));
    assertEquals(0, run.exitCode());
  }

  /** The first refresh of r1 answers 429 with a Retry-After; the next one gets {@code body}. */
  void stubRefresh429Then(String retryAfterSeconds, String body) {
    wm.stubFor(
        post(REFRESH)
            .inScenario("refresh")
            .whenScenarioStateIs(STARTED)
            .willSetStateTo("served")
            .willReturn(
                jsonResponse("{\"error\":\"slow_down\"}", 429)
                    .withHeader("Retry-After", retryAfterSeconds)));
    wm.stubFor(
        post(REFRESH)
            .inScenario("refresh")
            .whenScenarioStateIs("served")
            .withRequestBody(equalToJson("{\"refresh_token\":\"r1\"}"))
            .willReturn(okJson(body)));
  }

  /** Three calls 2 s apart on a 7 s token (refreshed before the third), three auth attempts. */
  static final Map<String, String> REFRESH_RETRY_RUN =
      Map.of(
          "calls", "3",
          "pauseMs", "2000",
          "leadSeconds", "3",
          "loginAttempts", "3",
          "checkStatus", "true");

  /**
   * A refresh answered 429 was not served: the same refresh token goes again after the server's
   * {@code Retry-After}, and no login replaces it (C17 on the refresh endpoint).
   */
  @Test
  void aRefreshAnswered429IsSentAgainAfterRetryAfterWithTheSameRefreshToken() throws Exception {
    String t1 = Tokens.jwt("user1", 7);
    String t2 = Tokens.jwt("user1", 300);
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(t1, "r1", null))));
    stubRefresh429Then("2", tokenBody(t2, "r2", null));
    stubProtected(t1, 200);
    stubProtected(t2, 200);

    GatlingRun run = run(REFRESH_RETRY_RUN);

    assertEquals(
        List.of("{\"refresh_token\":\"r1\"}", "{\"refresh_token\":\"r1\"}"),
        refreshTokensSent(),
        run.toString());
    List<LoggedRequest> refreshes = refreshesSent();
    long gap =
        refreshes.get(1).getLoggedDate().getTime() - refreshes.get(0).getLoggedDate().getTime();
    assertTrue(gap >= 2000, "sent again after " + gap + " ms, before the Retry-After of 2 s");
    assertEquals(1, loginsSent().size(), "no login replaced the refresh: " + run);
    assertEquals(List.of("Bearer " + t1, "Bearer " + t1, "Bearer " + t2), bearersSent());
    assertEquals(new Counts(1, 1), run.counts("auth: refresh"));
    assertEquals(new Counts(3, 0), run.counts("protected"));
    JsonNode metrics = run.authMetrics("auth");
    assertEquals(1, metrics.get("retriesAfter429").asLong(), metrics.toString());
    // both requests counted, the refused one as an auth failure, as a retried login's would be
    assertEquals(2, metrics.get("proactiveRefreshes").asLong(), metrics.toString());
    assertEquals(1, metrics.get("refreshes").asLong(), metrics.toString());
    assertEquals(1, metrics.get("authFailures").asLong(), metrics.toString());
  }

  /**
   * A refresh endpoint that keeps answering 503 gets a bounded number of attempts, then a login.
   */
  @Test
  void aRefreshThatKeepsAnswering503EndsInOneLogin() throws Exception {
    String t1 = Tokens.jwt("user1", 7);
    String t2 = Tokens.jwt("user1", 300);
    stubLogins(okJson(tokenBody(t1, "r1", null)), okJson(tokenBody(t2, "r2", null)));
    wm.stubFor(post(REFRESH).willReturn(jsonResponse("{\"error\":\"unavailable\"}", 503)));
    stubProtected(t1, 200);
    stubProtected(t2, 200);

    GatlingRun run = run(REFRESH_RETRY_RUN);

    assertEquals(3, refreshTokensSent().size(), run.toString());
    assertEquals(2, loginsSent().size(), run.toString());
    assertEquals(new Counts(0, 3), run.counts("auth: refresh"));
    assertEquals(new Counts(3, 0), run.counts("protected"));
    assertEquals(List.of("Bearer " + t1, "Bearer " + t1, "Bearer " + t2), bearersSent());
  }

  /**
   * Inside the user's own {@code tryMax}, the 429 of a refresh marks only the refresh's own retry
   * block failed: the user's block does not cut it short, and the refresh token that still holds is
   * sent again instead of being thrown away for a login.
   */
  @Test
  void aRefreshAnswered429InsideTheUsersTryMaxIsStillSentAgain() throws Exception {
    String revoked = Tokens.jwt("user1", 300);
    String fresh = Tokens.jwt("user1", 300);
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(revoked, "r1", 300))));
    stubRefresh429Then("1", tokenBody(fresh, "r2", 300));
    stubProtected(revoked, 401);
    stubProtected(fresh, 200);

    GatlingRun run = run(Map.of("mode", "tryMax", "calls", "1", "loginAttempts", "3"));

    assertEquals(
        List.of("{\"refresh_token\":\"r1\"}", "{\"refresh_token\":\"r1\"}"),
        refreshTokensSent(),
        run.toString());
    assertEquals(1, loginsSent().size(), run.toString());
    assertEquals(List.of("Bearer " + revoked, "Bearer " + fresh), bearersSent());
  }

  /** When the refresh attempts run out on 429s, the login that replaces them waits too. */
  @Test
  void theLoginAfterRefreshesAnswered429WaitsForTheirRetryAfter() throws Exception {
    String t1 = Tokens.jwt("user1", 7);
    String t2 = Tokens.jwt("user1", 300);
    stubLogins(okJson(tokenBody(t1, "r1", null)), okJson(tokenBody(t2, "r2", null)));
    wm.stubFor(
        post(REFRESH)
            .willReturn(
                jsonResponse("{\"error\":\"slow_down\"}", 429).withHeader("Retry-After", "2")));
    stubProtected(t1, 200);
    stubProtected(t2, 200);

    GatlingRun run = run(REFRESH_RETRY_RUN);

    List<LoggedRequest> refreshes = refreshesSent();
    List<LoggedRequest> logins = loginsSent();
    assertEquals(3, refreshes.size(), run.toString());
    assertEquals(2, logins.size(), run.toString());
    long gap = logins.get(1).getLoggedDate().getTime() - refreshes.get(2).getLoggedDate().getTime();
    assertTrue(gap >= 2000, "logged in " + gap + " ms after a 429 asking for 2 s");
    assertEquals(new Counts(3, 0), run.counts("protected"));
  }

  @Test
  void forbiddenIsARefusalOnlyWhenSelected() throws Exception {
    String revoked = Tokens.jwt("user1", 300);
    String fresh = Tokens.jwt("user1", 300);
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(revoked, "r1", 300))));
    stubRefresh("r1", tokenBody(fresh, "r2", 300), 200);
    stubProtected(revoked, 403);
    stubProtected(fresh, 200);

    GatlingRun run = run(Map.of("calls", "1", "refused", "401,403"));

    assertEquals(List.of("Bearer " + revoked, "Bearer " + fresh), bearersSent(), run.toString());
    assertEquals(new Counts(1, 0), run.counts("protected (replay)"));
  }

  @Test
  void forbiddenIsAPlainFailureByDefault() throws Exception {
    String token = Tokens.jwt("user1", 300);
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(token, "r1", 300))));
    stubProtected(token, 403);

    GatlingRun run = run(Map.of("calls", "1"));

    assertEquals(List.of("Bearer " + token), bearersSent(), run.toString());
    assertEquals(new Counts(0, 1), run.counts("protected"));
    assertEquals(new Counts(0, 0), run.counts("auth: refresh"));
  }

  @Test
  void replayRefusedAgainIsAKoAndNoFurtherRefresh() throws Exception {
    String t1 = Tokens.jwt("user1", 300);
    String t2 = Tokens.jwt("user1", 300);
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(t1, "r1", 300))));
    stubRefresh("r1", tokenBody(t2, "r2", 300), 200);
    stubProtected(t1, 401);
    stubProtected(t2, 401);

    GatlingRun run = run(Map.of("calls", "1"));

    assertEquals(List.of("Bearer " + t1, "Bearer " + t2), bearersSent(), run.toString());
    assertEquals(1, refreshTokensSent().size());
    assertEquals(new Counts(1, 0), run.counts("protected"));
    assertEquals(new Counts(0, 1), run.counts("protected (replay)"));
    assertTrue(
        run.errors().keySet().stream().anyMatch(m -> m.contains("refused again with status 401")),
        run.errors().toString());
  }

  @Test
  void refusedRefreshFallsBackToOneFreshLogin() throws Exception {
    String t1 = Tokens.jwt("user1", 300);
    String t2 = Tokens.jwt("user1", 300);
    stubLogins(okJson(tokenBody(t1, "r1", 300)), okJson(tokenBody(t2, "r2", 300)));
    stubRefresh(
        "r1",
        "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token already used\"}",
        401);
    stubProtected(t1, 401);
    stubProtected(t2, 200);

    GatlingRun run = run(Map.of("calls", "2"));

    assertEquals(
        List.of("Bearer " + t1, "Bearer " + t2, "Bearer " + t2), bearersSent(), run.toString());
    assertEquals(List.of("{\"refresh_token\":\"r1\"}"), refreshTokensSent());
    assertEquals(new Counts(2, 0), run.counts("auth: login"));
    assertEquals(new Counts(0, 1), run.counts("auth: refresh"));
    assertEquals(new Counts(1, 0), run.counts("protected (replay)"));
    assertTrue(
        run.errors()
            .containsKey(
                "refresh refused with status 401 (error: invalid_grant, error_description: refresh token already used)"),
        run.errors().toString());
  }

  @Test
  void refusedCredentialsAreOneKoNoRetryNoRefreshAndNoProtectedCall() throws Exception {
    wm.stubFor(post(LOGIN).willReturn(jsonResponse("{\"error\":\"invalid_credentials\"}", 401)));

    GatlingRun run = run(Map.of("calls", "3", "loginAttempts", "3"));

    wm.verify(1, postRequestedFor(urlEqualTo(LOGIN)));
    wm.verify(0, getRequestedFor(urlEqualTo(PROTECTED)));
    wm.verify(0, postRequestedFor(urlEqualTo(REFRESH)));
    assertEquals(new Counts(0, 1), run.counts("auth: login"), run.toString());
    assertEquals(new Counts(0, 0), run.counts("protected"));
    assertEquals(
        Map.of("login refused with status 401 (error: invalid_credentials)", 1L), run.errors());
  }

  @Test
  void missingTokenIsAKoNamingTheLocationAndNothingIsSent() throws Exception {
    String token = Tokens.jwt("user1", 300);
    // the token is at $.token, the configuration looks at $.data.token
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(token, "r1", 300))));

    GatlingRun run = run(Map.of("calls", "2", "tokenPath", "$.data.token"));

    wm.verify(0, getRequestedFor(urlEqualTo(PROTECTED)));
    assertEquals(new Counts(0, 1), run.counts("auth: login"), run.toString());
    assertEquals(
        Map.of("no token at `$.data.token` in the login response (status 200)", 1L), run.errors());
    assertFalse(run.output().contains(token), "the token must not be printed");
  }

  @Test
  void nestedTokenLocationIsRead() throws Exception {
    String token = Tokens.jwt("user1", 300);
    wm.stubFor(
        post(LOGIN)
            .willReturn(okJson("{\"success\":true,\"data\":{\"token\":\"" + token + "\"}}")));
    stubProtected(token, 200);

    GatlingRun run = run(Map.of("calls", "1", "tokenPath", "$.data.token"));

    assertEquals(List.of("Bearer " + token), bearersSent(), run.toString());
    assertEquals(new Counts(1, 0), run.counts("protected"));
  }

  @Test
  void rotatedRefreshTokensAreSavedAndEachIsSentOnce() throws Exception {
    // 3 s tokens refreshed 1.5 s before expiry: over ~5 s of calls, at least two refreshes
    String t1 = Tokens.jwt("user1", 3);
    String t2 = Tokens.jwt("user1", 3);
    String t3 = Tokens.jwt("user1", 300);
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(t1, "r1", null))));
    stubRefresh("r1", tokenBody(t2, "r2", null), 200);
    stubRefresh("r2", tokenBody(t3, "r3", null), 200);
    stubRefresh("r3", "{\"error\":\"invalid_grant\"}", 401);
    stubProtected(t1, 200);
    stubProtected(t2, 200);
    stubProtected(t3, 200);

    GatlingRun run = run(Map.of("calls", "10", "pauseMs", "500", "leadSeconds", "10"));

    assertEquals(
        List.of("{\"refresh_token\":\"r1\"}", "{\"refresh_token\":\"r2\"}"),
        refreshTokensSent(),
        run.toString());
    assertEquals(new Counts(10, 0), run.counts("protected"));
    assertEquals(new Counts(2, 0), run.counts("auth: refresh"));
  }

  @Test
  void opaqueTokensExpireFromExpiresIn() throws Exception {
    // 6 s lifetime from expires_in, 3 s lead: calls at ~0 s and ~2 s use it, the one at ~4 s
    // refreshes
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody("opaque-one", "r1", 6))));
    stubRefresh("r1", tokenBody("opaque-two", "r2", 300), 200);
    stubProtected("opaque-one", 200);
    stubProtected("opaque-two", 200);

    GatlingRun run = run(Map.of("calls", "3", "pauseMs", "2000", "leadSeconds", "3"));

    assertEquals(
        List.of("Bearer opaque-one", "Bearer opaque-one", "Bearer opaque-two"),
        bearersSent(),
        run.toString());
  }

  @Test
  void withoutRefreshTokensAnExpiringTokenLeadsToAFreshLogin() throws Exception {
    String t1 = Tokens.jwt("user1", 7); // refresh due at 3 s, as above
    String t2 = Tokens.jwt("user1", 300);
    stubLogins(okJson(tokenBody(t1, null, null)), okJson(tokenBody(t2, null, null)));
    stubProtected(t1, 200);
    stubProtected(t2, 200);

    GatlingRun run =
        run(Map.of("calls", "3", "pauseMs", "2000", "leadSeconds", "3", "noRefreshToken", "true"));

    assertEquals(
        List.of("Bearer " + t1, "Bearer " + t1, "Bearer " + t2), bearersSent(), run.toString());
    assertEquals(new Counts(2, 0), run.counts("auth: login"));
    wm.verify(0, postRequestedFor(urlEqualTo(REFRESH)));
  }

  @Test
  void unrecoveredRefusalIsAKoReplayThatIsNotSentAndTheUserStops() throws Exception {
    String t1 = Tokens.jwt("user1", 300);
    stubLogins(
        okJson(tokenBody(t1, "r1", 300)), jsonResponse("{\"error\":\"account_locked\"}", 401));
    stubRefresh("r1", "{\"error\":\"invalid_grant\"}", 401);
    stubProtected(t1, 401);

    GatlingRun run = run(Map.of("calls", "3"));

    assertEquals(List.of("Bearer " + t1), bearersSent(), run.toString());
    assertEquals(new Counts(1, 0), run.counts("protected"));
    assertEquals(new Counts(1, 1), run.counts("auth: login"));
    // Gatling records a request it could not build as an error, not as a request
    assertEquals(new Counts(0, 0), run.counts("protected (replay)"));
    assertEquals(
        1L,
        run.errors()
            .get(
                "protected (replay): j.l.IllegalStateException: not sent: the virtual user holds no"
                    + " token (its login or refresh failed)"),
        run.errors().toString());
  }

  @Test
  void recoveredAuthFailuresDoNotLeaveTheSessionFailed() throws Exception {
    // same story as refusedRefreshFallsBackToOneFreshLogin, with exitHereIfFailed() after each call
    String t1 = Tokens.jwt("user1", 300);
    String t2 = Tokens.jwt("user1", 300);
    stubLogins(okJson(tokenBody(t1, "r1", 300)), okJson(tokenBody(t2, "r2", 300)));
    stubRefresh("r1", "{\"error\":\"invalid_grant\"}", 401);
    stubProtected(t1, 401);
    stubProtected(t2, 200);

    GatlingRun run = run(Map.of("calls", "3", "exitIfFailed", "true"));

    assertEquals(
        List.of("Bearer " + t1, "Bearer " + t2, "Bearer " + t2, "Bearer " + t2),
        bearersSent(),
        run.toString());
  }

  @Test
  void anUnrelatedBusinessFailureTriggersNoLogin() throws Exception {
    String token = Tokens.jwt("user1", 300);
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(token, "r1", 300))));
    wm.stubFor(
        get(PROTECTED)
            .inScenario("flaky")
            .whenScenarioStateIs(STARTED)
            .willSetStateTo("ok")
            .willReturn(jsonResponse("{\"error\":\"boom\"}", 500)));
    wm.stubFor(
        get(PROTECTED)
            .inScenario("flaky")
            .whenScenarioStateIs("ok")
            .withHeader("Authorization", equalTo("Bearer " + token))
            .willReturn(okJson("{}")));

    GatlingRun run = run(Map.of("calls", "3"));

    assertEquals(new Counts(1, 0), run.counts("auth: login"), run.toString());
    assertEquals(new Counts(2, 1), run.counts("protected"));
    assertEquals(new Counts(0, 0), run.counts("auth: refresh"));
  }

  @Test
  void unreachableLoginEndpointIsAKoAndTheUserStops() throws Exception {
    GatlingRun run =
        GatlingRun.run(
            LifecycleTestSimulation.class,
            Map.of("it.baseUrl", "http://127.0.0.1:1", "it.calls", "2", "it.loginAttempts", "2"),
            results);

    assertEquals(new Counts(0, 2), run.counts("auth: login"), run.toString());
    assertEquals(new Counts(0, 0), run.counts("protected"));
    assertFalse(run.output().contains("crashed"), run.output());
  }

  @Test
  void insideTryMaxARefusedRefreshIsNeverRetriedWithTheSameRefreshToken() throws Exception {
    String t1 = Tokens.jwt("user1", 300);
    String t2 = Tokens.jwt("user1", 300);
    stubLogins(okJson(tokenBody(t1, "r1", 300)), okJson(tokenBody(t2, "r2", 300)));
    stubRefresh("r1", "{\"error\":\"invalid_grant\"}", 401);
    stubProtected(t1, 401);
    stubProtected(t2, 200);

    GatlingRun run = run(Map.of("mode", "tryMax", "calls", "1"));

    assertEquals(List.of("{\"refresh_token\":\"r1\"}"), refreshTokensSent(), run.toString());
    assertEquals(new Counts(2, 0), run.counts("auth: login"));
    assertEquals("Bearer " + t2, bearersSent().get(bearersSent().size() - 1));
  }

  @Test
  void aLoopEndingDuringARefreshKeepsItsNewTokens() throws Exception {
    // the first token is due at once; its refresh answers after the 1 s loop has ended
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody("opaque-t1", "r1", 0))));
    wm.stubFor(
        post(REFRESH)
            .withRequestBody(equalToJson("{\"refresh_token\":\"r1\"}"))
            .willReturn(okJson(tokenBody("opaque-t2", "r2", 300)).withFixedDelay(1500)));
    stubRefresh("r2", tokenBody("opaque-t3", "r3", 300), 200);
    stubProtected("opaque-t1", 401);
    stubProtected("opaque-t2", 200);
    stubProtected("opaque-t3", 200);

    GatlingRun run = run(Map.of("mode", "duringCut", "loopMs", "1000"));

    assertEquals(List.of("{\"refresh_token\":\"r1\"}"), refreshTokensSent(), run.toString());
    assertEquals(List.of("Bearer opaque-t2"), bearersSent());
    assertEquals(new Counts(1, 0), run.counts("after loop"));
  }

  @Test
  void protocolChecksDoNotJudgeARefusedAttempt() throws Exception {
    String revoked = Tokens.jwt("user1", 300);
    String fresh = Tokens.jwt("user1", 300);
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(revoked, "r1", 300))));
    stubRefresh("r1", tokenBody(fresh, "r2", 300), 200);
    stubProtected(revoked, 401);
    stubProtected(fresh, 200);

    GatlingRun run = run(Map.of("calls", "1", "protocolCheck", "status200"));

    assertEquals(new Counts(1, 0), run.counts("protected"), run.toString());
    assertEquals(new Counts(1, 0), run.counts("protected (replay)"));
    assertTrue(run.errors().isEmpty(), run.errors().toString());
  }

  @Test
  void aProtocolStatusCheckReplacesGatlingsDefaultOne() throws Exception {
    String token = Tokens.jwt("user1", 300);
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(token, "r1", 300))));
    wm.stubFor(get(PROTECTED).willReturn(jsonResponse("{\"error\":\"not_found\"}", 404)));

    GatlingRun run = run(Map.of("calls", "1", "protocolCheck", "status200or404"));

    assertEquals(new Counts(1, 0), run.counts("protected"), run.toString());
  }

  @Test
  void firstLoginsOfUsersInjectedAtOnceAreStaggered() throws Exception {
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody("opaque", "r1", 300))));
    stubProtected("opaque", 200);

    GatlingRun run = run(Map.of("users", "20", "calls", "1", "loginSpreadMs", "4000"));

    List<Long> at = loginsSent().stream().map(r -> r.getLoggedDate().getTime()).sorted().toList();
    assertEquals(20, at.size(), run.toString());
    assertTrue(
        at.get(19) - at.get(0) >= 2000, "logins all within " + (at.get(19) - at.get(0)) + " ms");
    int busiest = 0;
    for (int i = 0, j = 0; i < at.size(); i++) {
      while (at.get(i) - at.get(j) >= 500) {
        j++;
      }
      busiest = Math.max(busiest, i - j + 1);
    }
    assertTrue(busiest <= 8, busiest + " logins within 500 ms");
  }

  @Test
  void insideAUsersTryMaxLoginAttemptsKeepTheirBackoff() throws Exception {
    wm.stubFor(post(LOGIN).willReturn(jsonResponse("{\"error\":\"busy\"}", 503)));

    GatlingRun run =
        run(
            Map.of(
                "mode", "tryMax",
                "explicitLogin", "false",
                "loginAttempts", "4",
                "backoffMs", "400",
                "maxBackoffMs", "400"));

    List<Long> at = loginsSent().stream().map(r -> r.getLoggedDate().getTime()).sorted().toList();
    // 4 attempts with backoff, and the user's tryMax(2) runs them twice
    assertEquals(8, at.size(), run.toString());
    for (int i = 1; i < 4; i++) {
      assertTrue(at.get(i) - at.get(i - 1) >= 190, "no backoff between attempts: " + at);
    }
    wm.verify(0, getRequestedFor(urlEqualTo(PROTECTED)));
  }
}
