package io.github.gatlingjwt.it;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gatlingjwt.testkit.GatlingRun;
import io.github.gatlingjwt.testkit.GatlingRun.Counts;
import io.github.gatlingjwt.testkit.Tokens;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The silent switch: refresh traffic kept out of the business numbers (C19) while the auth counters
 * still count it.
 */
class AuthMetricsIntegrationTest extends StubApiTestBase {

  @Test
  void silentAuthKeepsRefreshesOutOfTheReportButCountsThem() throws Exception {
    // C19: a 500 ms refresh endpoint, a fast protected one; tokens due for refresh at once
    String first = Tokens.jwt("user1", 4);
    String second = Tokens.jwt("user1", 300);
    stubLogins(okJson(tokenBody(first, "r1", 4)));
    stubProtected(first, 200);
    stubProtected(second, 200);
    wm.stubFor(
        post(REFRESH)
            .withRequestBody(equalToJson("{\"refresh_token\":\"r1\"}"))
            .willReturn(okJson(tokenBody(second, "r2", 300)).withFixedDelay(500)));

    GatlingRun run =
        run(
            Map.of(
                "silentAuth", "true",
                "leadSeconds", "10",
                "calls", "3",
                "pauseMs", "1000",
                "users", "5"));

    assertEquals(0, run.exitCode(), run.toString());
    // the report holds business calls only...
    assertEquals(new Counts(15, 0), run.counts("protected"), run.toString());
    assertEquals(new Counts(0, 0), run.counts("auth: login"), run.toString());
    assertEquals(new Counts(0, 0), run.counts("auth: refresh"), run.toString());
    assertEquals(new Counts(15, 0), run.counts("Global"), run.toString());
    // ...and the counters still see every login and refresh the server received
    JsonNode metrics = run.authMetrics("auth");
    assertEquals(5, metrics.get("logins").asLong(), metrics.toString());
    assertEquals(
        wm.findAll(postRequestedFor(urlEqualTo(REFRESH))).size(),
        metrics.get("refreshRequests").asLong(),
        metrics.toString());
    assertEquals(5, metrics.get("refreshes").asLong(), metrics.toString());
  }
}
