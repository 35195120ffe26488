package io.github.gatlingjwt.it;

import static org.junit.jupiter.api.Assertions.*;

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
 * users back off, come back spread out rather than all at once, and recover; the outage shows in
 * the auth counts and nothing else breaks.
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
      // every user came back: each logged in again after the outage
      List<Long> logins = server.successfulLoginTimesMillis();
      long after = logins.stream().filter(t -> t >= outageEnd).count();
      assertTrue(after >= USERS, after + " logins after the outage, " + server);
      // ... spread out, not in the same instant
      int busiest = busiestWindow(logins.stream().filter(t -> t >= outageEnd).toList(), 250);
      assertTrue(busiest <= USERS / 2, busiest + " logins in the busiest 250 ms after the outage");
      System.out.printf(
          "Outage of 10 s, %d users: %d auth answers during it, %d logins after it, at most %d in"
              + " one 250 ms window%n",
          USERS, server.authOutageAnswers(), after, busiest);
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
