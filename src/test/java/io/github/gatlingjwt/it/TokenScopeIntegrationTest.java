package io.github.gatlingjwt.it;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.gatlingjwt.examples.api.EmbeddedJwtApi;
import io.github.gatlingjwt.testkit.GatlingRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token scopes against the embedded JWT API (real signed tokens, rotating refresh tokens that are
 * refused when reused): per-user tokens never mix (C08), a shared token is renewed once per
 * lifetime by one user for all (C07's shared variant), pooled accounts each renew their own, and
 * two configurations never see each other's tokens (C09). Every protected call checks that the API
 * saw the account the user is meant to be. Also: credentials feeders that run dry or repeat (C23),
 * and a login rate limit during ramp-up (C17).
 */
class TokenScopeIntegrationTest {

  @TempDir Path dir;

  GatlingRun run(EmbeddedJwtApi api, Map<String, String> knobs) throws Exception {
    return EmbeddedApiRun.run(ScopeTestSimulation.class, api, knobs, dir);
  }

  /** Gaps between successive token issues (logins and refreshes), in ms. */
  static List<Long> gaps(EmbeddedJwtApi.Stats server) {
    List<Long> issues = new ArrayList<>(server.successfulLoginTimesMillis());
    issues.addAll(server.successfulRefreshTimesMillis());
    issues.sort(null);
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < issues.size(); i++) {
      gaps.add(issues.get(i) - issues.get(i - 1));
    }
    return gaps;
  }

  @Test
  void sharedTokenOf500UsersIsRequestedOncePerLifetime() throws Exception {
    // 6 s tokens (5 s counted, 1 s off for the second-granular exp) refreshed 2 s before expiry:
    // one token request every ~3 s, whatever the number of users
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults().tokenTtl(Duration.ofSeconds(6)).users(10))) {
      GatlingRun run =
          run(
              api,
              Map.of(
                  "scope", "SHARED",
                  "users", "500",
                  "seconds", "12",
                  "pauseMs", "500",
                  "leadSeconds", "2"));
      EmbeddedJwtApi.Stats server = api.stats();

      assertEquals(0, run.exitCode(), run + "\n" + server);
      assertEquals(1, server.loginsOk(), server.toString());
      assertEquals(0, server.protectedUnauthorized(), server.toString());
      assertEquals(1, server.maxPresentationsOfOneRefreshToken(), server.toString());
      // about 12 s of calls after the login: 4 refreshes, each one lifetime after the last
      long refreshes = server.refreshesOk();
      assertTrue(refreshes >= 3 && refreshes <= 5, refreshes + " refreshes: " + server);
      gaps(server).forEach(gap -> assertTrue(gap >= 2_500, "tokens issued " + gap + " ms apart"));
      assertEquals(0, run.counts("users: whoami").ko(), run.toString());
      assertEquals(0, run.counts("auth: refresh").ko(), run.toString());

      JsonNode metrics = run.authMetrics("auth");
      assertEquals(500, metrics.get("users").asLong(), metrics.toString());
      assertEquals(1, metrics.get("loginRequests").asLong(), metrics.toString());
      assertEquals(refreshes, metrics.get("refreshRequests").asLong(), metrics.toString());
      // all users but the first waited for its login
      assertTrue(metrics.get("sharedWaits").asLong() >= 400, metrics.toString());
    }
  }

  @Test
  void pooledAccountsEachRenewTheirOwnToken() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults().tokenTtl(Duration.ofSeconds(6)).users(20))) {
      GatlingRun run =
          run(
              api,
              Map.of(
                  "scope", "POOLED",
                  "users", "200",
                  "accounts", "10",
                  "seconds", "10",
                  "pauseMs", "500",
                  "leadSeconds", "2"));
      EmbeddedJwtApi.Stats server = api.stats();

      assertEquals(0, run.exitCode(), run + "\n" + server);
      assertEquals(10, server.loginsOkByUser().size(), server.toString());
      server.loginsOkByUser().forEach((user, n) -> assertEquals(1, n, user + ": " + server));
      server
          .refreshesOkByUser()
          .forEach((user, n) -> assertTrue(n >= 2 && n <= 4, user + " refreshed " + n + " times"));
      assertEquals(1, server.maxPresentationsOfOneRefreshToken(), server.toString());
      assertEquals(0, server.protectedUnauthorized(), server.toString());
      assertEquals(0, run.counts("users: whoami").ko(), run.toString());
      assertEquals(10, run.authMetrics("auth").get("loginRequests").asLong());
    }
  }

  @Test
  void perUserTokensNeverMix() throws Exception {
    // C08: each user logs in once as its own account and is seen as that account
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults().tokenTtl(Duration.ofSeconds(4)).users(20))) {
      GatlingRun run =
          run(api, Map.of("users", "20", "seconds", "6", "pauseMs", "300", "leadSeconds", "1"));
      EmbeddedJwtApi.Stats server = api.stats();

      assertEquals(0, run.exitCode(), run + "\n" + server);
      assertEquals(20, server.loginsOkByUser().size(), server.toString());
      server.loginsOkByUser().forEach((user, n) -> assertEquals(1, n, user + ": " + server));
      assertEquals(20, run.counts("auth: login").ok(), run.toString());
      assertEquals(0, run.counts("users: whoami").ko(), run.toString());
      assertFalse(run.output().contains("logged in as the same account"), run.output());
    }
  }

  @Test
  void twoConfigurationsNeverSeeEachOthersSharedToken() throws Exception {
    // C09: two SHARED configurations in one JVM, on two accounts: one login each, and every call
    // of each scenario is seen as its own account
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults().tokenTtl(Duration.ofSeconds(10)).users(5))) {
      GatlingRun run =
          run(
              api,
              Map.of(
                  "scope", "SHARED",
                  "twoConfigurations", "true",
                  "users", "50",
                  "seconds", "4",
                  "pauseMs", "300"));
      EmbeddedJwtApi.Stats server = api.stats();

      assertEquals(0, run.exitCode(), run + "\n" + server);
      assertEquals(2, server.loginsOkByUser().size(), server.toString());
      server.loginsOkByUser().forEach((user, n) -> assertEquals(1, n, user + ": " + server));
      assertEquals(0, run.counts("users: whoami").ko(), run.toString());
      assertEquals(0, run.counts("second: whoami").ko(), run.toString());
      assertTrue(run.counts("second: whoami").ok() > 0, run.toString());
    }
  }

  @Test
  void sharedLoginThatNeedsRetriesIsMadeByOneUserWhileTheOthersWait() throws Exception {
    // the first two logins answer 503: one user retries (backoff 1 s, 2 s), 99 wait for it
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .tokenTtl(Duration.ofSeconds(30))
                .users(5)
                .failFirstLogins(2, 503))) {
      GatlingRun run =
          run(api, Map.of("scope", "SHARED", "users", "100", "seconds", "3", "pauseMs", "300"));
      EmbeddedJwtApi.Stats server = api.stats();

      // the two failed logins break the simulation's auth gate "auth failures is 0": exit 2
      assertEquals(2, run.exitCode(), run + "\n" + server);
      assertTrue(run.output().contains("auth failures is 0 : false (actual 2)"), run.output());
      assertEquals(1, server.loginsOk(), server.toString());
      assertEquals(3, run.counts("auth: login").total(), run.toString());
      JsonNode metrics = run.authMetrics("auth");
      assertEquals(3, metrics.get("loginRequests").asLong(), metrics.toString());
      assertEquals(0, metrics.get("usersStopped").asLong(), metrics.toString());
      assertEquals(0, run.counts("users: whoami").ko(), run.toString());
    }
  }

  @Test
  void exhaustedQueueFeederStopsTheRunWithGatlingsMessage() throws Exception {
    // C23: 8 users, 5 accounts fed as a queue: warned at start, then Gatling's own message
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults().tokenTtl(Duration.ofSeconds(30)).users(5))) {
      GatlingRun run = run(api, Map.of("users", "8", "seconds", "2"));

      assertNotEquals(0, run.exitCode(), run.toString());
      assertTrue(
          run.output().contains("the credentials feeder has 5 records for 8 planned users"),
          run.output());
      assertTrue(run.output().contains("feeder is now empty"), run.output());
    }
  }

  @Test
  void circularFeederWithTooFewAccountsIsWarnedAbout() throws Exception {
    // C23: 10 per-user tokens over 5 accounts: two users hold each account at once
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults().tokenTtl(Duration.ofSeconds(30)).users(5))) {
      GatlingRun run = run(api, Map.of("users", "10", "accounts", "5", "seconds", "2"));

      assertTrue(run.output().contains("logged in as the same account"), run.output());
      assertEquals(10, api.stats().loginsOk(), api.stats().toString());
      assertFalse(run.output().contains("user0001"), "the account is shown as a fingerprint only");
    }
  }

  @Test
  void loginRateLimitIsRetriedAfterRetryAfterAndCounted() throws Exception {
    // C17: 30 users at once, the first 20 login requests refused with 429 and Retry-After: 1
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .tokenTtl(Duration.ofSeconds(30))
                .users(30)
                .rateLimitLogins(20))) {
      GatlingRun run =
          run(api, Map.of("users", "30", "seconds", "2", "pauseMs", "500", "authGate", "false"));
      EmbeddedJwtApi.Stats server = api.stats();

      assertEquals(0, run.exitCode(), run + "\n" + server);
      // the 429s appear under the login only; every user got through; every call had its token
      assertEquals(new GatlingRun.Counts(30, 20), run.counts("auth: login"), run.toString());
      assertEquals(0, run.counts("users: whoami").ko(), run.toString());
      assertEquals(0, server.protectedUnauthorized(), server.toString());
      assertEquals(0, server.emptyBearerRequests(), server.toString());
      assertEquals(30, server.loginsOkByUser().size(), server.toString());
      JsonNode metrics = run.authMetrics("auth");
      assertEquals(20, metrics.get("retriesAfter429").asLong(), metrics.toString());
      assertEquals(50, metrics.get("loginRequests").asLong(), metrics.toString());
      assertEquals(20, metrics.get("authFailures").asLong(), metrics.toString());
      assertEquals(0, metrics.get("usersStopped").asLong(), metrics.toString());
      assertTrue(run.output().contains("retries after 429"), run.output());
    }
  }
}
