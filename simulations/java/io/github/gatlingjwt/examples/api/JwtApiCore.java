package io.github.gatlingjwt.examples.api;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gatlingjwt.examples.api.EmbeddedJwtApi.Options;
import io.github.gatlingjwt.examples.api.EmbeddedJwtApi.Stats;
import io.github.gatlingjwt.examples.api.EmbeddedJwtApi.Stats.UnauthorizedReason;
import io.github.gatlingjwt.token.HttpDates;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API's behaviour, independent of the HTTP transport: credentials, token issue and
 * verification, refresh-token rotation, test switches and counters. Thread-safe.
 */
final class JwtApiCore {

  static final String ISSUER = "gatling-jwt-embedded-api";
  static final int MAX_BODY_BYTES = 16 * 1024;

  /** {@link Response}'s {@code retryAfterSeconds} when it has no {@code Retry-After} header. */
  static final int NO_RETRY_AFTER = -1;

  /** A pre-built response: status, JSON body and the two optional headers this API uses. */
  static final class Response {
    final HttpResponseStatus status;
    final byte[] body;
    final boolean wwwAuthenticate;

    /** The {@code Retry-After} header value, or null for none. */
    final AsciiString retryAfter;

    /** The {@code Date} header value (the server's clock), or null for none. */
    final String date;

    Response(int status, byte[] body, boolean wwwAuthenticate, int retryAfterSeconds) {
      this(status, body, wwwAuthenticate, retryAfterSeconds, null);
    }

    Response(int status, byte[] body, boolean wwwAuthenticate, int retryAfterSeconds, String date) {
      this.status = HttpResponseStatus.valueOf(status);
      this.body = body;
      this.wwwAuthenticate = wwwAuthenticate;
      this.retryAfter =
          retryAfterSeconds < 0 ? null : AsciiString.cached(Integer.toString(retryAfterSeconds));
      this.date = date;
    }

    static Response json(int status, String json) {
      return new Response(status, json.getBytes(StandardCharsets.UTF_8), false, NO_RETRY_AFTER);
    }

    String bodyAsString() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  static final Response NOT_FOUND = Response.json(404, "{\"error\":\"not_found\"}");
  static final Response ITEM_NOT_FOUND =
      Response.json(404, "{\"error\":\"not_found\",\"error_description\":\"no such item\"}");
  static final Response INVALID_REQUEST = Response.json(400, "{\"error\":\"invalid_request\"}");
  static final Response INVALID_CREDENTIALS =
      Response.json(401, "{\"error\":\"invalid_credentials\"}");
  static final Response INVALID_GRANT =
      Response.json(
          401,
          "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token is invalid, expired or already used\"}");
  static final Response REFRESH_REFUSED =
      Response.json(
          401,
          "{\"error\":\"invalid_grant\",\"error_description\":\"refresh refused by test switch\"}");
  static final Response AUTH_OUTAGE =
      new Response(
          503,
          "{\"error\":\"temporarily_unavailable\"}".getBytes(StandardCharsets.UTF_8),
          false,
          1);
  static final Response INTERNAL_ERROR = Response.json(500, "{\"error\":\"server_error\"}");
  static final Response PAYLOAD_TOO_LARGE = Response.json(413, "{\"error\":\"payload_too_large\"}");

  private static final Response[] UNAUTHORIZED = new Response[UnauthorizedReason.values().length];

  static {
    for (UnauthorizedReason r : UnauthorizedReason.values()) {
      UNAUTHORIZED[r.ordinal()] =
          new Response(
              401,
              ("{\"error\":\"invalid_token\",\"error_description\":\"" + r.description() + "\"}")
                  .getBytes(StandardCharsets.UTF_8),
              true,
              NO_RETRY_AFTER);
    }
  }

  private static final String[] ITEM_NAMES = {
    "Anvil", "Boomerang", "Compass", "Dynamo", "Eyeglass",
    "Funnel", "Gyroscope", "Hourglass", "Inkwell", "Jackknife"
  };

