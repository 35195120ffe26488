package io.github.gatlingjwt.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The machine a benchmark ran on, for its summary.
 *
 * @param cores available processors
 * @param cpuModel the first {@code model name} of {@code /proc/cpuinfo}, or "unknown"
 * @param memoryGb physical memory, in GB
 * @param java the JVM's name and version
 * @param os the OS's name and version
 * @param date when the benchmark started (UTC)
 * @param loadAverageAtStart the one-minute load average when it started (other processes)
 */
record MachineInfo(
    int cores,
    String cpuModel,
    long memoryGb,
    String java,
    String os,
    String date,
    double loadAverageAtStart) {

  /** Read this machine's description now. */
  static MachineInfo current() {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        readCpuModel(),
        Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024)),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        os.getSystemLoadAverage());
  }

  private static String readCpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
