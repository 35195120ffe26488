package io.github.gatlingjwt.examples.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedJwtApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MISSING_TOKEN = "missing token";

  /**
   * One client per server instance: a client shared across servers could reuse a pooled keep-alive
   * connection to a closed server whose port the OS has since handed to a new one.
   */
  private static final Map<EmbeddedJwtApi, HttpClient> CLIENTS = new ConcurrentHashMap<>();

  private static EmbeddedJwtApi shared;

  @BeforeAll
  static void startShared() {
    shared = EmbeddedJwtApi.start(EmbeddedJwtApi.Options.defaults().users(20));
  }

  @AfterAll
  static void stopShared() {
    if (shared != null) {
      shared.close();
    }
    CLIENTS.clear();
  }

  private static HttpClient http(EmbeddedJwtApi api) {
    return CLIENTS.computeIfAbsent(
        api,
        a ->
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build());
  }

  // ------------------------------------------------------------------------------------------
  // Credentials and options
  // ------------------------------------------------------------------------------------------

  @Test
  void credentialsAreNumberedUsersWithRandomUrlSafePasswords(@TempDir Path dir) throws IOException {
    List<Map<String, Object>> creds = shared.credentials();
    assertEquals(20, creds.size());
    assertEquals("user0001", creds.get(0).get("username"));
    assertEquals("user0020", creds.get(19).get("username"));
    Set<Object> passwords = new HashSet<>();
    for (Map<String, Object> c : creds) {
      String pw = (String) c.get("password");
      assertTrue(Pattern.matches("[A-Za-z0-9_-]{16}", pw), "16 url-safe characters");
      passwords.add(pw);
    }
    assertEquals(20, passwords.size(), "passwords are distinct");
    assertThrows(UnsupportedOperationException.class, () -> creds.get(0).put("password", "x"));

    Path csv = shared.writeCredentialsCsv(dir.resolve("sub/creds.csv"));
    List<String> lines = Files.readAllLines(csv);
    assertEquals(21, lines.size());
    assertEquals("username,password", lines.get(0));
    assertEquals("user0001," + creds.get(0).get("password"), lines.get(1));

    // Another instance has other passwords: nothing is fixed in code.
    try (EmbeddedJwtApi other = EmbeddedJwtApi.start(EmbeddedJwtApi.Options.defaults().users(20))) {
      assertNotEquals(creds.get(0).get("password"), other.credentials().get(0).get("password"));
    }
  }

  @Test
  void usernamesWidenBeyondFourDigits() {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(EmbeddedJwtApi.Options.defaults().users(10_000))) {
      assertEquals("user00001", api.credentials().get(0).get("username"));
      assertEquals("user10000", api.credentials().get(9_999).get("username"));
    }
  }

  @Test
  void optionsRejectUnknownAlgorithmAndAreImmutable() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EmbeddedJwtApi.Options.defaults().algorithm("ES256"));
    assertTrue(
        e.getMessage().contains("HS256") && e.getMessage().contains("RS256"), e.getMessage());

    EmbeddedJwtApi.Options defaults = EmbeddedJwtApi.Options.defaults();
    EmbeddedJwtApi.Options changed = defaults.tokenTtl(Duration.ofSeconds(10)).algorithm("rs256");
    assertEquals(Duration.ofSeconds(30), defaults.tokenTtl());
    assertEquals("HS256", defaults.algorithm());
    assertEquals(Duration.ofHours(1), defaults.refreshTtl());
    assertEquals(1000, defaults.users());
    assertEquals(0, defaults.port());
    assertEquals(Duration.ofSeconds(10), changed.tokenTtl());
    assertEquals("RS256", changed.algorithm());
  }

  // ------------------------------------------------------------------------------------------
  // Login and protected endpoints
  // ------------------------------------------------------------------------------------------

  @Test
  void loginOkReturnsTokenRefreshTokenAndTtl() throws Exception {
    HttpResponse<String> r = login(shared, 0);
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    JsonNode body = JSON.readTree(r.body());
    assertEquals(30, body.get("expires_in").asInt());
    assertEquals("Bearer", body.get("token_type").asText());
    assertFalse(body.get("refresh_token").asText().isEmpty());

    DecodedJWT jwt = JWT.decode(body.get("token").asText());
    assertEquals("HS256", jwt.getAlgorithm());
    assertEquals("user0001", jwt.getSubject());
    assertEquals("gatling-jwt-embedded-api", jwt.getIssuer());
    assertNotNull(jwt.getId());
    assertEquals(jwt.getIssuedAtAsInstant(), jwt.getNotBeforeAsInstant());
    assertEquals(
        30,
        jwt.getExpiresAtAsInstant().getEpochSecond() - jwt.getIssuedAtAsInstant().getEpochSecond());
    long drift =
        Math.abs(jwt.getIssuedAtAsInstant().getEpochSecond() - Instant.now().getEpochSecond());
    assertTrue(drift <= 2, "iat is now");
  }

  @Test
  void loginWithWrongPasswordUnknownUserOrBadBody() throws Exception {
    HttpResponse<String> wrong =
        post(shared, "/api/login", "{\"username\":\"user0001\",\"password\":\"not-the-password\"}");
    assertEquals(401, wrong.statusCode());
    assertEquals("{\"error\":\"invalid_credentials\"}", wrong.body());

    HttpResponse<String> unknown =
        post(
            shared,
            "/api/login",
            "{\"username\":\"nobody\",\"password\":\"" + password(shared, 0) + "\"}");
    assertEquals(401, unknown.statusCode());

    for (String bad :
        new String[] {
          "not json", "", "[]", "{\"username\":\"user0001\"}", "{\"username\":1,\"password\":2}"
        }) {
      HttpResponse<String> r = post(shared, "/api/login", bad);
      assertEquals(400, r.statusCode(), bad);
      assertEquals("{\"error\":\"invalid_request\"}", r.body());
    }
  }

  @Test
  void protectedEndpointsWithValidToken() throws Exception {
    String token = token(login(shared, 1));
    HttpResponse<String> r = get(shared, "/api/protected_resource", "Bearer " + token);
    assertEquals(200, r.statusCode());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("user0002", body.get("user").asText());
    assertFalse(body.get("message").asText().isEmpty());

    HttpResponse<String> items = get(shared, "/api/items", "Bearer " + token);
    assertEquals(200, items.statusCode());
    JsonNode list = JSON.readTree(items.body());
    assertTrue(list.isArray() && list.size() == 10);
    assertEquals(1, list.get(0).get("id").asInt());

    HttpResponse<String> item = get(shared, "/api/items/3?x=1", "Bearer " + token);
    assertEquals(200, item.statusCode());
    assertEquals(3, JSON.readTree(item.body()).get("id").asInt());

    assertEquals(404, get(shared, "/api/items/11", "Bearer " + token).statusCode());
    assertEquals(404, get(shared, "/api/items/abc", "Bearer " + token).statusCode());
    HttpResponse<String> nowhere = get(shared, "/nowhere", null);
    assertEquals(404, nowhere.statusCode());
    assertTrue(nowhere.body().contains("not_found"));
    assertEquals(404, post(shared, "/api/protected_resource", "{}").statusCode());
  }

  @Test
  void missingTokenVariantsAre401AndCounted() throws Exception {
    try (EmbeddedJwtApi api = EmbeddedJwtApi.start(EmbeddedJwtApi.Options.defaults().users(1))) {
      assertUnauthorized(get(api, "/api/protected_resource", null), MISSING_TOKEN);
      assertUnauthorized(get(api, "/api/items", "Bearer "), MISSING_TOKEN);
      assertUnauthorized(get(api, "/api/items/1", "Bearer null"), MISSING_TOKEN);
      assertUnauthorized(get(api, "/api/protected_resource", "Bearer undefined"), MISSING_TOKEN);
      assertUnauthorized(get(api, "/api/protected_resource", "Basic dXNlcjpwdw=="), MISSING_TOKEN);
      assertEquals(3, api.stats().emptyBearerRequests());
      assertEquals(5, api.stats().protectedUnauthorized());
      assertEquals(
          5,
          api.stats().protectedUnauthorized(EmbeddedJwtApi.Stats.UnauthorizedReason.MISSING_TOKEN));
      assertEquals(0, api.stats().protectedOk());
    }
  }

  @Test
  void malformedAndForeignTokensAreRejected() throws Exception {
    assertUnauthorized(get(shared, "/api/protected_resource", "Bearer abc.def"), "malformed");
    String token = token(login(shared, 2));
    // Same claims, signed by another server's key.
    try (EmbeddedJwtApi other = EmbeddedJwtApi.start(EmbeddedJwtApi.Options.defaults().users(3))) {
      String foreign = token(login(other, 2));
      HttpResponse<String> r = get(shared, "/api/protected_resource", "Bearer " + foreign);
      assertUnauthorized(r, "bad signature");
      assertFalse(r.body().contains(foreign), "the token is never echoed");
    }
    // Tampered signature.
    String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
    assertUnauthorized(
        get(shared, "/api/protected_resource", "Bearer " + tampered), "bad signature");
    // alg=none
    String none =
        JWT.create()
            .withSubject("user0003")
            .withIssuer("gatling-jwt-embedded-api")
            .sign(Algorithm.none());
    assertUnauthorized(get(shared, "/api/protected_resource", "Bearer " + none), "bad signature");
  }

  @Test
  void expiredTokenIs401WithoutSleeping() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .users(2)
                .tokenTtl(Duration.ofSeconds(10))
                .clock(clock))) {
      String token = token(login(api, 0));
      assertEquals(200, get(api, "/api/protected_resource", "Bearer " + token).statusCode());
      clock.advance(Duration.ofSeconds(9));
      assertEquals(200, get(api, "/api/protected_resource", "Bearer " + token).statusCode());
      clock.advance(Duration.ofSeconds(2));
      assertUnauthorized(get(api, "/api/protected_resource", "Bearer " + token), "expired");
      assertEquals(
          1, api.stats().protectedUnauthorized(EmbeddedJwtApi.Stats.UnauthorizedReason.EXPIRED));
    }
  }

  @Test
  void expiredTokenWithRealClockAndShortTtl() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults().users(1).tokenTtl(Duration.ofSeconds(1)))) {
      String token = token(login(api, 0));
      DecodedJWT jwt = JWT.decode(token);
      long waitMs = jwt.getExpiresAtAsInstant().toEpochMilli() - System.currentTimeMillis() + 50;
      Thread.sleep(Math.max(0, waitMs)); // at most ~1.05 s
      assertUnauthorized(get(api, "/api/protected_resource", "Bearer " + token), "expired");
    }
  }

  @Test
  void issuerClockOffsetShiftsClaimsAndValidation() throws Exception {
    Instant base = Instant.parse("2030-01-01T00:00:00Z");
    MutableClock clock = new MutableClock(base);
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .users(1)
                .clock(clock)
                .issuerClockOffset(Duration.ofMinutes(5)))) {
      String token = token(login(api, 0));
      DecodedJWT jwt = JWT.decode(token);
      assertEquals(base.plusSeconds(300), jwt.getIssuedAtAsInstant());
      assertEquals(base.plusSeconds(300), jwt.getNotBeforeAsInstant());
      assertEquals(base.plusSeconds(330), jwt.getExpiresAtAsInstant());
      // The server validates with its own (shifted) clock: the token is good now...
      assertEquals(200, get(api, "/api/protected_resource", "Bearer " + token).statusCode());
      // ...and expired 30 s later on that clock.
      clock.advance(Duration.ofSeconds(31));
      assertUnauthorized(get(api, "/api/protected_resource", "Bearer " + token), "expired");
    }
    // With the real clock, a server running 1 hour behind issues tokens already expired for us.
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults().users(1).issuerClockOffset(Duration.ofHours(-1)))) {
      DecodedJWT jwt = JWT.decode(token(login(api, 0)));
      assertTrue(jwt.getExpiresAtAsInstant().isBefore(Instant.now()));
      assertEquals(
          200, get(api, "/api/protected_resource", "Bearer " + jwt.getToken()).statusCode());
    }
  }

  @Test
  void rs256TokensVerifyWithTheServersPublicKey() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(EmbeddedJwtApi.Options.defaults().users(2).algorithm("RS256"))) {
      RSAPublicKey key = api.rsaPublicKey().orElseThrow();
      assertEquals(2048, key.getModulus().bitLength());
      String token = token(login(api, 1));
      DecodedJWT jwt =
          JWT.require(Algorithm.RSA256(key, null))
              .withIssuer("gatling-jwt-embedded-api")
              .build()
              .verify(token);
      assertEquals("RS256", jwt.getAlgorithm());
      assertEquals("user0002", jwt.getSubject());
      assertEquals(200, get(api, "/api/protected_resource", "Bearer " + token).statusCode());
    }
    assertTrue(shared.rsaPublicKey().isEmpty());
  }

  // ------------------------------------------------------------------------------------------
  // Refresh
  // ------------------------------------------------------------------------------------------

  @Test
  void refreshRotatesAndTheUsedTokenIsDeadAtOnce() throws Exception {
    try (EmbeddedJwtApi api = EmbeddedJwtApi.start(EmbeddedJwtApi.Options.defaults().users(2))) {
      JsonNode first = JSON.readTree(login(api, 0).body());
      String rt1 = first.get("refresh_token").asText();

      HttpResponse<String> r1 = refresh(api, rt1);
      assertEquals(200, r1.statusCode());
      JsonNode second = JSON.readTree(r1.body());
      String rt2 = second.get("refresh_token").asText();
      assertNotEquals(rt1, rt2);
      assertNotEquals(first.get("token").asText(), second.get("token").asText());
      assertEquals("user0001", JWT.decode(second.get("token").asText()).getSubject());
      assertEquals(
          200,
          get(api, "/api/protected_resource", "Bearer " + second.get("token").asText())
              .statusCode());

      HttpResponse<String> reuse = refresh(api, rt1);
      assertEquals(401, reuse.statusCode());
      assertEquals(
          "{\"error\":\"invalid_grant\",\"error_description\":"
              + "\"refresh token is invalid, expired or already used\"}",
          reuse.body());
      assertEquals(401, refresh(api, "never-issued").statusCode());
      assertEquals(200, refresh(api, rt2).statusCode());
      assertEquals(400, post(api, "/api/refresh_token", "{}").statusCode());

      EmbeddedJwtApi.Stats s = api.stats();
      assertEquals(2, s.refreshesOk());
      assertEquals(3, s.refreshesRefused());
      assertEquals(4, s.refreshTokensPresented());
      assertEquals(3, s.distinctRefreshTokensPresented());
      assertEquals(2, s.maxPresentationsOfOneRefreshToken());
      assertEquals(1, s.refreshTokensPresentedMoreThanOnce());
      assertEquals(3, s.accessTokensIssued());
    }
  }

  @Test
  void expiredRefreshTokenIsInvalidGrant() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .users(1)
                .refreshTtl(Duration.ofSeconds(60))
                .clock(clock))) {
      String rt = JSON.readTree(login(api, 0).body()).get("refresh_token").asText();
      clock.advance(Duration.ofSeconds(61));
      assertEquals(401, refresh(api, rt).statusCode());
    }
  }

  @Test
  void concurrentDoubleRedemptionGivesExactlyOne200() throws Exception {
    try (EmbeddedJwtApi api = EmbeddedJwtApi.start(EmbeddedJwtApi.Options.defaults().users(4))) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        for (int round = 0; round < 25; round++) {
          String rt = JSON.readTree(login(api, round % 4).body()).get("refresh_token").asText();
          int racers = 4;
          CountDownLatch go = new CountDownLatch(1);
          List<Future<Integer>> results = new ArrayList<>();
          for (int i = 0; i < racers; i++) {
            results.add(
                pool.submit(
                    () -> {
                      go.await();
                      return refresh(api, rt).statusCode();
                    }));
          }
          go.countDown();
          int ok = 0;
          int unauthorized = 0;
          for (Future<Integer> f : results) {
            int status = f.get();
            if (status == 200) {
              ok++;
            } else if (status == 401) {
              unauthorized++;
            }
          }
          assertEquals(1, ok, "round " + round);
          assertEquals(racers - 1, unauthorized, "round " + round);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(25, api.stats().refreshesOk());
      assertEquals(75, api.stats().refreshesRefused());
      assertEquals(4, api.stats().maxPresentationsOfOneRefreshToken());
    }
  }

  // ------------------------------------------------------------------------------------------
  // Test switches
  // ------------------------------------------------------------------------------------------

  @Test
  void revokeEarlyRevokesADeterministicFractionAfterTheDelay() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .users(4)
                .revokeEarly(0.5, Duration.ofSeconds(5))
                .clock(clock))) {
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        tokens.add(token(login(api, i)));
      }
      for (String t : tokens) {
        assertEquals(200, get(api, "/api/protected_resource", "Bearer " + t).statusCode());
      }
      clock.advance(Duration.ofSeconds(6)); // past the revocation delay, before exp (30 s)
      assertEquals(
          200, get(api, "/api/protected_resource", "Bearer " + tokens.get(0)).statusCode());
      assertUnauthorized(get(api, "/api/protected_resource", "Bearer " + tokens.get(1)), "revoked");
      assertEquals(200, get(api, "/api/items", "Bearer " + tokens.get(2)).statusCode());
      assertUnauthorized(get(api, "/api/items/1", "Bearer " + tokens.get(3)), "revoked");
      assertEquals(2, api.stats().accessTokensMarkedForRevocation());
      assertEquals(
          2, api.stats().protectedUnauthorized(EmbeddedJwtApi.Stats.UnauthorizedReason.REVOKED));

      // A refreshed token is a new token and is counted in the same sequence (5th: kept, 6th:
      // revoked).
      String rt = JSON.readTree(login(api, 0).body()).get("refresh_token").asText(); // 5th
      String sixth = token(refresh(api, rt));
      clock.advance(Duration.ofSeconds(6));
      assertUnauthorized(get(api, "/api/protected_resource", "Bearer " + sixth), "revoked");
    }
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults().users(1).revokeEarly(1.0, Duration.ZERO))) {
      assertUnauthorized(
          get(api, "/api/protected_resource", "Bearer " + token(login(api, 0))), "revoked");
    }
  }

  @Test
  void refuseRefreshSwitch() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(EmbeddedJwtApi.Options.defaults().users(1).refuseRefresh(true))) {
      String rt = JSON.readTree(login(api, 0).body()).get("refresh_token").asText();
      HttpResponse<String> r = refresh(api, rt);
      assertEquals(401, r.statusCode());
      assertEquals(
          "{\"error\":\"invalid_grant\",\"error_description\":\"refresh refused by test switch\"}",
          r.body());
      assertEquals(1, api.stats().refreshesRefused());
      assertEquals(0, api.stats().refreshesOk());
    }
  }

  @Test
  void failFirstLoginsSwitch() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(EmbeddedJwtApi.Options.defaults().users(1).failFirstLogins(2, 503))) {
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> r = login(api, 0);
        assertEquals(503, r.statusCode());
        assertTrue(JSON.readTree(r.body()).has("error"));
        assertFalse(r.body().contains(password(api, 0)));
      }
      assertEquals(200, login(api, 0).statusCode());
      assertEquals(2, api.stats().loginsFailedBySwitch());
      assertEquals(2, api.stats().loginsFailed());
      assertEquals(1, api.stats().loginsOk());
    }
  }

  @Test
  void rateLimitLoginsSwitch() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(EmbeddedJwtApi.Options.defaults().users(1).rateLimitLogins(2))) {
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> r = login(api, 0);
        assertEquals(429, r.statusCode());
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
        assertEquals("{\"error\":\"rate_limited\",\"retry_after\":1}", r.body());
      }
      assertEquals(200, login(api, 0).statusCode());
      assertEquals(2, api.stats().loginsRateLimited());
    }
  }

  // ------------------------------------------------------------------------------------------
  // Lifecycle
  // ------------------------------------------------------------------------------------------

  @Test
  void closeFreesThePortPromptly() throws Exception {
    long threadsBefore = apiThreads();
    EmbeddedJwtApi api = EmbeddedJwtApi.start(EmbeddedJwtApi.Options.defaults().users(1));
    int port = api.port();
    assertEquals("http://127.0.0.1:" + port, api.baseUrl());
    // Leave several keep-alive connections open.
    HttpClient other = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> fs = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        fs.add(
            pool.submit(
                () ->
                    other
                        .send(
                            HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/items"))
                                .GET()
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .statusCode()));
      }
      for (Future<Integer> f : fs) {
        assertEquals(401, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(200, login(api, 0).statusCode());
    assertTrue(apiThreads() > threadsBefore);
    long t0 = System.nanoTime();
    api.close();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 1000, "close took " + ms + " ms");
    api.close(); // idempotent
    for (int i = 0; i < 50 && apiThreads() > threadsBefore; i++) {
      Thread.sleep(10);
    }
    assertEquals(threadsBefore, apiThreads(), "the server's threads are gone");
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
    }
    try (EmbeddedJwtApi again =
        EmbeddedJwtApi.start(EmbeddedJwtApi.Options.defaults().users(1).port(port))) {
      assertEquals(port, again.port());
      assertEquals(200, login(again, 0).statusCode());
    }
  }

  // ------------------------------------------------------------------------------------------
  // Helpers
  // ------------------------------------------------------------------------------------------

  private static long apiThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("embedded-jwt-api-"))
        .count();
  }

  private static String password(EmbeddedJwtApi api, int userIndex) {
    return (String) api.credentials().get(userIndex).get("password");
  }

  private static HttpResponse<String> login(EmbeddedJwtApi api, int userIndex) throws Exception {
    Map<String, Object> c = api.credentials().get(userIndex);
    return post(api, "/api/login", JSON.writeValueAsString(c));
  }

  private static HttpResponse<String> refresh(EmbeddedJwtApi api, String refreshToken)
      throws Exception {
    return post(
        api, "/api/refresh_token", JSON.writeValueAsString(Map.of("refresh_token", refreshToken)));
  }

  private static String token(HttpResponse<String> response) throws IOException {
    assertEquals(200, response.statusCode(), "expected a token response");
    return JSON.readTree(response.body()).get("token").asText();
  }

  private static HttpResponse<String> post(EmbeddedJwtApi api, String path, String body)
      throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http(api).send(req, HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(EmbeddedJwtApi api, String path, String authorization)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
            .timeout(Duration.ofSeconds(5))
            .GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http(api).send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertUnauthorized(HttpResponse<String> r, String reason) throws IOException {
    assertEquals(401, r.statusCode(), r.body());
    assertEquals(
        "Bearer error=\"invalid_token\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
    JsonNode body = JSON.readTree(r.body());
    assertEquals("invalid_token", body.get("error").asText());
    assertEquals(reason, body.get("error_description").asText());
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