  final Options options;
  final Clock clock;
  final Stats stats = new Stats();
  final List<Map<String, Object>> credentials;
  final RSAPublicKey publicKey;

  private final ObjectMapper mapper = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final Algorithm algorithm;
  private final JWTVerifier verifier;
  private final Map<String, byte[]> passwords; // username -> UTF-8 password (read-only after start)
  private final Map<String, Response> protectedResponses; // username -> pre-serialized 200
  private final Response itemsResponse;
  private final Response[] itemResponses;
  private final long tokenTtlSeconds;
  private final long refreshTtlMillis;

  private final ConcurrentHashMap<String, RefreshGrant> refreshTokens = new ConcurrentHashMap<>();

  /** Only filled when revokeEarly is on: jti -> when it becomes revoked / when it expires. */
  private final ConcurrentHashMap<String, Revocation> revocations = new ConcurrentHashMap<>();

  private final AtomicLong loginSequence = new AtomicLong();
  private final AtomicLong accessTokenSequence = new AtomicLong();
  private final long revokePpm;
  private final long revokeAfterMillis;
  private final Response rateLimited;

  /** Server clock millis when the auth outage starts / ends (start == end: no outage). */
  private final long authOutageFromMillis;

  private final long authOutageUntilMillis;

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("SHA-256 unavailable", e);
            }
          });

  private static final class RefreshGrant {
    final String username;
    final long expiresAtMillis;

    RefreshGrant(String username, long expiresAtMillis) {
      this.username = username;
      this.expiresAtMillis = expiresAtMillis;
    }
  }

  private static final class Revocation {
    final long revokedAtMillis;
    final long expiresAtMillis;

    Revocation(long revokedAtMillis, long expiresAtMillis) {
      this.revokedAtMillis = revokedAtMillis;
      this.expiresAtMillis = expiresAtMillis;
    }
  }

  JwtApiCore(Options options) {
    this.options = options;
    this.clock = options.effectiveClock();
    this.tokenTtlSeconds = options.tokenTtl().getSeconds();
    this.refreshTtlMillis = options.refreshTtl().toMillis();
    this.revokePpm = Math.round(options.revokeFraction() * 1_000_000d);
    this.revokeAfterMillis = options.revokeAfter().toMillis();
    int retryAfter = options.loginRetryAfter429();
    this.rateLimited =
        new Response(
            429,
            ("{\"error\":\"rate_limited\",\"retry_after\":" + retryAfter + "}")
                .getBytes(StandardCharsets.UTF_8),
            false,
            retryAfter);
    long startedAtMillis = clock.millis();
    this.authOutageFromMillis =
        saturatedAdd(startedAtMillis, millis(options.authOutageStartAfter()));
    this.authOutageUntilMillis =
        saturatedAdd(authOutageFromMillis, millis(options.authOutageLength()));

    if ("RS256".equals(options.algorithm())) {
      try {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
        kpg.initialize(2048, random);
        KeyPair kp = kpg.generateKeyPair();
        this.publicKey = (RSAPublicKey) kp.getPublic();
        this.algorithm = Algorithm.RSA256(publicKey, (RSAPrivateKey) kp.getPrivate());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("could not generate an RSA key pair", e);
      }
    } else {
      byte[] secret = new byte[32];
      random.nextBytes(secret);
      this.publicKey = null;
      this.algorithm = Algorithm.HMAC256(secret);
    }
    this.verifier =
        ((JWTVerifier.BaseVerification)
                JWT.require(algorithm).withIssuer(ISSUER).withClaimPresence("sub").acceptLeeway(0))
            .build(clock);

    int users = options.users();
    int width = Math.max(4, String.valueOf(users).length());
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    List<String> names = new ArrayList<>(users);
    Map<String, String> clearPasswords = new HashMap<>(users * 2);
    Map<String, byte[]> pw = new HashMap<>(users * 2);
    Map<String, Response> bodies = new HashMap<>(users * 2);
    for (int i = 1; i <= users; i++) {
      String name = "user" + String.format("%0" + width + "d", i);
      byte[] raw = new byte[12];
      random.nextBytes(raw);
      String password = b64.encodeToString(raw); // 16 url-safe characters
      names.add(name);
      clearPasswords.put(name, password);
      pw.put(name, password.getBytes(StandardCharsets.UTF_8));
      bodies.put(name, new Response(200, protectedBody(name), false, NO_RETRY_AFTER));
    }
    this.passwords = pw;
    this.protectedResponses = bodies;
    this.credentials = EmbeddedJwtApi.credentialList(names, clearPasswords);

    List<Map<String, Object>> items = new ArrayList<>();
    this.itemResponses = new Response[ITEM_NAMES.length];
    for (int i = 0; i < ITEM_NAMES.length; i++) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("id", i + 1);
      item.put("name", ITEM_NAMES[i]);
      items.add(item);
      itemResponses[i] = new Response(200, writeJson(item), false, NO_RETRY_AFTER);
    }
    this.itemsResponse = new Response(200, writeJson(items), false, NO_RETRY_AFTER);
  }

  // ------------------------------------------------------------------------------------------
  // Routing
  // ------------------------------------------------------------------------------------------

  /** Handles one request. {@code path} has no query string; {@code body} is only read for POSTs. */
  Response handle(String method, String path, String authorization, byte[] body) {
    switch (path) {
      case "/api/login":
        return "POST".equals(method) ? login(body) : NOT_FOUND;
      case "/api/refresh_token":
        return "POST".equals(method) ? refresh(body) : NOT_FOUND;
      case "/api/protected_resource":
        if ("GET".equals(method)) {
          Object auth = authenticate(authorization);
          if (auth instanceof Response) {
            return (Response) auth;
          }
          stats.recordProtectedOk();
          return protectedResponse((String) auth);
        }
        return NOT_FOUND;
      case "/api/items":
        if ("GET".equals(method)) {
          Object auth = authenticate(authorization);
          if (auth instanceof Response) {
            return (Response) auth;
          }
          stats.recordProtectedOk();
          return itemsResponse;
        }
        return NOT_FOUND;
      default:
        if ("GET".equals(method) && path.startsWith("/api/items/")) {
          int id = parseId(path, "/api/items/".length());
          if (id == Integer.MIN_VALUE) {
            return NOT_FOUND; // not an item path at all, e.g. /api/items/abc or /api/items/1/x
          }
          Object auth = authenticate(authorization);
          if (auth instanceof Response) {
            return (Response) auth;
          }
          if (id >= 1 && id <= itemResponses.length) {
            stats.recordProtectedOk();
            return itemResponses[id - 1];
          }
          stats.recordProtectedNotFound();
          return ITEM_NOT_FOUND;
        }
        return NOT_FOUND;
    }
  }

  private static int parseId(String path, int from) {
    int len = path.length();
    if (from >= len || len - from > 9) {
      return Integer.MIN_VALUE;
    }
    int v = 0;
    for (int i = from; i < len; i++) {
      char c = path.charAt(i);
      if (c < '0' || c > '9') {
        return Integer.MIN_VALUE;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  // ------------------------------------------------------------------------------------------
  // Login / refresh
  // ------------------------------------------------------------------------------------------

  /** Server clock millis when the auth outage ends (equal to its start when there is none). */
  long authOutageUntilMillis() {
    return authOutageUntilMillis;
  }

  /** True while the auth outage test switch is on, at {@code nowMillis} on the server clock. */
  private boolean inAuthOutage(long nowMillis) {
    return nowMillis >= authOutageFromMillis && nowMillis < authOutageUntilMillis;
  }

  /** {@link Duration#toMillis()}, saturated instead of throwing (for huge values). */
  private static long millis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    // Overflow only when both have the same sign and the result's sign differs.
    return ((a ^ r) & (b ^ r)) < 0 ? (b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }

  private Response login(byte[] body) {
    long now = clock.millis();
    if (inAuthOutage(now)) {
      stats.recordAuthOutageLogin();
      return AUTH_OUTAGE;
    }
    long n = loginSequence.incrementAndGet();
    if (n <= options.rateLimitLogins()) {
      stats.recordLoginRateLimited();
      return rateLimited;
    }
    if (n <= (long) options.rateLimitLogins() + options.failFirstLogins()) {
      stats.recordLoginFailedBySwitch();
      int status = options.failFirstLoginsStatus();
      return Response.json(
          status,
          "{\"error\":\"injected_failure\",\"error_description\":"
              + "\"login failed by test switch\",\"status\":"
              + status
              + "}");
    }
    JsonNode json = parseObject(body);
    JsonNode u = json == null ? null : json.get("username");
    JsonNode p = json == null ? null : json.get("password");
    if (u == null || p == null || !u.isTextual() || !p.isTextual()) {
      stats.recordLoginBadRequest();
      return INVALID_REQUEST;
    }
    String username = u.textValue();
    byte[] expected = passwords.get(username);
    byte[] given = p.textValue().getBytes(StandardCharsets.UTF_8);
    if (expected == null || !MessageDigest.isEqual(expected, given)) {
      stats.recordLoginInvalidCredentials();
      return INVALID_CREDENTIALS;
    }
    stats.recordLoginOk(username, now);
    return tokenResponse(username);
  }

  private Response refresh(byte[] body) {
    if (inAuthOutage(clock.millis())) {
      stats.recordAuthOutageRefresh();
      return AUTH_OUTAGE;
    }
    JsonNode json = parseObject(body);
    JsonNode rt = json == null ? null : json.get("refresh_token");
    if (rt == null || !rt.isTextual()) {
      stats.recordRefreshRefused();
      return INVALID_REQUEST;
    }
    String presented = rt.textValue();
    stats.recordRefreshTokenPresented(fingerprint(presented));
    if (options.refuseRefresh()) {
      stats.recordRefreshRefused();
      return REFRESH_REFUSED;
    }
    // remove() is atomic: of two racing redemptions of one token, exactly one gets the grant.
    RefreshGrant grant = refreshTokens.remove(presented);
    if (grant == null || grant.expiresAtMillis <= clock.millis()) {
      stats.recordRefreshRefused();
      return INVALID_GRANT;
    }
    stats.recordRefreshOk(grant.username, clock.millis());
    return tokenResponse(grant.username);
  }

  private Response tokenResponse(String username) {
    String token = issueAccessToken(username);
    String refreshToken = newRefreshToken();
    refreshTokens.put(refreshToken, new RefreshGrant(username, clock.millis() + refreshTtlMillis));
    // All three strings are base64url / [A-Za-z0-9._-]: no JSON escaping is needed.
    String json =
        "{\"token\":\""
            + token
            + "\",\"refresh_token\":\""
            + refreshToken
            + "\""
            + (options.expOnly() ? "" : ",\"expires_in\":" + tokenTtlSeconds)
            + ",\"token_type\":\"Bearer\"}";
    // RFC 9110 6.6.1: an origin server with a clock sends Date (token answers only: the protected
    // path stays as lean as the benchmark needs it)
    String date = HttpDates.format(clock.instant());
    return new Response(200, json.getBytes(StandardCharsets.US_ASCII), false, NO_RETRY_AFTER, date);
  }

  private String issueAccessToken(String username) {
    long nowMillis = clock.millis();
    long nowSeconds = Math.floorDiv(nowMillis, 1000L);
    Instant iat = Instant.ofEpochSecond(nowSeconds);
    Instant exp = Instant.ofEpochSecond(nowSeconds + tokenTtlSeconds);
    String jti = UUID.randomUUID().toString();
    long n = accessTokenSequence.incrementAndGet();
    boolean revoke =
        revokePpm > 0 && (n * revokePpm) / 1_000_000L > ((n - 1) * revokePpm) / 1_000_000L;
    if (revoke) {
      revocations.put(jti, new Revocation(nowMillis + revokeAfterMillis, exp.toEpochMilli()));
    }
    stats.recordAccessTokenIssued(revoke);
    return JWT.create()
        .withIssuer(ISSUER)
        .withSubject(username)
        .withIssuedAt(options.expOnly() ? null : iat)
        .withNotBefore(iat)
        .withExpiresAt(exp)
        .withJWTId(jti)
        .sign(algorithm);
  }

  private String newRefreshToken() {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  private JsonNode parseObject(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      JsonNode node = mapper.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (Exception e) { // never rethrow: the message could quote the body
      return null;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Bearer authentication
  // ------------------------------------------------------------------------------------------

  /** Returns the subject (a String) when the bearer token is valid, else the 401 Response. */
  private Object authenticate(String authorization) {
    if (authorization == null) {
      return unauthorized(UnauthorizedReason.MISSING_TOKEN);
    }
    String header = authorization.trim();
    if (header.length() < 6
        || !header.regionMatches(true, 0, "Bearer", 0, 6)
        || (header.length() > 6 && header.charAt(6) != ' ')) {
      return unauthorized(UnauthorizedReason.MISSING_TOKEN);
    }
    String token = header.substring(6).trim();
    if (token.isEmpty() || token.equals("null") || token.equals("undefined")) {
      stats.recordEmptyBearer();
      return unauthorized(UnauthorizedReason.MISSING_TOKEN);
    }
    DecodedJWT jwt;
    try {
      jwt = verifier.verify(token);
    } catch (TokenExpiredException e) {
      return unauthorized(UnauthorizedReason.EXPIRED);
    } catch (SignatureVerificationException | AlgorithmMismatchException e) {
      return unauthorized(UnauthorizedReason.BAD_SIGNATURE);
    } catch (JWTDecodeException e) {
      return unauthorized(UnauthorizedReason.MALFORMED);
    } catch (JWTVerificationException e) {
      // wrong issuer, missing sub, nbf/iat in the future: not a token this server accepts.
      return unauthorized(UnauthorizedReason.MALFORMED);
    } catch (RuntimeException e) {
      return unauthorized(UnauthorizedReason.MALFORMED);
    }
    if (revokePpm > 0) {
      String jti = jwt.getId();
      Revocation r = jti == null ? null : revocations.get(jti);
      if (r != null && clock.millis() >= r.revokedAtMillis) {
        return unauthorized(UnauthorizedReason.REVOKED);
      }
    }
    return jwt.getSubject();
  }

  private Response unauthorized(UnauthorizedReason reason) {
    stats.recordProtectedUnauthorized(reason);
    return UNAUTHORIZED[reason.ordinal()];
  }

  private Response protectedResponse(String username) {
    Response r = protectedResponses.get(username);
    // A validly signed token for a user not in the table cannot happen; answer anyway.
    return r != null ? r : new Response(200, protectedBody(username), false, NO_RETRY_AFTER);
  }

  private byte[] protectedBody(String username) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user", username);
    m.put("message", "Hello " + username + ", this is a protected resource.");
    return writeJson(m);
  }

  private byte[] writeJson(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (Exception e) {
      throw new IllegalStateException("JSON serialization failed", e);
    }
  }

  private static long fingerprint(String token) {
    MessageDigest md = SHA256.get();
    byte[] d = md.digest(token.getBytes(StandardCharsets.UTF_8));
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (d[i] & 0xff);
    }
    return v;
  }

  // ------------------------------------------------------------------------------------------
  // Housekeeping
  // ------------------------------------------------------------------------------------------

  /** Drops expired refresh tokens and revocation entries (scheduled every few seconds). */
  void purgeExpired() {
    long now = clock.millis();
    refreshTokens.values().removeIf(g -> g.expiresAtMillis <= now);
    if (!revocations.isEmpty()) {
      revocations.values().removeIf(r -> r.expiresAtMillis <= now);
    }
  }
}
