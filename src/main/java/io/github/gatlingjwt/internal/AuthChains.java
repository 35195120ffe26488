package io.github.gatlingjwt.internal;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.tryMax;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.http.check.HttpCheck;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.github.gatlingjwt.JwtAuth;
import io.github.gatlingjwt.JwtDsl;
import io.github.gatlingjwt.JwtMint;
import io.github.gatlingjwt.JwtSessionKeys;
import io.github.gatlingjwt.TokenScope;
import io.github.gatlingjwt.internal.AuthMetrics.Counter;
import io.github.gatlingjwt.token.JsonLocation;
import io.github.gatlingjwt.token.RefreshPolicy;
import io.github.gatlingjwt.token.RetryPolicy;
import io.github.gatlingjwt.token.SuccessRule;
import io.github.gatlingjwt.token.TokenResponseReader;
import io.github.gatlingjwt.token.TokenSource;
import io.github.gatlingjwt.token.TokenState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Builds the login, refresh and protected-call chains from one auth configuration. In the per-user
 * scope all state lives in the virtual user's session (see {@link JwtSessionKeys}); in the shared
 * and pooled scopes the session holds a copy of a token kept in {@link SharedTokens}, where one
 * user at a time logs in or refreshes for all.
 *
 * <p>Every change of the token state happens in one step: a login or refresh answer is turned into
 * the new state by the request's own check, and a refresh token is taken out of the state before it
 * is sent. So a user that leaves a chain half-way (an exit from {@code tryMax}, the end of a {@code
 * during} loop) never loses a new token and never sends a spent refresh token again.
 *
 * <p>For internal use only.
 */
public final class AuthChains {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The configuration the chains are built from. */
  public record Settings(
      Function<Session, String> loginUrl,
      Function<Session, String> username,
      Function<Session, String> password,
      String usernameField,
      String passwordField,
      JsonLocation tokenLocation,
      JsonLocation refreshTokenLocation,
      JsonLocation expiresInLocation,
      Function<Session, String> refreshUrl,
      String refreshTokenField,
      Duration leadTime,
      Duration refreshJitter,
      Duration loginSpread,
      Set<Integer> refusedStatuses,
      RetryPolicy retryPolicy,
      SuccessRule successRule,
      boolean requireJwt,
      Duration authRequestTimeout,
      Clock clock,
      TokenScope scope,
      SharedTokens sharedTokens,
      IdentityWatch identities,
      AuthMetrics metrics,
      boolean silent,
      OAuth2Settings oauth2,
      TokenSource tokenSource,
      TokenSource refreshTokenSource,
      TokenSource expiresInSource,
      TokenPlacement placement,
      boolean tokenFromFirstLoginResponse,
      JwtMint mint) {}

  /** Why the token is renewed, for the counters. */
  private enum Reason {
    /** It expires soon, or the user holds none. */
    PROACTIVE,
    /** The API refused it. */
    REACTIVE
  }

  /** How often a user waiting for another's login or refresh looks again. */
  private static final Duration SHARED_POLL = Duration.ofMillis(50);

  /** How long past its expected end a step of a shared flight may run before others take over. */
  private static final Duration SHARED_GRACE = Duration.ofSeconds(2);

  /** How many times a user may find a shared flight abandoned (lease run out) and start over. */
  private static final int SHARED_ROUNDS = 3;

  private final Settings settings;
  private final RefreshPolicy policy;
  private final HttpRequestActionBuilder loginRequest;
  private final HttpRequestActionBuilder refreshRequest;

