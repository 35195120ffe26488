package io.github.gatlingjwt.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Keycloak 26, started with {@code kc.sh start-dev} from the distribution that Maven unpacks
 * into {@code target/keycloak}, serving the test realm {@value #REALM} on 127.0.0.1 and a free
 * port; {@link #close()} stops it.
 *
 * <p>In tests, use {@link #shared()}: one server for the whole test JVM. In a simulation, start it
 * where the simulation is built (a field initializer or the constructor: the HTTP protocol's base
 * URL is fixed there, before {@code before()} runs) and close it in {@code after()}. A JVM shutdown
 * hook stops it if closing is missed. Log in with a form-encoded password grant at {@link
 * #tokenEndpoint()}: {@code grant_type=password}, {@code client_id=}{@value #PUBLIC_CLIENT_ID},
 * {@code username=user1}, {@code password=}{@link #password(String) password("user1")} and {@code
 * scope=openid} (without that scope the userinfo endpoint refuses the token).
 *
 * <p>The realm is imported on every start from {@value #REALM_RESOURCE} (a test resource) into an
 * in-memory H2 database, so every run starts from the same state and nothing is written outside
 * {@code target/}. Each run gets its own home under {@code target/keycloak-runs/run-*} (its own
 * {@code data} folder, the distribution's {@code lib}, {@code conf}, {@code themes} and {@code
 * providers} linked in) and its console output in {@code keycloak.log} there. Keycloak 26 needs
 * Java 21 or newer: see {@link #start(Duration)} for how it is found.
 *
 * <p>Every password, the client secret and the realm are test-only values; never reuse them.
 */
public final class KeycloakServer implements AutoCloseable {

  /** The realm every endpoint of this server belongs to. */
  public static final String REALM = "gatling-jwt";

  /** A public client with the password grant enabled (no client secret). */
  public static final String PUBLIC_CLIENT_ID = "gatling-public";

  /**
   * A confidential client ({@code client-secret} authentication) with the client_credentials grant
   * (a service account) and the password grant enabled.
   */
  public static final String SERVICE_CLIENT_ID = "gatling-service";

  /**
   * The test-only secret of {@link #SERVICE_CLIENT_ID}: with characters that form encoding must
   * escape (a space, {@code + / = & : %}, a non-ASCII letter), in the Basic header as in the form
   * (RFC 6749 2.3.1, Appendix B), so that the Keycloak tests show the encoding a real server
   * decodes.
   */
  public static final String SERVICE_CLIENT_SECRET = "gatling-service test+secret/=&:\u00e9%";

  /** Users {@code user1} to {@code user20} exist, see {@link #username(int)}. */
  public static final int USER_COUNT = 20;

  /** How long an access token of the realm lives; refresh tokens live much longer (1 h idle). */
  public static final Duration ACCESS_TOKEN_LIFESPAN = Duration.ofSeconds(10);

  /** The classpath resource of the realm that is imported on start. */
  public static final String REALM_RESOURCE = "keycloak/gatling-jwt-realm.json";

  /**
   * How long {@link #start()} waits for the realm to be served, unless {@code
   * -Dkeycloak.startTimeoutSeconds} says otherwise: on 2 cores shared with other builds a start
   * took 83 s, and the first one after unpacking (which also builds the distribution) up to 208 s.
   */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(300);

  /** The environment variable that names a Java 21+ home for Keycloak, ahead of JAVA_HOME. */
  public static final String JAVA_HOME_VARIABLE = "KEYCLOAK_JAVA_HOME";

  private static final int MINIMUM_JAVA = 21;
  private static final Path SYSTEM_JVM_DIR = Path.of("/usr/lib/jvm");
  private static final int LOG_LINES_ON_FAILURE = 40;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path runHome;
  private final Path logFile;
  private final String baseUrl;
  private final Duration startupTime;
  private final Thread shutdownHook;
  private volatile boolean closed;

  private KeycloakServer(
      Process process, Path runHome, Path logFile, String baseUrl, Duration startupTime) {
    this.process = process;
    this.runHome = runHome;
    this.logFile = logFile;
    this.baseUrl = baseUrl;
    this.startupTime = startupTime;
    this.shutdownHook = new Thread(this::stop, "keycloak-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  private static KeycloakServer shared;

  /**
   * The Keycloak all tests of this JVM share, started on first use and stopped when the JVM exits:
   * one start (the slow part) for every test class. Tests that change a user's state use their own
   * users.
   *
   * @return the running shared server
   */
  public static synchronized KeycloakServer shared() {
    if (shared == null || shared.closed) {
      shared = start();
    }
    return shared;
  }

  /**
   * Start Keycloak and wait until the realm is served, at most {@link #DEFAULT_START_TIMEOUT} or
   * {@code -Dkeycloak.startTimeoutSeconds}.
   *
   * @return a running server; close it to stop Keycloak
   */
  public static KeycloakServer start() {
    String seconds = System.getProperty("keycloak.startTimeoutSeconds", "").trim();
    if (seconds.isEmpty()) {
      return start(DEFAULT_START_TIMEOUT);
    }
    if (!seconds.matches("[1-9]\\d{0,4}")) {
      throw new IllegalArgumentException(
          "-Dkeycloak.startTimeoutSeconds="
              + seconds
              + " is not a positive whole number of seconds: give e.g."
              + " -Dkeycloak.startTimeoutSeconds=300.");
    }
    return start(Duration.ofSeconds(Long.parseLong(seconds)));
  }

  /**
   * Start Keycloak and wait until the realm's OpenID discovery document is served.
   *
   * <p>Keycloak runs on the first Java 21 or newer home found in: the {@value #JAVA_HOME_VARIABLE}
   * environment variable, JAVA_HOME, the running JVM, then the newest one under {@code
   * /usr/lib/jvm}. The distribution is the one unpacked under {@code target/keycloak} of the
   * project (the {@code basedir} system property, else the working directory).
   *
   * @param timeout how long to wait for the realm; the first start after unpacking also builds
   *     Keycloak's optimized configuration, which takes half a minute more
   * @return a running server; close it to stop Keycloak
   * @throws IllegalStateException when no Java 21 home or no distribution is found, or Keycloak
   *     exits or is not ready in time (with the last lines of its log)
   */
  public static KeycloakServer start(Duration timeout) {
    Path target = projectDir().resolve("target");
    Path distribution = findDistribution(target.resolve("keycloak"));
    Path javaHome =
        findJavaHome(System.getenv(), Path.of(System.getProperty("java.home")), SYSTEM_JVM_DIR);
    try {
      // One start at a time per distribution: the first start-dev re-augments the shared lib/.
      synchronized (KeycloakServer.class) {
        try (FileChannel channel =
                FileChannel.open(
                    target.resolve("keycloak").resolve(".start.lock"),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.lock()) {
          return launch(distribution, javaHome, target.resolve("keycloak-runs"), timeout);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Keycloak could not be started: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Keycloak to start.", e);
    }
  }

  private static KeycloakServer launch(
      Path distribution, Path javaHome, Path runsDir, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(runsDir);
    Path runHome = Files.createTempDirectory(runsDir, "run-");
    prepareHome(distribution, runHome);
    Path logFile = runHome.resolve("keycloak.log");
    int httpPort = freePort();
    int managementPort = freePort();
    while (managementPort == httpPort) {
      managementPort = freePort();
    }
    List<String> command =
        List.of(
            "/bin/sh",
            runHome.resolve("bin").resolve("kc.sh").toString(),
            "start-dev",
            "--http-host=127.0.0.1",
            "--http-port=" + httpPort,
            "--http-management-port=" + managementPort,
            "--db=dev-mem",
            "--import-realm",
            "--log-console-color=false");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(runHome.toFile())
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile());
    Map<String, String> env = builder.environment();
    // Only what is set here configures Keycloak: no stray KC_*, QUARKUS_* or JVM options.
    env.keySet()
        .removeIf(
            name ->
                name.startsWith("KC_")
                    || name.startsWith("QUARKUS_")
                    || name.startsWith("JAVA_OPTS")
                    || name.equals("JAVA")
                    || name.equals("JAVA_ADD_OPENS")
                    || name.equals("JAVA_LOCALE")
                    || name.equals("DEBUG")
                    || name.equals("DEBUG_PORT"));
    env.put("JAVA_HOME", javaHome.toString());

    String baseUrl = "http://127.0.0.1:" + httpPort;
    long startedAt = System.nanoTime();
    Process process = builder.start();
    try {
      awaitRealm(process, baseUrl, logFile, timeout);
    } catch (RuntimeException | InterruptedException e) {
      stopTree(process);
      throw e;
    }
    Duration startupTime = Duration.ofNanos(System.nanoTime() - startedAt);
    return new KeycloakServer(process, runHome, logFile, baseUrl, startupTime);
  }

  /** A home of its own: kc.sh copied, the realm to import, the rest of the distribution linked. */
  private static void prepareHome(Path distribution, Path runHome) throws IOException {
    Path bin = Files.createDirectories(runHome.resolve("bin"));
    Files.copy(
        distribution.resolve("bin").resolve("kc.sh"),
        bin.resolve("kc.sh"),
        StandardCopyOption.COPY_ATTRIBUTES);
    try (Stream<Path> entries = Files.list(distribution)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (!name.equals("bin") && !name.equals("data")) {
          Files.createSymbolicLink(runHome.resolve(name), entry);
        }
      }
    }
    Path importDir = Files.createDirectories(runHome.resolve("data").resolve("import"));
    try (InputStream realm =
        KeycloakServer.class.getClassLoader().getResourceAsStream(REALM_RESOURCE)) {
      if (realm == null) {
        throw new IllegalStateException(
            "The realm resource "
                + REALM_RESOURCE
                + " is not on the classpath: it lives in simulations/resources, a test resource"
                + " folder of the build.");
      }
      Files.copy(realm, importDir.resolve(REALM + "-realm.json"));
    }
  }

  private static void awaitRealm(Process process, String baseUrl, Path logFile, Duration timeout)
      throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest discovery =
        HttpRequest.newBuilder(URI.create(discoveryUrl(baseUrl)))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Keycloak exited with code "
                + process.exitValue()
                + " before it served the realm "
                + REALM
                + "; the last lines of "
                + logFile
                + ":\n"
                + tail(logFile));
      }
      try {
        HttpResponse<Void> response =
            client.send(discovery, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // keep polling until the deadline
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Keycloak did not serve the realm "
                + REALM
                + " within "
                + timeout.toSeconds()
                + " s; the last lines of "
                + logFile
                + ":\n"
                + tail(logFile));
      }
      Thread.sleep(500);
    }
  }

  /** The root URL of the server, e.g. {@code http://127.0.0.1:41234}, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The realm name, {@value #REALM}. */
  public String realm() {
    return REALM;
  }

  /** The realm's URL, which is also the {@code iss} claim of its tokens. */
  public String issuer() {
    return baseUrl + "/realms/" + REALM;
  }

  /** The OAuth2 token endpoint: form-encoded password, client_credentials, refresh_token grants. */
  public String tokenEndpoint() {
    return issuer() + "/protocol/openid-connect/token";
  }

  /**
   * The OpenID userinfo endpoint; it answers 200 to a valid Bearer token that carries the {@code
   * openid} scope, 401 to an expired one.
   */
  public String userinfoEndpoint() {
    return issuer() + "/protocol/openid-connect/userinfo";
  }

  /** The realm's OpenID discovery document. */
  public String discoveryUrl() {
    return discoveryUrl(baseUrl);
  }

  /** How long it took from launching kc.sh until the realm was served. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Keycloak's console output (stdout and stderr) of this run. */
  public Path logFile() {
    return logFile;
  }

  /**
   * The name of test user {@code n}.
   *
   * @param n from 1 to {@link #USER_COUNT}
   * @return {@code "user" + n}
   */
  public static String username(int n) {
    if (n < 1 || n > USER_COUNT) {
      throw new IllegalArgumentException(
          "The realm has users 1 to " + USER_COUNT + ", but user " + n + " was asked for.");
    }
    return "user" + n;
  }

  /**
   * The test-only password of a test user.
   *
   * @param username a name from {@link #username(int)}
   * @return the password set for it in the realm
   */
  public static String password(String username) {
    return username + "-test-password";
  }

  /** Stop Keycloak and every process it started; wait for them to end. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private synchronized void stop() {
    if (closed) {
      return;
    }
    closed = true;
    stopTree(process);
    deleteQuietly(runHome.resolve("data"));
  }

  /** SIGTERM to kc.sh and its JVM (taken before kc.sh ends, which orphans it), then SIGKILL. */
  private static void stopTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    for (ProcessHandle handle : tree) {
      long left = deadline - System.nanoTime();
      try {
        handle.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (Exception notYet) {
        handle.destroyForcibly();
      }
    }
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(
            "Keycloak process " + handle.pid() + " did not end, even after SIGKILL.", e);
      }
    }
  }

  private static String discoveryUrl(String baseUrl) {
    return baseUrl + "/realms/" + REALM + "/.well-known/openid-configuration";
  }

  private static Path projectDir() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  private static Path findDistribution(Path unpacked) {
    try (Stream<Path> entries =
        Files.isDirectory(unpacked) ? Files.list(unpacked) : Stream.empty()) {
      return entries
          .filter(dir -> dir.getFileName().toString().startsWith("keycloak-"))
          .filter(dir -> Files.isRegularFile(dir.resolve("bin").resolve("kc.sh")))
          .max(Comparator.naturalOrder())
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "No Keycloak distribution was found in "
                          + unpacked
                          + ": run the build (e.g. mvn test-compile), which unpacks"
                          + " org.keycloak:keycloak-quarkus-dist there."));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list " + unpacked + ": " + e.getMessage(), e);
    }
  }

  /**
   * The Java home Keycloak runs on: {@value #JAVA_HOME_VARIABLE} (which must then be Java 21+),
   * else JAVA_HOME, else the running JVM, else the newest home under {@code jvmDir}, whichever is
   * Java 21 or newer first.
   */
  static Path findJavaHome(Map<String, String> env, Path runningJavaHome, Path jvmDir) {
    String chosen = env.get(JAVA_HOME_VARIABLE);
    if (chosen != null && !chosen.isBlank()) {
      Path home = Path.of(chosen.trim());
      int major = javaMajorVersion(home);
      if (major < MINIMUM_JAVA) {
        throw new IllegalStateException(
            JAVA_HOME_VARIABLE
                + "="
                + home
                + (major == 0
                    ? " is not a Java home (no bin/java with a release file)"
                    : " is Java " + major)
                + ", but Keycloak 26 needs Java 21 or newer: point it at a JDK 21 or newer.");
      }
      return home;
    }
    List<Path> candidates = new ArrayList<>();
    String javaHome = env.get("JAVA_HOME");
    if (javaHome != null && !javaHome.isBlank()) {
      candidates.add(Path.of(javaHome.trim()));
    }
    candidates.add(runningJavaHome);
    for (Path home : candidates) {
      if (javaMajorVersion(home) >= MINIMUM_JAVA) {
        return home;
      }
    }
    try (Stream<Path> homes = Files.isDirectory(jvmDir) ? Files.list(jvmDir) : Stream.empty()) {
      Optional<Path> newest =
          homes
              .filter(home -> javaMajorVersion(home) >= MINIMUM_JAVA)
              .max(
                  Comparator.comparingInt(KeycloakServer::javaMajorVersion)
                      .thenComparing(Comparator.naturalOrder()));
      if (newest.isPresent()) {
        return newest.get();
      }
    } catch (IOException e) {
      // same as finding none
    }
    throw new IllegalStateException(
        "Keycloak 26 needs Java 21 or newer; none found in JAVA_HOME or "
            + jvmDir
            + ": install one or set "
            + JAVA_HOME_VARIABLE
            + ".");
  }

  private static final Pattern JAVA_VERSION =
      Pattern.compile("^JAVA_VERSION=\"?(\\d+)(?:\\.(\\d+))?", Pattern.MULTILINE);

  /** The feature version in a Java home's {@code release} file ("1.8.0" is 8), 0 if unknown. */
  static int javaMajorVersion(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin").resolve("java"))) {
      return 0;
    }
    try {
      Matcher m = JAVA_VERSION.matcher(Files.readString(release, StandardCharsets.UTF_8));
      if (!m.find()) {
        return 0;
      }
      int first = Integer.parseInt(m.group(1));
      return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines =
          List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\\R"));
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size()));
    } catch (IOException e) {
      return "(the log could not be read: " + e.getMessage() + ")";
    }
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.delete(path);
                } catch (IOException ignored) {
                  // a leftover under target/ is harmless
                }
              });
    } catch (IOException ignored) {
      // a leftover under target/ is harmless
    }
  }
}
