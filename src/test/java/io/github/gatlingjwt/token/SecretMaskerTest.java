package io.github.gatlingjwt.token;

import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.testkit.Tokens;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

  final String jwt = Tokens.jwt("user1", 60);

  void assertMasked(String input, String... secrets) {
    String masked = SecretMasker.mask(input);
    for (String secret : secrets) {
      assertFalse(masked.contains(secret), "leaked " + secret + " in: " + masked);
    }
    assertTrue(masked.contains("***"), masked);
  }

  @Test
  void bearerAndBasicCredentials() {
    assertMasked("authorization: Bearer " + jwt, jwt);
    assertMasked("Authorization: Bearer opaque-abc123", "opaque-abc123");
    assertMasked("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz");
    assertMasked("Authorization: Token custom-secret-value", "custom-secret-value");
    assertEquals("authorization: Bearer ***", SecretMasker.mask("authorization: Bearer abc.def"));
  }

  @Test
  void jsonBodies() {
    String body =
        "{\"username\":\"user1\",\"password\":\"p\\\"w 1\",\"refresh_token\":\"r-123\","
            + "\"access_token\":\"a-456\",\"client_secret\":\"cs\"}";
    String masked = SecretMasker.mask(body);
    assertEquals(
        "{\"username\":\"user1\",\"password\":\"***\",\"refresh_token\":\"***\","
            + "\"access_token\":\"***\",\"client_secret\":\"***\"}",
        masked);
  }

  @Test
  void formBodiesAndQueries() {
    assertEquals(
        "grant_type=password&username=u&password=***&client_secret=***",
        SecretMasker.mask("grant_type=password&username=u&password=hunter2&client_secret=xyz"));
    assertEquals("/cb?code=1&id_token=***", SecretMasker.mask("/cb?code=1&id_token=abc"));
  }

  @Test
  void gatlingSessionDumps() {
    String session =
        "Session(it,1,HashMap(username -> user1, password -> secret-pw-1,"
            + " gatlingJwt_spentRefreshToken -> r-999, gatlingJwt_state -> TokenState{x}),OK)";
    String masked = SecretMasker.mask(session);
    assertFalse(masked.contains("secret-pw-1"), masked);
    assertFalse(masked.contains("r-999"), masked);
    assertTrue(masked.contains("username -> user1"), masked);
  }

  @Test
  void cookiesAndBareJwts() {
    assertMasked("set-cookie: access_token=abc123; Path=/; Secure", "abc123");
    assertMasked("Cookie: SESSION=s3cr3t", "s3cr3t");
    assertMasked("the server said " + jwt + " twice", jwt);
    assertMasked("{\"error\":\"locked\",\"email\":\"jane.doe+qa@corp.example.com\"}", "jane.doe");
  }

  @Test
  void leavesOrdinaryTextAlone() {
    String line = "Request 'items: list' failed for user 3: status.find.in(200), found 500";
    assertEquals(line, SecretMasker.mask(line));
    assertNull(SecretMasker.mask(null));
  }

  @Test
  void formatsGatlingAndNettyReallyPrint() {
    assertMasked("Cookie: theme=dark; SESSION=s3cr3t", "dark", "s3cr3t");
    assertMasked(
        "DefaultHttpHeaders[Authorization: Bearer abc.def-opaque, Cookie: theme=dark;"
            + " JSESSIONID=s3cr3tSess, X-Auth-Token: opaqueTok123]",
        "abc.def-opaque",
        "s3cr3tSess",
        "opaqueTok123");
    assertMasked(
        "FormUrlEncodedRequestBody{charset=UTF-8, content=password=hunter2&username=u}", "hunter2");
    assertMasked("{password=hunter2, username=u}", "hunter2");
    assertMasked("[Param{name='password', value='hunter2'}]", "hunter2");
    assertMasked("X-API-Key: k-123456", "k-123456");
    assertMasked("{\"body\":\"{\\\"password\\\":\\\"hunter2\\\"}\"}", "hunter2");
    assertMasked("{\"password\":12345678}", "12345678");
    assertMasked("{\"refresh_token\":\"r-1234", "r-1234");
    assertMasked("HashMap(password -> pa,ss(w)rd, user -> u)", "pa,ss(w)rd", "ss(w)rd");
    assertTrue(SecretMasker.mask("HashMap(password -> x, user -> u)").contains("user -> u"));
  }

  @Test
  void longJsonSecretsNeedNoStack() {
    String value = "A".repeat(200_000);
    String masked = SecretMasker.mask("{\"id_token\":\"" + value + "\"}");
    assertEquals("{\"id_token\":\"***\"}", masked);
  }

  @Test
  void timeGrowsLinearlyWithTheLine() {
    // a megabyte of base64 or of repeated keys must not stall the thread that logs it
    for (String unit : List.of("a", "QUJD", "cookie:", "\"password\":\"", "x@", "password -> ")) {
      String line = unit.repeat(1_000_000 / unit.length());
      long start = System.nanoTime();
      SecretMasker.mask(line);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < 2_000, unit + " x 1 MB took " + millis + " ms");
    }
  }

  @Test
  void exceptionsOfTheTokenPackageKeepTheirMessage() {
    // the package name holds "token": the first word of the message is not a header's value
    String line =
        "io.github.gatlingjwt.token.JwtConfigException: The token scope is SHARED, but ...";
    assertEquals(line, SecretMasker.mask(line));
    String error = "java.lang.Error: io.github.gatlingjwt.token.TokenResponseError: Boom";
    assertEquals(error, SecretMasker.mask(error));
    // a header whose name holds "token" is still masked
    assertMasked("X-Auth-Token: abc123", "abc123");
  }

  @Test
  void ordinaryWordsStayReadable() {
    String line = "basic scenario failed; message digest mismatch; bearer of bad news";
    assertEquals(line, SecretMasker.mask(line));
    assertEquals(
        "lodash@4.17.21 io.gatling@3.15.0", SecretMasker.mask("lodash@4.17.21 io.gatling@3.15.0"));
  }
}
