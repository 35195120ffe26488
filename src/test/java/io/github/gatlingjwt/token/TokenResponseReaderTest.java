package io.github.gatlingjwt.token;

import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.testkit.Tokens;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenResponseReaderTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  final TokenResponseReader reader =
      new TokenResponseReader(
          "login",
          JsonLocation.parse("$.data.token"),
          JsonLocation.parse("$.data.refresh"),
          JsonLocation.parse("$.expires_in"),
          new ExpiryCalculator());

  String failure(int status, String contentType, String body) {
    return assertThrows(
            TokenResponseException.class, () -> reader.read(status, contentType, body, NOW))
        .getMessage();
  }

  @Test
  void readsTokenRefreshTokenAndLifetime() {
    TokenGrant grant =
        reader.read(
            200,
            "application/json",
            "{\"data\":{\"token\":\"opaque\",\"refresh\":\"r1\"},\"expires_in\":\"60\"}",
            NOW);
    assertEquals("opaque", grant.accessToken());
    assertEquals("r1", grant.refreshToken());
    assertEquals(NOW.plusSeconds(60), grant.expiresAt());
    assertEquals(NOW, grant.receivedAt());
  }

  @Test
  void refreshTokenAndLifetimeAreOptional() {
    TokenGrant grant = reader.read(200, null, "{\"data\":{\"token\":\"opaque\"}}", NOW);
    assertNull(grant.refreshToken());
    assertNull(grant.expiresAt());
  }

  @Test
  void missingTokenNamesTheLocation() {
    assertEquals(
        "no token at `$.data.token` in the login response (status 200)",
        failure(200, "application/json", "{\"token\":\"misplaced\"}"));
  }

  @Test
  void nullEmptyAndPlaceholderTokensAreRefused() {
    assertEquals(
        "the token at `$.data.token` in the login response is null",
        failure(200, null, "{\"data\":{\"token\":null}}"));
    assertEquals(
        "the token at `$.data.token` in the login response is empty",
        failure(200, null, "{\"data\":{\"token\":\"  \"}}"));
    assertEquals(
        "the token at `$.data.token` in the login response is the string \"undefined\"",
        failure(200, null, "{\"data\":{\"token\":\"undefined\"}}"));
    assertEquals(
        "the token at `$.data.token` in the login response is the string \"null\"",
        failure(200, null, "{\"data\":{\"token\":\"null\"}}"));
    assertEquals(
        "the token at `$.data.token` in the login response is a number, not a string",
        failure(200, null, "{\"data\":{\"token\":42}}"));
  }

  @Test
  void emptyAndNonJsonBodiesAreNamedAsSuch() {
    assertEquals(
        "no token at `$.data.token` in the login response: the body is empty (status 204)",
        failure(204, null, ""));
    assertEquals(
        "the login response is not JSON (status 200, content-type text/html): expected a token at `$.data.token`",
        failure(200, "text/html", "<html><body>Welcome</body></html>"));
  }

  @Test
  void refusalsCarryErrorFieldsOnly() {
    assertEquals(
        "login refused with status 400 (error: invalid_grant, error_description: bad password)",
        failure(
            400,
            "application/json",
            "{\"error\":\"invalid_grant\",\"error_description\":\"bad password\",\"email\":\"a@b.c\"}"));
    assertEquals("login refused with status 503", failure(503, "text/html", "<h1>down</h1>"));
    assertEquals(
        "login refused with status 401 (message: wrong credentials)",
        failure(401, null, "{\"status\":\"fail\",\"message\":\"wrong credentials\"}"));
  }

  @Test
  void emailsInErrorDetailsAreMasked() {
    assertEquals(
        "login refused with status 400 (error: invalid_grant, error_description: no user ***@***)",
        failure(
            400,
            null,
            "{\"error\":\"invalid_grant\",\"error_description\":\"no user jane@corp.example\"}"));
  }

  @Test
  void tokenLikeErrorDetailsAreMasked() {
    String jwt = Tokens.jwt("user1", 60);
    String message =
        failure(
            400,
            null,
            "{\"error\":\"two_factor_required\",\"error_description\":\"session " + jwt + "\"}");
    assertEquals(
        "login refused with status 400 (error: two_factor_required, error_description: session ***)",
        message);
  }

  @Test
  void tokensAHeaderCannotCarryAreRefused() {
    String expected =
        "the token at `$.data.token` in the login response contains characters an HTTP header"
            + " cannot carry (spaces, control or non-ASCII characters)";
    assertEquals(
        expected, failure(200, null, "{\"data\":{\"token\":\"abc\\r\\nX-Injected: yes\"}}"));
    assertEquals(expected, failure(200, null, "{\"data\":{\"token\":\"t\u00f6k\u00e9n\"}}"));
    assertEquals(expected, failure(200, null, "{\"data\":{\"token\":\"two words\"}}"));
  }

  @Test
  void aSchemeBeforeTheTokenInTheBodyIsRemoved() {
    String jwt = Tokens.jwt("user1", 300);
    for (String value : new String[] {"Bearer " + jwt, "JWT " + jwt, "bearer  " + jwt}) {
      TokenGrant grant = reader.read(200, null, "{\"data\":{\"token\":\"" + value + "\"}}", NOW);
      assertEquals(jwt, grant.accessToken(), value);
    }
    // a scheme alone is no token
    assertEquals(
        "the token at `$.data.token` in the login response is an auth scheme (\"Bearer\") without a"
            + " token",
        failure(200, null, "{\"data\":{\"token\":\"Bearer \"}}"));
  }

  @Test
  void aLifetimeBeyondAnyRunIsCappedNotAnError() {
    for (String expiresIn : new String[] {"9223372036854775807", "1e30", "\"999999999999\""}) {
      TokenGrant grant =
          reader.read(
              200, null, "{\"data\":{\"token\":\"opaque\"},\"expires_in\":" + expiresIn + "}", NOW);
      assertEquals(NOW.plus(ExpiryCalculator.MAX_LIFETIME), grant.expiresAt(), expiresIn);
    }
  }

  @Test
  void secretsEchoedByTheServerCanBeMasked() {
    String message = failure(401, null, "{\"error\":\"invalid password hunter2 for user1\"}");
    assertEquals(
        "login refused with status 401 (error: invalid password *** for user1)",
        Secrets.mask(message, java.util.Arrays.asList("hunter2", null, "")));
  }

  @Test
  void anEchoedPasswordIsMaskedBeforeTheMessageIsCut() {
    String prose = "x".repeat(112);
    String message =
        assertThrows(
                TokenResponseException.class,
                () ->
                    reader.read(
                        401,
                        null,
                        "{\"error_description\":\"" + prose + " Hunter2Secret!\"}",
                        NOW,
                        java.util.List.of("Hunter2Secret!")))
            .getMessage();
    assertFalse(message.contains("Hunter2"), message);
  }

  @Test
  void hugeErrorFieldsCostBoundedWork() {
    long start = System.nanoTime();
    String message = failure(500, null, "{\"error\":\"" + "a".repeat(500_000) + "\"}");
    assertTrue((System.nanoTime() - start) / 1_000_000 < 1_000, "too slow");
    assertTrue(message.length() < 300, message);
  }
}
