package io.github.gatlingjwt.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.gatlingjwt.AuthAssertion;
import io.github.gatlingjwt.internal.AuthMetrics.Counter;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The auth side of one Gatling run in this JVM: the counters of each named auth configuration and
 * their assertions. When the JVM exits, after Gatling has printed its summary and written its
 * report, it prints the auth summary, writes {@code auth-metrics.json} into the run's report
 * folder, checks the assertions, and when one fails makes the process exit with status 2 (Gatling's
 * own status for failed assertions), so {@code mvn gatling:test} fails.
 *
 * <p>For internal use only.
 */
public final class AuthRun {

  /** The JSON file written beside Gatling's report. */
  public static final String METRICS_FILE = "auth-metrics.json";

  /** The exit status of a run whose auth assertions failed, as Gatling's own. */
  public static final int ASSERTIONS_FAILED_STATUS = 2;

  private static final Map<String, AuthMetrics> METRICS = new ConcurrentHashMap<>();
  private static final Map<String, Set<AuthAssertion>> ASSERTIONS = new ConcurrentHashMap<>();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AuthRun() {}

  /**
   * The counters of an auth configuration, created on first use; the first call installs the
   * end-of-run report.
   *
   * @param name the configuration's name
   * @return its counters, shared by every configuration of that name
   */
  public static AuthMetrics metrics(String name) {
    if (HOOKED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(AuthRun::atExit, "gatling-jwt-report"));
    }
    return METRICS.computeIfAbsent(name, AuthMetrics::new);
  }

  /**
   * Register assertions to check at the end of the run.
   *
   * @param name the configuration's name
   * @param assertions its assertions; registering the same one twice checks it once
   */
  public static void assertions(String name, Collection<AuthAssertion> assertions) {
    metrics(name);
    ASSERTIONS
        .computeIfAbsent(name, n -> java.util.Collections.synchronizedSet(new LinkedHashSet<>()))
        .addAll(assertions);
  }

  private static void atExit() {
    List<AuthMetrics.Snapshot> snapshots = new ArrayList<>();
    METRICS.values().forEach(m -> snapshots.add(m.snapshot()));
    Map<String, List<AuthAssertion>> assertions = new LinkedHashMap<>();
    ASSERTIONS.forEach((name, set) -> assertions.put(name, List.copyOf(set)));
    Report report = report(snapshots, assertions);
    PrintStream out = System.out;
    if (report.isEmpty()) {
      if (!assertions.isEmpty()) {
        out.println(
            "gatling-jwt: no virtual user ran an auth step: auth assertions not evaluated.");
      }
      return;
    }
    out.print(report.text());
    Path target = metricsFile(resultsFolders(), jvmStartMillis());
    if (target == null) {
      out.println(
          "gatling-jwt: no run of this JVM found in the Gatling results folder, so "
              + METRICS_FILE
              + " was not written: set -DgatlingJwt.resultsFolder=<the results folder>.");
    } else {
      try {
        Files.writeString(target, report.json());
        out.println("gatling-jwt: auth metrics written to " + target.toAbsolutePath());
      } catch (IOException e) {
        out.println("gatling-jwt: could not write " + target + ": " + e.getMessage());
      }
    }
    // whether Gatling wrote an HTML report or not (-nr, noReports): a failed gate fails the run
    if (report.failed()) {
      out.println(
          "gatling-jwt: auth assertions failed: the run exits with status "
              + ASSERTIONS_FAILED_STATUS
              + ".");
      out.flush();
      Runtime.getRuntime().halt(ASSERTIONS_FAILED_STATUS);
    }
    out.flush();
  }

  /** What the end of the run prints and writes. */
  public record Report(String text, String json, boolean failed, boolean isEmpty) {}

  /**
   * Build the end-of-run report.
   *
   * @param snapshots the counters of each configuration
   * @param assertions the assertions of each configuration, by name
   * @return the console text, the JSON, and whether an assertion failed
   */
  public static Report report(
      List<AuthMetrics.Snapshot> snapshots, Map<String, List<AuthAssertion>> assertions) {
    StringBuilder text = new StringBuilder();
    Map<String, Object> json = new LinkedHashMap<>();
    boolean failed = false;
    boolean empty = true;
    for (AuthMetrics.Snapshot s : snapshots) {
      List<AuthAssertion> checks = assertions.getOrDefault(s.name(), List.of());
      if (s.get(Counter.USERS) == 0 && checks.isEmpty()) {
        continue;
      }
      empty = false;
      text.append(rule("", '=')).append('\n');
      text.append(rule("gatling-jwt: auth counters of \"" + s.name() + "\"", '-')).append('\n');
      line(text, "users", s.get(Counter.USERS));
      line(text, "login requests (retries included)", s.get(Counter.LOGIN_REQUESTS));
      line(text, "logins OK", s.get(Counter.LOGINS));
      line(text, "re-logins OK", s.get(Counter.RE_LOGINS));
      line(text, "proactive refreshes", s.get(Counter.PROACTIVE_REFRESHES));
      line(text, "reactive refreshes (after a refusal)", s.get(Counter.REACTIVE_REFRESHES));
      line(text, "refreshes OK", s.get(Counter.REFRESHES));
      line(text, "refusals replayed", s.get(Counter.REFUSALS));
      line(text, "refusals recovered", s.get(Counter.REFUSALS_RECOVERED));
      line(text, "auth failures", s.authFailures());
      line(text, "users stopped for auth", s.get(Counter.USERS_STOPPED));
      line(text, "retries after 429", s.get(Counter.RETRIES_AFTER_429));
      line(text, "waits for a shared token", s.get(Counter.SHARED_WAITS));
      text.append(
          String.format(
              Locale.ROOT, "> %-45s %12.2f%n", "refreshes per user", s.refreshesPerUser()));
      Map<String, Object> entry = new LinkedHashMap<>();
      for (Counter c : Counter.values()) {
        entry.put(c.jsonName(), s.get(c));
      }
      entry.put("refreshRequests", s.refreshRequests());
      entry.put("authFailures", s.authFailures());
      entry.put("unrecoveredRefusals", s.unrecoveredRefusals());
      entry.put("refreshesPerUser", round(s.refreshesPerUser()));
      entry.put("loginsPerUser", round(s.loginsPerUser()));
      List<Map<String, Object>> results = new ArrayList<>();
      if (!checks.isEmpty()) {
        text.append(rule("gatling-jwt: auth assertions", '-')).append('\n');
      }
      for (AuthAssertion a : checks) {
        boolean holds = a.holds(s);
        failed |= !holds;
        text.append(a)
            .append(" : ")
            .append(holds)
            .append(" (actual ")
            .append(format(a.actual(s)))
            .append(")\n");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("assertion", a.toString());
        result.put("actual", round(a.actual(s)));
        result.put("result", holds);
        results.add(result);
      }
      entry.put("assertions", results);
      json.put(s.name(), entry);
      text.append(rule("", '=')).append('\n');
    }
    String jsonText;
    try {
      jsonText = MAPPER.writeValueAsString(json) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("could not write the auth metrics as JSON", e);
    }
    return new Report(text.toString(), jsonText, failed, empty);
  }

  private static void line(StringBuilder text, String label, long value) {
    text.append(String.format(Locale.ROOT, "> %-45s %12d%n", label, value));
  }

  private static String rule(String title, char c) {
    String head = title.isEmpty() ? "" : "---- " + title + " ";
    StringBuilder sb = new StringBuilder(head);
    while (sb.length() < 80) {
      sb.append(c);
    }
    return sb.toString();
  }

  private static Object round(double value) {
    return value == Math.rint(value) ? (Object) (long) value : Math.round(value * 100) / 100.0;
  }

  private static String format(double value) {
    return value == Math.rint(value)
        ? String.valueOf((long) value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  // ---------------------------------------------------------------------------------------------
  // Where Gatling wrote its report

  private static long jvmStartMillis() {
    return ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  /**
   * The folders Gatling may have written this run into: {@code -DgatlingJwt.resultsFolder},
   * Gatling's {@code -rf} / {@code --results-folder} argument when it is on the command line (the
   * Gatling Maven plugin passes it in a file instead), and {@code results}, {@code target/gatling}
   * and {@code build/reports/gatling}.
   *
   * @return the folders that exist
   */
  static List<Path> resultsFolders() {
    List<Path> folders = new ArrayList<>();
    String configured = System.getProperty("gatlingJwt.resultsFolder");
    if (configured != null && !configured.isBlank()) {
      folders.add(Path.of(configured));
    }
    String[] command = System.getProperty("sun.java.command", "").split(" ");
    for (int i = 0; i + 1 < command.length; i++) {
      if (command[i].equals("-rf") || command[i].equals("--results-folder")) {
        folders.add(Path.of(command[i + 1]));
      }
    }
    Stream.of("results", "target/gatling", "build/reports/gatling")
        .map(Path::of)
        .forEach(folders::add);
    return folders.stream().filter(Files::isDirectory).distinct().toList();
  }

  /**
   * The metrics file of the newest run, in any of the folders, that started after {@code
   * sinceMillis}.
   *
   * @return the file to write, or null when no such run is found
   */
  static Path metricsFile(List<Path> folders, long sinceMillis) {
    Path newest = null;
    long newestTime = Long.MIN_VALUE;
    for (Path folder : folders) {
      Path file = metricsFile(folder, sinceMillis);
      if (file != null && file.getParent().toFile().lastModified() > newestTime) {
        newest = file;
        newestTime = file.getParent().toFile().lastModified();
      }
    }
    return newest;
  }

  /**
   * The metrics file of the newest run in a results folder that started after {@code sinceMillis}.
   *
   * @return the file to write, or null when no such run is found
   */
  static Path metricsFile(Path folder, long sinceMillis) {
    if (!Files.isDirectory(folder)) {
      return null;
    }
    try (Stream<Path> runs = Files.list(folder)) {
      return runs.filter(dir -> Files.isRegularFile(dir.resolve("simulation.log")))
          .filter(dir -> dir.resolve("simulation.log").toFile().lastModified() >= sinceMillis)
          .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
          .map(dir -> dir.resolve(METRICS_FILE))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }
}
