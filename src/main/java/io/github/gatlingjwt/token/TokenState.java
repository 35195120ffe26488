package io.github.gatlingjwt.token;

import java.time.Instant;

/**
 * The token state one virtual user holds: immutable, replaced as a whole on every login or refresh,
 * so the access token and the refresh token always belong together.
 *
 * @param accessToken the current access token, never empty
 * @param refreshToken the current refresh token, or null when there is none
 * @param expiresAt the local expiry instant of the access token, or null when unknown
 * @param obtainedAt the local instant the token's lifetime counts from (the instant its login or
 *     refresh request was sent)
 */
public record TokenState(
    String accessToken, String refreshToken, Instant expiresAt, Instant obtainedAt) {

  /**
   * Start from a login answer.
   *
   * @param grant the login answer
   * @return the new state
   */
  public static TokenState of(TokenGrant grant) {
    return new TokenState(
        grant.accessToken(), grant.refreshToken(), grant.expiresAt(), grant.receivedAt());
  }

  /**
   * Start from a refresh answer: the new access token, and the new refresh token when the server
   * rotated it, else the one just spent (a server that does not rotate accepts it again).
   *
   * @param grant the refresh answer
   * @param spentRefreshToken the refresh token the refresh request carried
   * @return the new state
   */
  public static TokenState afterRefresh(TokenGrant grant, String spentRefreshToken) {
    String next = grant.refreshToken() != null ? grant.refreshToken() : spentRefreshToken;
    return new TokenState(grant.accessToken(), next, grant.expiresAt(), grant.receivedAt());
  }

  /**
   * Take the refresh token out, when it is about to be spent: whatever happens to the refresh
   * request, it is never sent again.
   *
   * @return the state without its refresh token
   */
  public TokenState withoutRefreshToken() {
    return new TokenState(accessToken, null, expiresAt, obtainedAt);
  }

  /**
   * Mark the access token as refused by the API: it is due for a refresh (or a login) before the
   * next call, whatever its expiry said.
   *
   * @return the state with the access token treated as expired
   */
  public TokenState refused() {
    return new TokenState(accessToken, refreshToken, obtainedAt, obtainedAt);
  }

  /**
   * @return whether a refresh token is held
   */
  public boolean canRefresh() {
    return refreshToken != null;
  }

  /** Masks the secrets: only fingerprints are printed, so session dumps stay safe. */
  @Override
  public String toString() {
    return "TokenState{accessToken="
        + Fingerprint.of(accessToken)
        + ", refreshToken="
        + Fingerprint.of(refreshToken)
        + ", expiresAt="
        + expiresAt
        + "}";
  }
}