  public AuthChains(Settings settings) {
    this.settings = settings;
    this.policy =
        new RefreshPolicy(settings.leadTime(), settings.refreshJitter(), settings.clock());
    TokenResponseReader loginReader = AuthRequests.reader("login", settings);
    TokenResponseReader refreshReader = AuthRequests.reader("refresh", settings);
    this.loginRequest =
        GatlingChecks.withChecks(
            withTimeout(AuthRequests.login(settings, this::loginBody)),
            GatlingChecks.authAnswer(JwtSessionKeys.LAST_AUTH_ANSWER),
            GatlingChecks.tokenState(
                loginReader,
                (session, grant) -> loggedIn(session, TokenState.of(grant)),
                session -> secrets(session, resolve(settings.password(), session)),
                this::authAnswerFailed));
    this.refreshRequest =
        GatlingChecks.withChecks(
            withTimeout(AuthRequests.refresh(settings, this::refreshBody)),
            GatlingChecks.authAnswer(JwtSessionKeys.LAST_AUTH_ANSWER),
            GatlingChecks.tokenState(
                refreshReader,
                (session, grant) ->
                    refreshed(session, TokenState.afterRefresh(grant, spentRefreshToken(session))),
                session -> secrets(session, spentRefreshToken(session)),
                this::authAnswerFailed));
  }

  /**
   * What to mask in the KO message of an auth answer: the given value (the password sent, the
   * refresh token spent) and the user's OAuth2 client secret, which a server may echo.
   */
  private List<String> secrets(Session session, String sent) {
    OAuth2Settings o = settings.oauth2();
    String clientSecret = o == null ? null : resolve(o.clientSecret(), session);
    return clientSecret == null
        ? Collections.singletonList(sent)
        : java.util.Arrays.asList(sent, clientSecret);
  }

  // ---------------------------------------------------------------------------------------------
  // Public chains

  public ChainBuilder login() {
    long spread = settings.loginSpread().toMillis();
    ChainBuilder login =
        shared()
            ? exec(this::syncShared)
                .doIf(session -> !usable(JwtDsl.tokenState(session)))
                .then(renew(Reason.PROACTIVE, true))
            : exec(this::countUser).exec(guardStatus(loginLoop(true)));
    return spread == 0
        ? login
        : exec(pause(
                session -> Duration.ofMillis(ThreadLocalRandom.current().nextLong(spread + 1))))
            .exec(login);
  }

  public ChainBuilder refresh() {
    return shared()
        ? exec(this::syncShared).exec(this::markDue).exec(renew(Reason.PROACTIVE, true))
        : renew(Reason.PROACTIVE, true);
  }

  public ChainBuilder call(HttpRequestActionBuilder request) {
    Set<Integer> refused = settings.refusedStatuses();
    HttpRequestActionBuilder authorized = authorize(request);
    ActionBuilder firstAttempt =
        GatlingChecks.rewrite(
            authorized,
            List.of(GatlingChecks.refusalMarker(refused, JwtSessionKeys.REFUSED)),
            check -> GatlingChecks.unlessRefused(check, refused),
            null);
    ActionBuilder replay =
        GatlingChecks.rewrite(
            authorized,
            List.of(
                GatlingChecks.notRefusedAgain(
                    refused, () -> settings.metrics().increment(Counter.REFUSALS_RECOVERED))),
            Function.<HttpCheck>identity(),
            JwtAuth.REPLAY_SUFFIX);
    // No step clears the refusal marker before the call: the first attempt's check writes it on
    // every answer, and the refusal branch removes it. (Were the request not sent at all, a marker
    // left over from a cut-off refusal would lead to a renewal, which such a user needs anyway.)
    // Every step here runs on every protected call, so there are as few as possible.
    ChainBuilder decide =
        doIf(session -> policy.decide(JwtDsl.tokenState(session)) != RefreshPolicy.Decision.USE)
            .then(renew(Reason.PROACTIVE, true));
    return (shared() ? exec(this::syncShared).exec(decide) : decide)
        .exec(firstAttempt)
        .doIf(session -> Boolean.TRUE.equals(session.get(JwtSessionKeys.REFUSED)))
        .then(
            // the refused attempt was not judged; the replay is
            exec(this::markRefused)
                .exec(renew(Reason.REACTIVE, false))
                .exec(this::countRefusal)
                .exec(replay)
                .exitHereIf(this::stopsForLackOfToken));
  }

  /** Put the token where the settings say, resolved from the session when the request is sent. */
  public HttpRequestActionBuilder authorize(HttpRequestActionBuilder request) {
    return withToken(request, settings.placement());
  }

