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

  /** The status and Retry-After of the last login or refresh attempt's answer; transient. */
  public static final String LAST_AUTH_ANSWER = "gatlingJwt_lastAuthAnswer";

  /** How many login attempts the current login has made. */
  public static final String LOGIN_ATTEMPTS = "gatlingJwt_loginAttempts";

  /** How many refresh attempts the current refresh has made (429 and 503 are tried again). */
  public static final String REFRESH_ATTEMPTS = "gatlingJwt_refreshAttempts";

  /** Whether the session was already failed when an auth step started; transient. */
  public static final String WAS_FAILED = "gatlingJwt_wasFailed";

  /** Whether the user was counted in the auth metrics. */
  public static final String COUNTED = "gatlingJwt_counted";

  /** Whether the login in progress replaces a token the user held; transient. */
  public static final String RE_LOGIN = "gatlingJwt_reLogin";

  /** What the shared token cache told the user to do; transient. */
  public static final String SHARED_DECISION = "gatlingJwt_sharedDecision";

  /** Whether the user is done getting a shared token; transient. */
  public static final String SHARED_DONE = "gatlingJwt_sharedDone";

  /** How many times the user asked the shared token cache; transient. */
  public static final String SHARED_ROUNDS = "gatlingJwt_sharedRounds";

  private JwtSessionKeys() {}
}
