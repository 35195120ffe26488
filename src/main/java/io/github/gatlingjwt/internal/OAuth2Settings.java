package io.github.gatlingjwt.internal;

import io.gatling.javaapi.core.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How an OAuth2 token endpoint (RFC 6749) is spoken to: the grant of a login, the client and how it
 * authenticates, and extra parameters. Immutable; {@code toString()} shows no secret.
 *
 * <p>For internal use only.
 *
 * @param grant the grant a login uses
 * @param clientId the client id, or null
 * @param clientSecret the client secret, or null for a public client
 * @param clientAuth how the client secret is sent
 * @param loginParams extra parameters of login requests (scope, audience...), in order
 */
public record OAuth2Settings(
    Grant grant,
    Function<Session, String> clientId,
    Function<Session, String> clientSecret,
    ClientAuth clientAuth,
    List<Map.Entry<String, Function<Session, String>>> loginParams) {

  /** The grant a login uses. */
  public enum Grant {
    /** {@code grant_type=password}: a user's username and password. */
    PASSWORD,
    /** {@code grant_type=client_credentials}: the client alone. */
    CLIENT_CREDENTIALS
  }

  /** How the client secret is sent. */
  public enum ClientAuth {
    /** HTTP Basic with the form-encoded id and secret ({@code client_secret_basic}). */
    BASIC,
    /** {@code client_id} and {@code client_secret} in the form ({@code client_secret_post}). */
    POST
  }

  /** A password-grant configuration with no client, basic client authentication. */
  public static OAuth2Settings defaults() {
    return new OAuth2Settings(Grant.PASSWORD, null, null, ClientAuth.BASIC, List.of());
  }

  public OAuth2Settings withGrant(Grant g) {
    return new OAuth2Settings(g, clientId, clientSecret, clientAuth, loginParams);
  }

  public OAuth2Settings withClientId(Function<Session, String> id) {
    return new OAuth2Settings(grant, id, clientSecret, clientAuth, loginParams);
  }

  public OAuth2Settings withClientSecret(Function<Session, String> secret) {
    return new OAuth2Settings(grant, clientId, secret, clientAuth, loginParams);
  }

  public OAuth2Settings withClientAuth(ClientAuth auth) {
    return new OAuth2Settings(grant, clientId, clientSecret, auth, loginParams);
  }

  /** Add a login parameter, replacing one of the same name. */
  public OAuth2Settings withLoginParam(String name, Function<Session, String> value) {
    List<Map.Entry<String, Function<Session, String>>> params = new ArrayList<>();
    for (Map.Entry<String, Function<Session, String>> p : loginParams) {
      if (!p.getKey().equals(name)) {
        params.add(p);
      }
    }
    params.add(Map.entry(name, value));
    return new OAuth2Settings(grant, clientId, clientSecret, clientAuth, List.copyOf(params));
  }

  @Override
  public String toString() {
    return "OAuth2{grant="
        + grant
        + ", client="
        + (clientId == null
            ? "none"
            : clientSecret == null ? "public" : "confidential " + clientAuth)
        + ", params="
        + loginParams.stream().map(Map.Entry::getKey).toList()
        + "}";
  }
}