  /** Put the token on a request; it is not sent when the user holds no token. */
  public static HttpRequestActionBuilder withToken(
      HttpRequestActionBuilder request, TokenPlacement placement) {
    return placement.apply(request, AuthChains::requireToken);
  }

  // ---------------------------------------------------------------------------------------------
  // Renewing a token: alone (per user) or once for all (shared, pooled)

  /**
   * Get a new token: refresh, or log in when that is not possible. Per user, the user does it
   * itself. In the shared and pooled scopes, one user does it for all (single flight): the others
   * take its result, keep using their still-valid token meanwhile, or wait (with a pause, never
   * blocking a thread) when theirs is expired or refused.
   */
  private ChainBuilder renew(Reason reason, boolean exitOnFailure) {
    if (!shared()) {
      return exec(this::countUser).exec(guardStatus(refreshOrLogin(exitOnFailure, reason)));
    }
    ChainBuilder round =
        exec(this::decideShared)
            .doIf(session -> role(session) == SharedTokens.Role.OWNER)
            .then(exec(guardStatus(refreshOrLogin(false, reason))).exec(this::releaseShared))
            .doIf(session -> role(session) == SharedTokens.Role.WAIT)
            .then(
                exec(this::countWait)
                    .asLongAs(this::stillWaiting)
                    .on(pause(SHARED_POLL))
                    .exec(this::afterWait));
    ChainBuilder renew =
        exec(session ->
                session
                    .removeAll(JwtSessionKeys.SHARED_DECISION, JwtSessionKeys.SHARED_DONE)
                    .set(JwtSessionKeys.SHARED_ROUNDS, 0))
            .exec(
                asLongAs(
                        session ->
                            !session.contains(JwtSessionKeys.SHARED_DONE)
                                && session.getInt(JwtSessionKeys.SHARED_ROUNDS) < SHARED_ROUNDS)
                    .on(
                        exec(session ->
                                session.set(
                                    JwtSessionKeys.SHARED_ROUNDS,
                                    session.getInt(JwtSessionKeys.SHARED_ROUNDS) + 1))
                            .exec(round)))
            .exec(
                session ->
                    session.removeAll(
                        JwtSessionKeys.SHARED_DECISION,
                        JwtSessionKeys.SHARED_DONE,
                        JwtSessionKeys.SHARED_ROUNDS));
    return exitOnFailure ? renew.exitHereIf(this::stopsForLackOfToken) : renew;
  }

  private boolean shared() {
    return settings.scope() != TokenScope.PER_USER;
  }

  /**
   * The shared entry of a user: its account's (login URL and username), in both the pooled and the
   * shared scope, so that identities never mix even when the credentials of a shared scope are
   * functions that turn out to give several accounts (then each account gets its own entry, with a
   * warning). Without a username (client credentials, minted tokens): the one entry of the shared
   * scope, and null in the pooled scope.
   */
  private SharedTokens.Entry entry(Session session) {
    String username = resolve(settings.username(), session);
    if (username == null) {
      return settings.scope() == TokenScope.SHARED ? settings.sharedTokens().entry("") : null;
    }
    String url = resolve(settings.loginUrl(), session);
    String key = url + "\n" + username;
    if (settings.scope() == TokenScope.SHARED) {
      settings.identities().sharedScopeAccount(key);
    }
    return settings.sharedTokens().entry(key);
  }

  /** Take a newer, valid shared token into the session (without its refresh token). */
  private Session syncShared(Session session) {
    Session s = countUser(session);
    SharedTokens.Entry entry = entry(s);
    if (entry == null) {
      return s;
    }
    TokenState shared = entry.state();
    TokenState held = JwtDsl.tokenState(s);
    if (shared != null && !SharedTokens.sameGrant(shared, held) && usable(shared)) {
      return s.set(JwtSessionKeys.STATE, shared.withoutRefreshToken());
    }
    return s;
  }

