package io.github.gatlingjwt.it;

import static io.github.gatlingjwt.testkit.KeycloakServer.PUBLIC_CLIENT_ID;
import static io.github.gatlingjwt.testkit.KeycloakServer.SERVICE_CLIENT_ID;
import static io.github.gatlingjwt.testkit.KeycloakServer.SERVICE_CLIENT_SECRET;
import static org.junit.jupiter.api.Assertions.*;

import com.auth0.jwt.JWT;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.gatlingjwt.testkit.KeycloakServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the real Keycloak of {@link KeycloakServer} answers at its OAuth2 endpoints, spoken to with
 * plain {@code java.net.http}: the behaviour the library's OAuth2 support is built against.
 * Assertion messages show error bodies only, never a token.
 */
class KeycloakServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static KeycloakServer keycloak;

  @BeforeAll
  static void startKeycloak() {
    keycloak = KeycloakServer.shared(); // stopped when the JVM exits
    System.out.printf(
        "Keycloak started in %.1f s at %s (log: %s)%n",
        keycloak.startupTime().toMillis() / 1000.0, keycloak.baseUrl(), keycloak.logFile());
  }

  @Test
  void passwordGrantReturnsASignedAccessTokenAndARefreshToken() throws Exception {
    HttpResponse<String> response = passwordGrant("user1");

    assertEquals(200, response.statusCode(), response::body);
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonNode body = JSON.readTree(response.body());
    assertEquals("Bearer", body.path("token_type").asText());
    assertEquals(
        KeycloakServer.ACCESS_TOKEN_LIFESPAN.toSeconds(), body.path("expires_in").asLong());
    assertTrue(body.path("refresh_token").isTextual());
    assertTrue(body.path("refresh_expires_in").asLong() > 60);

    DecodedJWT access = JWT.decode(body.path("access_token").asText());
    assertEquals("RS256", access.getAlgorithm());
    assertEquals(keycloak.issuer(), access.getIssuer());
    assertEquals("user1", access.getClaim("preferred_username").asString());
    assertEquals(
        KeycloakServer.ACCESS_TOKEN_LIFESPAN,
        Duration.between(access.getIssuedAtAsInstant(), access.getExpiresAtAsInstant()));
  }

  @Test
  void wrongPasswordIsABadRequestWithInvalidGrant() throws Exception {
    HttpResponse<String> response =
        postForm(
            keycloak.tokenEndpoint(),
            form(
                "grant_type", "password",
                "client_id", PUBLIC_CLIENT_ID,
                "username", "user2",
                "password", "not-the-password"));

    assertEquals(400, response.statusCode(), response::body);
    assertEquals("invalid_grant", error(response));
  }

  @Test
  void userinfoAcceptsAFreshTokenAndRefusesItOnceExpired() throws Exception {
    String accessToken = field(passwordGrant("user3"), "access_token");

    HttpResponse<String> fresh = userinfo(accessToken);
    assertEquals(200, fresh.statusCode(), fresh::body);
    assertEquals("user3", JSON.readTree(fresh.body()).path("preferred_username").asText());

    Instant expiry = JWT.decode(accessToken).getExpiresAtAsInstant();
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 1_500);

    HttpResponse<String> expired = userinfo(accessToken);
    assertEquals(401, expired.statusCode(), expired::body);
    assertTrue(
        expired.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"),
        () -> expired.headers().map().toString());
  }

  @Test
  void userinfoNeedsTheOpenidScope() throws Exception {
    HttpResponse<String> login =
        postForm(
            keycloak.tokenEndpoint(),
            form(
                "grant_type",
                "password",
                "client_id",
                PUBLIC_CLIENT_ID,
                "username",
                "user6",
                "password",
                KeycloakServer.password("user6")));

    HttpResponse<String> response = userinfo(field(login, "access_token"));
    assertEquals(403, response.statusCode(), response::body);
    assertTrue(
        response
            .headers()
            .firstValue("WWW-Authenticate")
            .orElse("")
            .contains("error=\"insufficient_scope\""),
        () -> response.headers().map().toString());
  }

  @Test
  void refreshRotatesTheRefreshTokenAndAReusedOneEndsTheSession() throws Exception {
    String oldRefresh = field(passwordGrant("user4"), "refresh_token");

    HttpResponse<String> refreshed = refreshGrant(oldRefresh);
    assertEquals(200, refreshed.statusCode(), refreshed::body);
    String newRefresh = field(refreshed, "refresh_token");
    assertNotEquals(oldRefresh, newRefresh);
    assertEquals(200, userinfo(field(refreshed, "access_token")).statusCode());

    HttpResponse<String> reused = refreshGrant(oldRefresh);
    assertEquals(400, reused.statusCode(), reused::body);
    assertEquals("invalid_grant", error(reused));

    // Reuse is taken as theft: Keycloak also ends the client session, so the newest refresh token
    // is refused too ("Session doesn't have required client") and only a new login helps.
    HttpResponse<String> newest = refreshGrant(newRefresh);
    assertEquals(400, newest.statusCode(), newest::body);
    assertEquals("invalid_grant", error(newest));
    assertEquals(200, passwordGrant("user4").statusCode());
  }

  @Test
  void clientCredentialsWithClientSecretBasic() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(keycloak.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", basic(SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET))
                .POST(HttpRequest.BodyPublishers.ofString(form("grant_type", "client_credentials")))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertServiceAccountToken(response);
  }

  @Test
  void clientCredentialsWithClientSecretPost() throws Exception {
    HttpResponse<String> response =
        postForm(
            keycloak.tokenEndpoint(),
            form(
                "grant_type", "client_credentials",
                "client_id", SERVICE_CLIENT_ID,
                "client_secret", SERVICE_CLIENT_SECRET));

    assertServiceAccountToken(response);
  }

  @Test
  void wrongClientSecretIsUnauthorized() throws Exception {
    HttpResponse<String> posted =
        postForm(
            keycloak.tokenEndpoint(),
            form(
                "grant_type", "client_credentials",
                "client_id", SERVICE_CLIENT_ID,
                "client_secret", "not-the-secret"));
    HttpResponse<String> basic =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(keycloak.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", basic(SERVICE_CLIENT_ID, "not-the-secret"))
                .POST(HttpRequest.BodyPublishers.ofString(form("grant_type", "client_credentials")))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    // RFC 6749, 5.2 names this invalid_client; Keycloak 26.7 answers unauthorized_client
    // (keycloak/keycloak#49626 proposes invalid_client). A client should accept both.
    for (HttpResponse<String> response : List.of(posted, basic)) {
      assertEquals(401, response.statusCode(), response::body);
      assertEquals("unauthorized_client", error(response));
    }
  }

  @Test
  void aJsonBodyIsNotAcceptedAtTheTokenEndpoint() throws Exception {
    String json =
        JSON.writeValueAsString(
            Map.of(
                "grant_type",
                "password",
                "client_id",
                PUBLIC_CLIENT_ID,
                "username",
                "user5",
                "password",
                KeycloakServer.password("user5")));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(keycloak.tokenEndpoint()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(400, response.statusCode(), response::body);
    assertEquals("invalid_request", error(response));
    assertEquals(
        "Missing form parameter: grant_type",
        JSON.readTree(response.body()).path("error_description").asText());
  }

  private static void assertServiceAccountToken(HttpResponse<String> response) throws IOException {
    assertEquals(200, response.statusCode(), response::body);
    JsonNode body = JSON.readTree(response.body());
    assertEquals("Bearer", body.path("token_type").asText());
    // Keycloak gives no refresh token to the client_credentials grant (OAuth 2.0, 4.4.3).
    assertTrue(body.path("refresh_token").isMissingNode(), "a refresh token was returned");
    DecodedJWT access = JWT.decode(body.path("access_token").asText());
    assertEquals(
        "service-account-" + SERVICE_CLIENT_ID, access.getClaim("preferred_username").asString());
    assertEquals(SERVICE_CLIENT_ID, access.getClaim("azp").asString());
  }

  private static HttpResponse<String> passwordGrant(String username) throws Exception {
    return postForm(
        keycloak.tokenEndpoint(),
        form(
            "grant_type",
            "password",
            "client_id",
            PUBLIC_CLIENT_ID,
            "username",
            username,
            "password",
            KeycloakServer.password(username),
            "scope",
            "openid"));
  }

  private static HttpResponse<String> refreshGrant(String refreshToken) throws Exception {
    return postForm(
        keycloak.tokenEndpoint(),
        form(
            "grant_type", "refresh_token",
            "client_id", PUBLIC_CLIENT_ID,
            "refresh_token", refreshToken));
  }

  private static HttpResponse<String> userinfo(String accessToken) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(keycloak.userinfoEndpoint()))
            .header("Authorization", "Bearer " + accessToken)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> postForm(String url, String form) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** An application/x-www-form-urlencoded body of name, value pairs. */
  private static String form(String... namesAndValues) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      fields.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return fields.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  /** RFC 6749, 2.3.1: client id and secret are form-encoded, then joined and base64-encoded. */
  private static String basic(String clientId, String secret) {
    String pair = encode(clientId) + ":" + encode(secret);
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String field(HttpResponse<String> response, String name) throws IOException {
    assertEquals(200, response.statusCode(), response::body);
    JsonNode value = JSON.readTree(response.body()).path(name);
    assertTrue(value.isTextual(), () -> "The response has no " + name + ".");
    return value.asText();
  }

  private static String error(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body()).path("error").asText();
  }
}
