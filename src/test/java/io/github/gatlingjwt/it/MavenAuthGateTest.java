package io.github.gatlingjwt.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's CI gate, end to end: {@code mvn gatling:test} with an auth assertion that cannot
 * hold fails the build, and the auth metrics file lands beside the report. Runs Maven itself (from
 * the PATH) on the classes this build compiled. Also with {@code -Dgatling.noReports=true}, where
 * Gatling writes no HTML report: the gate must fail the build all the same.
 */
class MavenAuthGateTest {

  @TempDir Path results;

  @ParameterizedTest(name = "noReports={0}")
  @ValueSource(booleans = {false, true})
  void aFailingAuthGateFailsMvnGatlingTest(boolean noReports) throws Exception {
    Path log = results.resolve("maven.txt");
    List<String> command =
        new ArrayList<>(
            List.of(
                "mvn",
                "-B",
                "gatling:test",
                "-Dmaven.main.skip=true", // use the classes of this build, compile nothing
                "-Dmaven.test.skip=true",
                "-Dgatling.resultsFolder=" + results,
                "-Dusers=2",
                "-Dduration=6",
                "-DtokenTtl=2",
                "-DrevokeFraction=0",
                "-DmaxRefreshesPerUser=0"));
    command.add("-Dgatling.noReports=" + noReports);
    Process mvn =
        new ProcessBuilder(command)
            .directory(Path.of(System.getProperty("user.dir")).toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertTrue(mvn.waitFor(5, TimeUnit.MINUTES), "mvn gatling:test did not end in 5 minutes");
    String output = Files.readString(log, StandardCharsets.UTF_8);

    assertNotEquals(0, mvn.exitValue(), output);
    assertTrue(output.contains("refreshes per user is at most 0 : false"), output);
    assertTrue(output.contains("auth failures is 0 : true"), output);
    assertTrue(output.contains("BUILD FAILURE"), output);
    try (Stream<Path> files = Files.walk(results, 2)) {
      assertTrue(
          files.anyMatch(f -> f.getFileName().toString().equals("auth-metrics.json")),
          "auth-metrics.json beside the report");
    }
  }
}
