package io.github.gatlingjwt.internal;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TokenPlacementTest {

  @Test
  void theTokenCookieJoinsTheJarsCookiesAndReplacesOneOfItsName() {
    assertEquals("access_token=t2", TokenPlacement.mergeCookie(null, "access_token", "t2"));
    assertEquals(
        "session=s1; access_token=t2",
        TokenPlacement.mergeCookie("session=s1; access_token=t1", "access_token", "t2"));
    assertEquals(
        "access_token2=x; access_token=t2",
        TokenPlacement.mergeCookie("access_token2=x", "access_token", "t2"));
  }
}
