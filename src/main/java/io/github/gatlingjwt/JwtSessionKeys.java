package io.github.gatlingjwt;

/**
 * The Gatling session attributes gatling-jwt uses. Keys have no dots (Gatling EL reads {@code .} as
 * field access) and share the {@code gatlingJwt_} prefix: do not use that prefix for your own
 * attributes, and do not write these attributes yourself.
 */
public final class JwtSessionKeys {

  /**
   * The user's {@link io.github.gatlingjwt.token.TokenState}: access token, refresh token, local
   * expiry. Absent while the user holds no token. Its {@code toString()} shows fingerprints only.
   */
  public static final String STATE = "gatlingJwt_state";

  /** The refresh token a refresh request in flight is spending; transient. */
  public static final String SPENT_REFRESH_TOKEN = "gatlingJwt_spentRefreshToken";

  /** The state a refresh in flight started from, to tell whether it succeeded; transient. */
  public static final String REFRESHING = "gatlingJwt_refreshing";

  /** Whether the last first attempt of a protected call was refused (e.g. 401); transient. */
  public static final String REFUSED = "gatlingJwt_refused";

  /** The status and Retry-After of the last login attempt's answer; transient. */
  public static final String LAST_AUTH_ANSWER = "gatlingJwt_lastAuthAnswer";

  /** How many login attempts the current login has made. */
  public static final String LOGIN_ATTEMPTS = "gatlingJwt_loginAttempts";

  /** Whether the session was already failed when an auth step started; transient. */
  public static final String WAS_FAILED = "gatlingJwt_wasFailed";

  private JwtSessionKeys() {}
}
