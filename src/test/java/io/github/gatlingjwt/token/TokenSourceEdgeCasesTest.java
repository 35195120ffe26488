package io.github.gatlingjwt.token;

import static org.junit.jupiter.api.Assertions.*;

import com.auth0.jwt.JWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge cases of token sources, client authentication and minted signatures. */
class TokenSourceEdgeCasesTest {

  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  @TempDir Path dir;

  TokenResponseReader headerReader() {
    return new TokenResponseReader(
        "login",
        TokenSource.header("X-Auth-Token"),
        null,
        null,
        null,
        false,
        new ExpiryCalculator(),
        false);
  }

  /** A scheme with no credential ("Bearer ") is no token. */
  @Test
  void aSchemeWithoutACredentialIsNotAToken() {
    ResponseHeaders h = ResponseHeaders.of(Map.of("x-auth-token", List.of("Bearer ")));
    TokenResponseException e =
        assertThrows(
            TokenResponseException.class,
            () -> headerReader().read(200, null, "", h, NOW, List.of()),
            () -> "accepted as a token: " + TokenSource.stripScheme("Bearer "));
    assertTrue(e.getMessage().contains("X-Auth-Token"), e.getMessage());
  }

  /** A cookie being deleted (Max-Age=0, Expires in the past) carries no token. */
  @Test
  void aDeletedCookieIsNotAToken() {
    assertEquals(
        "",
        TokenSource.cookieValue(
            List.of("access_token=deleted; Max-Age=0; Path=/; HttpOnly"), "access_token"));
    assertEquals(
        "",
        TokenSource.cookieValue(
            List.of("access_token=deleted; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/"),
            "access_token"));
    assertEquals(
        "eyJ.a.b",
        TokenSource.cookieValue(
            List.of("access_token=eyJ.a.b; Max-Age=300; Expires=Thu, 01 Jan 2099 00:00:00 GMT"),
            "access_token"));
  }

  /** An ES256 signature is in JOSE form (64 bytes R||S), not DER. */
  @Test
  void es256SignatureIsJose() throws Exception {
    KeyPair pair = SigningKeyTest.ec("secp256r1");
    Path file = dir.resolve("ec.pem");
    Files.writeString(file, SigningKeyTest.pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    String token =
        new JwtMinter(SigningKey.es256(file), Duration.ofSeconds(60)).mint("u", Map.of(), NOW);
    assertEquals(64, Base64.getUrlDecoder().decode(JWT.decode(token).getSignature()).length);
  }

  /** client_secret_basic form-encodes id and secret (RFC 6749 2.3.1). */
  @Test
  void basicAuthFormEncodes() {
    String h = FormEncoding.basicAuthorization("my client", "s:e/c+r%t");
    String pair = new String(Base64.getDecoder().decode(h.substring(6)));
    assertEquals("my+client:s%3Ae%2Fc%2Br%25t", pair);
  }

  /** oauth2TokenUrl(...) keeps a token source configured before it. */
  @Test
  void oauth2TokenUrlKeepsAnEarlierTokenHeader() {
    String s =
        io.github.gatlingjwt.JwtDsl.jwtAuth
            .tokenHeader("X-Auth-Token")
            .oauth2TokenUrl("/t")
            .toString();
    assertTrue(s.contains("X-Auth-Token"), s);
  }

  /** clientSecretPost() without a secret is refused when the simulation is built. */
  @Test
  void clientSecretPostWithoutASecretIsRefusedAtBuild() {
    assertThrows(
        JwtConfigException.class,
        () ->
            io.github.gatlingjwt.JwtDsl.oauth2("/t")
                .clientId("c")
                .clientSecretPost()
                .passwordGrant("#{u}", "#{p}")
                .login());
  }
}
