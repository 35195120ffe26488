package io.github.gatlingjwt.examples.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gatlingjwt.testkit.MutableClock;
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
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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

  @Test
  void everyFluentMethodReturnsACopyWithOneChangeAndKeepsTheOthers() {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    EmbeddedJwtApi.Options defaults = EmbeddedJwtApi.Options.defaults();
    EmbeddedJwtApi.Options all =
        defaults
            .tokenTtl(Duration.ofSeconds(12))
            .refreshTtl(Duration.ofMinutes(3))
            .algorithm("RS256")
            .users(7)
            .port(12345)
            .revokeEarly(0.25, Duration.ofSeconds(4))
            .refuseRefresh(true)
            .failFirstLogins(3, 502)
            .rateLimitLogins(2)
            .loginRetryAfter429(9)
            .authOutage(Duration.ofSeconds(20), Duration.ofSeconds(6))
            .issuerClockOffset(Duration.ofMinutes(-2))
            .expOnly(true)
            .clock(clock);
    assertEquals(Duration.ofSeconds(12), all.tokenTtl());
    assertEquals(Duration.ofMinutes(3), all.refreshTtl());
    assertEquals("RS256", all.algorithm());
    assertEquals(7, all.users());
    assertEquals(12345, all.port());
    assertEquals(0.25, all.revokeFraction());
    assertEquals(Duration.ofSeconds(4), all.revokeAfter());
    assertTrue(all.refuseRefresh());
    assertEquals(3, all.failFirstLogins());
    assertEquals(502, all.failFirstLoginsStatus());
    assertEquals(2, all.rateLimitLogins());
    assertEquals(9, all.loginRetryAfter429());
    assertEquals(Duration.ofSeconds(20), all.authOutageStartAfter());
    assertEquals(Duration.ofSeconds(6), all.authOutageLength());
    assertEquals(Duration.ofMinutes(-2), all.issuerClockOffset());
    assertTrue(all.expOnly());
    assertSame(clock, all.clock());
    String text = all.toString();
    assertTrue(
        text.contains("retryAfter=9s") && text.contains("authOutage=PT6S after PT20S"), text);

    // The defaults are untouched by all of that.
    assertEquals(Duration.ofSeconds(30), defaults.tokenTtl());
    assertEquals(Duration.ofHours(1), defaults.refreshTtl());
    assertEquals("HS256", defaults.algorithm());
    assertEquals(1000, defaults.users());
    assertEquals(0, defaults.port());
    assertEquals(0.0, defaults.revokeFraction());
    assertEquals(Duration.ZERO, defaults.revokeAfter());
    assertFalse(defaults.refuseRefresh());
    assertEquals(0, defaults.failFirstLogins());
    assertEquals(503, defaults.failFirstLoginsStatus());
    assertEquals(0, defaults.rateLimitLogins());
    assertEquals(1, defaults.loginRetryAfter429());
    assertEquals(Duration.ZERO, defaults.authOutageStartAfter());
    assertEquals(Duration.ZERO, defaults.authOutageLength());
    assertEquals(Duration.ZERO, defaults.issuerClockOffset());
    assertFalse(defaults.expOnly());
    assertEquals(Clock.systemUTC(), defaults.clock());

    // One change on a fully set instance keeps every other field.
    EmbeddedJwtApi.Options one = all.users(8);
    assertNotSame(all, one);
    assertEquals(7, all.users());
    assertEquals(8, one.users());
    assertEquals(all.toString().replace("users=7", "users=8"), one.toString());
    assertEquals(9, one.loginRetryAfter429());
    assertEquals(Duration.ofSeconds(20), one.authOutageStartAfter());
    assertSame(clock, one.clock());

    // A refused value changes nothing and says why.
    assertThrows(IllegalArgumentException.class, () -> all.loginRetryAfter429(-1));
    assertEquals(0, defaults.loginRetryAfter429(0).loginRetryAfter429());
    assertThrows(
        IllegalArgumentException.class,
        () -> all.authOutage(Duration.ofSeconds(-1), Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> all.authOutage(Duration.ZERO, Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> all.authOutage(null, Duration.ofSeconds(1)));
    assertThrows(NullPointerException.class, () -> all.authOutage(Duration.ZERO, null));
    assertThrows(IllegalArgumentException.class, () -> all.users(0));
    assertThrows(IllegalArgumentException.class, () -> all.tokenTtl(Duration.ofMillis(999)));
    assertThrows(NullPointerException.class, () -> all.clock(null));
    assertEquals(7, all.users());
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
  void tokenAnswersCarryTheServersClockInDateAndExpOnlyDropsIatAndExpiresIn() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .users(1)
                .tokenTtl(Duration.ofSeconds(20))
                .issuerClockOffset(Duration.ofMinutes(5))
                .expOnly(true))) {
      HttpResponse<String> r = login(api, 0);
      Instant date =
          ZonedDateTime.parse(
                  r.headers().firstValue("Date").orElseThrow(),
                  DateTimeFormatter.RFC_1123_DATE_TIME)
              .toInstant();
      long ahead = date.getEpochSecond() - Instant.now().getEpochSecond();
      assertTrue(ahead >= 298 && ahead <= 301, "Date runs 5 minutes ahead: " + ahead);
      JsonNode body = JSON.readTree(r.body());
      assertNull(body.get("expires_in"), r.body());
      DecodedJWT jwt = JWT.decode(body.get("token").asText());
      assertNull(jwt.getIssuedAtAsInstant());
      long left = jwt.getExpiresAtAsInstant().getEpochSecond() - date.getEpochSecond();
      assertTrue(left >= 19 && left <= 20, "exp is 20 s after Date: " + left);
      // protected answers do not carry it (kept lean for the benchmark)
      HttpResponse<String> p = get(api, "/api/protected_resource", "Bearer " + jwt.getToken());
      assertEquals(200, p.statusCode());
      assertTrue(p.headers().firstValue("Date").isEmpty());
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

  @Test
  void loginRetryAfter429SetsTheHeaderAndTheJsonValue() throws Exception {
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults().users(1).rateLimitLogins(1).loginRetryAfter429(7))) {
      HttpResponse<String> r = login(api, 0);
      assertEquals(429, r.statusCode());
      assertEquals("7", r.headers().firstValue("Retry-After").orElse(null));
      assertEquals("{\"error\":\"rate_limited\",\"retry_after\":7}", r.body());
      assertEquals(200, login(api, 0).statusCode());
      assertEquals(1, api.stats().loginsRateLimited());
    }
  }

  @Test
  void authOutageAnswers503ToLoginAndRefreshOnlyDuringItsWindow() throws Exception {
    Instant base = Instant.parse("2030-01-01T00:00:00Z");
    MutableClock clock = new MutableClock(base);
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .users(2)
                .clock(clock)
                .authOutage(Duration.ofSeconds(10), Duration.ofSeconds(5)))) {
      JsonNode first = JSON.readTree(login(api, 0).body());
      String token = first.get("token").asText();
      String rt = first.get("refresh_token").asText();
      clock.advance(Duration.ofMillis(9_999)); // just before the outage
      assertEquals(200, login(api, 1).statusCode());

      clock.advance(Duration.ofMillis(1)); // start + 10 s: the outage begins
      assertAuthOutage(login(api, 0));
      assertAuthOutage(refresh(api, rt));
      assertAuthOutage(post(api, "/api/login", "not even json"));
      // The protected endpoints keep working, and keep verifying tokens.
      assertEquals(200, get(api, "/api/protected_resource", "Bearer " + token).statusCode());
      assertEquals(200, get(api, "/api/items/2", "Bearer " + token).statusCode());
      assertUnauthorized(get(api, "/api/items", "Bearer abc.def"), "malformed");
      assertUnauthorized(get(api, "/api/items", null), MISSING_TOKEN);

      clock.advance(Duration.ofMillis(4_999)); // the last millisecond of the outage
      assertAuthOutage(login(api, 1));

      clock.advance(Duration.ofMillis(1)); // start + 15 s: over
      assertEquals(200, login(api, 1).statusCode());
      // The refresh token presented during the outage was neither consumed nor counted.
      assertEquals(200, refresh(api, rt).statusCode());

      EmbeddedJwtApi.Stats s = api.stats();
      assertEquals(4, s.authOutageAnswers());
      assertEquals(3, s.loginsFailed());
      assertEquals(1, s.refreshesRefused());
      assertEquals(3, s.loginsOk());
      assertEquals(1, s.refreshesOk());
      assertEquals(1, s.refreshTokensPresented());
      assertEquals(1, s.maxPresentationsOfOneRefreshToken());
      assertEquals(2, s.protectedOk());
      assertEquals(0, s.loginsInvalidCredentials());
      long t0 = base.toEpochMilli();
      assertEquals(List.of(t0, t0 + 9_999, t0 + 15_000), s.successfulLoginTimesMillis());
      assertTrue(s.toString().contains("authOutageAnswers=4"), s.toString());
    }
  }

  @Test
  void authOutageIsCountedFromTheServersStartAndGoesBeforeTheLoginSwitches() throws Exception {
    Instant base = Instant.parse("2030-06-01T12:00:00.250Z");
    MutableClock clock = new MutableClock(base);
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .users(1)
                .clock(clock)
                .issuerClockOffset(Duration.ofHours(1))
                .rateLimitLogins(1)
                .authOutage(Duration.ZERO, Duration.ofSeconds(1)))) {
      assertAuthOutage(login(api, 0)); // at once, whatever the base clock and its offset
      clock.advance(Duration.ofSeconds(1));
      // The outage's logins did not use up the rate-limited ones.
      assertEquals(429, login(api, 0).statusCode());
      assertEquals(200, login(api, 0).statusCode());
      assertEquals(1, api.stats().authOutageAnswers());
      assertEquals(1, api.stats().loginsRateLimited());
      // Instants are on the server's clock: the base clock shifted by the issuer offset.
      long expected = base.plus(Duration.ofHours(1)).plusSeconds(1).toEpochMilli();
      assertEquals(List.of(expected), api.stats().successfulLoginTimesMillis());
    }
    // Off by default: a server that never had an outage counts none.
    assertEquals(0, shared.stats().authOutageAnswers());
  }

  @Test
  void perUserLoginAndRefreshCounters() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    try (EmbeddedJwtApi api =
        EmbeddedJwtApi.start(EmbeddedJwtApi.Options.defaults().users(3).clock(clock))) {
      EmbeddedJwtApi.Stats s = api.stats();
      assertEquals(Map.of(), s.loginsOkByUser());
      assertEquals(Map.of(), s.refreshesOkByUser());
      assertEquals(List.of(), s.successfulLoginTimesMillis());

      String rt0 = JSON.readTree(login(api, 0).body()).get("refresh_token").asText();
      clock.advance(Duration.ofSeconds(2));
      login(api, 0);
      String rt1 = JSON.readTree(login(api, 1).body()).get("refresh_token").asText();
      String rt0b = JSON.readTree(refresh(api, rt0).body()).get("refresh_token").asText();
      assertEquals(200, refresh(api, rt0b).statusCode());
      assertEquals(200, refresh(api, rt1).statusCode());
      // Refused refreshes and failed logins are not counted per user.
      assertEquals(401, refresh(api, rt0).statusCode());
      assertEquals(
          401,
          post(api, "/api/login", "{\"username\":\"user0003\",\"password\":\"wrong\"}")
              .statusCode());

      assertEquals(Map.of("user0001", 2L, "user0002", 1L), s.loginsOkByUser());
      assertEquals(Map.of("user0001", 2L, "user0002", 1L), s.refreshesOkByUser());
      assertEquals(List.of("user0001", "user0002"), new ArrayList<>(s.loginsOkByUser().keySet()));
      long t0 = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();
      assertEquals(List.of(t0, t0 + 2_000, t0 + 2_000), s.successfulLoginTimesMillis());

      // The answers are copies: changing them changes nothing.
      Map<String, Long> logins = s.loginsOkByUser();
      logins.put("user0003", 99L);
      s.refreshesOkByUser().clear();
      List<Long> times = s.successfulLoginTimesMillis();
      times.clear();
      assertEquals(Map.of("user0001", 2L, "user0002", 1L), s.loginsOkByUser());
      assertEquals(Map.of("user0001", 2L, "user0002", 1L), s.refreshesOkByUser());
      assertEquals(3, s.successfulLoginTimesMillis().size());

      // Concurrent logins are all recorded (the times list grows past its initial capacity).
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
          int user = i % 3;
          fs.add(pool.submit(() -> login(api, user).statusCode()));
        }
        for (Future<Integer> f : fs) {
          assertEquals(200, f.get());
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(Map.of("user0001", 32L, "user0002", 31L, "user0003", 30L), s.loginsOkByUser());
      assertEquals(93, s.successfulLoginTimesMillis().size());
      assertEquals(93, s.loginsOk());
    }
  }

  private static void assertAuthOutage(HttpResponse<String> r) {
    assertEquals(503, r.statusCode(), r.body());
    assertEquals("{\"error\":\"temporarily_unavailable\"}", r.body());
    assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
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
}