  private Session decideShared(Session session) {
    SharedTokens.Entry entry = entry(session);
    TokenState held = JwtDsl.tokenState(session);
    if (entry == null) {
      // the username cannot be resolved: the login will say why
      return session
          .set(
              JwtSessionKeys.SHARED_DECISION,
              new SharedTokens.Decision(SharedTokens.Role.OWNER, held, 0))
          .set(JwtSessionKeys.SHARED_DONE, true);
    }
    SharedTokens.Decision decision =
        entry.decide(session.userId(), held, this::usable, this::keepable, now(), requestLease());
    Session s = session.set(JwtSessionKeys.SHARED_DECISION, decision);
    switch (decision.role()) {
      case ADOPTED:
        return s.set(JwtSessionKeys.STATE, decision.state().withoutRefreshToken())
            .set(JwtSessionKeys.SHARED_DONE, true);
      case KEEP:
        return s.set(JwtSessionKeys.SHARED_DONE, true);
      case OWNER:
        if (decision.state() != null) {
          return s.set(JwtSessionKeys.STATE, decision.state());
        }
        // nothing to refresh from: log in (a re-login when the user held a token)
        return held == null ? s : s.set(JwtSessionKeys.STATE, held.withoutRefreshToken());
      default:
        return s;
    }
  }

  private Session releaseShared(Session session) {
    TokenState result = JwtDsl.tokenState(session);
    SharedTokens.Entry entry = entry(session);
    if (entry != null) {
      entry.release(session.userId(), result);
    }
    Session s = session.set(JwtSessionKeys.SHARED_DONE, true);
    // the refresh token stays in the shared entry only
    return result == null ? s : s.set(JwtSessionKeys.STATE, result.withoutRefreshToken());
  }

  private boolean stillWaiting(Session session) {
    SharedTokens.Decision decision =
        (SharedTokens.Decision) session.get(JwtSessionKeys.SHARED_DECISION);
    SharedTokens.Entry entry = entry(session);
    return entry != null && entry.waiting(decision.generation(), now());
  }

  /**
   * After waiting: take the new token; or, when the flight ended without one, give up (the owner
   * has just made every login attempt allowed); or, when the owner vanished, start over.
   */
  private Session afterWait(Session session) {
    SharedTokens.Decision decision =
        (SharedTokens.Decision) session.get(JwtSessionKeys.SHARED_DECISION);
    SharedTokens.Entry entry = entry(session);
    TokenState shared = entry.state();
    if (shared != null && usable(shared)) {
      return session
          .set(JwtSessionKeys.STATE, shared.withoutRefreshToken())
          .set(JwtSessionKeys.SHARED_DONE, true);
    }
    if (shared == null && entry.generation() != decision.generation()) {
      return session.remove(JwtSessionKeys.STATE).set(JwtSessionKeys.SHARED_DONE, true);
    }
    return session;
  }

  private static SharedTokens.Role role(Session session) {
    Object decision = session.get(JwtSessionKeys.SHARED_DECISION);
    return decision instanceof SharedTokens.Decision
        ? ((SharedTokens.Decision) decision).role()
        : null;
  }

  /**
   * How long one step of a shared flight (a login or refresh request) may take: its time-out plus a
   * grace. The owner extends its lease before each request and each backoff; when it leaves
   * mid-flight (its loop ended, its block was left), the others take over once the lease runs out.
   */
  private Duration requestLease() {
    Duration timeout =
        settings.authRequestTimeout() == null
            ? Duration.ofSeconds(60)
            : settings.authRequestTimeout();
    return timeout.plus(SHARED_GRACE);
  }

  /** The owner of a shared flight is about to wait or send: extend its lease. */
  private void extendLease(Session session, Duration step) {
    if (shared()) {
      SharedTokens.Entry entry = entry(session);
      if (entry != null) {
        entry.extend(session.userId(), now().plus(step));
      }
    }
  }

  /** A login or refresh answer gave no token: others may take over soon if the owner leaves. */
  private void authAnswerFailed(Session session) {
    extendLease(session, SHARED_GRACE);
  }

