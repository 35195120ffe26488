package io.github.gatlingjwt.it;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gatlingjwt.examples.api.EmbeddedJwtApi;
import io.github.gatlingjwt.testkit.GatlingRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared tokens and silent auth at the edges found in review: an owner that leaves mid-flight (its
 * loop ends, its block is left after a refused refresh) is taken over within seconds, and silent
 * login requests are still retried.
 */
class ScopeEdgeCaseIntegrationTest {

  @TempDir Path dir;

  GatlingRun run(EmbeddedJwtApi api, Map<String, String> knobs) throws Exception {
    return EmbeddedApiRun.run(ScopeEdgeCaseSimulation.class, api, knobs, dir);
  }

  @Test
  void anOwnerLeavingItsLoopMidFlightIsTakenOver() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .tokenTtl(Duration.ofSeconds(60))
                .users(2)
                .failFirstLogins(1, 503))) {
      GatlingRun run = run(api, Map.of("mode", "duringEnd"));
      // 20 users calling every 200 ms for 8 s: expect hundreds of calls
      assertTrue(
          run.counts("whoami").total() > 200,
          "others made only " + run.counts("whoami") + " calls; " + run + "\n" + api.stats());
    }
  }

  @Test
  void anOwnerLeavingItsBlockAfterARefusedRefreshIsTakenOver() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .tokenTtl(Duration.ofSeconds(20))
                .users(2)
                .refuseRefresh(true))) {
      GatlingRun run = run(api, Map.of("mode", "exitBlock"));
      assertTrue(
          run.counts("whoami").total() > 600,
          "only " + run.counts("whoami") + " calls; " + run + "\n" + api.stats());
    }
  }

  @Test
  void silentAuthStillRetriesAFailedLogin() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .tokenTtl(Duration.ofSeconds(60))
                .users(2)
                .failFirstLogins(1, 503))) {
      GatlingRun run = run(api, Map.of("mode", "silentRetry", "silent", "true"));
      JsonNode metrics = run.authMetrics("auth");
      assertEquals(2, metrics.get("loginRequests").asLong(), metrics + "\n" + run);
      assertEquals(0, metrics.get("usersStopped").asLong(), metrics + "\n" + run);
      assertEquals(1, run.counts("whoami").ok(), run.toString());
    }
  }

  @Test
  void aSilentSharedLoginIsRetriedForEveryone() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .tokenTtl(Duration.ofSeconds(60))
                .users(2)
                .failFirstLogins(1, 503))) {
      GatlingRun run = run(api, Map.of("mode", "sharedSilent"));
      JsonNode metrics = run.authMetrics("auth");
      assertEquals(0, metrics.get("usersStopped").asLong(), metrics + "\n" + run);
      assertEquals(100, run.counts("whoami").ok(), metrics + "\n" + run);
    }
  }

  /**
   * A shared scope whose credential functions turn out to give two accounts: each account gets its
   * own token, one login each, and no user ever sends the other account's token.
   */
  @Test
  void aSharedScopeOverTwoAccountsNeverMixesThem() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults().tokenTtl(Duration.ofSeconds(60)).users(2))) {
      GatlingRun run = run(api, Map.of("mode", "sharedFunctionAccounts"));
      JsonNode metrics = run.authMetrics("auth");
      assertEquals(new GatlingRun.Counts(600, 0), run.counts("whoami"), metrics + "\n" + run);
      assertEquals(2, metrics.get("logins").asLong(), metrics + "\n" + run);
      assertEquals(0, metrics.get("usersStopped").asLong(), metrics + "\n" + run);
      assertTrue(
          run.output().contains("the token scope is SHARED but users log in as different accounts"),
          run.output());
    }
  }

  @Test
  void aLoginThatIsNotSilentIsRetried() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .tokenTtl(Duration.ofSeconds(60))
                .users(2)
                .failFirstLogins(1, 503))) {
      GatlingRun run = run(api, Map.of("mode", "silentRetry", "silent", "false"));
      JsonNode metrics = run.authMetrics("auth");
      assertEquals(2, metrics.get("loginRequests").asLong(), metrics + "\n" + run);
      assertEquals(1, run.counts("whoami").ok(), run.toString());
    }
  }
}
