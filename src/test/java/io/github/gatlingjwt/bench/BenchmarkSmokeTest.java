package io.github.gatlingjwt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark of issue 6 in miniature (seconds, a handful of users): every variant runs, each
 * against the embedded API in its own process, and the summary is written. No figure is asserted:
 * on a shared 2-core machine they mean nothing at this size; {@code mvn -Pbenchmark verify} gives
 * the real ones.
 */
class BenchmarkSmokeTest {

  private static final Path OUT = Path.of("target", "benchmark-smoke");

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void everyVariantRunsAndTheSummaryIsWritten() throws Exception {
    BenchmarkSettings smoke =
        new BenchmarkSettings(
            1,
            4,
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            Duration.ofSeconds(3), // short tokens: refreshed within the run
            Duration.ofSeconds(2),
            100,
            1,
            Duration.ofSeconds(1),
            OUT.resolve("benchmark"),
            OUT,
            Path.of("target", "config.json"),
            Path.of("simulations", "jmeter", "jwt-lifecycle.jmx"),
            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));

    BenchmarkReport report = new BenchmarkRunner(smoke).run();

    for (Variant variant : Variant.values()) {
      List<ThroughputRun> runs =
          report.throughputRuns().stream()
              .filter(run -> run.variant().equals(variant.label()))
              .toList();
      assertEquals(1, runs.size(), variant.label() + " ran once");
      assertTrue(runs.get(0).requests() > 0, variant.label() + " made calls: " + runs.get(0));
      assertEquals(0, runs.get(0).ko(), variant.label() + " had no failed call: " + runs.get(0));
      assertTrue(runs.get(0).cpuMillis() > 0, variant.label() + " used CPU: " + runs.get(0));
    }
    assertEquals(2, report.memoryRuns().size(), "baseline and gatling-jwt held their users");
    for (MemoryRun run : report.memoryRuns()) {
      assertEquals(run.users(), run.holding(), "every user logged in: " + run);
    }

    JsonNode summary = new ObjectMapper().readTree(OUT.resolve("benchmark.json").toFile());
    assertEquals(Variant.values().length, summary.path("throughput").size());
    assertTrue(summary.path("machine").path("cores").asInt() > 0, "the machine is described");
    assertTrue(Files.readString(OUT.resolve("benchmark.md")).contains("| baseline |"));
  }
}
