package io.github.gatlingjwt.internal;

import static io.github.gatlingjwt.JwtDsl.authMetrics;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gatlingjwt.internal.AuthMetrics.Counter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthRunTest {

  static AuthMetrics.Snapshot sample() {
    AuthMetrics m = new AuthMetrics("orders");
    for (int i = 0; i < 10; i++) {
      m.increment(Counter.USERS);
      m.increment(Counter.LOGIN_REQUESTS);
      m.increment(Counter.LOGINS);
    }
    m.increment(Counter.LOGIN_REQUESTS); // one failed login
    for (int i = 0; i < 25; i++) {
      m.increment(Counter.PROACTIVE_REFRESHES);
      m.increment(Counter.REFRESHES);
    }
    m.increment(Counter.REFUSALS);
    m.increment(Counter.REFUSALS);
    m.increment(Counter.REFUSALS_RECOVERED);
    m.increment(Counter.REACTIVE_REFRESHES);
    m.increment(Counter.REFRESHES);
    return m.snapshot();
  }

  @Test
  void derivedFigures() {
    AuthMetrics.Snapshot s = sample();
    assertEquals(26, s.refreshRequests());
    assertEquals(1, s.authFailures());
    assertEquals(1, s.unrecoveredRefusals());
    assertEquals(2.6, s.refreshesPerUser(), 1e-9);
    assertEquals(1.1, s.loginsPerUser(), 1e-9);
  }

  @Test
  void reportPrintsCountersAndAssertionsAndWritesJson() throws Exception {
    AuthRun.Report report =
        AuthRun.report(
            List.of(sample()),
            Map.of(
                "orders",
                List.of(
                    authMetrics().authFailures().is(0),
                    authMetrics().refreshesPerUser().between(1, 3))));

    assertTrue(report.failed());
    assertFalse(report.isEmpty());
    assertTrue(report.text().contains("auth failures is 0 : false (actual 1)"), report.text());
    assertTrue(
        report.text().contains("refreshes per user is between 1 and 3 : true (actual 2.60)"),
        report.text());
    JsonNode json = new ObjectMapper().readTree(report.json()).get("orders");
    assertEquals(10, json.get("users").asLong());
    assertEquals(26, json.get("refreshRequests").asLong());
    assertEquals(2.6, json.get("refreshesPerUser").asDouble(), 1e-9);
    assertFalse(json.get("assertions").get(0).get("result").asBoolean());
  }

  /** A JVM that builds an auth configuration with assertions, runs no Gatling, and ends. */
  public static final class BuildOnly {
    public static void main(String[] args) {
      try {
        io.github.gatlingjwt.JwtDsl.jwtAuth
            .credentials("#{username}", "#{password}")
            .assertions(authMetrics().loginRequests().gt(0))
            .login();
      } catch (Throwable e) {
        System.out.println("building outside Gatling failed, as expected");
      }
    }
  }

  @Test
  void aJvmThatRanNoGatlingIsNotFailedByAuthAssertions() throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                BuildOnly.class.getName())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertFalse(out.contains("auth counters"), out);
  }

  @Test
  void nothingIsReportedForConfigurationsNoUserRan() {
    AuthRun.Report report = AuthRun.report(List.of(new AuthMetrics("idle").snapshot()), Map.of());
    assertTrue(report.isEmpty());
    assertFalse(report.failed());
  }

  @Test
  void theMetricsFileGoesIntoTheNewestRunOfThisJvm(@TempDir Path results) throws Exception {
    Path old = Files.createDirectories(results.resolve("sim-1"));
    Files.writeString(old.resolve("simulation.log"), "x");
    old.resolve("simulation.log").toFile().setLastModified(1_000);
    Path current = Files.createDirectories(results.resolve("sim-2"));
    Files.writeString(current.resolve("simulation.log"), "x");

    assertEquals(current.resolve(AuthRun.METRICS_FILE), AuthRun.metricsFile(results, 2_000));
    assertNull(AuthRun.metricsFile(results, Long.MAX_VALUE), "no run of this JVM");
    assertNull(AuthRun.metricsFile(results.resolve("missing"), 0));
  }

  @Test
  void theNewestRunWinsAcrossResultsFolders(@TempDir Path dir) throws Exception {
    Path older = Files.createDirectories(dir.resolve("results/sim-1"));
    Files.writeString(older.resolve("simulation.log"), "x");
    older.toFile().setLastModified(5_000);
    Path newer = Files.createDirectories(dir.resolve("target/gatling/sim-2"));
    Files.writeString(newer.resolve("simulation.log"), "x");

    assertEquals(
        newer.resolve(AuthRun.METRICS_FILE),
        AuthRun.metricsFile(List.of(dir.resolve("results"), dir.resolve("target/gatling")), 0));
  }
}
