package io.github.gatlingjwt;

import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.core.Session;
import io.github.gatlingjwt.token.JwtConfigException;
import io.github.gatlingjwt.token.SigningKey;
import io.github.gatlingjwt.token.TokenState;
import org.slf4j.LoggerFactory;

/**
 * The gatling-jwt DSL. Use it with {@code import static io.github.gatlingjwt.JwtDsl.*;} next to
 * Gatling's {@code CoreDsl} and {@code HttpDsl}.
 *
 * <pre>{@code
 * JwtAuth auth = jwtAuth.credentials("#{username}", "#{password}");
 * scenario("api")
 *     .feed(csv("credentials.csv").queue())
 *     .exec(auth.login())
 *     .during(Duration.ofMinutes(5)).on(
 *         exec(auth.call(http("list items").get("/api/items"))));
 * }</pre>
 */
public final class JwtDsl {

  /**
   * The default auth configuration: JSON login at {@code /api/login}, token at {@code $.token},
   * refresh at {@code /api/refresh_token}. Refine it with its fluent methods.
   */
  public static final JwtAuth jwtAuth = JwtAuth.defaults();

  private JwtDsl() {}

  /**
   * Start an assertion on the auth counters, for {@link JwtAuth#assertions}, e.g. {@code
   * authMetrics().authFailures().is(0)}.
   *
   * @return the counters assertions can read
   */
  public static AuthAssertion.Metrics authMetrics() {
    return new AuthAssertion.Metrics();
  }

  /**
   * Warn, when the simulation is built, if a credentials feeder has fewer records than the users
   * the simulation plans: a queue feeder would run dry ("Feeder is now empty, stopping engine"), a
   * circular one would log several users in as the same account at once.
   *
   * @param feeder the credentials feeder
   * @param plannedUsers the number of users the injection profile starts
   * @param <T> the feeder's record type
   * @return the same feeder
   */
  public static <T> FeederBuilder<T> warnIfFewerCredentials(
      FeederBuilder<T> feeder, long plannedUsers) {
    if (feeder == null) {
      throw new JwtConfigException(
          "The credentials feeder is null: give one, e.g. csv(\"credentials.csv\").");
    }
    int records = feeder.recordsCount();
    if (records < plannedUsers) {
      LoggerFactory.getLogger("io.github.gatlingjwt")
          .warn(
              "gatling-jwt: the credentials feeder has {} records for {} planned users: a queue"
                  + " feeder stops the run when it runs dry (\"Feeder is now empty, stopping"
                  + " engine\"), a circular one logs several users in as the same account at once,"
                  + " and servers that rotate refresh tokens make them invalidate each other. Feed"
                  + " more accounts, or share each account's token with"
                  + " tokenScope(TokenScope.POOLED).",
              records,
              plannedUsers);
    }
    return feeder;
  }

  /**
   * An auth configuration for an OAuth2 token endpoint (RFC 6749): form-encoded requests, {@code
   * access_token}, {@code refresh_token} and {@code expires_in} read from the answers. Choose a
   * grant and a client:
   *
   * <pre>{@code
   * oauth2("https://idp/realms/load/protocol/openid-connect/token")
   *     .clientId("load-test")
   *     .passwordGrant("#{username}", "#{password}")
   *     .scope("openid profile");
   * }</pre>
   *
   * @param tokenUrl the token endpoint, expressed as a Gatling EL String
   * @return a new JwtAuth
   */
  public static JwtAuth oauth2(String tokenUrl) {
    return jwtAuth.oauth2TokenUrl(tokenUrl);
  }

  /**
   * A recipe for minting each virtual user's JWT locally, to hand to {@link
   * JwtAuth#mintTokens(JwtMint)}:
   *
   * <pre>{@code
   * jwtAuth.mintTokens(
   *     jwtMint(SigningKey.hs256FromEnv("API_JWT_SECRET"))
   *         .subject("#{username}")
   *         .claim("scope", "read write")
   *         .lifetime(Duration.ofMinutes(5)));
   * }</pre>
   *
   * @param key the signing key, from a file or an environment variable
   * @return a new JwtMint, with a 5-minute lifetime and no claims yet
   */
  public static JwtMint jwtMint(SigningKey key) {
    return JwtMint.of(key);
  }

  /**
   * Read the token state a virtual user holds.
   *
   * @param session the virtual user's session
   * @return the state, or null when the user holds no token
   */
  public static TokenState tokenState(Session session) {
    Object value = session.get(JwtSessionKeys.STATE);
    return value instanceof TokenState ? (TokenState) value : null;
  }

  /**
   * A session function that returns the user's current access token, for APIs that need it
   * somewhere gatling-jwt does not put it. Fails (and so makes the request KO, unsent) when the
   * user holds no token.
   *
   * @param session the virtual user's session
   * @return the access token
   */
  public static String accessToken(Session session) {
    TokenState state = tokenState(session);
    if (state == null) {
      throw new IllegalStateException(
          "no access token in the session: run the login chain first (the request was not sent)");
    }
    return state.accessToken();
  }
}
