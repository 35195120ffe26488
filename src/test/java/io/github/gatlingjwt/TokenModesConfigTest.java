package io.github.gatlingjwt;

import static io.github.gatlingjwt.JwtDsl.*;
import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.token.JwtConfigException;
import io.github.gatlingjwt.token.SigningKey;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The configurations of the README's OAuth2, header/cookie and minting sections compile and build
 * (their chains need a running Gatling: the integration tests build those), and their mistakes fail
 * at build time with a sentence saying what to change.
 */
class TokenModesConfigTest {

  static final String SECRET = "0123456789abcdef0123456789abcdef-not-a-real-one";

  static String message(Executable e) {
    return assertThrows(JwtConfigException.class, e).getMessage();
  }

  @Test
  void readmeConfigurationsBuild() {
    JwtAuth users =
        oauth2("http://localhost:8080/realms/load/protocol/openid-connect/token")
            .clientId("load-test")
            .passwordGrant("#{username}", "#{password}")
            .scope("openid profile");
    assertTrue(users.toString().contains("grant=PASSWORD, client=public"), users.toString());
    JwtAuth service =
        oauth2("https://idp.example.com/oauth/token")
            .clientId("reporting")
            .clientSecret("#{secret}")
            .clientCredentials()
            .audience("https://api.example.com");
    assertTrue(service.toString().contains("grant=CLIENT_CREDENTIALS"), service.toString());
    JwtAuth headerApi =
        jwtAuth
            .credentials("#{username}", "#{password}")
            .tokenHeader("X-Auth-Token")
            .sendInHeader("X-Auth-Token");
    assertTrue(headerApi.toString().contains("tokenFrom=header `X-Auth-Token`"));
    assertTrue(headerApi.toString().contains("sendAs=X-Auth-Token <token>"));
    JwtAuth cookieApi =
        jwtAuth
            .credentials("#{username}", "#{password}")
            .tokenCookie("access_token")
            .sendAsCookie("access_token");
    assertTrue(cookieApi.toString().contains("sendAs=cookie access_token"));
    JwtAuth minted =
        jwtAuth.mintTokens(
            jwtMint(SigningKey.hs256(SECRET))
                .subject("#{username}")
                .claim("scope", "read write")
                .claim("tenant", session -> session.getString("tenant"))
                .lifetime(Duration.ofMinutes(5)));
    assertTrue(minted.toString().contains("JwtMint{SigningKey{HS256"), minted.toString());
  }

  @Test
  void secretsNeverShowInToString() {
    JwtAuth service =
        oauth2("/oauth/token").clientId("svc").clientSecret(SECRET).clientCredentials();
    assertFalse(service.toString().contains(SECRET), service.toString());
    assertTrue(service.toString().contains("confidential BASIC"), service.toString());
    JwtAuth minted = jwtAuth.mintTokens(jwtMint(SigningKey.hs256(SECRET)));
    assertFalse(minted.toString().contains(SECRET), minted.toString());
    // a literal secret that is malformed EL: the build error names the setting, not the value
    String password = "pa#{ss-w0rd-literal";
    String m1 = message(() -> jwtAuth.credentials("#{u}", password));
    assertTrue(m1.contains("The password is not valid Gatling EL"), m1);
    assertFalse(m1.contains("ss-w0rd"), m1);
    String m2 = message(() -> oauth2("/oauth/token").clientId("svc").clientSecret(password));
    assertTrue(m2.contains("client secret is not valid Gatling EL"), m2);
    assertFalse(m2.contains("ss-w0rd"), m2);
  }

  @Test
  void oauth2MistakesAreNamed() {
    assertTrue(message(() -> jwtAuth.clientId("x")).contains("oauth2TokenUrl(...) first"));
    assertTrue(
        message(() -> oauth2("/t").clientId("svc").clientCredentials().login())
            .contains("needs a confidential client"));
    assertTrue(
        message(() -> oauth2("/t").clientSecret("s").passwordGrant("#{u}", "#{p}").login())
            .contains("without a client id"));
    assertTrue(
        message(() -> oauth2("/t").clientId("web").login())
            .contains("credentials(\"#{username}\", \"#{password}\")"));
    assertTrue(
        message(() -> oauth2("/t").tokenParam("grant_type", "x"))
            .contains("is set by gatling-jwt"));
    assertTrue(
        message(() -> oauth2("/t").clientSecretFromEnv("GATLING_JWT_SURELY_UNSET_VAR"))
            .contains("GATLING_JWT_SURELY_UNSET_VAR"));
  }

