package io.github.gatlingjwt.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java process the benchmark starts (the embedded API, a Gatling run, a JMeter run), with its
 * console going to a file. The load generators all get the same heap and collector.
 */
final class ChildJvm implements AutoCloseable {

  /** The JVM options of every load generator, Gatling and JMeter alike. */
  static final List<String> LOAD_GENERATOR_OPTIONS =
      List.of("-Xms1g", "-Xmx2g", "-XX:+UseParallelGC");

  private final Process process;
  private final Path console;
  private final String description;

  private ChildJvm(Process process, Path console, String description) {
    this.process = process;
    this.console = console;
    this.description = description;
  }

  /**
   * Start {@code java} (of the running JDK) with these arguments.
   *
   * @param description what it is, for messages
   * @param arguments everything after {@code java}
   * @param workDir its working directory
   * @param console where its standard output and error go
   * @return the started process
   */
  static ChildJvm start(String description, List<String> arguments, Path workDir, Path console)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(arguments);
    Files.createDirectories(console.toAbsolutePath().getParent());
    Process process =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(console.toFile())
            .start();
    return new ChildJvm(process, console, description);
  }

  /** Its process id. */
  long pid() {
    return process.pid();
  }

  /** Its CPU time so far (user + system, all threads), as the OS counts it. */
  Duration cpuTime() {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Whether it is still running. */
  boolean isAlive() {
    return process.isAlive();
  }

  /** Wait for a line of its console that contains {@code marker}; return that line. */
  String awaitLine(String marker, Duration timeout) throws IOException, InterruptedException {
    return awaitLine(console, marker, timeout);
  }

  /** Wait for a line of a file it writes that contains {@code marker}; return that line. */
  String awaitLine(Path file, String marker, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> lines =
          Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
      for (String line : lines) {
        if (line.contains(marker)) {
          return line;
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        description
            + " did not print \""
            + marker
            + "\" within "
            + timeout.toSeconds()
            + " s in "
            + file
            + "; its console is in "
            + console
            + ":\n"
            + tail());
  }

  /** Wait for it to end; fail with its last lines if it takes longer than {@code timeout}. */
  int waitFor(Duration timeout) throws InterruptedException, IOException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          description + " did not end within " + timeout.toSeconds() + " s:\n" + tail());
    }
    return process.exitValue();
  }

  /** Its whole console output so far. */
  String output() throws IOException {
    return Files.readString(console, StandardCharsets.UTF_8);
  }

  /** Its last 30 console lines. */
  String tail() throws IOException {
    List<String> lines = Files.readAllLines(console, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** Stop it (SIGTERM, then SIGKILL after 5 s). */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
