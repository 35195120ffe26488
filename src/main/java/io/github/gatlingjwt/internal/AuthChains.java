package io.github.gatlingjwt.internal;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.http.check.HttpCheck;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.github.gatlingjwt.JwtAuth;
import io.github.gatlingjwt.JwtDsl;
import io.github.gatlingjwt.JwtSessionKeys;
import io.github.gatlingjwt.token.ExpiryCalculator;
import io.github.gatlingjwt.token.JsonLocation;
import io.github.gatlingjwt.token.RefreshPolicy;
import io.github.gatlingjwt.token.TokenGrant;
import io.github.gatlingjwt.token.TokenResponseReader;
import io.github.gatlingjwt.token.TokenState;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the login, refresh and protected-call chains from one auth configuration. All state lives
 * in the virtual user's session (see {@link JwtSessionKeys}); nothing here is shared between users.
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
      Set<Integer> refusedStatuses,
      int maxLoginAttempts,
      Duration loginRetryPause,
      Clock clock) {}

  private final Settings settings;
  private final RefreshPolicy policy;
  private final HttpRequestActionBuilder loginRequest;
  private final HttpRequestActionBuilder refreshRequest;

  public AuthChains(Settings settings) {
    this.settings = settings;
    this.policy = new RefreshPolicy(settings.leadTime(), settings.clock());
    ExpiryCalculator expiry = new ExpiryCalculator();
    TokenResponseReader loginReader =
        new TokenResponseReader(
            "login",
            settings.tokenLocation(),
            settings.refreshTokenLocation(),
            settings.expiresInLocation(),
            expiry);
    TokenResponseReader refreshReader =
        new TokenResponseReader(
            "refresh",
            settings.tokenLocation(),
            settings.refreshTokenLocation(),
            settings.expiresInLocation(),
            expiry);
    this.loginRequest =
        GatlingChecks.withChecks(
            http(JwtAuth.LOGIN_REQUEST_NAME)
                .post(settings.loginUrl()::apply)
                .asJson()
                .body(StringBody(this::loginBody)),
            GatlingChecks.statusHandledElsewhere(),
            GatlingChecks.tokenGrant(loginReader, JwtSessionKeys.GRANT));
    this.refreshRequest =
        GatlingChecks.withChecks(
            http(JwtAuth.REFRESH_REQUEST_NAME)
                .post(settings.refreshUrl()::apply)
                .asJson()
                .body(StringBody(this::refreshBody)),
            GatlingChecks.statusHandledElsewhere(),
            GatlingChecks.tokenGrant(refreshReader, JwtSessionKeys.GRANT));
  }

  // ---------------------------------------------------------------------------------------------
  // Public chains

  public ChainBuilder login() {
    return guardStatus(loginLoop(true));
  }

  public ChainBuilder refresh() {
    return guardStatus(refreshOrLogin(true));
  }

  public ChainBuilder call(HttpRequestActionBuilder request) {
    Set<Integer> refused = settings.refusedStatuses();
    HttpRequestActionBuilder authorized = withBearer(request);
    HttpRequestActionBuilder firstAttempt =
        GatlingChecks.rewrite(
            authorized,
            List.of(GatlingChecks.refusalMarker(refused, JwtSessionKeys.REFUSED)),
            check -> GatlingChecks.unlessRefused(check, refused),
            null);
    HttpRequestActionBuilder replay =
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
            exec(session -> session.remove(JwtSessionKeys.REFUSED))
                // the refused attempt was not judged; the replay is
                .exec(guardStatus(refreshOrLogin(false)))
                .exec(replay)
                .exitHereIf(session -> JwtDsl.tokenState(session) == null));
  }

  /** Add the bearer header, resolved from the session when the request is sent. */
  public static HttpRequestActionBuilder withBearer(HttpRequestActionBuilder request) {
    return request.header("Authorization", session -> "Bearer " + requireToken(session));
  }

  // ---------------------------------------------------------------------------------------------
  // Building blocks

  /** Log in with a bounded number of attempts; optionally stop the user when all fail. */
  private ChainBuilder loginLoop(boolean exitOnFailure) {
    ChainBuilder loop =
        exec(session ->
                session
                    .remove(JwtSessionKeys.STATE)
                    .remove(JwtSessionKeys.GRANT)
                    .set(JwtSessionKeys.LOGIN_ATTEMPTS, 0))
            .asLongAs(
                session ->
                    !session.contains(JwtSessionKeys.STATE)
                        && session.getInt(JwtSessionKeys.LOGIN_ATTEMPTS)
                            < settings.maxLoginAttempts())
            .on(
                exec(session ->
                        session.set(
                            JwtSessionKeys.LOGIN_ATTEMPTS,
                            session.getInt(JwtSessionKeys.LOGIN_ATTEMPTS) + 1))
                    .doIf(session -> session.getInt(JwtSessionKeys.LOGIN_ATTEMPTS) > 1)
                    .then(pause(settings.loginRetryPause()))
                    .exec(loginRequest)
                    .exec(AuthChains::applyLogin));
    return exitOnFailure
        ? loop.exitHereIf(session -> !session.contains(JwtSessionKeys.STATE))
        : loop;
  }

  /** Refresh when a refresh token is held, else (or when the refresh fails) log in again. */
  private ChainBuilder refreshOrLogin(boolean exitOnFailure) {
    return exec(session -> session.remove(JwtSessionKeys.GRANT))
        .doIfOrElse(
            session -> {
              TokenState state = JwtDsl.tokenState(session);
              return state != null && state.canRefresh();
            })
        .then(exec(refreshRequest).exec(AuthChains::applyRefresh))
        .orElse(exec(session -> session.remove(JwtSessionKeys.STATE)))
        .doIf(session -> !session.contains(JwtSessionKeys.STATE))
        .then(loginLoop(exitOnFailure));
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

  private static Session applyLogin(Session session) {
    Object grant = session.get(JwtSessionKeys.GRANT);
    Session s = session.remove(JwtSessionKeys.GRANT);
    return grant instanceof TokenGrant
        ? s.set(JwtSessionKeys.STATE, TokenState.of((TokenGrant) grant))
        : s.remove(JwtSessionKeys.STATE);
  }

  private static Session applyRefresh(Session session) {
    Object grant = session.get(JwtSessionKeys.GRANT);
    TokenState state = JwtDsl.tokenState(session);
    Session s = session.remove(JwtSessionKeys.GRANT);
    if (grant instanceof TokenGrant && state != null) {
      return s.set(JwtSessionKeys.STATE, state.refreshedWith((TokenGrant) grant));
    }
    // refused or failed: drop everything, a spent refresh token is never sent again
    return s.remove(JwtSessionKeys.STATE);
  }

  private static String requireToken(Session session) {
    TokenState state = JwtDsl.tokenState(session);
    if (state == null) {
      throw new IllegalStateException(
          "not sent: the virtual user holds no token (its login or refresh failed)");
    }
    return state.accessToken();
  }

  private String loginBody(Session session) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put(settings.usernameField(), settings.username().apply(session));
    body.put(settings.passwordField(), settings.password().apply(session));
    return json(body);
  }

  private String refreshBody(Session session) {
    TokenState state = JwtDsl.tokenState(session);
    if (state == null || state.refreshToken() == null) {
      throw new IllegalStateException("not sent: the virtual user holds no refresh token");
    }
    return json(Map.of(settings.refreshTokenField(), state.refreshToken()));
  }

  private static String json(Map<String, String> body) {
    try {
      return MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the JSON body");
    }
  }
}
