package io.github.gatlingjwt.token;

/**
 * The root of every exception gatling-jwt throws. Messages are whole sentences that name the bad
 * value or location, and never contain a token, a refresh token or a password.
 */
public class GatlingJwtException extends RuntimeException {

  public GatlingJwtException(String message) {
    super(message);
  }

  public GatlingJwtException(String message, Throwable cause) {
    super(message, cause);
  }
}
