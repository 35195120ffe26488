package io.github.gatlingjwt;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.github.gatlingjwt.internal.AuthChains;
import io.github.gatlingjwt.internal.AuthRun;
import io.github.gatlingjwt.internal.ElFunctions;
import io.github.gatlingjwt.internal.IdentityWatch;
import io.github.gatlingjwt.internal.SharedTokens;
import io.github.gatlingjwt.token.JsonLocation;
import io.github.gatlingjwt.token.JwtConfigException;
import io.github.gatlingjwt.token.RetryPolicy;
import io.github.gatlingjwt.token.SuccessRule;
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
    return c;
  }

  /**
   * Define where the token lifetime in seconds ({@code expires_in}) is. Default {@code
   * $.expires_in}. Used when the token is not a JWT with an {@code exp} claim.
   *
   * @param location a simple JSONPath
   * @return a new JwtAuth
   */
  public JwtAuth expiresInPath(String location) {
    JwtAuth c = copy();
    c.expiresInLocation = JsonLocation.parse(location);
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
    c.refreshJitter = refreshJitter;
    c.loginSpread = loginSpread;
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
    c.scope = scope;
    c.credentialsText = credentialsText;
    c.name = name;
    c.silent = silent;
    c.assertions = assertions;
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
   * Add {@code Authorization: Bearer <token>} to a request, with no refresh logic. The request is
   * not sent (and is KO) when the user holds no token.
   *
   * @param request the request
   * @return a new request builder
   */
  public HttpRequestActionBuilder authorize(HttpRequestActionBuilder request) {
    requireNonNull(request, "The request", "authorize(http(\"list\").get(\"/api/items\"))");
    return AuthChains.withBearer(request);
  }

  private AuthChains chains() {
    if (refreshTokenLocation != null
        && refreshTokenLocation.toString().equals(tokenLocation.toString())) {
      throw new JwtConfigException(
          "The token and the refresh token are both read from `"
              + tokenLocation
              + "`: give the refresh token its own location with refreshTokenPath(...), or call"
              + " noRefreshToken() when the API issues none.");
    }
    if (username == null || password == null) {
      throw new JwtConfigException(
          "No credentials are configured: call credentials(\"#{username}\", \"#{password}\") on the"
              + " auth configuration and feed those attributes, e.g. from a CSV feeder.");
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
            silent));
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
        + "}";
  }
}
