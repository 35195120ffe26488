package io.github.gatlingjwt.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark of GitHub issue 6: what managed auth costs the load generator, side by side with a
 * hand-written baseline and with JMeter. {@code mvn -Pbenchmark verify} runs it; its knobs are
 * {@code -Dbench.*} properties (see {@link BenchmarkSettings}).
 *
 * <p>It starts two embedded APIs in processes of their own (1 h tokens and short tokens), then runs
 * the throughput variants ({@link Variant}) in alternation, each in a fresh JVM, {@code
 * repetitions} times, rotating their order every round; then the memory variants (baseline and
 * gatling-jwt with {@code memoryUsers} idle users) alternately. It prints the medians and their
 * ratios to the baseline, and writes them with a description of the machine to {@code
 * <output>.json} and {@code <output>.md}.
 */
public final class BenchmarkRunner {

  private static final Duration REFRESH_JITTER = Duration.ofSeconds(1);

  private final BenchmarkSettings settings;
  private final GatlingLauncher gatling;

  BenchmarkRunner(BenchmarkSettings settings) {
    this.settings = settings;
    this.gatling = new GatlingLauncher(settings.classpath());
  }

  /**
   * Run the benchmark with the {@code -Dbench.*} settings.
   *
   * @param args none
   */
  public static void main(String[] args) throws Exception {
    BenchmarkReport report = new BenchmarkRunner(BenchmarkSettings.fromSystemProperties()).run();
    System.out.println(report.toMarkdown());
  }

  /** Run every variant, write the summary files and return the report. */
  BenchmarkReport run() throws IOException, InterruptedException {
    MachineInfo machine = MachineInfo.current();
    JMeterLauncher jmeter =
        JMeterLauncher.fromPluginConfig(settings.jmeterConfig(), settings.testPlan());
    Path work = settings.workDir().toAbsolutePath();
    List<ThroughputRun> throughput = new ArrayList<>();
    List<MemoryRun> memory = new ArrayList<>();
    try (ApiProcess longApi =
            ApiProcess.start(
                settings.classpath(),
                "api-long",
                BenchmarkSettings.LONG_TTL,
                Math.max(1000, Math.max(settings.users(), settings.memoryUsers())),
                work);
        ApiProcess shortApi =
            ApiProcess.start(
                settings.classpath(),
                "api-short",
                settings.shortTtl(),
                Math.max(1000, settings.users()),
                work)) {
      Variant[] variants = Variant.values();
      for (int round = 1; round <= settings.repetitions(); round++) {
        for (int i = 0; i < variants.length; i++) {
          Variant variant = variants[(i + round - 1) % variants.length];
          ApiProcess api = variant.shortTokens() ? shortApi : longApi;
          Path dir = work.resolve("round" + round).resolve(variant.name().toLowerCase());
          ThroughputRun run =
              variant == Variant.JMETER_SHORT
                  ? jmeter.run(
                      variant.label(),
                      round,
                      api,
                      settings.users(),
                      settings.warmUp(),
                      settings.measure(),
                      settings.refreshLead(),
                      dir)
                  : gatlingThroughput(variant, round, api, dir);
          log(
              "round %d, %s: %.0f calls/s, %.1f µs CPU per call, %d KO",
              round, variant.label(), run.throughput(), run.cpuMicrosPerRequest(), run.ko());
          throughput.add(run);
        }
      }
      for (int round = 1; round <= settings.memoryRepetitions(); round++) {
        boolean baselineFirst = round % 2 == 1;
        for (boolean baseline : new boolean[] {baselineFirst, !baselineFirst}) {
          MemoryRun run = gatlingMemory(baseline, round, longApi, work.resolve("memory" + round));
          log(
              "memory round %d, %s: %.0f bytes per user (%d of %d users holding)",
              round, run.variant(), run.bytesPerUser(), run.holding(), run.users());
          memory.add(run);
        }
      }
    }
    BenchmarkReport report = new BenchmarkReport(settings, machine, throughput, memory);
    report.write(settings.output());
    log("summary written to %s.json and %s.md", settings.output(), settings.output());
    return report;
  }

  private ThroughputRun gatlingThroughput(Variant variant, int round, ApiProcess api, Path dir)
      throws IOException, InterruptedException {
    Map<String, String> props = commonProperties(api, "throughput", settings.users());
    props.put("bench.warmUp", String.valueOf(settings.warmUp().toSeconds()));
    props.put("bench.measure", String.valueOf(settings.measure().toSeconds()));
    Class<?> simulation =
        variant == Variant.BASELINE ? BaselineSimulation.class : ManagedAuthSimulation.class;
    Duration timeout = settings.warmUp().plus(settings.measure()).plusSeconds(120);
    Map<String, String> figures = gatling.run(simulation, props, dir, timeout);
    return new ThroughputRun(
        variant.label(),
        round,
        Long.parseLong(figures.get("requests")),
        Long.parseLong(figures.get("ko")),
        Double.parseDouble(figures.get("seconds")),
        Double.parseDouble(figures.get("cpuMillis")));
  }

  private MemoryRun gatlingMemory(boolean baseline, int round, ApiProcess api, Path dir)
      throws IOException, InterruptedException {
    Map<String, String> props = commonProperties(api, "memory", settings.memoryUsers());
    props.put("bench.ramp", String.valueOf(settings.memoryRamp().toSeconds()));
    Variant variant = baseline ? Variant.BASELINE : Variant.JWT_LONG;
    Class<?> simulation = baseline ? BaselineSimulation.class : ManagedAuthSimulation.class;
    Duration timeout = settings.memoryRamp().plusSeconds(180);
    Map<String, String> figures =
        gatling.run(simulation, props, dir.resolve(variant.name().toLowerCase()), timeout);
    return new MemoryRun(
        variant.label(),
        round,
        Integer.parseInt(figures.get("users")),
        Integer.parseInt(figures.get("holding")),
        Long.parseLong(figures.get("heapBeforeBytes")),
        Long.parseLong(figures.get("heapHoldingBytes")));
  }

  private Map<String, String> commonProperties(ApiProcess api, String phase, int users) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("bench.baseUrl", api.baseUrl());
    props.put("bench.credentialsCsv", api.credentialsCsv().toString());
    props.put("bench.phase", phase);
    props.put("bench.users", String.valueOf(users));
    props.put("bench.refreshLead", String.valueOf(settings.refreshLead().toSeconds()));
    props.put("bench.refreshJitter", String.valueOf(REFRESH_JITTER.toSeconds()));
    return props;
  }

  private static void log(String format, Object... args) {
    System.out.println("[benchmark] " + String.format(java.util.Locale.ROOT, format, args));
    System.out.flush();
  }
}
