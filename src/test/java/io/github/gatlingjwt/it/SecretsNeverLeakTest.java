package io.github.gatlingjwt.it;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.testkit.GatlingRun;
import io.github.gatlingjwt.testkit.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * C20: with Gatling's HTTP logging at DEBUG (which dumps failed requests whole: session, headers,
 * bodies) and failures forced on every auth path, no token, refresh token or password appears in
 * anything the run printed or wrote, as long as the logging goes through {@code
 * SecretMaskingLayout}. A control run without it shows the same run does leak, so this test can
 * fail.
 */
class SecretsNeverLeakTest extends StubApiTestBase {

  static final String PASSWORD = "secret-pw-1"; // what LifecycleTestSimulation feeds user1
  final String revoked = Tokens.jwt("user1", 300);
  final String fresh = Tokens.jwt("user1", 300);
  final String refreshToken = "refresh-" + "Zq81xP0vLw";
  final String fresh2Refresh = "refresh-" + "Mn55Ty2eRb";

  void stubFailuresEverywhere() {
    // login: one 503 with an error body echoing the e-mail, then a token
    stubLogins(
        jsonResponse(
            "{\"error\":\"busy\",\"error_description\":\"try again\",\"email\":\"u1@example.com\"}",
            503),
        okJson(tokenBody(revoked, refreshToken, 300)),
        okJson(tokenBody(fresh, fresh2Refresh, 300)));
    // the first token is refused, its refresh too, then a re-login works
    stubProtected(revoked, 401);
    stubRefresh(refreshToken, "{\"error\":\"invalid_grant\"}", 400);
    // the fresh token meets a failing business call
    wm.stubFor(
        get(PROTECTED)
            .withHeader("Authorization", equalTo("Bearer " + fresh))
            .willReturn(jsonResponse("{\"error\":\"boom\"}", 500)));
  }

  GatlingRun runWithLogging(String logbackConfig) throws Exception {
    Path config = Path.of("src/test/resources", logbackConfig).toAbsolutePath();
    return run(
        Map.of("calls", "2", "loginAttempts", "3", "backoffMs", "50"),
        Map.of(
            "logback.configurationFile", config.toString(),
            "gatlingJwt.logFile", results.resolve("gatling-debug.log").toString()));
  }

  /** Everything the run printed or wrote, as text (binary files read byte for byte). */
  String everything(GatlingRun run) throws IOException {
    StringBuilder all = new StringBuilder(run.output());
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(results)) {
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    assertTrue(files.size() > 3, "the run wrote no report: " + files);
    for (Path file : files) {
      all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
    }
    return all.toString();
  }

  @Test
  void nothingSecretInAnyOutputWithDebugLoggingMasked() throws Exception {
    stubFailuresEverywhere();

    GatlingRun run = runWithLogging("logback-debug-masked.xml");
    String all = everything(run);

    // the DEBUG dumps really ran: the test would see a leak
    assertTrue(all.contains("HTTP request:"), "no DEBUG dump in the output");
    assertTrue(run.counts("auth: login").ko() >= 1, run.toString());
    for (String secret :
        List.of(revoked, fresh, refreshToken, fresh2Refresh, PASSWORD, "u1@example.com")) {
      assertFalse(all.contains(secret), "leaked " + secret.substring(0, 8) + "…");
    }
    assertTrue(all.contains("Bearer ***"), "the bearer header was not masked but removed?");
  }

  @Test
  void controlRunWithoutMaskingLeaks() throws Exception {
    stubFailuresEverywhere();

    GatlingRun run = runWithLogging("logback-debug-plain.xml");

    assertTrue(run.output().contains(PASSWORD), "the control run should have leaked");
    assertTrue(run.output().contains(revoked), "the control run should have leaked");
  }
}
