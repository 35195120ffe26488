package io.github.gatlingjwt.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a Gatling simulation in its own JVM, as {@code mvn gatling:test} would, and reads what it
 * reported: the exit code, the console output, and the final summary's per-request OK/KO counts and
 * error messages.
 */
public final class GatlingRun {

  /** OK and KO counts of one request name in the final summary. */
  public record Counts(long ok, long ko) {
    public long total() {
      return ok + ko;
    }
  }

  private final int exitCode;
  private final String output;
  private final Path resultsDir;
  private final Map<String, Counts> requests;
  private final Map<String, Long> errors;

  private GatlingRun(int exitCode, String output, Path resultsDir) {
    this.exitCode = exitCode;
    this.output = output;
    this.resultsDir = resultsDir;
    this.requests = parseRequests(output);
    if (requests.isEmpty() && output.contains("---- Requests ---")) {
      throw new IllegalStateException("could not read the request counts of:\n" + output);
    }
    this.errors = parseErrors(output);
  }

  /**
   * Run a simulation class with system properties, and wait for it (at most 3 minutes).
   *
   * @param simulation the simulation class
   * @param properties system properties for the simulation
   * @param resultsDir where Gatling writes its results
   */
  public static GatlingRun run(Class<?> simulation, Map<String, String> properties, Path resultsDir)
      throws IOException, InterruptedException {
    String classpath = System.getProperty("surefire.test.class.path");
    if (classpath == null || classpath.isBlank()) {
      classpath = System.getProperty("java.class.path");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-XX:+UseParallelGC");
    command.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
    for (Map.Entry<String, String> p : properties.entrySet()) {
      command.add("-D" + p.getKey() + "=" + p.getValue());
    }
    command.add("-cp");
    command.add(classpath);
    command.add("io.gatling.app.Gatling");
    command.add("-s");
    command.add(simulation.getName());
    command.add("-rf");
    command.add(resultsDir.toString());
    command.add("-l");
    command.add("test");
    Files.createDirectories(resultsDir);
    File log = resultsDir.resolve("console.txt").toFile();
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("the simulation did not end within 3 minutes");
    }
    String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    return new GatlingRun(process.exitValue(), output, resultsDir);
  }

  /** Read a console output captured elsewhere. */
  static GatlingRun fromOutput(int exitCode, String output) {
    return new GatlingRun(exitCode, output, null);
  }

  public int exitCode() {
    return exitCode;
  }

  public String output() {
    return output;
  }

  public Path resultsDir() {
    return resultsDir;
  }

  /** Counts of one request name in the final summary, (0, 0) when it never ran. */
  public Counts counts(String requestName) {
    return requests.getOrDefault(requestName, new Counts(0, 0));
  }

  public Map<String, Counts> requests() {
    return requests;
  }

  /**
   * The counters of one auth configuration from the {@code auth-metrics.json} gatling-jwt wrote
   * beside the report.
   *
   * @param name the configuration's name, {@code "auth"} by default
   * @return the counters and derived figures by their JSON names
   * @throws IllegalStateException when no such file or configuration exists
   */
  public JsonNode authMetrics(String name) throws IOException {
    try (Stream<Path> files = Files.walk(resultsDir, 2)) {
      Path file =
          files
              .filter(f -> f.getFileName().toString().equals("auth-metrics.json"))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("no auth-metrics.json under " + resultsDir));
      JsonNode metrics = new ObjectMapper().readTree(file.toFile()).get(name);
      if (metrics == null) {
        throw new IllegalStateException("no auth configuration " + name + " in " + file);
      }
      return metrics;
    }
  }

  /** Error messages of the final summary with their counts. */
  public Map<String, Long> errors() {
    return errors;
  }

  /** The final summary block: the last one the console printed. */
  private static String lastSummary(String output) {
    int at = output.lastIndexOf("---- Requests ---");
    return at < 0 ? "" : output.substring(at);
  }

  private static final Pattern REQUEST_LINE =
      Pattern.compile(
          "^> (.+?)\\s+\\|\\s+([\\d,]+)\\s+\\|\\s+([\\d,]+)\\s+\\|\\s+([\\d,]+)\\s*$",
          Pattern.MULTILINE);

  private static Map<String, Counts> parseRequests(String output) {
    Map<String, Counts> map = new LinkedHashMap<>();
    String summary = lastSummary(output);
    int errorsAt = summary.indexOf("---- Errors ---");
    String requestsPart = errorsAt < 0 ? summary : summary.substring(0, errorsAt);
    Matcher m = REQUEST_LINE.matcher(requestsPart);
    while (m.find()) {
      map.put(m.group(1).trim(), new Counts(number(m.group(3)), number(m.group(4))));
    }
    return map;
  }

  /** Gatling prints an error's first 99 characters, padded, then its count and percentage. */
  private static final int ERROR_FIRST_LINE = 99;

  private static final Pattern ERROR_COUNT =
      Pattern.compile("^\\s*([\\d,]+)\\s+\\(\\s*[\\d.,]+%\\)\\s*$");

  /** The errors of the closing summary; long messages wrap over two console lines. */
  private static Map<String, Long> parseErrors(String output) {
    Map<String, Long> map = new LinkedHashMap<>();
    int finalAt = output.lastIndexOf("---- Global Information");
    String closing = finalAt < 0 ? "" : output.substring(finalAt);
    int errorsAt = closing.indexOf("---- Errors ---");
    if (errorsAt < 0) {
      return map;
    }
    String message = null;
    long count = 0;
    StringBuilder rest = null;
    for (String line : closing.substring(errorsAt).split("\\R")) {
      if (line.startsWith("====") || line.startsWith("> ")) {
        if (message != null) {
          map.merge((message + rest).stripTrailing(), count, Long::sum);
          message = null;
        }
        if (line.startsWith("====")) {
          break;
        }
        int end = Math.min(line.length(), 2 + ERROR_FIRST_LINE);
        Matcher m = ERROR_COUNT.matcher(line.substring(end));
        if (!m.matches()) {
          throw new IllegalStateException("could not read the error line: " + line);
        }
        message = line.substring(2, end);
        count = number(m.group(1));
        rest = new StringBuilder();
      } else if (message != null && !line.startsWith("----")) {
        rest.append(line);
      }
    }
    return map;
  }

  /** Console numbers are grouped by thousands: "1,247". */
  private static long number(String grouped) {
    return Long.parseLong(grouped.replace(",", ""));
  }

  @Override
  public String toString() {
    String summary =
        "GatlingRun{exit=" + exitCode + ", requests=" + requests + ", errors=" + errors + "}";
    if (!requests.isEmpty()) {
      return summary;
    }
    // the run did not get as far as a summary: show how it ended
    String[] lines = output.split("\\R");
    int from = Math.max(0, lines.length - 40);
    return summary
        + "\n--- last lines of its output ---\n"
        + String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length));
  }
}