  /**
   * Whether a user may go on sending its token while another user renews it: until halfway between
   * the instant it became due and its expiry, so that it does not expire on the way to the API.
   */
  private boolean keepable(TokenState state) {
    if (state == null || state.expiresAt() == null) {
      return state != null;
    }
    Instant due = policy.refreshAt(state);
    Instant limit = due.plus(Duration.between(due, state.expiresAt()).dividedBy(2));
    return now().isBefore(limit);
  }

  /** Whether a token can be sent now: held, not expired, not refused. */
  private boolean usable(TokenState state) {
    return state != null && (state.expiresAt() == null || now().isBefore(state.expiresAt()));
  }

  private Instant now() {
    return settings.clock().instant();
  }

  /** Whether the user must stop: it holds no token after trying to get one. */
  private boolean stopsForLackOfToken(Session session) {
    if (JwtDsl.tokenState(session) != null) {
      return false;
    }
    settings.metrics().increment(Counter.USERS_STOPPED);
    return true;
  }

  /**
   * Make the held token due for renewal now (an explicit refresh, or a refusal), and in a shared
   * scope the shared entry's too, unless it was already replaced.
   */
  private Session markDue(Session session) {
    TokenState state = JwtDsl.tokenState(session);
    if (state == null) {
      return session;
    }
    SharedTokens.Entry entry = shared() ? entry(session) : null;
    if (entry != null) {
      entry.refused(state);
    }
    return session.set(JwtSessionKeys.STATE, state.refused());
  }

  // ---------------------------------------------------------------------------------------------
  // Counting

  private Session countUser(Session session) {
    if (session.contains(JwtSessionKeys.COUNTED)) {
      return session;
    }
    settings.metrics().increment(Counter.USERS);
    return session.set(JwtSessionKeys.COUNTED, true);
  }

  private Session countWait(Session session) {
    settings.metrics().increment(Counter.SHARED_WAITS);
    return session;
  }

  /** A login answer gave a token: count it, publish it when shared, watch the account. */
  private TokenState loggedIn(Session session, TokenState state) {
    settings.metrics().increment(Counter.LOGINS);
    ExpiryWatch.check(state, "login");
    if (Boolean.TRUE.equals(session.get(JwtSessionKeys.RE_LOGIN))) {
      settings.metrics().increment(Counter.RE_LOGINS);
    }
    return shared() ? publish(session, state) : watchAccount(session, state);
  }

  /** A refresh answer gave a token: count it, publish it when shared, watch the account. */
  private TokenState refreshed(Session session, TokenState state) {
    settings.metrics().increment(Counter.REFRESHES);
    ExpiryWatch.check(state, "refresh");
    return shared() ? publish(session, state) : watchAccount(session, state);
  }

  /**
   * Per user: note until when this user holds its account (a refresh extends it), to warn when
   * another user logs in as the same account meanwhile.
   */
  private TokenState watchAccount(Session session, TokenState state) {
    Instant until =
        state.expiresAt() != null ? state.expiresAt() : state.obtainedAt().plusSeconds(300);
    settings
        .identities()
        .loggedIn(
            resolve(settings.username(), session), session.userId(), state.obtainedAt(), until);
    return state;
  }

  /**
   * In a shared scope, make a new token the shared one, when this user's flight is current (not
   * taken over by another user since it began).
   */
  private TokenState publish(Session session, TokenState state) {
    SharedTokens.Entry entry = shared() ? entry(session) : null;
    if (entry != null) {
      Object decision = session.get(JwtSessionKeys.SHARED_DECISION);
      long flight =
          decision instanceof SharedTokens.Decision
              ? ((SharedTokens.Decision) decision).generation()
              : entry.generation();
      entry.publish(session.userId(), flight, state, resolve(settings.username(), session));
    }
    return state;
  }