  @Test
  void placementAndSourceMistakesAreNamed() {
    assertTrue(message(() -> jwtAuth.tokenHeader("X Auth")).contains("not a valid HTTP header"));
    assertTrue(message(() -> jwtAuth.sendInHeader("X-Token", "Bearer x")).contains("one word"));
    assertTrue(message(() -> jwtAuth.sendAsCookie("")).contains("not a valid cookie name"));
    // both tokens from one place: refused, whatever the kind of place (header names in any case)
    assertTrue(
        message(
                () ->
                    jwtAuth
                        .credentials("#{u}", "#{p}")
                        .tokenCookie("t")
                        .refreshTokenCookie("t")
                        .login())
            .contains("both read from cookie `t`"));
    assertTrue(
        message(
                () ->
                    jwtAuth
                        .credentials("#{u}", "#{p}")
                        .tokenHeader("X-Auth")
                        .refreshTokenHeader("x-auth")
                        .login())
            .contains("both read from header"));
  }

  @Test
  void mintingMistakesAreNamed() {
    assertTrue(message(() -> jwtMint(null)).contains("signing key is null"));
    assertTrue(
        message(() -> jwtMint(SigningKey.hs256(SECRET)).claim("exp", "1")).contains("lifetime"));
    assertTrue(
        message(() -> jwtMint(SigningKey.hs256(SECRET)).lifetime(Duration.ofMillis(10)))
            .contains("at least one second"));
    assertTrue(
        message(() -> SigningKey.es256(Path.of("/nonexistent/key.pem")))
            .contains("does not exist"));
    assertTrue(
        message(
                () ->
                    oauth2("/t")
                        .clientId("web")
                        .passwordGrant("#{u}", "#{p}")
                        .mintTokens(jwtMint(SigningKey.hs256(SECRET)))
                        .login())
            .contains("keep one of"));
  }

  /** A confidential client with the client credentials grant: one service identity. */
  static JwtAuth service(String url) {
    return oauth2(url).clientId("svc").clientSecret("s3cr3t-value").clientCredentials();
  }

  @Test
  void tokenScopesThatWouldMixIdentitiesAreRefused() {
    String url = "https://idp.example.com/oauth/token";
    assertTrue(
        message(() -> service(url).tokenScope(TokenScope.POOLED).login())
            .contains("TokenScope.SHARED"));
    assertTrue(
        message(
                () ->
                    oauth2(url)
                        .clientId("#{clientId}")
                        .clientSecret("#{clientSecret}")
                        .clientCredentials()
                        .tokenScope(TokenScope.SHARED)
                        .login())
            .contains("different identities"));
    assertTrue(
        message(
                () ->
                    jwtAuth
                        .mintTokens(jwtMint(SigningKey.hs256(SECRET)).subject("#{username}"))
                        .tokenScope(TokenScope.SHARED)
                        .login())
            .contains("different identities"));
    // a per-user token parameter would give users of one shared token different audiences
    assertTrue(
        message(() -> service(url).audience("#{tenant}").tokenScope(TokenScope.SHARED).login())
            .contains("token parameters"));
    assertTrue(
        message(
                () ->
                    oauth2(url)
                        .clientId("app")
                        .passwordGrant("#{username}", "#{password}")
                        .tokenParam("resource", "#{resource}")
                        .tokenScope(TokenScope.POOLED)
                        .login())
            .contains("users of one account could ask for different tokens"));
    assertTrue(
        message(
                () ->
                    oauth2(url)
                        .clientId("#{clientId}")
                        .passwordGrant("#{username}", "#{password}")
                        .tokenScope(TokenScope.POOLED)
                        .login())
            .contains("TokenScope.PER_USER"));
  }
}
