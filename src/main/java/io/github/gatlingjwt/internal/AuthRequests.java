package io.github.gatlingjwt.internal;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.github.gatlingjwt.JwtAuth;
import io.github.gatlingjwt.JwtMint;
import io.github.gatlingjwt.JwtSessionKeys;
import io.github.gatlingjwt.token.ExpiryCalculator;
import io.github.gatlingjwt.token.FormEncoding;
import io.github.gatlingjwt.token.GatlingJwtException;
import io.github.gatlingjwt.token.Secrets;
import io.github.gatlingjwt.token.TokenResponseReader;
import io.github.gatlingjwt.token.TokenSource;
import io.github.gatlingjwt.token.TokenState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds what the chains send: the login and refresh requests in JSON or OAuth2 form (RFC 6749),
 * their answer readers, and the minting step that replaces a login for locally minted tokens.
 *
 * <p>For internal use only.
 */
public final class AuthRequests {

  private static final Logger LOG = LoggerFactory.getLogger(AuthRequests.class);

  private AuthRequests() {}

  /** The reader of login ({@code "login"}) or refresh ({@code "refresh"}) answers. */
  public static TokenResponseReader reader(String kind, AuthChains.Settings s) {
    TokenSource refresh =
        s.refreshTokenLocation() == null
            ? null
            : orJson(s.refreshTokenSource(), s.refreshTokenLocation());
    TokenSource expiresIn =
        s.expiresInSource() != null
            ? s.expiresInSource()
            : s.expiresInLocation() == null ? null : TokenSource.json(s.expiresInLocation());
    return new TokenResponseReader(
        kind,
        orJson(s.tokenSource(), s.tokenLocation()),
        refresh,
        expiresIn,
        s.successRule(),
        s.requireJwt(),
        new ExpiryCalculator(),
        kind.equals("login") && s.tokenFromFirstLoginResponse());
  }

  private static TokenSource orJson(
      TokenSource source, io.github.gatlingjwt.token.JsonLocation json) {
    return source != null ? source : TokenSource.json(json);
  }

  /** The login request, with neither checks nor time-out. */
  public static HttpRequestActionBuilder login(
      AuthChains.Settings s, Function<Session, String> jsonBody) {
    HttpRequestActionBuilder request;
    if (s.oauth2() == null) {
      request =
          http(JwtAuth.LOGIN_REQUEST_NAME)
              .post(s.loginUrl()::apply)
              .asJson()
              .body(StringBody(jsonBody::apply));
    } else {
      request =
          oauth2(
              http(JwtAuth.LOGIN_REQUEST_NAME).post(s.loginUrl()::apply),
              s.oauth2(),
              session -> loginForm(s, session));
    }
    return s.tokenFromFirstLoginResponse() ? request.disableFollowRedirect() : request;
  }

  /** The refresh request, with neither checks nor time-out. */
  public static HttpRequestActionBuilder refresh(
      AuthChains.Settings s, Function<Session, String> jsonBody) {
    if (s.oauth2() == null) {
      return http(JwtAuth.REFRESH_REQUEST_NAME)
          .post(s.refreshUrl()::apply)
          .asJson()
          .body(StringBody(jsonBody::apply));
    }
    return oauth2(
        http(JwtAuth.REFRESH_REQUEST_NAME).post(s.refreshUrl()::apply),
        s.oauth2(),
        session -> refreshForm(s.oauth2(), session));
  }

  private static HttpRequestActionBuilder oauth2(
      HttpRequestActionBuilder request, OAuth2Settings o, Function<Session, String> form) {
    HttpRequestActionBuilder r =
        request
            .header("Content-Type", FormEncoding.CONTENT_TYPE)
            .header("Accept", "application/json")
            .body(StringBody(form::apply));
    if (o.clientSecret() != null && o.clientAuth() == OAuth2Settings.ClientAuth.BASIC) {
      r =
          r.header(
              "Authorization",
              session ->
                  FormEncoding.basicAuthorization(
                      required(o.clientId(), session, "client id"),
                      required(o.clientSecret(), session, "client secret")));
    }
    return r;
  }

