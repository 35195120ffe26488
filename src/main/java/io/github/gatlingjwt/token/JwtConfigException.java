package io.github.gatlingjwt.token;

/**
 * Thrown while a simulation is being built, when the auth configuration cannot work. The message
 * says what to change.
 */
public class JwtConfigException extends GatlingJwtException {

  public JwtConfigException(String message) {
    super(message);
  }
}
