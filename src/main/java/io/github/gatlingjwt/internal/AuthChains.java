package io.github.gatlingjwt.internal;

import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pause;

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
import io.github.gatlingjwt.token.JsonLocation;
import io.github.gatlingjwt.token.RefreshPolicy;
import io.github.gatlingjwt.token.RetryPolicy;
import io.github.gatlingjwt.token.SuccessRule;
import io.github.gatlingjwt.token.TokenResponseReader;
import io.github.gatlingjwt.token.TokenSource;
import io.github.gatlingjwt.token.TokenState;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Builds the login, refresh and protected-call chains from one auth configuration. All state lives
 * in the virtual user's session (see {@link JwtSessionKeys}); nothing here is shared between users.
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
      OAuth2Settings oauth2,
      TokenSource tokenSource,
      TokenSource refreshTokenSource,
      TokenSource expiresInSource,
      TokenPlacement placement,
      boolean tokenFromFirstLoginResponse,
      JwtMint mint) {}

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
                (session, grant) -> TokenState.of(grant),
                session -> Collections.singletonList(sentPassword(session))));
    this.refreshRequest =
        GatlingChecks.withChecks(
            withTimeout(AuthRequests.refresh(settings, this::refreshBody)),
            GatlingChecks.statusHandledElsewhere(),
            GatlingChecks.tokenState(
                refreshReader,
                (session, grant) -> TokenState.afterRefresh(grant, spentRefreshToken(session)),
                session -> Collections.singletonList(spentRefreshToken(session))));
  }

  // ---------------------------------------------------------------------------------------------
  // Public chains

  public ChainBuilder login() {
    long spread = settings.loginSpread().toMillis();
    ChainBuilder login = guardStatus(loginLoop(true));
    return spread == 0
        ? login
        : exec(pause(
                session -> Duration.ofMillis(ThreadLocalRandom.current().nextLong(spread + 1))))
            .exec(login);
  }

  public ChainBuilder refresh() {
    return guardStatus(refreshOrLogin(true));
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
            List.of(GatlingChecks.notRefusedAgain(refused)),
            Function.<HttpCheck>identity(),
            JwtAuth.REPLAY_SUFFIX);
    return exec(session -> session.remove(JwtSessionKeys.REFUSED))
        .doIf(session -> policy.decide(JwtDsl.tokenState(session)) != RefreshPolicy.Decision.USE)
        .then(guardStatus(refreshOrLogin(true)))
        .exec(firstAttempt)
        .doIf(session -> Boolean.TRUE.equals(session.get(JwtSessionKeys.REFUSED)))
        .then(
            // the refused attempt was not judged; the replay is
            exec(AuthChains::markRefused)
                .exec(guardStatus(refreshOrLogin(false)))
                .exec(replay)
                .exitHereIf(session -> JwtDsl.tokenState(session) == null));
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

  /** Add the bearer header, resolved from the session when the request is sent. */
  public static HttpRequestActionBuilder withBearer(HttpRequestActionBuilder request) {
    return request.header("Authorization", session -> "Bearer " + requireToken(session));
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
      return AuthRequests.mint(settings, exitOnFailure);
    }
    ChainBuilder attempt =
        exec(session ->
                session.set(
                    JwtSessionKeys.LOGIN_ATTEMPTS,
                    session.getInt(JwtSessionKeys.LOGIN_ATTEMPTS) + 1))
            .doIfOrElse(
                session -> session.getInt(JwtSessionKeys.LOGIN_ATTEMPTS) == 1 || tryAgain(session))
            .then(
                doIf(session -> session.getInt(JwtSessionKeys.LOGIN_ATTEMPTS) > 1)
                    .then(pause(this::backoff))
                    .exec(session -> session.remove(JwtSessionKeys.LAST_AUTH_ANSWER))
                    .exec(loginRequest))
            // the last failure was final: end the retry block (the KO stays in the report)
            .orElse(exec(Session::markAsSucceeded));
    ChainBuilder loop =
        exec(session ->
                session
                    .removeAll(JwtSessionKeys.STATE, JwtSessionKeys.LAST_AUTH_ANSWER)
                    .set(JwtSessionKeys.LOGIN_ATTEMPTS, 0))
            .tryMax(settings.retryPolicy().maxAttempts())
            .on(attempt)
            .exec(
                session ->
                    session.contains(JwtSessionKeys.STATE) ? session : session.markAsFailed());
    return exitOnFailure
        ? loop.exitHereIf(session -> !session.contains(JwtSessionKeys.STATE))
        : loop;
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
    Object answer = session.get(JwtSessionKeys.LAST_AUTH_ANSWER);
    Long retryAfter =
        answer instanceof GatlingChecks.AuthAnswer
            ? ((GatlingChecks.AuthAnswer) answer).retryAfterSeconds()
            : null;
    return settings
        .retryPolicy()
        .delayBefore(
            session.getInt(JwtSessionKeys.LOGIN_ATTEMPTS),
            retryAfter,
            () -> ThreadLocalRandom.current().nextDouble());
  }

  private HttpRequestActionBuilder withTimeout(HttpRequestActionBuilder request) {
    return settings.authRequestTimeout() == null
        ? request
        : request.requestTimeout(settings.authRequestTimeout());
  }

  /** Refresh when a refresh token is held; when there is none, or the refresh fails, log in. */
  private ChainBuilder refreshOrLogin(boolean exitOnFailure) {
    return exec(session -> session.remove(JwtSessionKeys.REFRESHING))
        .doIf(
            session -> {
              TokenState state = JwtDsl.tokenState(session);
              return state != null && state.canRefresh();
            })
        .then(exec(AuthChains::takeRefreshToken).exec(refreshRequest))
        .doIf(AuthChains::notRefreshed)
        .then(loginLoop(exitOnFailure))
        .exec(
            session ->
                session.removeAll(JwtSessionKeys.REFRESHING, JwtSessionKeys.SPENT_REFRESH_TOKEN));
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

  private static Session markRefused(Session session) {
    TokenState state = JwtDsl.tokenState(session);
    Session s = session.remove(JwtSessionKeys.REFUSED);
    return state == null ? s : s.set(JwtSessionKeys.STATE, state.refused());
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

  private String sentPassword(Session session) {
    try {
      return settings.password().apply(session);
    } catch (RuntimeException e) {
      return null;
    }
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
