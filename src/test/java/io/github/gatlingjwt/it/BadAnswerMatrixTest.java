package io.github.gatlingjwt.it;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.testkit.GatlingRun;
import io.github.gatlingjwt.testkit.GatlingRun.Counts;
import io.github.gatlingjwt.testkit.Tokens;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every bad answer a token endpoint can give, one test each (the README's table): a KO whose
 * message names the cause, no crash, no loop, the right counts, and no protected request sent
 * without a token.
 */
class BadAnswerMatrixTest extends StubApiTestBase {

  /** Run one user making 2 protected calls, with extra {@code it.*} properties. */
  GatlingRun runWith(String... keyValues) throws Exception {
    Map<String, String> props = new HashMap<>(Map.of("calls", "2"));
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put(keyValues[i], keyValues[i + 1]);
    }
    return run(props);
  }

  /** The login failed with this one message, {@code times} times, and nothing else happened. */
  void assertLoginKo(GatlingRun run, String message, long times) {
    assertEquals(Map.of(message, times), run.errors(), run.toString());
    assertEquals(new Counts(0, times), run.counts("auth: login"));
    wm.verify(0, getRequestedFor(urlEqualTo(PROTECTED)));
    wm.verify(0, postRequestedFor(urlEqualTo(REFRESH)));
    assertFalse(run.output().contains(" crashed"), run.output());
  }

  @Test
  void missingToken() throws Exception {
    wm.stubFor(post(LOGIN).willReturn(okJson("{\"access\":\"elsewhere\"}")));
    assertLoginKo(runWith(), "no token at `$.token` in the login response (status 200)", 1);
  }

  @Test
  void emptyToken() throws Exception {
    wm.stubFor(post(LOGIN).willReturn(okJson("{\"token\":\"\"}")));
    assertLoginKo(runWith(), "the token at `$.token` in the login response is empty", 1);
  }

  @Test
  void nullToken() throws Exception {
    wm.stubFor(post(LOGIN).willReturn(okJson("{\"token\":null}")));
    assertLoginKo(runWith(), "the token at `$.token` in the login response is null", 1);
  }

  @Test
  void notAJwtWhereOneIsRequired() throws Exception {
    wm.stubFor(post(LOGIN).willReturn(okJson("{\"token\":\"opaque-value\"}")));
    assertLoginKo(
        runWith("requireJwt", "true"),
        "the token at `$.token` in the login response is not a JWT: expected 3 dot-separated"
            + " parts, found 1",
        1);
  }

  @Test
  void aJwtWhosePartsDoNotDecode() throws Exception {
    wm.stubFor(post(LOGIN).willReturn(okJson("{\"token\":\"bm90anNvbg.bm90anNvbg.c2ln\"}")));
    GatlingRun run = runWith("requireJwt", "true");
    assertLoginKo(
        run,
        "the token at `$.token` in the login response is not a JWT: its header or payload is not"
            + " base64url-encoded JSON",
        1);
    assertFalse(run.output().contains("bm90anNvbg"), "the token must not be quoted");
  }

  @Test
  void htmlErrorPageInsteadOfJson() throws Exception {
    wm.stubFor(
        post(LOGIN)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<html><body><h1>Maintenance</h1></body></html>")));
    assertLoginKo(
        runWith(),
        "the login response is not JSON (status 200, content-type text/html): expected a token at"
            + " `$.token`",
        1);
  }

  @Test
  void okStatusWithAnErrorBody() throws Exception {
    // C14: VAmPI-style APIs answer 200 to a wrong password
    wm.stubFor(
        post(LOGIN)
            .willReturn(okJson("{\"status\":\"fail\",\"message\":\"Password is not correct.\"}")));
    assertLoginKo(
        runWith("successPath", "$.status", "successValue", "success"),
        "the login response failed its success check: `$.status` is \"fail\", expected"
            + " \"success\" (status 200) (message: Password is not correct.)",
        1);
  }

  @Test
  void aTokenExpiredOnArrivalIsRenewedBeforeEveryCallWithOneWarning() throws Exception {
    // exp only, a minute before the answer's Date (or this machine's clock, without one). A token
    // whose iat is as old is not expired: its lifetime, exp - iat, is counted from receipt
    String token = Tokens.expOnly("user1", Instant.now().minusSeconds(60));
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(token, "r1", null))));
    stubRefresh("r1", tokenBody(token, "r1", null), 200);
    stubProtected(token, 200);

    GatlingRun run = runWith("calls", "3");

    assertEquals(new Counts(3, 0), run.counts("protected"), run.toString());
    assertEquals(new Counts(3, 0), run.counts("auth: refresh"), run.toString());
    String warning = "gave a token that has already expired by its own figures";
    assertEquals(1, run.output().split(warning, -1).length - 1, run.output());
    assertFalse(run.output().contains(token), "the token must not be quoted");
  }

  @Test
  void serverErrorsAreRetriedWithinTheBoundThenTheUserStops() throws Exception {
    wm.stubFor(post(LOGIN).willReturn(jsonResponse("{\"error\":\"db_down\"}", 500)));
    assertLoginKo(
        runWith("loginAttempts", "3"), "login refused with status 500 (error: db_down)", 3);
  }

  @Test
  void transientFailuresThenSuccess() throws Exception {
    // C21/C22: two 503s then a token: three records, two KO, and the user goes on
    String token = Tokens.jwt("user1", 300);
    stubLogins(
        jsonResponse("{\"error\":\"busy\"}", 503),
        jsonResponse("{\"error\":\"busy\"}", 503),
        okJson(tokenBody(token, "r1", 300)));
    stubProtected(token, 200);

    GatlingRun run = runWith("loginAttempts", "3");

    assertEquals(new Counts(1, 2), run.counts("auth: login"), run.toString());
    assertEquals(new Counts(2, 0), run.counts("protected"));
    assertEquals(List.of("Bearer " + token, "Bearer " + token), bearersSent());
  }

  @Test
  void tooManyRequestsHonoursRetryAfter() throws Exception {
    String token = Tokens.jwt("user1", 300);
    stubLogins(
        jsonResponse("{\"error\":\"rate_limited\"}", 429).withHeader("Retry-After", "2"),
        okJson(tokenBody(token, "r1", 300)));
    stubProtected(token, 200);

    GatlingRun run = runWith("loginAttempts", "3", "backoffMs", "10", "maxBackoffMs", "10");

    var logins = loginsSent();
    assertEquals(2, logins.size(), run.toString());
    long waited = logins.get(1).getLoggedDate().getTime() - logins.get(0).getLoggedDate().getTime();
    assertTrue(waited >= 2000 && waited < 3500, "waited " + waited + " ms between attempts");
    assertEquals(new Counts(1, 1), run.counts("auth: login"));
    assertEquals(new Counts(2, 0), run.counts("protected"));
  }

  @Test
  void refusedCredentialsAreNotRetriedAndTriggerNoRefresh() throws Exception {
    // C18: a 401 from the login itself never starts the refresh path
    wm.stubFor(post(LOGIN).willReturn(jsonResponse("{\"error\":\"invalid_credentials\"}", 401)));
    assertLoginKo(
        runWith("loginAttempts", "3"),
        "login refused with status 401 (error: invalid_credentials)",
        1);
  }

  @Test
  void timeoutsOfTheTokenEndpointAreBoundedKos() throws Exception {
    wm.stubFor(post(LOGIN).willReturn(okJson("{\"token\":\"late\"}").withFixedDelay(3000)));
    GatlingRun run = runWith("loginAttempts", "2", "authTimeoutMs", "500");
    assertEquals(new Counts(0, 2), run.counts("auth: login"), run.toString());
    assertTrue(
        run.errors().keySet().stream().allMatch(m -> m.contains("Request timeout")),
        run.errors().toString());
    wm.verify(0, getRequestedFor(urlEqualTo(PROTECTED)));
  }

  @Test
  void slowTokenEndpointTimeIsNotAddedToBusinessRequests() throws Exception {
    // C19: a 1.5 s login, a fast protected endpoint: the protected rows stay fast
    String token = Tokens.jwt("user1", 300);
    wm.stubFor(post(LOGIN).willReturn(okJson(tokenBody(token, "r1", 300)).withFixedDelay(1500)));
    stubProtected(token, 200);

    GatlingRun run = runWith("calls", "3");

    assertEquals(new Counts(3, 0), run.counts("protected"), run.toString());
    assertEquals(new Counts(1, 0), run.counts("auth: login"));
    assertTrue(run.output().contains("auth: login"), run.output());
  }
}
