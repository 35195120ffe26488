package io.github.gatlingjwt.it;

import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.examples.api.EmbeddedJwtApi;
import io.github.gatlingjwt.testkit.GatlingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flagship simulation against a real JWT API (the embedded one, started here so its counters
 * can be read), driven through the knobs a user targeting their own API would use: {@code
 * -DbaseUrl} and {@code -DcredentialsCsv}.
 */
class EmbeddedApiIntegrationTest {

  @TempDir Path dir;

  GatlingRun runFlagship(EmbeddedJwtApi api, int users, int seconds) throws Exception {
    return FlagshipRun.against(
        api,
        Map.of(
            "users", String.valueOf(users),
            "duration", String.valueOf(seconds),
            "refreshLead", "1"),
        dir);
  }

  @Test
  void usersRefreshThroughSeveralLifetimesWithoutAFailedCall() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .tokenTtl(Duration.ofSeconds(4))
                .users(100)
                .revokeEarly(0.1, Duration.ofSeconds(1)))) {

      GatlingRun run = runFlagship(api, 10, 15);
      EmbeddedJwtApi.Stats server = api.stats();

      assertEquals(0, run.exitCode(), run + "\n" + server);
      assertTrue(run.errors().isEmpty(), run.errors().toString());
      // what the report counted is what the server saw
      assertEquals(10, run.counts("auth: login").ok());
      assertEquals(server.loginsOk(), run.counts("auth: login").ok());
      assertEquals(server.refreshesOk(), run.counts("auth: refresh").ok());
      // 4 s tokens refreshed 1 s before expiry over 15 s: about 4 refreshes per user
      assertTrue(server.refreshesOk() >= 30, server.toString());
      // rotation: every refresh token went out once, never reused
      assertEquals(1, server.maxPresentationsOfOneRefreshToken(), server.toString());
      // revoked tokens were refused, and every refusal was recovered by a replay
      long replays =
          run.requests().entrySet().stream()
              .filter(e -> e.getKey().endsWith("(replay)"))
              .mapToLong(e -> e.getValue().ok())
              .sum();
      assertTrue(replays > 0, run.toString());
      assertEquals(server.protectedUnauthorized(), replays, server.toString());
      assertEquals(0, server.emptyBearerRequests());
    }
  }

  @Test
  void theBuiltInAssertionsFailTheRunWhenAuthFails() throws Exception {
    // refreshes are refused: users recover by logging in again, but the refused refreshes are KOs
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .tokenTtl(Duration.ofSeconds(3))
                .users(20)
                .refuseRefresh(true))) {

      GatlingRun run = runFlagship(api, 5, 8);

      assertNotEquals(0, run.exitCode(), run.toString());
      assertTrue(
          run.output().contains("Global: count of failed events is 0.0 : false"), run.output());
      assertTrue(run.counts("auth: refresh").ko() > 0, run.toString());
      // the fallback kept users working: no business call failed
      assertEquals(0, run.counts("protected resource").ko(), run.toString());
      assertTrue(run.counts("auth: login").ok() > 5, run.toString());
      assertFalse(Files.list(dir.resolve("results")).findAny().isEmpty());
    }
  }

  @Test
  void firstLoginsFailingUnderLoadAreRetriedAndNoUserRunsWithoutAToken() throws Exception {
    // C21: a fifth of the first logins answer 503; the retry succeeds
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .tokenTtl(Duration.ofSeconds(30))
                .users(100)
                .failFirstLogins(4, 503))) {

      GatlingRun run = runFlagship(api, 20, 6);
      EmbeddedJwtApi.Stats server = api.stats();

      assertEquals(new GatlingRun.Counts(20, 4), run.counts("auth: login"), run.toString());
      assertEquals(20, server.loginsOk());
      assertEquals(0, server.protectedUnauthorized(), server.toString());
      assertEquals(0, server.emptyBearerRequests());
      assertEquals(0, run.counts("protected resource").ko(), run.toString());
    }
  }
}
