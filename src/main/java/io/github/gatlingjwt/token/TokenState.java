package io.github.gatlingjwt.token;

import java.time.Instant;

/**
 * The token state one virtual user holds: immutable, replaced as a whole on every login or refresh,
 * so the access token and the refresh token always belong together.
 *
 * @param accessToken the current access token, never empty
 * @param refreshToken the current refresh token, or null when there is none
 * @param expiresAt the local expiry instant of the access token, or null when unknown
 * @param obtainedAt the local instant at which the access token was received
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
   * Apply a refresh answer: the new access token replaces the old one; the refresh token is
   * replaced when the server rotated it and kept otherwise.
   *
   * @param grant the refresh answer
   * @return the new state
   */
  public TokenState refreshedWith(TokenGrant grant) {
    String nextRefresh = grant.refreshToken() != null ? grant.refreshToken() : refreshToken;
    return new TokenState(grant.accessToken(), nextRefresh, grant.expiresAt(), grant.receivedAt());
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
