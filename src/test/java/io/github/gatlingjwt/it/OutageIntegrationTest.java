package io.github.gatlingjwt.it;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gatlingjwt.examples.api.EmbeddedJwtApi;
import io.github.gatlingjwt.testkit.GatlingRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token endpoint goes down for 10 s in the middle of a run (login and refresh answer 503):
 * users back off (their refreshes are sent again after Retry-After and the backoff, then a login
 * when those run out), come back spread out rather than all at once, and recover; the outage shows
 * in the auth counts and nothing else breaks.
 */
class OutageIntegrationTest {

  static final int USERS = 20;

  @TempDir Path dir;

  @Test
  void usersRideOutATenSecondTokenEndpointOutage() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .tokenTtl(Duration.ofSeconds(4))
                .users(100)
                .authOutage(Duration.ofSeconds(8), Duration.ofSeconds(10)))) {
      GatlingRun run =
          FlagshipRun.against(
              api,
              Map.of(
                  "users", String.valueOf(USERS),
                  "duration", "32",
                  "refreshLead", "1"),
              dir);
      EmbeddedJwtApi.Stats server = api.stats();
      long outageEnd = api.authOutageEndMillis();

      // the outage is visible, on auth requests only
      assertTrue(server.authOutageAnswers() > 0, server.toString());
      assertTrue(run.counts("auth: refresh").ko() + run.counts("auth: login").ko() > 0, run + "");
      run.errors()
          .keySet()
          .forEach(
              message ->
                  assertTrue(
                      message.contains("status 503 (error: temporarily_unavailable)"),
                      "unexpected error: " + message));
      for (String business : List.of("items: list", "items: get", "protected resource")) {
        assertEquals(0, run.counts(business).ko(), business + ": " + run);
      }
      // users backed off instead of hammering: a few attempts each over 10 s, not hundreds
      assertTrue(
          server.authOutageAnswers() <= USERS * 8L,
          server.authOutageAnswers() + " auth answers during the outage");
      // every user came back, by its refresh sent again (a 503 is not served, so the refresh
      // token still holds) or by a login once its attempts ran out: none was stopped
      JsonNode metrics = run.authMetrics("auth");
      assertEquals(0, metrics.get("usersStopped").asLong(), metrics + "\n" + run);
      assertEquals(0, server.protectedUnauthorized(), server.toString());
      List<Long> recoveries =
          java.util.stream.Stream.concat(
                  server.successfulLoginTimesMillis().stream(),
                  server.successfulRefreshTimesMillis().stream())
              .filter(t -> t >= outageEnd)
              .sorted()
              .toList();
      assertTrue(recoveries.size() >= USERS, recoveries.size() + " tokens after it, " + server);
      // ... spread out, not in the same instant: the first USERS tokens after the outage
      int busiest = busiestWindow(recoveries.subList(0, USERS), 250);
      assertTrue(busiest <= USERS / 2, busiest + " tokens in the busiest 250 ms after the outage");
      System.out.printf(
          "Outage of 10 s, %d users: %d auth answers during it, %d logins and %d refreshes OK in"
              + " all, at most %d of the first %d tokens after it in one 250 ms window%n",
          USERS,
          server.authOutageAnswers(),
          server.loginsOk(),
          server.refreshesOk(),
          busiest,
          USERS);
      // the run's gate saw the auth failures
      assertNotEquals(0, run.exitCode());
    }
  }

  static int busiestWindow(List<Long> sortedMillis, long windowMillis) {
    int best = 0;
    int from = 0;
    for (int to = 0; to < sortedMillis.size(); to++) {
      while (sortedMillis.get(to) - sortedMillis.get(from) >= windowMillis) {
        from++;
      }
      best = Math.max(best, to - from + 1);
    }
    return best;
  }
}
