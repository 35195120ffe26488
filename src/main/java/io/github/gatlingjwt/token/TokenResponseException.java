package io.github.gatlingjwt.token;

/**
 * Thrown when a login or refresh answer does not hold a usable token. The message names the cause
 * (status, missing location, not JSON, ...) and is used as the KO message of the auth request.
 */
public class TokenResponseException extends GatlingJwtException {

  private final int status;

  public TokenResponseException(int status, String message) {
    super(message);
    this.status = status;
  }

  /**
   * @return the HTTP status of the refused answer
   */
  public int status() {
    return status;
  }
}
