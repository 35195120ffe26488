package io.github.gatlingjwt.token;

import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.testkit.Tokens;
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
}
