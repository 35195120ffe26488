package io.github.gatlingjwt.token;

import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.testkit.Tokens;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tokens in headers and cookies: scheme stripping, cookie parsing, and the reader's messages. */
class TokenSourceTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static TokenResponseReader reader(TokenSource token, TokenSource refresh, boolean redirects) {
    return new TokenResponseReader(
        "login",
        token,
        refresh,
        TokenSource.json("$.expires_in"),
        null,
        false,
        new ExpiryCalculator(),
        redirects);
  }

  /** The message of the KO a reader makes of an answer received at {@link #NOW}. */
  static String refusal(
      TokenResponseReader r, int status, String body, ResponseHeaders headers, String... secrets) {
    return assertThrows(
            TokenResponseException.class,
            () -> r.read(status, "application/json", body, headers, NOW, List.of(secrets)))
        .getMessage();
  }

  /** A 200 answer with an empty body and the given headers, received at {@link #NOW}. */
  static TokenGrant readHeaders(TokenResponseReader r, Map<String, List<String>> headers) {
    return r.read(200, null, "", ResponseHeaders.of(headers), NOW, List.of());
  }

  static ResponseHeaders headers(String name, String... values) {
    return ResponseHeaders.of(Map.of(name, List.of(values)));
  }

  @Test
  void headerValuesAreTrimmedAndLoseTheirScheme() {
    assertEquals("abc.def.ghi", TokenSource.stripScheme("  Bearer abc.def.ghi "));
    assertEquals("abc", TokenSource.stripScheme("bearer    abc"));
    assertEquals("abc", TokenSource.stripScheme("JWT abc"));
    assertEquals("abc", TokenSource.stripScheme(" abc\t"));
    assertEquals("a=b", TokenSource.stripScheme("a=b"));
  }

  @Test
  void headersAreMatchedCaseInsensitively() {
    TokenSource source = TokenSource.header("X-Auth-Token");
    assertEquals("t1", source.find(null, headers("x-auth-token", "Bearer t1")));
    assertNull(source.find(null, headers("X-Other", "t1")));
    assertNull(source.find(null, headers("X-Auth-Token", "  ")));
  }

  @Test
  void cookiesAreFoundByExactNameLastOneWins() {
    List<String> setCookies =
        List.of(
            "session=s1; Path=/",
            "access_token=old; Path=/",
            "Access_Token=other; Path=/",
            "access_token=\"new\"; Path=/; Secure; HttpOnly; SameSite=None");
    assertEquals("new", TokenSource.cookieValue(setCookies, "access_token"));
    assertEquals("s1", TokenSource.cookieValue(setCookies, "session"));
    assertNull(TokenSource.cookieValue(setCookies, "refresh_token"));
    assertEquals("", TokenSource.cookieValue(List.of("access_token=; Max-Age=0"), "access_token"));
  }

  @Test
  void cookieLifetimesOfEveryShapeAreReadWithoutAnError() {
    // deleted: zero or negative Max-Age however long, an Expires in the past in any form
    for (String attributes :
        List.of(
            "Max-Age=000",
            "Max-Age=-99999999999999999999",
            "Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            "Expires=Thu, 01-Jan-1970 00:00:00 GMT")) {
      assertEquals(
          "", TokenSource.cookieValue(List.of("t=deleted; " + attributes), "t"), attributes);
    }
    // live: a Max-Age beyond a long, or one that is not a number
    for (String attributes : List.of("Max-Age=99999999999999999999", "Max-Age=soon")) {
      assertEquals(
          "tok", TokenSource.cookieValue(List.of("t=tok; " + attributes), "t"), attributes);
    }
  }

  @Test
  void badNamesFailAtBuildTime() {
    assertThrows(JwtConfigException.class, () -> TokenSource.header("X Auth"));
    assertThrows(JwtConfigException.class, () -> TokenSource.cookie(""));
  }

  @Test
  void tokenFromAHeaderWithAnEmptyBodyIsNotParsedAsJson() {
    String jwt = Tokens.jwt("u", NOW, 60);
    TokenGrant grant =
        reader(TokenSource.header("X-Auth-Token"), TokenSource.json("$.refresh_token"), false)
            .read(204, null, "", headers("x-auth-token", " Bearer " + jwt + " "), NOW, List.of());
    assertEquals(jwt, grant.accessToken());
    assertNull(grant.refreshToken());
    assertEquals(NOW.plusSeconds(59), grant.expiresAt());
  }

  @Test
  void unrelatedBodyBesideAHeaderTokenIsIgnored() {
    TokenGrant grant =
        reader(TokenSource.header("X-Auth-Token"), null, false)
            .read(
                200,
                "text/html",
                "<html>welcome</html>",
                headers("X-Auth-Token", "t1"),
                NOW,
                List.of());
    assertEquals("t1", grant.accessToken());
  }

  @Test
  void missingHeaderOrCookieIsNamed() {
    String m =
        refusal(
            reader(TokenSource.header("X-Auth-Token"), null, false), 200, "", ResponseHeaders.NONE);
    assertEquals("no token in header `X-Auth-Token` of the login response (status 200)", m);
    TokenResponseReader cookie = reader(TokenSource.cookie("access_token"), null, false);
    m = refusal(cookie, 200, "{}", headers("Set-Cookie", "session=abc; Path=/"));
    assertEquals("no token in cookie `access_token` of the login response (status 200)", m);
    m = refusal(cookie, 200, "", headers("Set-Cookie", "access_token=undefined; Path=/"));
    assertEquals(
        "the token in cookie `access_token` of the login response is the string \"undefined\"", m);
  }

  @Test
  void cookieTokenAndRefreshToken() {
    TokenGrant grant =
        reader(TokenSource.cookie("access_token"), TokenSource.cookie("refresh_token"), false)
            .read(
                200,
                null,
                "",
                headers(
                    "set-cookie",
                    "access_token=a1; Path=/; Secure; HttpOnly; SameSite=None",
                    "refresh_token=r1; Path=/auth; HttpOnly"),
                NOW,
                List.of());
    assertEquals("a1", grant.accessToken());
    assertEquals("r1", grant.refreshToken());
  }

  @Test
  void lifetimeFromAHeader() {
    TokenResponseReader r =
        new TokenResponseReader(
            "login",
            TokenSource.header("X-Auth-Token"),
            null,
            TokenSource.header("X-Expires-In"),
            null,
            false,
            new ExpiryCalculator(),
            false);
    TokenGrant grant =
        readHeaders(r, Map.of("X-Auth-Token", List.of("t1"), "x-expires-in", List.of(" 45")));
    assertEquals(NOW.plusSeconds(45), grant.expiresAt());
  }

  @Test
  void theDateHeaderOfTheAnswerPlacesABareExpOnTheLocalClock() {
    TokenResponseReader r = reader(TokenSource.header("X-Auth-Token"), null, false);
    // issuer clock 120 s ahead, token good for 30 s more on it
    String token = ExpiryCalculatorTest.expOnly(NOW.plusSeconds(150));
    TokenGrant grant =
        readHeaders(
            r,
            Map.of(
                "X-Auth-Token", List.of(token), "date", List.of("Thu, 01 Jan 2026 00:02:00 GMT")));
    assertEquals(NOW.plusSeconds(29), grant.expiresAt());
    // two Date headers disagree: neither is trusted, exp is read as it is
    TokenGrant twoDates =
        readHeaders(
            r,
            Map.of(
                "X-Auth-Token",
                List.of(token),
                "Date",
                List.of("Thu, 01 Jan 2026 00:02:00 GMT", "Thu, 01 Jan 2026 00:00:00 GMT")));
    assertEquals(NOW.plusSeconds(150), twoDates.expiresAt());
  }

  @Test
  void aSuccessRuleBesideAHeaderTokenNeedsABody() {
    TokenResponseReader r =
        new TokenResponseReader(
            "login",
            TokenSource.header("X-Auth-Token"),
            null,
            null,
            new SuccessRule(JsonLocation.parse("$.status"), "success"),
            false,
            new ExpiryCalculator(),
            false);
    String m = refusal(r, 200, "", headers("X-Auth-Token", "t1"));
    assertEquals(
        "the login response has an empty body: expected a success marker at `$.status` (status"
            + " 200)",
        m);
    assertEquals(
        "t1",
        r.read(200, null, "{\"status\":\"success\"}", headers("X-Auth-Token", "t1"), NOW, List.of())
            .accessToken());
  }

  @Test
  void aRedirectCarriesTheTokenOnlyWhenAllowed() {
    ResponseHeaders found = headers("Set-Cookie", "access_token=a1; Path=/");
    assertEquals(
        "a1",
        reader(TokenSource.cookie("access_token"), null, true)
            .read(302, null, "", found, NOW, List.of())
            .accessToken());
    String m = refusal(reader(TokenSource.cookie("access_token"), null, false), 302, "", found);
    assertEquals("login refused with status 302", m);
  }

  @Test
  void oauth2ErrorsCarryErrorAndDescriptionButNoSecret() {
    TokenResponseReader oauth2 =
        reader(TokenSource.json("$.access_token"), TokenSource.json("$.refresh_token"), false);
    String m =
        refusal(
            oauth2,
            400,
            "{\"error\":\"invalid_client\",\"error_description\":\"bad secret"
                + " s3cr3t-client-value\"}",
            ResponseHeaders.NONE,
            "s3cr3t-client-value");
    assertEquals(
        "login refused with status 400 (error: invalid_client, error_description: bad secret ***)",
        m);
    m = refusal(oauth2, 400, "{\"error\":\"unsupported_grant_type\"}", ResponseHeaders.NONE);
    assertEquals("login refused with status 400 (error: unsupported_grant_type)", m);
  }
}
