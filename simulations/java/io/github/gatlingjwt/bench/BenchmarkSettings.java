package io.github.gatlingjwt.bench;

import io.github.gatlingjwt.examples.ExampleConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link BenchmarkRunner} runs, from {@code -Dbench.*} system properties (the {@code
 * benchmark} Maven profile passes them on).
 *
 * @param repetitions rounds of the throughput variants, run alternately
 * @param users virtual users (JMeter threads) of the throughput phase
 * @param warmUp time before each throughput window
 * @param measure length of each throughput window
 * @param shortTtl the lifetime of the short tokens, so that refreshes happen during the run
 * @param refreshLead the refresh lead time of gatling-jwt and of the JMeter plan
 * @param memoryUsers users of the memory phase
 * @param memoryRepetitions rounds of the memory variants, run alternately
 * @param memoryRamp time over which the memory phase's users log in
 * @param output where the summary goes: {@code <output>.json} and {@code <output>.md}
 * @param workDir where the runs' consoles, logs and credentials go
 * @param jmeterConfig jmeter-maven-plugin's {@code config.json}
 * @param testPlan the JMeter test plan
 * @param classpath the test classpath, for the Gatling and API processes
 */
record BenchmarkSettings(
    int repetitions,
    int users,
    Duration warmUp,
    Duration measure,
    Duration shortTtl,
    Duration refreshLead,
    int memoryUsers,
    int memoryRepetitions,
    Duration memoryRamp,
    Path output,
    Path workDir,
    Path jmeterConfig,
    Path testPlan,
    String classpath) {

  /** The lifetime of the long tokens: longer than any run, so no refresh happens. */
  static final Duration LONG_TTL = Duration.ofHours(1);

  /** Read the settings; each knob has a default that gives a run of a few minutes. */
  static BenchmarkSettings fromSystemProperties() {
    return new BenchmarkSettings(
        ExampleConfig.positiveInt("bench.repetitions", 4),
        ExampleConfig.positiveInt("bench.users", 100),
        Duration.ofSeconds(ExampleConfig.positiveInt("bench.warmUp", 20)),
        Duration.ofSeconds(ExampleConfig.positiveInt("bench.measure", 15)),
        Duration.ofSeconds(ExampleConfig.positiveInt("bench.shortTtl", 6)),
        Duration.ofSeconds(ExampleConfig.positiveInt("bench.refreshLead", 2)),
        ExampleConfig.positiveInt("bench.memoryUsers", 10_000),
        ExampleConfig.positiveInt("bench.memoryRepetitions", 2),
        Duration.ofSeconds(ExampleConfig.positiveInt("bench.memoryRamp", 10)),
        Path.of(System.getProperty("bench.output", "results/benchmark")),
        Path.of(System.getProperty("bench.workDir", "target/benchmark")),
        Path.of(System.getProperty("bench.jmeterConfig", "target/config.json")),
        Path.of(System.getProperty("bench.testPlan", "simulations/jmeter/jwt-lifecycle.jmx")),
        absolute(System.getProperty("bench.classpath", System.getProperty("java.class.path"))));
  }

  /** The child processes run in other directories: make every classpath entry absolute. */
  private static String absolute(String classpath) {
    return java.util.Arrays.stream(classpath.split(java.io.File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }
}