  /** The form of a login: the grant, the user's credentials, the client, extra parameters. */
  static String loginForm(AuthChains.Settings s, Session session) {
    OAuth2Settings o = s.oauth2();
    List<Map.Entry<String, String>> form = new ArrayList<>();
    if (o.grant() == OAuth2Settings.Grant.PASSWORD) {
      form.add(Map.entry("grant_type", "password"));
      form.add(Map.entry("username", required(s.username(), session, "username")));
      form.add(Map.entry("password", required(s.password(), session, "password")));
    } else {
      form.add(Map.entry("grant_type", "client_credentials"));
    }
    addClient(form, o, session);
    for (Map.Entry<String, Function<Session, String>> p : o.loginParams()) {
      // a parameter whose function gives null is left out (Map.entry would refuse the null)
      form.add(new java.util.AbstractMap.SimpleEntry<>(p.getKey(), p.getValue().apply(session)));
    }
    return FormEncoding.encode(form);
  }

  /** The form of a refresh: {@code grant_type=refresh_token}, the token, the client. */
  static String refreshForm(OAuth2Settings o, Session session) {
    String refreshToken = session.getString(JwtSessionKeys.SPENT_REFRESH_TOKEN);
    if (refreshToken == null) {
      throw new IllegalStateException("not sent: the virtual user holds no refresh token");
    }
    List<Map.Entry<String, String>> form = new ArrayList<>();
    form.add(Map.entry("grant_type", "refresh_token"));
    form.add(Map.entry("refresh_token", refreshToken));
    addClient(form, o, session);
    return FormEncoding.encode(form);
  }

  private static void addClient(
      List<Map.Entry<String, String>> form, OAuth2Settings o, Session session) {
    if (o.clientId() == null) {
      return;
    }
    boolean basic = o.clientSecret() != null && o.clientAuth() == OAuth2Settings.ClientAuth.BASIC;
    if (!basic) {
      form.add(Map.entry("client_id", required(o.clientId(), session, "client id")));
    }
    if (o.clientSecret() != null && !basic) {
      form.add(Map.entry("client_secret", required(o.clientSecret(), session, "client secret")));
    }
  }

  private static String required(Function<Session, String> f, Session session, String what) {
    String v = f.apply(session);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException("not sent: the " + what + " is empty");
    }
    if (what.equals("client secret")) {
      // masked from now on in every log line and KO message (TokenResponseReader masks through
      // SecretMasker), whoever echoes it
      Secrets.register(v);
    }
    return v;
  }

  /**
   * Mint a token in place of a login. Minting is local: no request, no report record. A failure (a
   * claim whose attribute was not fed) is logged with its sentence, and the user holds no token.
   *
   * @param s the configuration
   * @param minted told of each new token, as a login answer's check would be (to publish it in a
   *     shared scope); returns the state to hold
   */
  public static ChainBuilder mint(
      AuthChains.Settings s, BiFunction<Session, TokenState, TokenState> minted) {
    JwtMint mint = s.mint();
    return exec(
        session -> {
          // whole seconds, as the token's iat and exp are: the local expiry is then exactly exp,
          // never up to a second past it
          Instant now = s.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
          s.metrics().increment(AuthMetrics.Counter.LOGIN_REQUESTS);
          try {
            String token = mint.mint(session, now);
            s.metrics().increment(AuthMetrics.Counter.LOGINS);
            TokenState state = new TokenState(token, null, now.plus(mint.lifetime()), now);
            return session.set(JwtSessionKeys.STATE, minted.apply(session, state));
          } catch (GatlingJwtException e) {
            LOG.error("gatling-jwt: {} The virtual user holds no token.", e.getMessage());
            return session.remove(JwtSessionKeys.STATE).markAsFailed();
          }
        });
  }
}