  private static String resolve(Function<Session, String> value, Session session) {
    if (value == null) {
      return null;
    }
    try {
      return value.apply(session);
    } catch (RuntimeException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Building blocks

  /**
   * Log in, trying again after transient failures with backoff; optionally stop the user when all
   * attempts fail. Whether to try again is decided from the last answer alone (held in the
   * session), never from the session's failed flag.
   *
   * <p>The attempts run in a {@code tryMax} of their own: a failed attempt marks only that block
   * failed, so a {@code tryMax} or {@code exitBlockOnFail} of the user's around the call does not
   * cut the attempts and their backoff short. A failure that is final (refused credentials) ends
   * the block at once; after it, the session is marked failed again if no token was obtained.
   */
  private ChainBuilder loginLoop(boolean exitOnFailure) {
    if (settings.mint() != null) {
      ChainBuilder mint = AuthRequests.mint(settings, this::publish);
      return exitOnFailure ? mint.exitHereIf(this::stopsForLackOfToken) : mint;
    }
    ChainBuilder attempt =
        exec(session -> nextAttempt(session, JwtSessionKeys.LOGIN_ATTEMPTS))
            .doIfOrElse(
                session -> session.getInt(JwtSessionKeys.LOGIN_ATTEMPTS) == 1 || tryAgain(session))
            .then(
                doIf(session -> session.getInt(JwtSessionKeys.LOGIN_ATTEMPTS) > 1)
                    .then(exec(this::countRetryAfter429).pause(this::backoff))
                    .exec(
                        session -> {
                          settings.metrics().increment(Counter.LOGIN_REQUESTS);
                          extendLease(session, requestLease());
                          return session.remove(JwtSessionKeys.LAST_AUTH_ANSWER);
                        })
                    .exec(loginRequest)
                    // a silent request that failed does not mark the session failed: do it here,
                    // so that the attempt is retried (a failed request that is not silent ends
                    // the attempt before this step)
                    .exec(
                        session ->
                            session.contains(JwtSessionKeys.STATE)
                                ? session
                                : session.markAsFailed()))
            // the last failure was final: end the retry block (the KO stays in the report)
            .orElse(exec(Session::markAsSucceeded));
    ChainBuilder loop =
        exec(session ->
                session
                    .set(JwtSessionKeys.RE_LOGIN, session.contains(JwtSessionKeys.STATE))
                    .removeAll(JwtSessionKeys.STATE, JwtSessionKeys.LAST_AUTH_ANSWER)
                    .set(JwtSessionKeys.LOGIN_ATTEMPTS, 0))
            .tryMax(settings.retryPolicy().maxAttempts())
            .on(attempt)
            .exec(
                session ->
                    session.contains(JwtSessionKeys.STATE) ? session : session.markAsFailed());
    return exitOnFailure ? loop.exitHereIf(this::stopsForLackOfToken) : loop;
  }

  /** Count the attempt about to be made under {@code attemptsKey}. */
  private static Session nextAttempt(Session session, String attemptsKey) {
    return session.set(attemptsKey, session.getInt(attemptsKey) + 1);
  }

  private Session countRetryAfter429(Session session) {
    Object answer = session.get(JwtSessionKeys.LAST_AUTH_ANSWER);
    if (answer instanceof GatlingChecks.AuthAnswer
        && ((GatlingChecks.AuthAnswer) answer).status() == 429) {
      settings.metrics().increment(Counter.RETRIES_AFTER_429);
    }
    return session;
  }

  /** Whether the previous attempt's failure may be retried. */
  private boolean tryAgain(Session session) {
    Object answer = session.get(JwtSessionKeys.LAST_AUTH_ANSWER);
    Integer status =
        answer instanceof GatlingChecks.AuthAnswer
            ? ((GatlingChecks.AuthAnswer) answer).status()
            : null;
    // the attempt counter already counts the attempt about to be made
    return settings.retryPolicy().retry(status, session.getInt(JwtSessionKeys.LOGIN_ATTEMPTS) - 1);
  }

  private Duration backoff(Session session) {
    return backoff(session, JwtSessionKeys.LOGIN_ATTEMPTS);
  }

  /** The wait before the attempt the counter at {@code attemptsKey} is about to make. */
  private Duration backoff(Session session, String attemptsKey) {
    Object answer = session.get(JwtSessionKeys.LAST_AUTH_ANSWER);
    Long retryAfter =
        answer instanceof GatlingChecks.AuthAnswer
            ? ((GatlingChecks.AuthAnswer) answer).retryAfterSeconds()
            : null;
    Duration delay =
        settings
            .retryPolicy()
            .delayBefore(
                session.getInt(attemptsKey),
                retryAfter,
                () -> ThreadLocalRandom.current().nextDouble());
    extendLease(session, delay.plus(SHARED_GRACE));
    return delay;
  }

  private HttpRequestActionBuilder withTimeout(HttpRequestActionBuilder request) {
    HttpRequestActionBuilder r = settings.silent() ? request.silent() : request;
    return settings.authRequestTimeout() == null
        ? r
        : r.requestTimeout(settings.authRequestTimeout());
  }

  /** Refresh when a refresh token is held; when there is none, or the refresh fails, log in. */
  private ChainBuilder refreshOrLogin(boolean exitOnFailure, Reason reason) {
    Counter counter =
        reason == Reason.REACTIVE ? Counter.REACTIVE_REFRESHES : Counter.PROACTIVE_REFRESHES;
    return exec(session -> session.remove(JwtSessionKeys.REFRESHING))
        .doIf(
            session -> {
              TokenState state = JwtDsl.tokenState(session);
              return state != null && state.canRefresh();
            })
        .then(
            exec(session -> {
                  settings.metrics().increment(counter);
                  return takeRefreshToken(session)
                      .remove(JwtSessionKeys.LAST_AUTH_ANSWER)
                      .set(JwtSessionKeys.REFRESH_ATTEMPTS, 0);
                })
                .exec(refreshAttempts(counter)))
        .doIf(AuthChains::notRefreshed)
        .then(
            // the refresh endpoint asked to come back later: so does the login that replaces it
            doIf(AuthChains::askedToComeBack)
                .then(pause(this::waitBeforeFallbackLogin))
                .exec(loginLoop(exitOnFailure)))
        .exec(
            session ->
                session.removeAll(
                    JwtSessionKeys.REFRESHING,
                    JwtSessionKeys.SPENT_REFRESH_TOKEN,
                    JwtSessionKeys.LAST_AUTH_ANSWER,
                    JwtSessionKeys.RE_LOGIN));
  }

  /**
   * Send the refresh; a refresh answered 429 or 503 was not served, so the same refresh token is
   * sent again after the server's Retry-After (and the login backoff), up to {@code loginAttempts}
   * in all. As the login attempts, they run in a {@code tryMax} of their own, so that a {@code
   * tryMax} or {@code exitBlockOnFail} of the user's around the call does not cut them short (and
   * throw a refresh token that still holds away). Every request is counted.
   */
  private ChainBuilder refreshAttempts(Counter counter) {
    ChainBuilder attempt =
        exec(session -> nextAttempt(session, JwtSessionKeys.REFRESH_ATTEMPTS))
            .doIfOrElse(
                session ->
                    session.getInt(JwtSessionKeys.REFRESH_ATTEMPTS) == 1
                        || askedToComeBack(session))
            .then(
                doIf(session -> session.getInt(JwtSessionKeys.REFRESH_ATTEMPTS) > 1)
                    .then(
                        exec(session -> {
                              settings.metrics().increment(counter);
                              return countRetryAfter429(session);
                            })
                            .pause(session -> backoff(session, JwtSessionKeys.REFRESH_ATTEMPTS)))
                    .exec(
                        session -> {
                          extendLease(session, requestLease());
                          return session.remove(JwtSessionKeys.LAST_AUTH_ANSWER);
                        })
                    .exec(refreshRequest)
                    // a silent request that failed does not mark the session failed: do it here,
                    // so that the attempt is tried again when the answer allows
                    .exec(session -> notRefreshed(session) ? session.markAsFailed() : session))
            // the last failure was final (a refusal, no answer): end the block; log in
            .orElse(exec(Session::markAsSucceeded));
    return tryMax(settings.retryPolicy().maxAttempts())
        .on(attempt)
        .exec(session -> session.remove(JwtSessionKeys.REFRESH_ATTEMPTS));
  }

  /** Whether the last auth answer asked to come back later: a 429 or a 503. */
  private static boolean askedToComeBack(Session session) {
    Object answer = session.get(JwtSessionKeys.LAST_AUTH_ANSWER);
    if (!(answer instanceof GatlingChecks.AuthAnswer)) {
      return false; // no answer at all: the refresh token may have been spent
    }
    int status = ((GatlingChecks.AuthAnswer) answer).status();
    return status == 429 || status == 503;
  }

  /** The wait before a login that replaces a refresh the server asked to retry later. */
  private Duration waitBeforeFallbackLogin(Session session) {
    Long retryAfter =
        ((GatlingChecks.AuthAnswer) session.get(JwtSessionKeys.LAST_AUTH_ANSWER))
            .retryAfterSeconds();
    Duration delay =
        settings
            .retryPolicy()
            .delayBefore(2, retryAfter, () -> ThreadLocalRandom.current().nextDouble());
    extendLease(session, delay.plus(SHARED_GRACE));
    return delay;
  }

  /**
   * Keep the session's failed flag as the user's own steps left it: a failed auth attempt that was
   * recovered (retried login, refresh refused then re-login) does not leave the session failed.
   * Decisions here never read the flag; they read whether a token is held.
   */
  private static ChainBuilder guardStatus(ChainBuilder chain) {
    return exec(session -> session.set(JwtSessionKeys.WAS_FAILED, session.isFailed()))
        .exec(chain)
        .exec(
            session -> {
              boolean wasFailed = Boolean.TRUE.equals(session.get(JwtSessionKeys.WAS_FAILED));
              Session s = session.remove(JwtSessionKeys.WAS_FAILED);
              return !wasFailed && s.contains(JwtSessionKeys.STATE) ? s.markAsSucceeded() : s;
            });
  }

  /** The refresh token leaves the state before it is sent: it is spent, whatever happens next. */
  private static Session takeRefreshToken(Session session) {
    TokenState state = JwtDsl.tokenState(session);
    TokenState spending = state.withoutRefreshToken();
    return session
        .set(JwtSessionKeys.STATE, spending)
        .set(JwtSessionKeys.REFRESHING, spending)
        .set(JwtSessionKeys.SPENT_REFRESH_TOKEN, state.refreshToken());
  }

  /** No refresh was attempted, or its answer did not replace the state it started from. */
  private static boolean notRefreshed(Session session) {
    Object state = session.get(JwtSessionKeys.STATE);
    Object refreshing = session.get(JwtSessionKeys.REFRESHING);
    return state == null || refreshing == null || state == refreshing;
  }

  /** Counted when the replay is attempted, so a loop that ends in between counts neither. */
  private Session countRefusal(Session session) {
    settings.metrics().increment(Counter.REFUSALS);
    return session;
  }

  private Session markRefused(Session session) {
    return markDue(session.remove(JwtSessionKeys.REFUSED));
  }

  private static String requireToken(Session session) {
    TokenState state = JwtDsl.tokenState(session);
    if (state == null) {
      throw new IllegalStateException(
          "not sent: the virtual user holds no token (its login or refresh failed)");
    }
    return state.accessToken();
  }

  private static String spentRefreshToken(Session session) {
    return session.getString(JwtSessionKeys.SPENT_REFRESH_TOKEN);
  }

  private String loginBody(Session session) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put(settings.usernameField(), settings.username().apply(session));
    body.put(settings.passwordField(), settings.password().apply(session));
    return json(body);
  }

  private String refreshBody(Session session) {
    String refreshToken = spentRefreshToken(session);
    if (refreshToken == null) {
      throw new IllegalStateException("not sent: the virtual user holds no refresh token");
    }
    return json(Map.of(settings.refreshTokenField(), refreshToken));
  }

  private static String json(Map<String, String> body) {
    try {
      return MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the JSON body");
    }
  }
}
