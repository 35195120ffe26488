package io.github.gatlingjwt.examples.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small JWT-protected JSON API, embedded in the test JVM (or run standalone with {@link #main}),
 * used as the default target of the example simulations and by the tests.
 *
 * <p>Endpoints: {@code POST /api/login}, {@code POST /api/refresh_token}, {@code GET
 * /api/protected_resource}, {@code GET /api/items}, {@code GET /api/items/{id}}.
 *
 * <p>Design: Netty (already on the test classpath through Gatling) with one acceptor thread and one
 * event-loop thread per core; requests are handled directly on the event loop (HMAC and RSA
 * verification are a few tens of microseconds), keep-alive is honoured, one shared java-jwt {@code
 * Algorithm}/{@code JWTVerifier} and one shared Jackson {@code ObjectMapper} are used, and constant
 * responses are pre-serialized. Nothing is logged per request, and no token, refresh token or
 * password ever appears in an exception message or in the output.
 */
public final class EmbeddedJwtApi implements AutoCloseable {

  private final JwtApiCore core;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final Channel serverChannel;
  private final int port;
  private final String baseUrl;
  private final Future<?> purgeTask;
  private volatile boolean closed;

  private EmbeddedJwtApi(
      JwtApiCore core,
      EventLoopGroup bossGroup,
      EventLoopGroup workerGroup,
      Channel serverChannel,
      Future<?> purgeTask) {
    this.core = core;
    this.bossGroup = bossGroup;
    this.workerGroup = workerGroup;
    this.serverChannel = serverChannel;
    this.purgeTask = purgeTask;
    this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    this.baseUrl = "http://127.0.0.1:" + port;
  }

  /** Starts the API on 127.0.0.1, on a free port unless {@code options.port() > 0}. */
  public static EmbeddedJwtApi start(Options options) {
    Objects.requireNonNull(options, "options");
    JwtApiCore core = new JwtApiCore(options);
    int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
    EventLoopGroup boss =
        new MultiThreadIoEventLoopGroup(
            1,
            new DefaultThreadFactory("embedded-jwt-api-accept", true),
            NioIoHandler.newFactory());
    EventLoopGroup worker =
        new MultiThreadIoEventLoopGroup(
            workers,
            new DefaultThreadFactory("embedded-jwt-api-io", true),
            NioIoHandler.newFactory());
    NettyApiHandler handler = new NettyApiHandler(core);
    try {
      ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(boss, worker)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.SO_KEEPALIVE, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ChannelPipeline p = ch.pipeline();
                      p.addLast("codec", new HttpServerCodec());
                      p.addLast("aggregator", new HttpObjectAggregator(JwtApiCore.MAX_BODY_BYTES));
                      p.addLast("api", handler);
                    }
                  });
      Channel channel =
          bootstrap
              .bind(new InetSocketAddress("127.0.0.1", options.port()))
              .syncUninterruptibly()
              .channel();
      Future<?> purge = worker.scheduleAtFixedRate(core::purgeExpired, 5, 5, TimeUnit.SECONDS);
      return new EmbeddedJwtApi(core, boss, worker, channel, purge);
    } catch (RuntimeException e) {
      boss.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
      worker.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
      throw new IllegalStateException(
          "Embedded JWT API could not bind 127.0.0.1:"
              + options.port()
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + ")",
          e);
    }
  }

  /** Starts with {@link Options#defaults()}. */
  public static EmbeddedJwtApi start() {
    return start(Options.defaults());
  }

  /** For example {@code http://127.0.0.1:41234} (no trailing slash). */
  public String baseUrl() {
    return baseUrl;
  }

  public int port() {
    return port;
  }

  /** The options the API was started with. */
  public Options options() {
    return core.options;
  }

  /**
   * One immutable map per user, {@code {"username": "user0001", "password": "..."}}, in user order;
   * usable as a Gatling feeder source ({@code CoreDsl.listFeeder(api.credentials())}).
   */
  public List<Map<String, Object>> credentials() {
    return core.credentials;
  }

  /**
   * Writes {@code username,password} then one line per user to {@code file}; returns {@code file}.
   */
  public Path writeCredentialsCsv(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        w.write("username,password\n");
        for (Map<String, Object> c : core.credentials) {
          w.write(c.get("username") + "," + c.get("password") + "\n");
        }
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write credentials CSV to " + file, e);
    }
  }

  /** The RS256 public key the tokens are signed for; empty with HS256. */
  public Optional<RSAPublicKey> rsaPublicKey() {
    return Optional.ofNullable(core.publicKey);
  }

  /** Live, thread-safe counters. */
  /** When the {@link Options#authOutage} ends, in epoch millis of the server clock. */
  public long authOutageEndMillis() {
    return core.authOutageUntilMillis();
  }

  public Stats stats() {
    return core.stats;
  }

  /** Stops accepting, closes the connections and stops the threads (returns in well under 1 s). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
    purgeTask.cancel(false);
    serverChannel.close().awaitUninterruptibly(300, TimeUnit.MILLISECONDS);
    // Quiet period 0: open keep-alive connections are closed at once, the threads then exit.
    Future<?> b = bossGroup.shutdownGracefully(0, 300, TimeUnit.MILLISECONDS);
    Future<?> w = workerGroup.shutdownGracefully(0, 300, TimeUnit.MILLISECONDS);
    b.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    w.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return "EmbeddedJwtApi[" + baseUrl + ", " + core.options + "]";
  }

  /**
   * Standalone: {@code --port N --ttl SECONDS --users N --alg HS256|RS256} (plus {@code
   * --refresh-ttl SECONDS} and {@code --credentials-csv FILE} to write the random credentials for a
   * load generator). Prints {@code Embedded JWT API listening on <baseUrl>} and runs until killed.
   */
  public static void main(String[] args) {
    // Standalone process only: route Netty's own (startup DEBUG) logging to java.util.logging,
    // whose default level is INFO, instead of the test classpath's Logback console at DEBUG.
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    Options options = Options.defaults();
    Path csv = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--port":
            options = options.port(Integer.parseInt(value(args, ++i, a)));
            break;
          case "--ttl":
            options = options.tokenTtl(Duration.ofSeconds(Long.parseLong(value(args, ++i, a))));
            break;
          case "--refresh-ttl":
            options = options.refreshTtl(Duration.ofSeconds(Long.parseLong(value(args, ++i, a))));
            break;
          case "--users":
            options = options.users(Integer.parseInt(value(args, ++i, a)));
            break;
          case "--alg":
            options = options.algorithm(value(args, ++i, a));
            break;
          case "--credentials-csv":
            csv = Path.of(value(args, ++i, a));
            break;
          case "-h":
          case "--help":
            System.out.println(
                "usage: EmbeddedJwtApi [--port N] [--ttl SECONDS] [--refresh-ttl SECONDS]"
                    + " [--users N] [--alg HS256|RS256] [--credentials-csv FILE]");
            return;
          default:
            throw new IllegalArgumentException("unknown argument: " + a);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("Embedded JWT API: " + e.getMessage());
      System.exit(2);
      return;
    }
    EmbeddedJwtApi api = start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  api.close();
                  stopped.countDown();
                },
                "embedded-jwt-api-shutdown"));
    if (csv != null) {
      api.writeCredentialsCsv(csv);
      System.out.println("Credentials written to " + csv.toAbsolutePath());
    }
    System.out.println("Embedded JWT API listening on " + api.baseUrl());
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      api.close();
    }
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException("missing value for " + name);
    }
    return args[i];
  }

  // ------------------------------------------------------------------------------------------
  // Options
  // ------------------------------------------------------------------------------------------

  /** Immutable start options; every "setter" returns a modified copy. */
  public static final class Options {
    /** The algorithm names {@link #algorithm(String)} accepts. */
    public static final List<String> ALLOWED_ALGORITHMS = List.of("HS256", "RS256");

    // Not final so that copy() can set one field, but never written once an instance has been
    // returned to a caller: every fluent method changes a fresh copy, then returns it.
    private Duration tokenTtl = Duration.ofSeconds(30);
    private Duration refreshTtl = Duration.ofHours(1);
    private String algorithm = "HS256";
    private int users = 1000;
    private int port;
    private double revokeFraction;
    private Duration revokeAfter = Duration.ZERO;
    private boolean refuseRefresh;
    private int failFirstLogins;
    private int failFirstLoginsStatus = 503;
    private int rateLimitLogins;
    private int loginRetryAfter429 = 1;
    private Duration authOutageStartAfter = Duration.ZERO;
    private Duration authOutageLength = Duration.ZERO;
    private Duration issuerClockOffset = Duration.ZERO;
    private boolean expOnly;
    private Clock clock = Clock.systemUTC();

    private Options() {}

    /** A new instance with every field of this one. */
    private Options copy() {
      Options c = new Options();
      c.tokenTtl = tokenTtl;
      c.refreshTtl = refreshTtl;
      c.algorithm = algorithm;
      c.users = users;
      c.port = port;
      c.revokeFraction = revokeFraction;
      c.revokeAfter = revokeAfter;
      c.refuseRefresh = refuseRefresh;
      c.failFirstLogins = failFirstLogins;
      c.failFirstLoginsStatus = failFirstLoginsStatus;
      c.rateLimitLogins = rateLimitLogins;
      c.loginRetryAfter429 = loginRetryAfter429;
      c.authOutageStartAfter = authOutageStartAfter;
      c.authOutageLength = authOutageLength;
      c.issuerClockOffset = issuerClockOffset;
      c.expOnly = expOnly;
      c.clock = clock;
      return c;
    }

    /**
     * 30 s access tokens, 1 h refresh tokens, HS256, 1000 users, free port, all test switches off.
     */
    public static Options defaults() {
      return new Options();
    }

    /** Access-token lifetime, whole seconds, at least 1 s (default 30 s). */
    public Options tokenTtl(Duration ttl) {
      Duration value = positiveSeconds(ttl, "tokenTtl");
      Options c = copy();
      c.tokenTtl = value;
      return c;
    }

    /** Refresh-token lifetime, at least 1 s (default 1 hour). */
    public Options refreshTtl(Duration ttl) {
      Duration value = positiveSeconds(ttl, "refreshTtl");
      Options c = copy();
      c.refreshTtl = value;
      return c;
    }

    /**
     * {@code "HS256"} (default; random 256-bit key) or {@code "RS256"} (random 2048-bit key pair).
     */
    public Options algorithm(String name) {
      String normalized = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
      if (!ALLOWED_ALGORITHMS.contains(normalized)) {
        throw new IllegalArgumentException(
            "unsupported algorithm '" + name + "': allowed values are HS256 and RS256");
      }
      Options c = copy();
      c.algorithm = normalized;
      return c;
    }

    /** Number of accounts user0001..userNNNN, each with a random password (default 1000). */
    public Options users(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("users must be >= 1, got " + count);
      }
      Options c = copy();
      c.users = count;
      return c;
    }

    /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
    public Options port(int tcpPort) {
      if (tcpPort < 0 || tcpPort > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535, got " + tcpPort);
      }
      Options c = copy();
      c.port = tcpPort;
      return c;
    }

    /**
     * Test switch: {@code fraction} (0..1) of the issued access tokens are revoked {@code after}
     * their issue (before their {@code exp}); the protected endpoints then answer 401 "revoked".
     * The choice is deterministic: with the tokens numbered 1, 2, 3... in issue order, token n is
     * revoked when {@code floor(n * fraction) > floor((n - 1) * fraction)} (1.0: all, 0.5: every
     * 2nd, 0.25: every 4th...).
     */
    public Options revokeEarly(double fraction, Duration after) {
      if (!(fraction >= 0.0 && fraction <= 1.0)) {
        throw new IllegalArgumentException(
            "revokeEarly fraction must be in [0, 1], got " + fraction);
      }
      Objects.requireNonNull(after, "after");
      if (after.isNegative()) {
        throw new IllegalArgumentException("revokeEarly after must be >= 0, got " + after);
      }
      Options c = copy();
      c.revokeFraction = fraction;
      c.revokeAfter = after;
      return c;
    }

    /** Test switch: every refresh answers 401 invalid_grant "refresh refused by test switch". */
    public Options refuseRefresh(boolean refuse) {
      Options c = copy();
      c.refuseRefresh = refuse;
      return c;
    }

    /**
     * Test switch: the first {@code n} login requests (counted globally, after the rate-limited
     * ones if {@link #rateLimitLogins} is also set) answer {@code status} whatever the credentials.
     */
    public Options failFirstLogins(int n, int status) {
      if (n < 0) {
        throw new IllegalArgumentException("failFirstLogins n must be >= 0, got " + n);
      }
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException(
            "failFirstLogins status must be 4xx or 5xx, got " + status);
      }
      Options c = copy();
      c.failFirstLogins = n;
      c.failFirstLoginsStatus = status;
      return c;
    }

    /**
     * Test switch: the first {@code n} login requests answer 429 with a {@code Retry-After} header
     * and a JSON {@code retry_after} of {@link #loginRetryAfter429(int)} seconds (default 1).
     */
    public Options rateLimitLogins(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("rateLimitLogins n must be >= 0, got " + n);
      }
      Options c = copy();
      c.rateLimitLogins = n;
      return c;
    }

    /**
     * The {@code Retry-After} header value and JSON {@code retry_after}, in seconds, of the 429s of
     * {@link #rateLimitLogins} (default 1; 0 allowed, meaning "retry at once").
     */
    public Options loginRetryAfter429(int seconds) {
      if (seconds < 0) {
        throw new IllegalArgumentException("loginRetryAfter429 must be >= 0, got " + seconds);
      }
      Options c = copy();
      c.loginRetryAfter429 = seconds;
      return c;
    }

    /**
     * Test switch: an outage of the auth endpoints. Counted on the server's clock from the moment
     * the server started, during {@code [start + startAfter, start + startAfter + length)} both
     * {@code POST /api/login} and {@code POST /api/refresh_token} answer 503 {@code
     * {"error":"temporarily_unavailable"}} with {@code Retry-After: 1}, before looking at the body
     * (a refresh token presented then is neither consumed nor counted as presented, and a login
     * then does not count towards {@link #rateLimitLogins} or {@link #failFirstLogins}). The
     * protected endpoints keep working and keep verifying tokens. A zero {@code length} (default)
     * turns it off.
     */
    public Options authOutage(Duration startAfter, Duration length) {
      Objects.requireNonNull(startAfter, "startAfter");
      Objects.requireNonNull(length, "length");
      if (startAfter.isNegative()) {
        throw new IllegalArgumentException("authOutage startAfter must be >= 0, got " + startAfter);
      }
      if (length.isNegative()) {
        throw new IllegalArgumentException("authOutage length must be >= 0, got " + length);
      }
      Options c = copy();
      c.authOutageStartAfter = startAfter;
      c.authOutageLength = length;
      return c;
    }

    /**
     * Test switch: the server's clock (used for {@code iat}, {@code nbf}, {@code exp} and for
     * validating them) runs ahead (positive) or behind (negative) by {@code offset}.
     */
    public Options issuerClockOffset(Duration offset) {
      Objects.requireNonNull(offset, "offset");
      Options c = copy();
      c.issuerClockOffset = offset;
      return c;
    }

    /**
     * Test switch: access tokens carry {@code exp} but no {@code iat}, and login and refresh
     * answers carry no {@code expires_in}, so a client only learns the expiry as an instant on the
     * server's clock (and the server's clock from the answer's {@code Date} header, which token
     * answers always carry).
     */
    public Options expOnly(boolean on) {
      Options c = copy();
      c.expOnly = on;
      return c;
    }

    /**
     * The base clock (default {@link Clock#systemUTC()}); {@link #issuerClockOffset} is applied on
     * top of it. Tests can pass a clock they advance by hand.
     */
    public Options clock(Clock baseClock) {
      Objects.requireNonNull(baseClock, "clock");
      Options c = copy();
      c.clock = baseClock;
      return c;
    }

    public Duration tokenTtl() {
      return tokenTtl;
    }

    public Duration refreshTtl() {
      return refreshTtl;
    }

    public String algorithm() {
      return algorithm;
    }

    public int users() {
      return users;
    }

    public int port() {
      return port;
    }

    public double revokeFraction() {
      return revokeFraction;
    }

    public Duration revokeAfter() {
      return revokeAfter;
    }

    public boolean refuseRefresh() {
      return refuseRefresh;
    }

    public int failFirstLogins() {
      return failFirstLogins;
    }

    public int failFirstLoginsStatus() {
      return failFirstLoginsStatus;
    }

    public int rateLimitLogins() {
      return rateLimitLogins;
    }

    public int loginRetryAfter429() {
      return loginRetryAfter429;
    }

    /** When the {@link #authOutage} begins, counted from the server's start. */
    public Duration authOutageStartAfter() {
      return authOutageStartAfter;
    }

    /** How long the {@link #authOutage} lasts; zero (default) when there is none. */
    public Duration authOutageLength() {
      return authOutageLength;
    }

    public Duration issuerClockOffset() {
      return issuerClockOffset;
    }

    public boolean expOnly() {
      return expOnly;
    }

    public Clock clock() {
      return clock;
    }

    /** The clock the server uses: the base clock shifted by {@link #issuerClockOffset()}. */
    Clock effectiveClock() {
      return issuerClockOffset.isZero() ? clock : Clock.offset(clock, issuerClockOffset);
    }

    private static Duration positiveSeconds(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.getSeconds() < 1) {
        throw new IllegalArgumentException(name + " must be at least 1 second, got " + d);
      }
      return Duration.ofSeconds(d.getSeconds());
    }

    @Override
    public String toString() {
      StringBuilder sb =
          new StringBuilder("Options[alg=")
              .append(algorithm)
              .append(", tokenTtl=")
              .append(tokenTtl.getSeconds())
              .append("s")
              .append(", refreshTtl=")
              .append(refreshTtl.getSeconds())
              .append("s")
              .append(", users=")
              .append(users)
              .append(", port=")
              .append(port);
      if (revokeFraction > 0) {
        sb.append(", revokeEarly=").append(revokeFraction).append(" after ").append(revokeAfter);
      }
      if (refuseRefresh) {
        sb.append(", refuseRefresh");
      }
      if (failFirstLogins > 0) {
        sb.append(", failFirstLogins=")
            .append(failFirstLogins)
            .append("x")
            .append(failFirstLoginsStatus);
      }
      if (rateLimitLogins > 0) {
        sb.append(", rateLimitLogins=").append(rateLimitLogins);
        if (loginRetryAfter429 != 1) {
          sb.append(" retryAfter=").append(loginRetryAfter429).append("s");
        }
      }
      if (!authOutageLength.isZero()) {
        sb.append(", authOutage=")
            .append(authOutageLength)
            .append(" after ")
            .append(authOutageStartAfter);
      }
      if (!issuerClockOffset.isZero()) {
        sb.append(", issuerClockOffset=").append(issuerClockOffset);
      }
      if (expOnly) {
        sb.append(", expOnly");
      }
      return sb.append(']').toString();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Stats
  // ------------------------------------------------------------------------------------------

  /**
   * Live, thread-safe counters (each read is a fresh sum; reads of different counters are not one
   * atomic snapshot). Refresh tokens are tracked by a SHA-256 fingerprint, never in clear.
   */
  /** An append-only list of instants, thread-safe. */
  private static final class TimeLog {
    private long[] times = new long[64]; // guarded by this
    private int size; // guarded by this

    synchronized void add(long millis) {
      if (size == times.length) {
        times = Arrays.copyOf(times, size * 2);
      }
      times[size++] = millis;
    }

    List<Long> sorted() {
      long[] copy;
      synchronized (this) {
        copy = Arrays.copyOf(times, size);
      }
      Arrays.sort(copy);
      List<Long> list = new ArrayList<>(copy.length);
      for (long t : copy) {
        list.add(t);
      }
      return list;
    }
  }

  public static final class Stats {
    /**
     * Why a protected request got 401; {@link #description()} is the wire {@code
     * error_description}.
     */
    public enum UnauthorizedReason {
      MISSING_TOKEN("missing token"),
      MALFORMED("malformed"),
      EXPIRED("expired"),
      REVOKED("revoked"),
      BAD_SIGNATURE("bad signature");

      private final String description;

      UnauthorizedReason(String description) {
        this.description = description;
      }

      public String description() {
        return description;
      }
    }

    private final LongAdder loginsOk = new LongAdder();
    private final LongAdder loginsFailed = new LongAdder();
    private final LongAdder loginsInvalidCredentials = new LongAdder();
    private final LongAdder loginsRateLimited = new LongAdder();
    private final LongAdder loginsFailedBySwitch = new LongAdder();
    private final LongAdder refreshesOk = new LongAdder();
    private final LongAdder refreshesRefused = new LongAdder();
    private final LongAdder authOutageAnswers = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> loginsOkByUser = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> refreshesOkByUser =
        new ConcurrentHashMap<>();
    private final TimeLog loginTimes = new TimeLog();
    private final TimeLog refreshTimes = new TimeLog();
    private final LongAdder protectedOk = new LongAdder();
    private final LongAdder protectedUnauthorized = new LongAdder();
    private final LongAdder protectedNotFound = new LongAdder();
    private final LongAdder emptyBearer = new LongAdder();
    private final LongAdder accessTokensIssued = new LongAdder();
    private final LongAdder accessTokensMarkedForRevocation = new LongAdder();
    private final LongAdder refreshTokensPresented = new LongAdder();
    private final LongAccumulator maxPresentations = new LongAccumulator(Math::max, 0);
    private final ConcurrentHashMap<Long, AtomicInteger> presentations = new ConcurrentHashMap<>();
    private final EnumMap<UnauthorizedReason, LongAdder> unauthorizedByReason =
        new EnumMap<>(UnauthorizedReason.class);

    Stats() {
      for (UnauthorizedReason r : UnauthorizedReason.values()) {
        unauthorizedByReason.put(r, new LongAdder());
      }
    }

    // --- recording (package-private, used by the server) ---

    void recordLoginOk(String username, long nowMillis) {
      loginsOk.increment();
      loginsOkByUser.computeIfAbsent(username, k -> new LongAdder()).increment();
      loginTimes.add(nowMillis);
    }

    void recordLoginInvalidCredentials() {
      loginsFailed.increment();
      loginsInvalidCredentials.increment();
    }

    void recordLoginBadRequest() {
      loginsFailed.increment();
    }

    void recordLoginRateLimited() {
      loginsFailed.increment();
      loginsRateLimited.increment();
    }

    void recordLoginFailedBySwitch() {
      loginsFailed.increment();
      loginsFailedBySwitch.increment();
    }

    void recordRefreshOk(String username, long nowMillis) {
      refreshesOk.increment();
      refreshTimes.add(nowMillis);
      refreshesOkByUser.computeIfAbsent(username, k -> new LongAdder()).increment();
    }

    void recordAuthOutageLogin() {
      loginsFailed.increment();
      authOutageAnswers.increment();
    }

    void recordAuthOutageRefresh() {
      refreshesRefused.increment();
      authOutageAnswers.increment();
    }

    void recordRefreshRefused() {
      refreshesRefused.increment();
    }

    void recordProtectedOk() {
      protectedOk.increment();
    }

    void recordProtectedNotFound() {
      protectedNotFound.increment();
    }

    void recordProtectedUnauthorized(UnauthorizedReason reason) {
      protectedUnauthorized.increment();
      unauthorizedByReason.get(reason).increment();
    }

    void recordEmptyBearer() {
      emptyBearer.increment();
    }

    void recordAccessTokenIssued(boolean markedForRevocation) {
      accessTokensIssued.increment();
      if (markedForRevocation) {
        accessTokensMarkedForRevocation.increment();
      }
    }

    void recordRefreshTokenPresented(long fingerprint) {
      refreshTokensPresented.increment();
      int n =
          presentations.computeIfAbsent(fingerprint, k -> new AtomicInteger()).incrementAndGet();
      maxPresentations.accumulate(n);
    }

    // --- reading ---

    /** Logins answered 200. */
    public long loginsOk() {
      return loginsOk.sum();
    }

    /**
     * Logins answered anything but 200 (bad credentials, bad request, test switches, including
     * {@link Options#authOutage}).
     */
    public long loginsFailed() {
      return loginsFailed.sum();
    }

    /** Logins answered 401 invalid_credentials. */
    public long loginsInvalidCredentials() {
      return loginsInvalidCredentials.sum();
    }

    /** Logins answered 429 by {@link Options#rateLimitLogins}. */
    public long loginsRateLimited() {
      return loginsRateLimited.sum();
    }

    /** Logins answered the failure status of {@link Options#failFirstLogins}. */
    public long loginsFailedBySwitch() {
      return loginsFailedBySwitch.sum();
    }

    /** Refreshes answered 200. */
    public long refreshesOk() {
      return refreshesOk.sum();
    }

    /**
     * Refreshes answered anything but 200 (invalid/used/expired token, test switches including
     * {@link Options#authOutage}, bad body).
     */
    public long refreshesRefused() {
      return refreshesRefused.sum();
    }

    /** Logins and refreshes answered 503 by {@link Options#authOutage}. */
    public long authOutageAnswers() {
      return authOutageAnswers.sum();
    }

    /** Logins answered 200, per username, sorted by username (a fresh copy). */
    public Map<String, Long> loginsOkByUser() {
      return sums(loginsOkByUser);
    }

    /** Refreshes answered 200, per username, sorted by username (a fresh copy). */
    public Map<String, Long> refreshesOkByUser() {
      return sums(refreshesOkByUser);
    }

    /**
     * When each login answered 200 was handled, in epoch milliseconds of the server's clock (the
     * base clock shifted by {@link Options#issuerClockOffset}), in ascending order; a fresh copy.
     * Every successful login is kept (8 bytes each).
     */
    public List<Long> successfulLoginTimesMillis() {
      return loginTimes.sorted();
    }

    /** When refreshes were answered 200, in server-clock millis, sorted; a new list each call. */
    public List<Long> successfulRefreshTimesMillis() {
      return refreshTimes.sorted();
    }

    private static Map<String, Long> sums(ConcurrentHashMap<String, LongAdder> counters) {
      Map<String, Long> m = new TreeMap<>();
      counters.forEach((user, n) -> m.put(user, n.sum()));
      return m;
    }

    /** Requests to the 3 business endpoints answered 200. */
    public long protectedOk() {
      return protectedOk.sum();
    }

    /** Requests to the 3 business endpoints answered 401. */
    public long protectedUnauthorized() {
      return protectedUnauthorized.sum();
    }

    /** Authorized {@code GET /api/items/{id}} answered 404. */
    public long protectedNotFound() {
      return protectedNotFound.sum();
    }

    /** 401s of the business endpoints for one reason. */
    public long protectedUnauthorized(UnauthorizedReason reason) {
      return unauthorizedByReason.get(reason).sum();
    }

    /** 401s of the business endpoints by reason, keyed by the wire description ("expired"...). */
    public Map<String, Long> unauthorizedByReason() {
      Map<String, Long> m = new LinkedHashMap<>();
      for (UnauthorizedReason r : UnauthorizedReason.values()) {
        m.put(r.description(), unauthorizedByReason.get(r).sum());
      }
      return m;
    }

    /**
     * Requests whose {@code Authorization} header was {@code Bearer} followed by nothing, {@code
     * null} or {@code undefined} (a client bug: sending a token it does not have yet).
     */
    public long emptyBearerRequests() {
      return emptyBearer.sum();
    }

    /** Access tokens issued (logins + refreshes answered 200). */
    public long accessTokensIssued() {
      return accessTokensIssued.sum();
    }

    /** Access tokens chosen by {@link Options#revokeEarly}. */
    public long accessTokensMarkedForRevocation() {
      return accessTokensMarkedForRevocation.sum();
    }

    /** Refresh requests that carried a {@code refresh_token} string. */
    public long refreshTokensPresented() {
      return refreshTokensPresented.sum();
    }

    /** Distinct refresh-token values presented. */
    public int distinctRefreshTokensPresented() {
      return presentations.size();
    }

    /**
     * The highest number of times one refresh-token value was presented (0 if none; 1 is ideal).
     */
    public int maxPresentationsOfOneRefreshToken() {
      return (int) maxPresentations.get();
    }

    /** How many distinct refresh-token values were presented more than once. */
    public int refreshTokensPresentedMoreThanOnce() {
      int n = 0;
      for (AtomicInteger c : presentations.values()) {
        if (c.get() > 1) {
          n++;
        }
      }
      return n;
    }

    @Override
    public String toString() {
      return "Stats[loginsOk="
          + loginsOk()
          + ", loginsFailed="
          + loginsFailed()
          + ", refreshesOk="
          + refreshesOk()
          + ", refreshesRefused="
          + refreshesRefused()
          + (authOutageAnswers() > 0 ? ", authOutageAnswers=" + authOutageAnswers() : "")
          + ", protectedOk="
          + protectedOk()
          + ", protectedUnauthorized="
          + protectedUnauthorized()
          + " "
          + unauthorizedByReason()
          + ", emptyBearer="
          + emptyBearerRequests()
          + ", maxPresentationsOfOneRefreshToken="
          + maxPresentationsOfOneRefreshToken()
          + "]";
    }
  }

  /** Builds the credentials list (package-private helper for the core). */
  static List<Map<String, Object>> credentialList(
      List<String> usernames, Map<String, String> passwords) {
    List<Map<String, Object>> list = new ArrayList<>(usernames.size());
    for (String u : usernames) {
      Map<String, Object> m = new LinkedHashMap<>(4);
      m.put("username", u);
      m.put("password", passwords.get(u));
      list.add(java.util.Collections.unmodifiableMap(m));
    }
    return java.util.Collections.unmodifiableList(list);
  }
}
