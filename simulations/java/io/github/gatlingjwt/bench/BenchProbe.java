package io.github.gatlingjwt.bench;

import io.gatling.javaapi.core.Session;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Measures a benchmark run from inside the load generator's JVM, and prints one {@value #PREFIX}
 * line that {@link GatlingLauncher} reads.
 *
 * <p>Throughput phase: counts the protected calls as they complete; a timer thread opens a window
 * after the warm-up (JIT), counted from the first call, and closes it after the measurement time,
 * reading this process's CPU time ({@code OperatingSystemMXBean.getProcessCpuTime()}, user +
 * system, all threads) at both ends. Memory phase: reads the heap used after a full GC before any
 * user starts, and again once every user has logged in and is holding.
 */
final class BenchProbe {

  /** The line prefix of the result. */
  static final String PREFIX = "BENCH-RESULT";

  /** Where the memory phase writes the class histogram, in the run's directory. */
  static final String HISTOGRAM_FILE = "class-histogram.txt";

  private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

  private static final Duration FIRST_CALL_TIMEOUT = Duration.ofSeconds(60);

  private final LongAdder ok = new LongAdder();
  private final LongAdder ko = new LongAdder();
  private final AtomicInteger holding = new AtomicInteger();
  private volatile boolean measured;

  /** After a protected call: count it, and clear a KO so the next call starts clean. */
  Session countCall(Session session) {
    if (session.isFailed()) {
      ko.increment();
      return session.markAsSucceeded();
    }
    ok.increment();
    return session;
  }

  /** After a user's login, in the memory phase. */
  Session holdAfterLogin(Session session) {
    holding.incrementAndGet();
    return session;
  }

  /** Whether the memory phase has read its figure: holding users may then leave. */
  boolean measured() {
    return measured;
  }

  /** Start the throughput window's timer thread; the warm-up counts from the first call. */
  void startThroughputWindow(Duration warmUp, Duration measure) {
    daemon(
        "bench-throughput-window",
        () -> {
          long giveUp = System.nanoTime() + FIRST_CALL_TIMEOUT.toNanos();
          while (ok.sum() + ko.sum() == 0 && System.nanoTime() < giveUp) {
            sleep(10);
          }
          sleep(warmUp.toMillis());
          long cpu0 = processCpuNanos();
          long ok0 = ok.sum();
          long ko0 = ko.sum();
          long t0 = System.nanoTime();
          sleep(measure.toMillis());
          long cpu1 = processCpuNanos();
          long ok1 = ok.sum();
          long ko1 = ko.sum();
          long t1 = System.nanoTime();
          print(
              "phase=throughput requests=%d ko=%d seconds=%.3f cpuMillis=%.3f",
              ok1 - ok0, ko1 - ko0, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e6);
        });
  }

  /** Start the memory probe's thread; it gives up waiting for the logins after {@code timeout}. */
  void startMemoryProbe(int users, Duration timeout) {
    long before = liveBytes(classHistogram());
    daemon(
        "bench-memory-probe",
        () -> {
          long deadline = System.nanoTime() + timeout.toNanos();
          while (holding.get() < users && System.nanoTime() < deadline) {
            sleep(200);
          }
          sleep(2_000); // let the last logins' answers and stats settle
          String histogram = classHistogram();
          writeQuietly(Path.of(HISTOGRAM_FILE), histogram);
          print(
              "phase=memory users=%d holding=%d heapBeforeBytes=%d heapHoldingBytes=%d",
              users, holding.get(), before, liveBytes(histogram));
          measured = true;
        });
  }

  /**
   * The class histogram of the live objects, after a full GC: what {@code jcmd <pid>
   * GC.class_histogram} prints. Its total counts live objects only, whereas "heap used" right after
   * a GC already holds what the holding users allocated since (their pauses wake them).
   */
  private static String classHistogram() {
    try {
      return String.valueOf(
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "gcClassHistogram",
                  new Object[] {new String[0]},
                  new String[] {String[].class.getName()}));
    } catch (Exception e) {
      throw new IllegalStateException("the class histogram could not be read: " + e, e);
    }
  }

  /** The bytes of the histogram's {@code Total} line. */
  static long liveBytes(String histogram) {
    Matcher total = TOTAL.matcher(histogram);
    if (!total.find()) {
      throw new IllegalStateException("the class histogram has no Total line");
    }
    return Long.parseLong(total.group(1));
  }

  private static void writeQuietly(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      System.out.println("the class histogram could not be written to " + file + ": " + e);
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void print(String format, Object... args) {
    System.out.println(PREFIX + " " + String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
