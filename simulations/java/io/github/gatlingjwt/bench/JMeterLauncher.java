package io.github.gatlingjwt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the JMeter test plan {@code simulations/jmeter/jwt-lifecycle.jmx} in non-GUI mode, in its
 * own JVM, from the JMeter that jmeter-maven-plugin's {@code configure} goal laid out under {@code
 * target/} (it records where in {@code target/config.json}).
 *
 * <p>JMeter has no probe inside: the CPU time is read from the outside ({@link ChildJvm#cpuTime()},
 * the OS's count for that process) at both ends of the window, and the calls completed in the
 * window are counted afterwards in the results file, by their end time. The warm-up counts from the
 * first protected call in the results file (written in 8 KB blocks, so a little late).
 */
final class JMeterLauncher {

  /** What JMeter prints before the port it listens on for a shutdown request. */
  private static final String SHUTDOWN_PORT = "message on port ";

  /** Time JMeter may take to start calling (Groovy compilation) on a busy machine. */
  private static final Duration STARTUP_SLACK = Duration.ofSeconds(30);

  /** What JMeter logs once its threads are started. */
  private static final String STARTED = "All thread groups have been started";

  private static final String PROTECTED_LABEL = "protected";
  private static final String REPLAY_LABEL = "protected (replay)";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path jmeterHome;
  private final Path jar;
  private final Path testPlan;

  private JMeterLauncher(Path jmeterHome, Path jar, Path testPlan) {
    this.jmeterHome = jmeterHome;
    this.jar = jar;
    this.testPlan = testPlan;
  }

  /**
   * Find the JMeter that jmeter-maven-plugin laid out.
   *
   * @param pluginConfig the plugin's {@code target/config.json}
   * @param testPlan the {@code .jmx} file
   * @return a launcher, or an exception whose message says what to run
   */
  static JMeterLauncher fromPluginConfig(Path pluginConfig, Path testPlan) throws IOException {
    String howTo =
        " Run `mvn -Pbenchmark verify`, or `mvn process-test-resources` for JMeter alone: the"
            + " jmeter-maven-plugin's configure goal lays JMeter out under target/.";
    if (!Files.isRegularFile(pluginConfig)) {
      throw new IllegalStateException(
          "JMeter is not laid out: " + pluginConfig + " is missing." + howTo);
    }
    JsonNode config = MAPPER.readTree(pluginConfig.toFile()).path("configurations").path(0);
    Path home = Path.of(config.path("jmeterDirectoryPath").asText(""));
    Path jar = home.resolve("bin").resolve(config.path("runtimeJarName").asText(""));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "JMeter is not laid out: "
              + pluginConfig
              + " names "
              + jar
              + ", which is missing."
              + howTo);
    }
    if (!Files.isRegularFile(testPlan)) {
      throw new IllegalStateException("The JMeter test plan " + testPlan + " is missing.");
    }
    return new JMeterLauncher(home, jar, testPlan.toAbsolutePath());
  }

  /**
   * Run the plan against an API and measure one window.
   *
   * @param api the API
   * @param users threads
   * @param warmUp time from the threads' start to the window
   * @param measure the window's length
   * @param refreshLead the refresh lead time
   * @param runDir where its console, log and results go
   * @return what the window saw
   */
  ThroughputRun run(
      String variant,
      int repetition,
      ApiProcess api,
      int users,
      Duration warmUp,
      Duration measure,
      Duration refreshLead,
      Path runDir)
      throws IOException, InterruptedException {
    Files.createDirectories(runDir);
    Path results = runDir.resolve("results.jtl").toAbsolutePath();
    Path log = runDir.resolve("jmeter.log").toAbsolutePath();
    Files.deleteIfExists(results);
    Files.deleteIfExists(log);
    // JMeter's clock starts with its threads, before it has compiled the plan's Groovy: leave it
    // time enough, and stop it once the window is closed
    long duration = warmUp.plus(measure).plus(STARTUP_SLACK).toSeconds();
    List<String> arguments = new ArrayList<>(ChildJvm.LOAD_GENERATOR_OPTIONS);
    arguments.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "-n",
            "-t",
            testPlan.toString(),
            "-l",
            results.toString(),
            "-j",
            log.toString(),
            "-Jjmeter.save.saveservice.output_format=csv",
            "-Jhost=127.0.0.1",
            "-Jport=" + api.port(),
            "-Jusers=" + users,
            "-Jduration=" + duration,
            "-JcredentialsCsv=" + api.credentialsCsv(),
            "-JrefreshLeadMs=" + refreshLead.toMillis()));
    try (ChildJvm jvm =
        ChildJvm.start(
            "JMeter", arguments, jmeterHome.resolve("bin"), runDir.resolve("console.txt"))) {
      jvm.awaitLine(log, STARTED, Duration.ofSeconds(60));
      // the warm-up counts from the first call: JMeter compiles the plan's Groovy before it
      jvm.awaitLine(results, "," + PROTECTED_LABEL + ",", Duration.ofSeconds(60));
      Thread.sleep(warmUp.toMillis());
      Duration cpu0 = jvm.cpuTime();
      long from = System.currentTimeMillis();
      Thread.sleep(measure.toMillis());
      Duration cpu1 = jvm.cpuTime();
      long to = System.currentTimeMillis();
      askToStop(jvm);
      int exit = jvm.waitFor(Duration.ofSeconds(duration + 60));
      if (exit != 0) {
        throw new IllegalStateException("JMeter ended with exit code " + exit + ":\n" + jvm.tail());
      }
      long[] counts = countCalls(results, from, to);
      return new ThroughputRun(
          variant,
          repetition,
          counts[0],
          counts[1],
          (to - from) / 1000.0,
          cpu1.minus(cpu0).toNanos() / 1e6);
    }
  }

  /**
   * Ask JMeter to end its test gracefully (its threads finish their current call, the results file
   * is flushed), as its own {@code shutdown.sh} does: a UDP datagram on its local port.
   */
  private static void askToStop(ChildJvm jvm) throws IOException, InterruptedException {
    String line = jvm.awaitLine(SHUTDOWN_PORT, Duration.ofSeconds(5));
    int port =
        Integer.parseInt(
            line.substring(line.indexOf(SHUTDOWN_PORT) + SHUTDOWN_PORT.length()).trim());
    byte[] message = "Shutdown".getBytes(StandardCharsets.US_ASCII);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.send(
          new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), port));
    }
  }

  /**
   * Protected calls that ended in {@code [from, to)}, counted by their first attempt, and the KOs
   * among them. As with gatling-jwt, a first attempt refused with 401 is replayed, not judged: the
   * KOs are the other failed first attempts and the failed replays.
   */
  private static long[] countCalls(Path results, long from, long to) throws IOException {
    long calls = 0;
    long ko = 0;
    try (BufferedReader reader = Files.newBufferedReader(results, StandardCharsets.UTF_8)) {
      List<String> header = Arrays.asList(reader.readLine().split(","));
      int timeStamp = column(header, "timeStamp");
      int elapsed = column(header, "elapsed");
      int label = column(header, "label");
      int code = column(header, "responseCode");
      int success = column(header, "success");
      String line;
      while ((line = reader.readLine()) != null) {
        String[] fields = line.split(",", -1);
        if (fields.length <= success) {
          continue;
        }
        boolean first = PROTECTED_LABEL.equals(fields[label]);
        boolean replay = REPLAY_LABEL.equals(fields[label]);
        long end = Long.parseLong(fields[timeStamp]) + Long.parseLong(fields[elapsed]);
        if ((!first && !replay) || end < from || end >= to) {
          continue;
        }
        calls += first ? 1 : 0;
        boolean failed = !"true".equals(fields[success]);
        if (failed && (replay || !"401".equals(fields[code]))) {
          ko++;
        }
      }
    }
    return new long[] {calls, ko};
  }

  private static int column(List<String> header, String name) {
    int index = header.indexOf(name);
    if (index < 0) {
      throw new IllegalStateException(
          "JMeter's results file has no " + name + " column: " + header);
    }
    return index;
  }
}
