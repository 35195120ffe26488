package io.github.gatlingjwt.token;

import java.time.Instant;

/**
 * What one login or refresh answer granted: the access token, the refresh token if the server sent
 * one, and the instant at which the access token expires on the local clock (null when unknown).
 *
 * @param accessToken the access token, never empty
 * @param refreshToken the refresh token, or null when the answer had none
 * @param expiresAt the local expiry instant, or null when unknown
 * @param receivedAt the local instant at which the answer was received
 */
public record TokenGrant(
    String accessToken, String refreshToken, Instant expiresAt, Instant receivedAt) {

  @Override
  public String toString() {
    return "TokenGrant{accessToken="
        + Fingerprint.of(accessToken)
        + ", refreshToken="
        + Fingerprint.of(refreshToken)
        + ", expiresAt="
        + expiresAt
        + "}";
  }
}
