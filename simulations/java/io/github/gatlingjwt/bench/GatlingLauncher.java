package io.github.gatlingjwt.bench;

import io.gatling.app.Gatling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one Gatling benchmark simulation in its own JVM ({@code io.gatling.app.Gatling}, no HTML
 * report) and reads the {@link BenchProbe} line it prints.
 */
final class GatlingLauncher {

  private final String classpath;

  GatlingLauncher(String classpath) {
    this.classpath = classpath;
  }

  /**
   * @param simulation the simulation class
   * @param properties its {@code -Dbench.*} properties
   * @param runDir where its console and results go
   * @param timeout how long it may take
   * @return the probe's figures, by name
   */
  Map<String, String> run(
      Class<?> simulation, Map<String, String> properties, Path runDir, Duration timeout)
      throws IOException, InterruptedException {
    List<String> arguments = new ArrayList<>(ChildJvm.LOAD_GENERATOR_OPTIONS);
    arguments.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
    properties.forEach((name, value) -> arguments.add("-D" + name + "=" + value));
    arguments.addAll(
        List.of(
            "-cp",
            classpath,
            Gatling.class.getName(),
            "-s",
            simulation.getName(),
            "-rf",
            runDir.resolve("results").toString(),
            "-nr",
            "-l",
            "test"));
    Files.createDirectories(runDir);
    try (ChildJvm jvm =
        ChildJvm.start(
            "Gatling (" + simulation.getSimpleName() + ")",
            arguments,
            runDir,
            runDir.resolve("console.txt"))) {
      int exit = jvm.waitFor(timeout);
      for (String line : jvm.output().split("\\R")) {
        if (line.startsWith(BenchProbe.PREFIX + " ")) {
          return parse(line.substring(BenchProbe.PREFIX.length() + 1));
        }
      }
      throw new IllegalStateException(
          "Gatling ("
              + simulation.getSimpleName()
              + ") ended with exit code "
              + exit
              + " without printing its "
              + BenchProbe.PREFIX
              + " line; its last lines:\n"
              + jvm.tail());
    }
  }

  private static Map<String, String> parse(String figures) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : figures.trim().split("\\s+")) {
      int eq = pair.indexOf('=');
      map.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return map;
  }
}
