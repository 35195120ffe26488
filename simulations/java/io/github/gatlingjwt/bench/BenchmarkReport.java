package io.github.gatlingjwt.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark's figures: the median of each variant over its runs, its ratio to the baseline's
 * median, the memory per user, and the targets, as JSON and as a Markdown table.
 */
final class BenchmarkReport {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final BenchmarkSettings settings;
  private final MachineInfo machine;
  private final List<ThroughputRun> throughput;
  private final List<MemoryRun> memory;
  private final double loadAverageAtEnd;

  BenchmarkReport(
      BenchmarkSettings settings,
      MachineInfo machine,
      List<ThroughputRun> throughput,
      List<MemoryRun> memory) {
    this.settings = settings;
    this.machine = machine;
    this.throughput = List.copyOf(throughput);
    this.memory = List.copyOf(memory);
    this.loadAverageAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Every throughput run. */
  List<ThroughputRun> throughputRuns() {
    return throughput;
  }

  /** Every memory run. */
  List<MemoryRun> memoryRuns() {
    return memory;
  }

  /** The median calls per second of a variant. */
  double medianThroughput(Variant variant) {
    return median(runsOf(variant), ThroughputRun::throughput);
  }

  /** The median CPU microseconds per call of a variant. */
  double medianCpuMicros(Variant variant) {
    return median(runsOf(variant), ThroughputRun::cpuMicrosPerRequest);
  }

  /** The median heap bytes per idle user of the baseline or of gatling-jwt. */
  double medianBytesPerUser(Variant variant) {
    List<Double> values = new ArrayList<>();
    for (MemoryRun run : memory) {
      if (run.variant().equals(variant.label())) {
        values.add(run.bytesPerUser());
      }
    }
    return median(values);
  }

  /** Write {@code <output>.json} and {@code <output>.md}. */
  void write(Path output) throws IOException {
    Path dir = output.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    String name = output.getFileName().toString();
    MAPPER.writeValue(dir.resolve(name + ".json").toFile(), toJson());
    Files.writeString(dir.resolve(name + ".md"), toMarkdown(), StandardCharsets.UTF_8);
  }

  /** The summary as a JSON tree. */
  Map<String, Object> toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "gatling-jwt issue 6: what managed auth costs the load generator");
    root.put("command", "mvn -Pbenchmark verify");
    root.put("machine", machine);
    root.put("loadAverageAtEnd", loadAverageAtEnd);
    root.put("settings", settingsJson());
    List<Map<String, Object>> variants = new ArrayList<>();
    for (Variant variant : Variant.values()) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("variant", variant.label());
      v.put("description", variant.description());
      v.put("medianCallsPerSecond", round(medianThroughput(variant), 1));
      v.put("medianCpuMicrosPerCall", round(medianCpuMicros(variant), 2));
      v.put("throughputRatioToBaseline", round(throughputRatio(variant), 3));
      v.put("cpuPerCallRatioToBaseline", round(cpuRatio(variant), 3));
      v.put("runs", runsOf(variant));
      variants.add(v);
    }
    root.put("throughput", variants);
    Map<String, Object> mem = new LinkedHashMap<>();
    mem.put("users", settings.memoryUsers());
    mem.put("baselineMedianBytesPerUser", round(medianBytesPerUser(Variant.BASELINE), 0));
    mem.put("gatlingJwtMedianBytesPerUser", round(medianBytesPerUser(Variant.JWT_LONG), 0));
    mem.put("extraBytesPerUser", round(extraBytesPerUser(), 0));
    mem.put("runs", memory);
    root.put("memory", mem);
    root.put("targets", targets());
    return root;
  }

  /** The summary as Markdown: the machine, the medians and ratios, the targets. */
  String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("# gatling-jwt benchmark (issue 6)\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Machine: %d cores, %s, %d GB, %s, %s; %s; one-minute load average %.2f at start,"
                + " %.2f at the end.%n%n",
            machine.cores(),
            machine.cpuModel(),
            machine.memoryGb(),
            machine.java(),
            machine.os(),
            machine.date(),
            machine.loadAverageAtStart(),
            loadAverageAtEnd));
    md.append(
        String.format(
            Locale.ROOT,
            "Command: `mvn -Pbenchmark verify`. %d users looping without pauses, %d rounds"
                + " alternating the variants, each run in a fresh JVM (%s): %d s warm-up, then a"
                + " %d s window; short tokens live %d s (refresh lead %d s). Medians over the"
                + " rounds; the embedded API runs in processes of its own, its CPU is not"
                + " counted.%n%n",
            settings.users(),
            settings.repetitions(),
            String.join(" ", ChildJvm.LOAD_GENERATOR_OPTIONS),
            settings.warmUp().toSeconds(),
            settings.measure().toSeconds(),
            settings.shortTtl().toSeconds(),
            settings.refreshLead().toSeconds()));
    md.append(
        "| variant | calls/s | CPU µs per call | throughput vs baseline | CPU vs baseline |\n");
    md.append("|---|---:|---:|---:|---:|\n");
    for (Variant variant : Variant.values()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.1f | %.3f | %.3f |%n",
              variant.label(),
              medianThroughput(variant),
              medianCpuMicros(variant),
              throughputRatio(variant),
              cpuRatio(variant)));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nMemory, %d users logged in and holding, live heap (class histogram after a full GC):"
                + " baseline %.0f bytes"
                + " per user, gatling-jwt %.0f, extra %.0f bytes per user (median of %d rounds).%n%n",
            settings.memoryUsers(),
            medianBytesPerUser(Variant.BASELINE),
            medianBytesPerUser(Variant.JWT_LONG),
            extraBytesPerUser(),
            settings.memoryRepetitions()));
    md.append("| target | measured | met |\n|---|---|---|\n");
    for (Map<String, Object> target : targets()) {
      md.append(
          String.format(
              "| %s | %s | %s |%n",
              target.get("target"),
              target.get("measured"),
              Boolean.TRUE.equals(target.get("met")) ? "yes" : "no"));
    }
    return md.toString();
  }

  private List<Map<String, Object>> targets() {
    List<Map<String, Object>> targets = new ArrayList<>();
    for (Variant variant : new Variant[] {Variant.JWT_LONG, Variant.JWT_SHORT}) {
      double t = throughputRatio(variant);
      targets.add(target(variant.label() + ": throughput / baseline >= 0.97", fmt(t), t >= 0.97));
      double c = cpuRatio(variant);
      targets.add(target(variant.label() + ": CPU per call / baseline <= 1.05", fmt(c), c <= 1.05));
    }
    double extra = extraBytesPerUser();
    targets.add(
        target(
            "gatling-jwt: extra heap per idle user <= 2048 bytes",
            String.format(Locale.ROOT, "%.0f bytes", extra),
            extra <= 2048));
    double jwt = medianCpuMicros(Variant.JWT_SHORT);
    double jmeter = medianCpuMicros(Variant.JMETER_SHORT);
    targets.add(
        target(
            "gatling-jwt uses less CPU per call than JMeter (short tokens)",
            String.format(Locale.ROOT, "%.1f vs %.1f µs", jwt, jmeter),
            jwt < jmeter));
    return targets;
  }

  private static Map<String, Object> target(String name, String measured, boolean met) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("target", name);
    t.put("measured", measured);
    t.put("met", met);
    return t;
  }

  private Map<String, Object> settingsJson() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("repetitions", settings.repetitions());
    s.put("users", settings.users());
    s.put("warmUpSeconds", settings.warmUp().toSeconds());
    s.put("measureSeconds", settings.measure().toSeconds());
    s.put("shortTokenSeconds", settings.shortTtl().toSeconds());
    s.put("longTokenSeconds", BenchmarkSettings.LONG_TTL.toSeconds());
    s.put("refreshLeadSeconds", settings.refreshLead().toSeconds());
    s.put("memoryUsers", settings.memoryUsers());
    s.put("memoryRepetitions", settings.memoryRepetitions());
    s.put("loadGeneratorJvmOptions", ChildJvm.LOAD_GENERATOR_OPTIONS);
    return s;
  }

  private double throughputRatio(Variant variant) {
    return medianThroughput(variant) / medianThroughput(Variant.BASELINE);
  }

  private double cpuRatio(Variant variant) {
    return medianCpuMicros(variant) / medianCpuMicros(Variant.BASELINE);
  }

  private double extraBytesPerUser() {
    return medianBytesPerUser(Variant.JWT_LONG) - medianBytesPerUser(Variant.BASELINE);
  }

  private List<ThroughputRun> runsOf(Variant variant) {
    return throughput.stream().filter(r -> r.variant().equals(variant.label())).toList();
  }

  private static double median(List<ThroughputRun> runs, ToDoubleFunction<ThroughputRun> f) {
    return median(runs.stream().map(f::applyAsDouble).toList());
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static double round(double value, int decimals) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return value;
    }
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
