package io.github.gatlingjwt.bench;

import io.github.gatlingjwt.examples.api.EmbeddedJwtApi;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The embedded JWT API in a process of its own ({@link EmbeddedJwtApi#main}), so that its CPU time
 * is not counted against the load generator. Its random credentials go to a CSV file under the
 * benchmark's work directory (test-only accounts).
 */
final class ApiProcess implements AutoCloseable {

  private static final String LISTENING = "Embedded JWT API listening on ";

  private final ChildJvm jvm;
  private final String baseUrl;
  private final Path credentialsCsv;
  private final Duration tokenTtl;

  private ApiProcess(ChildJvm jvm, String baseUrl, Path credentialsCsv, Duration tokenTtl) {
    this.jvm = jvm;
    this.baseUrl = baseUrl;
    this.credentialsCsv = credentialsCsv;
    this.tokenTtl = tokenTtl;
  }

  /**
   * Start an API and wait until it listens.
   *
   * @param classpath the test classpath
   * @param name a short name for its files, e.g. {@code api-short}
   * @param tokenTtl the access-token lifetime
   * @param users the number of accounts
   * @param workDir where its console and credentials go
   */
  static ApiProcess start(String classpath, String name, Duration tokenTtl, int users, Path workDir)
      throws IOException, InterruptedException {
    Path csv = workDir.resolve(name + "-credentials.csv").toAbsolutePath();
    ChildJvm jvm =
        ChildJvm.start(
            "the embedded API (" + name + ")",
            List.of(
                "-Xmx1g",
                "-XX:+UseParallelGC",
                "-cp",
                classpath,
                EmbeddedJwtApi.class.getName(),
                "--port",
                "0",
                "--ttl",
                String.valueOf(tokenTtl.toSeconds()),
                "--users",
                String.valueOf(users),
                "--credentials-csv",
                csv.toString()),
            workDir,
            workDir.resolve(name + "-console.txt"));
    try {
      String line = jvm.awaitLine(LISTENING, Duration.ofSeconds(60));
      String baseUrl = line.substring(line.indexOf(LISTENING) + LISTENING.length()).trim();
      return new ApiProcess(jvm, baseUrl, csv, tokenTtl);
    } catch (RuntimeException | IOException | InterruptedException e) {
      jvm.close();
      throw e;
    }
  }

  /** For example {@code http://127.0.0.1:41234}. */
  String baseUrl() {
    return baseUrl;
  }

  /** Its port. */
  int port() {
    return URI.create(baseUrl).getPort();
  }

  /** The {@code username,password} file of its accounts. */
  Path credentialsCsv() {
    return credentialsCsv;
  }

  /** The lifetime of the access tokens it issues. */
  Duration tokenTtl() {
    return tokenTtl;
  }

  @Override
  public void close() {
    jvm.close();
  }
}
