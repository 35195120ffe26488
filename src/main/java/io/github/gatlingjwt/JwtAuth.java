package io.github.gatlingjwt;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.github.gatlingjwt.internal.AuthChains;
import io.github.gatlingjwt.internal.AuthRun;
import io.github.gatlingjwt.internal.ElFunctions;
import io.github.gatlingjwt.internal.IdentityWatch;
import io.github.gatlingjwt.internal.OAuth2Settings;
import io.github.gatlingjwt.internal.SharedTokens;
import io.github.gatlingjwt.internal.TokenPlacement;
import io.github.gatlingjwt.token.JsonLocation;
import io.github.gatlingjwt.token.JwtConfigException;
import io.github.gatlingjwt.token.RetryPolicy;
import io.github.gatlingjwt.token.Secrets;
import io.github.gatlingjwt.token.SigningKey;
import io.github.gatlingjwt.token.SuccessRule;
import io.github.gatlingjwt.token.TokenSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * An auth configuration: how virtual users log in, where the token is in the answer, how they
 * refresh it and when. Instances are immutable: every method returns a new one. Start from {@link
 * JwtDsl#jwtAuth}.
 *
 * <p>The chains it builds ({@link #login()}, {@link #refresh()}, {@link #call}) keep each virtual
 * user's tokens in that user's own Gatling session.
 */
public final class JwtAuth {

  /** The report name of login requests. */
  public static final String LOGIN_REQUEST_NAME = "auth: login";

  /** The report name of refresh requests. */
  public static final String REFRESH_REQUEST_NAME = "auth: refresh";

  /**
   * The statuses that can be declared as "token refused": 401 and 403, and the non-standard 419
   * (session expired), 440 (login time-out) and 498 (invalid token) some servers use.
   */
  public static final Set<Integer> REFUSAL_STATUSES = Set.of(401, 403, 419, 440, 498);

  /** Appended to the name of a protected request replayed after a refusal. */
  public static final String REPLAY_SUFFIX = " (replay)";

  private Function<Session, String> loginUrl;
  private String loginUrlText;
  private Function<Session, String> username;
  private Function<Session, String> password;
  private String usernameField;
  private String passwordField;
  private JsonLocation tokenLocation;
  private JsonLocation refreshTokenLocation;
  private JsonLocation expiresInLocation;
  private Function<Session, String> refreshUrl;
  private String refreshTokenField;
  private Duration leadTime;
  private Duration refreshJitter;
  private Duration loginSpread;
  private Set<Integer> refusedStatuses;
  private RetryPolicy retryPolicy;
  private SuccessRule successRule;
  private boolean requireJwt;
  private Duration authRequestTimeout;
  private Clock clock;
  private TokenScope scope;
  private String credentialsText;
  private String name;
  private boolean silent;
  private List<AuthAssertion> assertions;

  // owned by this instance, never copied: tokens are shared only by users of the same instance
  private final SharedTokens sharedTokens = new SharedTokens();
  private final IdentityWatch identities = new IdentityWatch();
  private OAuth2Settings oauth2;
  private TokenSource tokenSource;
  private TokenSource refreshTokenSource;
  private TokenSource expiresInSource;
  private TokenPlacement placement;
  private boolean tokenFromFirstLoginResponse;
  private JwtMint mint;
  private boolean perUserClient;
  // per-user by an EL attribute (a function may be constant: only SHARED refuses functions)
  private boolean perUserClientEl;

  private JwtAuth() {}

  static JwtAuth defaults() {
    JwtAuth a = new JwtAuth();
    a.loginUrl = ElFunctions.el("/api/login", "login URL");
    a.loginUrlText = "/api/login";
    a.usernameField = "username";
    a.passwordField = "password";
    a.tokenLocation = JsonLocation.parse("$.token");
    a.refreshTokenLocation = JsonLocation.parse("$.refresh_token");
    a.expiresInLocation = JsonLocation.parse("$.expires_in");
    a.refreshUrl = ElFunctions.el("/api/refresh_token", "refresh URL");
    a.refreshTokenField = "refresh_token";
    a.leadTime = Duration.ofSeconds(10);
    a.refreshJitter = Duration.ofSeconds(10);
    a.loginSpread = Duration.ZERO;
    a.refusedStatuses = Set.of(401);
    a.retryPolicy = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(10));
    a.clock = Clock.systemUTC();
    a.scope = TokenScope.PER_USER;
    a.name = "auth";
    a.assertions = List.of();
    a.placement = TokenPlacement.BEARER;
    return a;
  }

  private JwtAuth copy() {
    JwtAuth c = new JwtAuth();
    c.loginUrl = loginUrl;
    c.loginUrlText = loginUrlText;
    c.username = username;
    c.password = password;
    c.usernameField = usernameField;
    c.passwordField = passwordField;
    c.tokenLocation = tokenLocation;
    c.refreshTokenLocation = refreshTokenLocation;
    c.expiresInLocation = expiresInLocation;
    c.refreshUrl = refreshUrl;
    c.refreshTokenField = refreshTokenField;
    c.leadTime = leadTime;
    c.refreshJitter = refreshJitter;
    c.loginSpread = loginSpread;
    c.refusedStatuses = refusedStatuses;
    c.retryPolicy = retryPolicy;
    c.successRule = successRule;
    c.requireJwt = requireJwt;
    c.authRequestTimeout = authRequestTimeout;
    c.clock = clock;
    c.scope = scope;
    c.credentialsText = credentialsText;
    c.name = name;
    c.silent = silent;
    c.assertions = assertions;
    c.oauth2 = oauth2;
    c.tokenSource = tokenSource;
    c.refreshTokenSource = refreshTokenSource;
    c.expiresInSource = expiresInSource;
    c.placement = placement;
    c.tokenFromFirstLoginResponse = tokenFromFirstLoginResponse;
    c.mint = mint;
    c.perUserClient = perUserClient;
    c.perUserClientEl = perUserClientEl;
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // Login

  /**
   * Define the login endpoint, to which {@code {"username": ..., "password": ...}} is POSTed as
   * JSON. Default {@code /api/login}, relative to the protocol's base URL.
   *
   * @param url the URL, expressed as a Gatling EL String
   * @return a new JwtAuth
   */
  public JwtAuth loginUrl(String url) {
    requireText(url, "The login URL", "e.g. loginUrl(\"/api/login\")");
    JwtAuth c = copy();
    c.loginUrl = ElFunctions.el(url, "login URL");
    c.loginUrlText = url;
    return c;
  }

  /**
   * Define the login endpoint.
   *
   * @param url the URL, expressed as a function of the session
   * @return a new JwtAuth
   */
  public JwtAuth loginUrl(Function<Session, String> url) {
    requireNonNull(url, "The login URL function", "loginUrl(session -> \"/api/login\")");
    JwtAuth c = copy();
    c.loginUrl = url;
    c.loginUrlText = "(function)";
    return c;
  }

  /**
   * Define each virtual user's credentials, typically from a feeder. Never put real credentials in
   * code or on the command line: feed them from a CSV file or environment variables.
   *
   * @param username the username, expressed as a Gatling EL String, e.g. {@code "#{username}"}
   * @param password the password, expressed as a Gatling EL String, e.g. {@code "#{password}"}
   * @return a new JwtAuth
   */
  public JwtAuth credentials(String username, String password) {
    requireText(username, "The username", "e.g. credentials(\"#{username}\", \"#{password}\")");
    requireText(password, "The password", "e.g. credentials(\"#{username}\", \"#{password}\")");
    JwtAuth c = copy();
    c.username = ElFunctions.el(username, "username");
    c.password = ElFunctions.el(password, "password");
    c.credentialsText = username + " " + password;
    return c;
  }

  /**
   * Define each virtual user's credentials.
   *
   * @param username the username, expressed as a function of the session
   * @param password the password, expressed as a function of the session
   * @return a new JwtAuth
   */
  public JwtAuth credentials(
      Function<Session, String> username, Function<Session, String> password) {
    requireNonNull(username, "The username function", "credentials(s -> ..., s -> ...)");
    requireNonNull(password, "The password function", "credentials(s -> ..., s -> ...)");
    JwtAuth c = copy();
    c.username = username;
    c.password = password;
    c.credentialsText = null;
    return c;
  }

  /**
   * Rename the fields of the JSON login body. Default {@code username} and {@code password}.
   *
   * @param usernameField the name of the username field, e.g. {@code "email"}
   * @param passwordField the name of the password field
   * @return a new JwtAuth
   */
  public JwtAuth loginFields(String usernameField, String passwordField) {
    requireText(
        usernameField, "The username field name", "e.g. loginFields(\"email\", \"password\")");
    requireText(
        passwordField, "The password field name", "e.g. loginFields(\"email\", \"password\")");
    if (usernameField.equals(passwordField)) {
      throw new JwtConfigException(
          "The username and password fields are both \""
              + usernameField
              + "\": give two different names, e.g. loginFields(\"email\", \"password\").");
    }
    JwtAuth c = copy();
    c.usernameField = usernameField;
    c.passwordField = passwordField;
    return c;
  }

  /**
   * Define where the access token is in login and refresh answers. Default {@code $.token}.
   *
   * @param location a simple JSONPath, e.g. {@code "$.data.token"}
   * @return a new JwtAuth
   */
  public JwtAuth tokenPath(String location) {
    JwtAuth c = copy();
    c.tokenLocation = JsonLocation.parse(location);
    c.tokenSource = null;
    return c;
  }

  /**
   * Define where the refresh token is in login and refresh answers. Default {@code
   * $.refresh_token}. When an answer has none there, the user keeps the refresh token it held.
   *
   * @param location a simple JSONPath, e.g. {@code "$.data.refreshToken"}
   * @return a new JwtAuth
   */
  public JwtAuth refreshTokenPath(String location) {
    JwtAuth c = copy();
    c.refreshTokenLocation = JsonLocation.parse(location);
    c.refreshTokenSource = null;
    return c;
  }

  /**
   * Define where the token lifetime in seconds ({@code expires_in}) is. Default {@code
   * $.expires_in}. When the token is also a JWT with {@code exp}, the shorter of the two lifetimes
   * wins (see the README, "When is a token refreshed?").
   *
   * @param location a simple JSONPath
   * @return a new JwtAuth
   */
  public JwtAuth expiresInPath(String location) {
    JwtAuth c = copy();
    c.expiresInLocation = JsonLocation.parse(location);
    c.expiresInSource = null;
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // Refresh

  /**
   * Define the refresh endpoint, to which {@code {"refresh_token": ...}} is POSTed as JSON. Default
   * {@code /api/refresh_token}.
   *
   * @param url the URL, expressed as a Gatling EL String
   * @return a new JwtAuth
   */
  public JwtAuth refreshUrl(String url) {
    requireText(url, "The refresh URL", "e.g. refreshUrl(\"/api/refresh_token\")");
    JwtAuth c = copy();
    c.refreshUrl = ElFunctions.el(url, "refresh URL");
    return c;
  }

  /**
   * Define the refresh endpoint.
   *
   * @param url the URL, expressed as a function of the session
   * @return a new JwtAuth
   */
  public JwtAuth refreshUrl(Function<Session, String> url) {
    requireNonNull(url, "The refresh URL function", "refreshUrl(session -> \"/api/refresh\")");
    JwtAuth c = copy();
    c.refreshUrl = url;
    return c;
  }

  /**
   * Rename the field of the JSON refresh body. Default {@code refresh_token}.
   *
   * @param field the field name, e.g. {@code "refreshToken"}
   * @return a new JwtAuth
   */
  public JwtAuth refreshTokenField(String field) {
    requireText(field, "The refresh token field name", "e.g. refreshTokenField(\"refreshToken\")");
    JwtAuth c = copy();
    c.refreshTokenField = field;
    return c;
  }

  /**
   * Declare that the API issues no refresh tokens: an expiring or refused token leads to a fresh
   * login instead of a refresh.
   *
   * @return a new JwtAuth
   */
  public JwtAuth noRefreshToken() {
    JwtAuth c = copy();
    c.refreshTokenLocation = null;
    c.refreshTokenSource = null;
    return c;
  }

  /**
   * Refresh this long before the token expires. Default 10 seconds; capped at half the token's
   * lifetime so short-lived tokens are not refreshed before every call.
   *
   * @param leadTime zero or a positive duration
   * @return a new JwtAuth
   */
  public JwtAuth refreshLeadTime(Duration leadTime) {
    if (leadTime == null || leadTime.isNegative()) {
      throw new JwtConfigException(
          "The refresh lead time is "
              + leadTime
              + ": give zero or a positive duration, e.g. refreshLeadTime(Duration.ofSeconds(10)).");
    }
    JwtAuth c = copy();
    c.leadTime = leadTime;
    return c;
  }

  /**
   * Spread refreshes: each token is refreshed up to this much earlier than the lead time asks, by
   * an amount that depends on the token, so that users whose tokens were issued in the same second
   * do not all refresh in the same second. Default 10 seconds; lead time and jitter together are
   * capped at half the token's lifetime.
   *
   * @param jitter zero (no spread) or a positive duration
   * @return a new JwtAuth
   */
  public JwtAuth refreshJitter(Duration jitter) {
    if (jitter == null || jitter.isNegative()) {
      throw new JwtConfigException(
          "The refresh jitter is "
              + jitter
              + ": give zero or a positive duration, e.g. refreshJitter(Duration.ofSeconds(10)).");
    }
    JwtAuth c = copy();
    c.refreshJitter = jitter;
    return c;
  }

  /**
   * Stagger first logins: {@link #login()} waits a random time up to this long before its first
   * attempt, so that users injected at once do not all log in in the same instant. Default zero.
   * Re-logins after a failed refresh are not delayed.
   *
   * @param spread zero or a positive duration
   * @return a new JwtAuth
   */
  public JwtAuth loginSpread(Duration spread) {
    if (spread == null || spread.isNegative()) {
      throw new JwtConfigException(
          "The login spread is "
              + spread
              + ": give zero or a positive duration, e.g. loginSpread(Duration.ofSeconds(5)).");
    }
    JwtAuth c = copy();
    c.loginSpread = spread;
    return c;
  }

  /**
   * Define which statuses of a protected endpoint mean "token refused": such an answer triggers one
   * refresh and one replay of the request. Default 401; add 403 for APIs that use it.
   *
   * @param statuses HTTP statuses between 400 and 499
   * @return a new JwtAuth
   */
  public JwtAuth refusedStatuses(Integer... statuses) {
    if (statuses == null || statuses.length == 0) {
      throw new JwtConfigException(
          "No refused status given: give at least one, e.g. refusedStatuses(401) or refusedStatuses(401, 403).");
    }
    for (Integer s : statuses) {
      if (s == null || !REFUSAL_STATUSES.contains(s)) {
        throw new JwtConfigException(
            "The refused status "
                + s
                + " does not mean \"token refused\": give statuses among "
                + REFUSAL_STATUSES
                + ", e.g. refusedStatuses(401, 403). Other statuses (404, 429, 5xx) are failures"
                + " a refresh cannot repair.");
      }
    }
    JwtAuth c = copy();
    c.refusedStatuses = Collections.unmodifiableSet(new TreeSet<>(Arrays.asList(statuses)));
    return c;
  }

  /**
   * Bound the attempts of one login (the first one, or a re-login after a failed refresh), waiting
   * an exponential backoff with jitter between them, capped at 10 seconds. Default 4 attempts, 1
   * second first. Only transient failures are retried (no answer, 429, 5xx), and a 429's or 503's
   * {@code Retry-After} is honoured; a refusal of the credentials is final. When all attempts fail,
   * the virtual user stops.
   *
   * @param attempts between 1 and 20
   * @param firstBackoff the wait before the second attempt
   * @return a new JwtAuth
   */
  public JwtAuth loginAttempts(int attempts, Duration firstBackoff) {
    Duration cap = Duration.ofSeconds(10);
    return loginAttempts(
        attempts,
        firstBackoff,
        firstBackoff != null && firstBackoff.compareTo(cap) > 0 ? firstBackoff : cap);
  }

  /**
   * Bound the attempts of one login, with an exponential backoff between {@code firstBackoff} and
   * {@code maxBackoff}. See {@link #loginAttempts(int, Duration)}.
   *
   * @param attempts between 1 and 20
   * @param firstBackoff the wait before the second attempt
   * @param maxBackoff the longest wait between two attempts
   * @return a new JwtAuth
   */
  public JwtAuth loginAttempts(int attempts, Duration firstBackoff, Duration maxBackoff) {
    if (attempts < 1 || attempts > 20) {
      throw new JwtConfigException(
          "The number of login attempts is "
              + attempts
              + ": give between 1 and 20, e.g. loginAttempts(4, Duration.ofSeconds(1)).");
    }
    if (firstBackoff == null || firstBackoff.isNegative()) {
      throw new JwtConfigException(
          "The first backoff between login attempts is "
              + firstBackoff
              + ": give zero or a positive duration, e.g. Duration.ofSeconds(1).");
    }
    if (maxBackoff == null || maxBackoff.compareTo(firstBackoff) < 0) {
      throw new JwtConfigException(
          "The longest backoff between login attempts is "
              + maxBackoff
              + ", shorter than the first one ("
              + firstBackoff
              + "): give at least the first backoff.");
    }
    JwtAuth c = copy();
    c.retryPolicy = new RetryPolicy(attempts, firstBackoff, maxBackoff);
    return c;
  }

  /**
   * Require a 2xx login or refresh answer to carry a success marker, for APIs that answer a failed
   * login with 200 (e.g. {@code {"status": "fail"}}): an answer without it is a KO naming what was
   * found, and no token is taken from it.
   *
   * @param location a simple JSONPath, e.g. {@code "$.status"}
   * @param expected the value it must have, e.g. {@code "success"}
   * @return a new JwtAuth
   */
  public JwtAuth successWhen(String location, String expected) {
    requireText(
        expected, "The expected success value", "e.g. successWhen(\"$.status\", \"success\")");
    JwtAuth c = copy();
    c.successRule = new SuccessRule(JsonLocation.parse(location), expected);
    return c;
  }

  /**
   * Require the access token to be a JWT (three base64url parts of JSON): anything else is a KO of
   * the login or refresh that returned it. By default opaque tokens are accepted.
   *
   * @return a new JwtAuth
   */
  public JwtAuth requireJwt() {
    JwtAuth c = copy();
    c.requireJwt = true;
    return c;
  }

  /**
   * Give login and refresh requests their own time-out, shorter than Gatling's default (60 s), so a
   * hanging token endpoint costs a bounded wait and counts as a transient failure.
   *
   * @param timeout a positive duration
   * @return a new JwtAuth
   */
  public JwtAuth authRequestTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new JwtConfigException(
          "The auth request time-out is "
              + timeout
              + ": give a positive duration, e.g. authRequestTimeout(Duration.ofSeconds(5)).");
    }
    JwtAuth c = copy();
    c.authRequestTimeout = timeout;
    return c;
  }

  /**
   * Use another clock to judge expiry. For tests; the default is the system clock.
   *
   * @param clock the clock
   * @return a new JwtAuth
   */
  public JwtAuth clock(Clock clock) {
    requireNonNull(clock, "The clock", "clock(Clock.systemUTC())");
    JwtAuth c = copy();
    c.clock = clock;
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // Scopes, metrics and assertions

  /**
   * Define who owns a token: each virtual user (the default), all users ({@link
   * TokenScope#SHARED}), or all users logged in as the same account ({@link TokenScope#POOLED}).
   * Shared and pooled tokens are renewed by one user at a time (single flight): the others keep
   * using the still-valid token, or wait for the new one, and a rotating refresh token is spent
   * once. They are shared only by the users of this very instance: build every chain from it.
   *
   * @param scope the scope
   * @return a new JwtAuth
   */
  public JwtAuth tokenScope(TokenScope scope) {
    requireNonNull(scope, "The token scope", "tokenScope(TokenScope.SHARED)");
    JwtAuth c = copy();
    c.scope = scope;
    return c;
  }

  /**
   * Name this configuration in the auth summary printed at the end of the run and in {@code
   * auth-metrics.json}. Default {@code "auth"}; configurations with the same name are counted
   * together.
   *
   * @param name a short name, e.g. {@code "orders-api"}
   * @return a new JwtAuth
   */
  public JwtAuth name(String name) {
    requireText(name, "The auth configuration name", "e.g. name(\"orders-api\")");
    JwtAuth c = copy();
    c.name = name;
    return c;
  }

  /**
   * Keep login and refresh requests out of Gatling's statistics (they become silent requests), so
   * the report's percentiles, error rates and global assertions are about business calls only. The
   * auth counters, the end-of-run auth summary and the auth assertions still see them.
   *
   * @return a new JwtAuth
   */
  public JwtAuth silentAuth() {
    JwtAuth c = copy();
    c.silent = true;
    return c;
  }

  /**
   * Check conditions on the auth counters when the run ends, e.g. {@code
   * assertions(authMetrics().authFailures().is(0))}. A failed one is printed with Gatling's summary
   * and makes the process exit with status 2, which fails {@code mvn gatling:test}.
   *
   * @param assertions the conditions, from {@link JwtDsl#authMetrics()}; they replace any given
   *     before on this configuration
   * @return a new JwtAuth
   */
  public JwtAuth assertions(AuthAssertion... assertions) {
    if (assertions == null || assertions.length == 0) {
      throw new JwtConfigException(
          "No auth assertion given: give at least one, e.g."
              + " assertions(authMetrics().authFailures().is(0)).");
    }
    for (AuthAssertion a : assertions) {
      requireNonNull(a, "An auth assertion", "authMetrics().authFailures().is(0)");
    }
    JwtAuth c = copy();
    c.assertions = List.of(assertions);
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // Where the token is, where it goes

  /**
   * Read the access token from a response header of login and refresh answers instead of the JSON
   * body, e.g. {@code "X-Auth-Token"}. The name is matched case-insensitively; the value is trimmed
   * and loses a leading auth scheme ({@code "Bearer eyJ..."} gives {@code "eyJ..."}). An answer
   * without the header is a KO naming it; its body is not parsed for the token.
   *
   * @param name the header name
   * @return a new JwtAuth
   */
  public JwtAuth tokenHeader(String name) {
    JwtAuth c = copy();
    c.tokenSource = TokenSource.header(name);
    return c;
  }

  /**
   * Read the access token from a cookie the login and refresh answers set ({@code Set-Cookie}),
   * e.g. {@code "access_token"}. An answer that does not set it is a KO naming it.
   *
   * @param name the cookie name, matched exactly
   * @return a new JwtAuth
   */
  public JwtAuth tokenCookie(String name) {
    JwtAuth c = copy();
    c.tokenSource = TokenSource.cookie(name);
    return c;
  }

  /**
   * Read the refresh token from a response header (case-insensitive name, scheme removed).
   *
   * @param name the header name
   * @return a new JwtAuth
   */
  public JwtAuth refreshTokenHeader(String name) {
    JwtAuth c = copy();
    c.refreshTokenSource = TokenSource.header(name);
    if (c.refreshTokenLocation == null) {
      c.refreshTokenLocation = JsonLocation.parse("$.refresh_token");
    }
    return c;
  }

  /**
   * Read the refresh token from a cookie the answers set.
   *
   * @param name the cookie name, matched exactly
   * @return a new JwtAuth
   */
  public JwtAuth refreshTokenCookie(String name) {
    JwtAuth c = copy();
    c.refreshTokenSource = TokenSource.cookie(name);
    if (c.refreshTokenLocation == null) {
      c.refreshTokenLocation = JsonLocation.parse("$.refresh_token");
    }
    return c;
  }

  /**
   * Read the token lifetime in seconds from a response header.
   *
   * @param name the header name, e.g. {@code "X-Expires-In"}
   * @return a new JwtAuth
   */
  public JwtAuth expiresInHeader(String name) {
    JwtAuth c = copy();
    c.expiresInSource = TokenSource.header(name);
    return c;
  }

  /**
   * Read the token lifetime in seconds from a {@code Set-Cookie} cookie's value (not from its
   * {@code Max-Age}, which often states the session's life rather than the token's).
   *
   * @param name the cookie name, e.g. {@code "expires_in"}
   * @return a new JwtAuth
   */
  public JwtAuth expiresInCookie(String name) {
    JwtAuth c = copy();
    c.expiresInSource = TokenSource.cookie(name);
    return c;
  }

  /**
   * Read the login answer's token from the first response, not from the end of its redirects: the
   * login request does not follow redirects, and a 3xx answer carrying the token is a success. For
   * APIs that set the token (header or cookie) on a 302 and redirect to a page that does not. By
   * default Gatling follows redirects and the token is read from the final response (the hops show
   * in the report as Gatling's redirect entries; the login still counts as one step).
   *
   * @return a new JwtAuth
   */
  public JwtAuth tokenFromFirstLoginResponse() {
    JwtAuth c = copy();
    c.tokenFromFirstLoginResponse = true;
    return c;
  }

  /**
   * Send the token as {@code Authorization: Bearer <token>}: the default.
   *
   * @return a new JwtAuth
   */
  public JwtAuth sendAsBearer() {
    JwtAuth c = copy();
    c.placement = TokenPlacement.BEARER;
    return c;
  }

  /**
   * Send the token alone in a header of protected requests, e.g. {@code
   * sendInHeader("X-Auth-Token")} sends {@code X-Auth-Token: <token>}.
   *
   * @param name the header name
   * @return a new JwtAuth
   */
  public JwtAuth sendInHeader(String name) {
    TokenSource.header(name); // validates the name
    JwtAuth c = copy();
    c.placement = new TokenPlacement(TokenPlacement.Kind.HEADER, name.trim(), null);
    return c;
  }

  /**
   * Send the token after a scheme in a header of protected requests, e.g. {@code
   * sendInHeader("Authorization", "Token")} sends {@code Authorization: Token <token>}.
   *
   * @param name the header name
   * @param scheme the scheme, e.g. {@code "Bearer"} or {@code "JWT"}
   * @return a new JwtAuth
   */
  public JwtAuth sendInHeader(String name, String scheme) {
    TokenSource.header(name);
    if (!TokenSource.isHttpToken(scheme)) {
      throw new JwtConfigException(
          "The scheme \""
              + scheme
              + "\" is not a valid auth scheme: give one word such as \"Bearer\", or call"
              + " sendInHeader(name) to send the token alone.");
    }
    JwtAuth c = copy();
    c.placement = new TokenPlacement(TokenPlacement.Kind.HEADER, name.trim(), scheme.trim());
    return c;
  }

  /**
   * Send the token as a cookie of protected requests, e.g. {@code sendAsCookie("access_token")}.
   * The cookie is written into the request's {@code Cookie} header from the session, next to the
   * cookies Gatling's cookie jar holds and in place of one of the same name: it does not depend on
   * the jar keeping the server's cookie ({@code Secure} cookies over plain http, cookies set on a
   * redirect hop).
   *
   * @param name the cookie name
   * @return a new JwtAuth
   */
  public JwtAuth sendAsCookie(String name) {
    TokenSource.cookie(name);
    JwtAuth c = copy();
    c.placement = new TokenPlacement(TokenPlacement.Kind.COOKIE, name.trim(), null);
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // OAuth2 token endpoints

  /**
   * Use an OAuth2 token endpoint (RFC 6749) for login and refresh, e.g. Keycloak's {@code
   * https://idp/realms/<realm>/protocol/openid-connect/token}. Requests are form-encoded ({@code
   * application/x-www-form-urlencoded}): a login sends the grant ({@link #passwordGrant} by
   * default, or {@link #clientCredentials}), a refresh {@code grant_type=refresh_token}. The answer
   * is read from {@code access_token}, {@code refresh_token} and {@code expires_in}; an {@code
   * error} answer is a KO carrying its {@code error} and {@code error_description}.
   *
   * @param url the token endpoint, expressed as a Gatling EL String
   * @return a new JwtAuth
   */
  public JwtAuth oauth2TokenUrl(String url) {
    return loginUrl(url).refreshUrl(url).oauth2Defaults();
  }

  /**
   * Use an OAuth2 token endpoint for login and refresh. See {@link #oauth2TokenUrl(String)}.
   *
   * @param url the token endpoint, expressed as a function of the session
   * @return a new JwtAuth
   */
  public JwtAuth oauth2TokenUrl(Function<Session, String> url) {
    return loginUrl(url).refreshUrl(url).oauth2Defaults();
  }

  private JwtAuth oauth2Defaults() {
    JwtAuth c = copy();
    c.oauth2 = oauth2 != null ? oauth2 : OAuth2Settings.defaults();
    // OAuth2 names, unless a location was chosen before (a header, a cookie, another path, none)
    if (isDefault(tokenLocation, "$.token")) {
      c.tokenLocation = JsonLocation.parse("$.access_token");
    }
    return c;
  }

  /**
   * Identify the OAuth2 client. Alone, it is a public client: {@code client_id} goes in the form.
   *
   * @param clientId the client id, expressed as a Gatling EL String
   * @return a new JwtAuth
   */
  public JwtAuth clientId(String clientId) {
    requireText(clientId, "The client id", "e.g. clientId(\"load-test\")");
    JwtAuth c = withOAuth2("clientId", o -> o.withClientId(ElFunctions.el(clientId, "client id")));
    c.perUserClient |= clientId.contains("#{");
    c.perUserClientEl |= clientId.contains("#{");
    return c;
  }

  /**
   * Identify the OAuth2 client.
   *
   * @param clientId the client id, expressed as a function of the session
   * @return a new JwtAuth
   */
  public JwtAuth clientId(Function<Session, String> clientId) {
    requireNonNull(clientId, "The client id function", "clientId(s -> \"load-test\")");
    JwtAuth c = withOAuth2("clientId", o -> o.withClientId(clientId));
    c.perUserClient = true;
    return c;
  }

  /**
   * Authenticate a confidential OAuth2 client with its secret, by HTTP Basic ({@code
   * client_secret_basic}, the default) or in the form ({@link #clientSecretPost()}). The secret is
   * masked in every message and never printed. Keep it out of code: feed it, or use {@link
   * #clientSecretFromEnv(String)}.
   *
   * @param clientSecret the secret, expressed as a Gatling EL String, e.g. {@code "#{secret}"}
   * @return a new JwtAuth
   */
  public JwtAuth clientSecret(String clientSecret) {
    requireText(clientSecret, "The client secret", "e.g. clientSecretFromEnv(\"CLIENT_SECRET\")");
    Function<Session, String> secret = ElFunctions.el(clientSecret, "client secret");
    JwtAuth c = withOAuth2("clientSecret", o -> o.withClientSecret(secret));
    c.perUserClient |= clientSecret.contains("#{");
    c.perUserClientEl |= clientSecret.contains("#{");
    return c;
  }

  /**
   * Authenticate a confidential OAuth2 client with its secret.
   *
   * @param clientSecret the secret, expressed as a function of the session
   * @return a new JwtAuth
   */
  public JwtAuth clientSecret(Function<Session, String> clientSecret) {
    requireNonNull(clientSecret, "The client secret function", "clientSecret(s -> ...)");
    JwtAuth c = withOAuth2("clientSecret", o -> o.withClientSecret(clientSecret));
    c.perUserClient = true;
    return c;
  }

  /**
   * Authenticate a confidential OAuth2 client with the secret held by an environment variable, read
   * now: an unset variable fails the build with a sentence.
   *
   * @param variable the variable's name, e.g. {@code "CLIENT_SECRET"}
   * @return a new JwtAuth
   */
  public JwtAuth clientSecretFromEnv(String variable) {
    String value = System.getenv(variable == null ? "" : variable);
    if (variable == null || variable.isBlank() || value == null || value.isEmpty()) {
      throw new JwtConfigException(
          "The environment variable "
              + variable
              + " that should hold the client secret is not set: export it before the run.");
    }
    Secrets.register(value);
    return withOAuth2("clientSecretFromEnv", o -> o.withClientSecret(session -> value));
  }

  /**
   * Send the client id and secret in the form ({@code client_secret_post}) instead of HTTP Basic.
   *
   * @return a new JwtAuth
   */
  public JwtAuth clientSecretPost() {
    return withOAuth2("clientSecretPost", o -> o.withClientAuth(OAuth2Settings.ClientAuth.POST));
  }

  /**
   * Send the client id and secret by HTTP Basic, each form-encoded first (RFC 6749 2.3.1): the
   * default.
   *
   * @return a new JwtAuth
   */
  public JwtAuth clientSecretBasic() {
    return withOAuth2("clientSecretBasic", o -> o.withClientAuth(OAuth2Settings.ClientAuth.BASIC));
  }

  /**
   * Log in with the password grant ({@code grant_type=password&username=...&password=...}), each
   * virtual user with its own credentials, typically from a feeder.
   *
   * @param username the username, expressed as a Gatling EL String, e.g. {@code "#{username}"}
   * @param password the password, expressed as a Gatling EL String, e.g. {@code "#{password}"}
   * @return a new JwtAuth
   */
  public JwtAuth passwordGrant(String username, String password) {
    return credentials(username, password)
        .withOAuth2("passwordGrant", o -> o.withGrant(OAuth2Settings.Grant.PASSWORD));
  }

  /**
   * Log in with the password grant.
   *
   * @param username the username, expressed as a function of the session
   * @param password the password, expressed as a function of the session
   * @return a new JwtAuth
   */
  public JwtAuth passwordGrant(
      Function<Session, String> username, Function<Session, String> password) {
    return credentials(username, password)
        .withOAuth2("passwordGrant", o -> o.withGrant(OAuth2Settings.Grant.PASSWORD));
  }

  /**
   * Log in with the client credentials grant ({@code grant_type=client_credentials}): the client
   * alone, no user credentials; it needs {@link #clientId} and {@link #clientSecret}. Such answers
   * usually carry no refresh token: on expiry, a new token is requested the same way.
   *
   * @return a new JwtAuth
   */
  public JwtAuth clientCredentials() {
    return withOAuth2(
        "clientCredentials", o -> o.withGrant(OAuth2Settings.Grant.CLIENT_CREDENTIALS));
  }

  /**
   * Ask for scopes in login requests ({@code scope=...}).
   *
   * @param scope space-separated scopes, expressed as a Gatling EL String, e.g. {@code "openid
   *     profile"}
   * @return a new JwtAuth
   */
  public JwtAuth scope(String scope) {
    return tokenParam("scope", scope);
  }

  /**
   * Ask for an audience in login requests ({@code audience=...}, e.g. Auth0).
   *
   * @param audience the audience, expressed as a Gatling EL String
   * @return a new JwtAuth
   */
  public JwtAuth audience(String audience) {
    return tokenParam("audience", audience);
  }

  /**
   * Add a parameter to the form of login requests; one of the same name is replaced.
   *
   * @param name the parameter name, e.g. {@code "resource"}
   * @param value the value, expressed as a Gatling EL String
   * @return a new JwtAuth
   */
  public JwtAuth tokenParam(String name, String value) {
    requireText(value, "The value of token parameter " + name, "e.g. scope(\"openid\")");
    JwtAuth c = tokenParam(name, ElFunctions.el(value, "token parameter " + name), false);
    c.perUserClient |= value.contains("#{");
    c.perUserClientEl |= value.contains("#{");
    return c;
  }

  /**
   * Add a parameter to the form of login requests; one of the same name is replaced.
   *
   * @param name the parameter name
   * @param value the value, expressed as a function of the session
   * @return a new JwtAuth
   */
  public JwtAuth tokenParam(String name, Function<Session, String> value) {
    return tokenParam(name, value, true);
  }

  private JwtAuth tokenParam(String name, Function<Session, String> value, boolean perUser) {
    requireText(name, "The token parameter name", "e.g. tokenParam(\"resource\", \"...\")");
    requireNonNull(value, "The value function of token parameter " + name, "s -> \"...\"");
    if (Set.of("grant_type", "username", "password", "client_id", "client_secret", "refresh_token")
        .contains(name)) {
      throw new JwtConfigException(
          "The token parameter \""
              + name
              + "\" is set by gatling-jwt: use passwordGrant(...), clientCredentials(), clientId(...)"
              + " or clientSecret(...) instead.");
    }
    JwtAuth c = withOAuth2("tokenParam", o -> o.withLoginParam(name, value));
    c.perUserClient |= perUser;
    return c;
  }

  private JwtAuth withOAuth2(String method, Function<OAuth2Settings, OAuth2Settings> change) {
    if (oauth2 == null) {
      throw new JwtConfigException(
          method
              + "(...) configures an OAuth2 token endpoint: start from JwtDsl.oauth2(\"https://idp/"
              + "realms/<realm>/protocol/openid-connect/token\") or call oauth2TokenUrl(...) first.");
    }
    JwtAuth c = copy();
    c.oauth2 = change.apply(oauth2);
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // Locally minted tokens

  /**
   * Mint each virtual user's JWT locally instead of logging in, for APIs that trust a shared secret
   * or a key pair. No request is sent to mint: a token is minted when the user starts ({@link
   * #login()}), again before it expires (within the lead time) and after a refusal (401). Minting
   * is not recorded in the report; a token that cannot be minted (a claim whose attribute was not
   * fed) is logged at ERROR with its reason, and the user stops without a protected request.
   *
   * @param mint the key, claims and lifetime, from {@link JwtDsl#jwtMint(SigningKey)}
   * @return a new JwtAuth
   */
  public JwtAuth mintTokens(JwtMint mint) {
    requireNonNull(
        mint, "The minting", "mintTokens(jwtMint(SigningKey.hs256FromEnv(\"API_JWT_SECRET\")))");
    JwtAuth c = copy();
    c.mint = mint;
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // Chains

  /**
   * Log in: POST the credentials, save the token. Failed attempts are retried up to the bound of
   * {@link #loginAttempts}; when all fail, the virtual user stops here, having sent no protected
   * request.
   *
   * @return a new chain
   */
  public ChainBuilder login() {
    return registered(chains().login());
  }

  /**
   * Refresh the token now with the refresh token; when the refresh is refused, fails, or no refresh
   * token is held, log in again. When that fails too, the virtual user stops here.
   *
   * @return a new chain
   */
  public ChainBuilder refresh() {
    return registered(chains().refresh());
  }

  /**
   * Make a protected call: refresh first when the token expires within the lead time (logging in
   * when the user holds no token), send the request with {@code Authorization: Bearer <token>}, and
   * when it is refused (401 by default), refresh and replay it once under the name {@code "<name>
   * (replay)"}. A refused first attempt is recorded OK with its status and its own checks skipped:
   * it is replayed, not judged. The replay is judged by the request's checks.
   *
   * @param request the protected request, with its own checks
   * @return a new chain
   */
  public ChainBuilder call(HttpRequestActionBuilder request) {
    requireNonNull(request, "The protected request", "call(http(\"list\").get(\"/api/items\"))");
    return registered(chains().call(request));
  }

  /** Register the assertions once a chain is built: a failed build registers nothing. */
  private ChainBuilder registered(ChainBuilder chain) {
    if (!assertions.isEmpty()) {
      AuthRun.assertions(name, assertions);
    }
    return chain;
  }

  /**
   * Add the token to a request ({@code Authorization: Bearer <token>} unless {@link #sendInHeader}
   * or {@link #sendAsCookie} says otherwise), with no refresh logic. The request is not sent (and
   * is KO) when the user holds no token.
   *
   * @param request the request
   * @return a new request builder
   */
  public HttpRequestActionBuilder authorize(HttpRequestActionBuilder request) {
    requireNonNull(request, "The request", "authorize(http(\"list\").get(\"/api/items\"))");
    return AuthChains.withToken(request, placement);
  }

  private AuthChains chains() {
    TokenSource access = tokenSource != null ? tokenSource : TokenSource.json(tokenLocation);
    TokenSource refresh =
        refreshTokenSource != null
            ? refreshTokenSource
            : refreshTokenLocation == null ? null : TokenSource.json(refreshTokenLocation);
    if (access.samePlaceAs(refresh)) {
      throw new JwtConfigException(
          "The token and the refresh token are both read from "
              + access.describe()
              + ": give the refresh token its own place (refreshTokenPath, refreshTokenHeader or"
              + " refreshTokenCookie), or call noRefreshToken() when the API issues none.");
    }
    validateProtocol();
    if (mint == null
        && (oauth2 == null || oauth2.grant() == OAuth2Settings.Grant.PASSWORD)
        && (username == null || password == null)) {
      throw new JwtConfigException(
          "No credentials are configured: call credentials(\"#{username}\", \"#{password}\") on the"
              + " auth configuration and feed those attributes, e.g. from a CSV feeder.");
    }
    if (scope == TokenScope.POOLED && username == null) {
      throw new JwtConfigException(
          "The token scope is POOLED, which shares a token per account (username), but this"
              + " configuration logs in without a username (client credentials or minted tokens):"
              + " use tokenScope(TokenScope.SHARED) for one token for all users.");
    }
    if (scope == TokenScope.SHARED && (perUserClient || (mint != null && mint.perUser()))) {
      throw new JwtConfigException(
          "The token scope is SHARED, but the OAuth2 client, its token parameters or the minted"
              + " claims read session attributes or functions, so users would get tokens of"
              + " different identities and share one: give SHARED constant values (one service"
              + " identity), or keep TokenScope.PER_USER.");
    }
    if (scope == TokenScope.POOLED && perUserClientEl) {
      throw new JwtConfigException(
          "The token scope is POOLED, which shares a token per account (login URL and username),"
              + " but the OAuth2 client or its token parameters (scope, audience, ...) read session"
              + " attributes, so users of one account could ask for different tokens"
              + " and share one: give them constant values, or keep TokenScope.PER_USER.");
    }
    if (scope == TokenScope.SHARED && credentialsText != null && credentialsText.contains("#{")) {
      throw new JwtConfigException(
          "The token scope is SHARED, but the credentials read session attributes ("
              + "e.g. from a feeder), so users would log in as different accounts and share one"
              + " token: use tokenScope(TokenScope.POOLED) to share a token per account, or give"
              + " SHARED constant credentials (a service account).");
    }
    return new AuthChains(
        new AuthChains.Settings(
            loginUrl,
            username,
            password,
            usernameField,
            passwordField,
            tokenLocation,
            refreshTokenLocation,
            expiresInLocation,
            refreshUrl,
            refreshTokenField,
            leadTime,
            refreshJitter,
            loginSpread,
            refusedStatuses,
            retryPolicy,
            successRule,
            requireJwt,
            authRequestTimeout,
            clock,
            scope,
            sharedTokens,
            identities,
            AuthRun.metrics(name),
            silent,
            oauth2,
            tokenSource,
            refreshTokenSource,
            expiresInSource,
            placement,
            tokenFromFirstLoginResponse,
            mint));
  }

  private static boolean isDefault(JsonLocation location, String path) {
    return location != null && location.toString().equals(path);
  }

  private void validateProtocol() {
    if (mint != null && oauth2 != null) {
      throw new JwtConfigException(
          "Both minted tokens and an OAuth2 token endpoint are configured: keep one of"
              + " mintTokens(...) and oauth2TokenUrl(...).");
    }
    if (oauth2 == null) {
      return;
    }
    if (oauth2.clientAuth() == OAuth2Settings.ClientAuth.POST && oauth2.clientSecret() == null) {
      throw new JwtConfigException(
          "clientSecretPost() is set but no client secret is: add clientSecretFromEnv(\"...\") or"
              + " clientSecret(\"#{secret}\"), or remove clientSecretPost() for a public client.");
    }
    if (oauth2.clientSecret() != null && oauth2.clientId() == null) {
      throw new JwtConfigException(
          "A client secret is configured without a client id: add clientId(\"...\").");
    }
    if (oauth2.grant() == OAuth2Settings.Grant.CLIENT_CREDENTIALS
        && oauth2.clientSecret() == null) {
      throw new JwtConfigException(
          "The client credentials grant needs a confidential client: add clientId(\"...\") and"
              + " clientSecretFromEnv(\"CLIENT_SECRET\") (or clientSecret(\"#{secret}\")).");
    }
  }

  private static void requireText(String value, String what, String example) {
    if (value == null || value.isBlank()) {
      throw new JwtConfigException(what + " is empty: give a value, " + example + ".");
    }
  }

  private static void requireNonNull(Object value, String what, String example) {
    if (value == null) {
      throw new JwtConfigException(what + " is null: give one, e.g. " + example + ".");
    }
  }

  @Override
  public String toString() {
    return "JwtAuth{loginUrl="
        + loginUrlText
        + ", tokenPath="
        + tokenLocation
        + ", refreshTokenPath="
        + refreshTokenLocation
        + ", leadTime="
        + leadTime
        + ", refusedStatuses="
        + refusedStatuses
        + ", loginAttempts="
        + retryPolicy.maxAttempts()
        + ", tokenScope="
        + scope
        + (oauth2 == null ? "" : ", " + oauth2)
        + (tokenSource == null ? "" : ", tokenFrom=" + tokenSource.describe())
        + (placement == TokenPlacement.BEARER ? "" : ", sendAs=" + placement)
        + (mint == null ? "" : ", " + mint)
        + "}";
  }
}
