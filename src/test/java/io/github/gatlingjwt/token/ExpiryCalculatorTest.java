package io.github.gatlingjwt.token;

import static org.junit.jupiter.api.Assertions.*;

import io.github.gatlingjwt.testkit.Tokens;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpiryCalculatorTest {

  static final Instant RECEIVED = Instant.parse("2026-01-01T12:00:00Z");
  final ExpiryCalculator expiry = new ExpiryCalculator();

  @Test
  void jwtLifetimeIsPlacedOnTheLocalClock() {
    // 60 s tokens, less the second iat may have been rounded down by
    // the issuer's clock runs 30 s ahead: its iat/exp are later than our receipt
    String ahead = Tokens.jwt("u", RECEIVED.plusSeconds(30), 60);
    assertEquals(RECEIVED.plusSeconds(59), expiry.expiresAt(ahead, null, RECEIVED));
    // and 30 s behind
    String behind = Tokens.jwt("u", RECEIVED.minusSeconds(30), 60);
    assertEquals(RECEIVED.plusSeconds(59), expiry.expiresAt(behind, null, RECEIVED));
  }

  static String unsignedJwt(String payloadJson) {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"HS256\"}".getBytes())
        + "."
        + b64.encodeToString(payloadJson.getBytes())
        + ".c2lnbmF0dXJl";
  }

  @Test
  void lifetimesBeyondAnyRunAreCappedNotErrors() {
    Instant far = RECEIVED.plus(ExpiryCalculator.MAX_LIFETIME);
    assertEquals(far, expiry.expiresAt("opaque", Long.MAX_VALUE, RECEIVED));
    // exp in the year 9999, with and without iat
    String y9999 = unsignedJwt("{\"iat\":1767268800,\"exp\":253402300799}");
    assertEquals(far, expiry.expiresAt(y9999, null, RECEIVED));
    assertEquals(far, expiry.expiresAt(unsignedJwt("{\"exp\":253402300799}"), null, RECEIVED));
    // exp beyond what an instant can hold: unknown, as if absent (expires_in still counts)
    String huge = unsignedJwt("{\"iat\":1767268800,\"exp\":100000000000000000}");
    assertNull(expiry.expiresAt(huge, null, RECEIVED));
    assertEquals(RECEIVED.plusSeconds(60), expiry.expiresAt(huge, 60L, RECEIVED));
  }

  @Test
  void theShorterOfExpiresInAndTheJwtLifetimeWins() {
    String jwt = Tokens.jwt("u", RECEIVED, 60);
    // the answer states a longer life than the token carries: the token's wins
    assertEquals(RECEIVED.plusSeconds(59), expiry.expiresAt(jwt, 3600L, RECEIVED));
    // a token handed out again from the issuer's cache, 40 s into its life: expires_in wins
    String cached = Tokens.jwt("u", RECEIVED.minusSeconds(40), 60);
    assertEquals(RECEIVED.plusSeconds(20), expiry.expiresAt(cached, 20L, RECEIVED));
    // both agree (the usual case): the second taken off for iat's rounding
    assertEquals(RECEIVED.plusSeconds(59), expiry.expiresAt(jwt, 60L, RECEIVED));
  }

  @Test
  void expiresInIsPreferredToAnAbsoluteExp() {
    // no iat: exp is on the issuer's clock, 30 s ahead of ours; expires_in is relative
    String jwt = expOnly(RECEIVED.plusSeconds(90));
    assertEquals(RECEIVED.plusSeconds(60), expiry.expiresAt(jwt, 60L, RECEIVED));
  }

  @Test
  void jwtWithoutIatExpiresAtExp() {
    String jwt = expOnly(RECEIVED.plusSeconds(90));
    assertEquals(RECEIVED.plusSeconds(90), expiry.expiresAt(jwt, null, RECEIVED));
  }

  @Test
  void opaqueTokensUseExpiresInElseUnknown() {
    assertEquals(RECEIVED.plusSeconds(30), expiry.expiresAt("opaque", 30L, RECEIVED));
    assertNull(expiry.expiresAt("opaque", null, RECEIVED));
    assertNull(expiry.expiresAt("not.a.jwt", null, RECEIVED));
    assertEquals(RECEIVED.plusSeconds(5), expiry.expiresAt("not.a.jwt", 5L, RECEIVED));
  }

  static String expOnly(Instant exp) {
    return Tokens.expOnly("u", exp);
  }

  @Test
  void theDateHeaderEstimatesTheIssuerClockWhenTheTokenHasNoIat() {
    // 60 s left on the issuer's clock, which runs 30 s ahead: Date says so, the second of
    // rounding is taken off, and the offset cancels out
    Instant issuerNow = RECEIVED.plusSeconds(30);
    assertEquals(
        RECEIVED.plusSeconds(59),
        expiry.expiresAt(expOnly(issuerNow.plusSeconds(60)), null, RECEIVED, issuerNow));
    // 30 s behind
    Instant behind = RECEIVED.minusSeconds(30);
    assertEquals(
        RECEIVED.plusSeconds(59),
        expiry.expiresAt(expOnly(behind.plusSeconds(60)), null, RECEIVED, behind));
    // the same tokens without a Date header: exp is read on the local clock, 30 s off
    assertEquals(
        RECEIVED.plusSeconds(90),
        expiry.expiresAt(expOnly(issuerNow.plusSeconds(60)), null, RECEIVED));
  }

  @Test
  void iatAndExpiresInArePreferredToTheDateHeader() {
    // iat is the issuer's own statement about the token: a Date from a gateway with another clock
    // does not move it (a token handed out from a cache part-way through its life normally comes
    // with expires_in, which wins when shorter)
    String jwt = Tokens.jwt("u", RECEIVED, 60);
    assertEquals(
        RECEIVED.plusSeconds(59), expiry.expiresAt(jwt, null, RECEIVED, RECEIVED.plusSeconds(20)));
    // expires_in, when shorter, still wins over exp - Date
    String bare = expOnly(RECEIVED.plusSeconds(60));
    assertEquals(RECEIVED.plusSeconds(10), expiry.expiresAt(bare, 10L, RECEIVED, RECEIVED));
  }

  @Test
  void aTokenAlreadyExpiredOnTheIssuerClockExpiresOnReceipt() {
    Instant issuerNow = RECEIVED.plusSeconds(100);
    assertEquals(
        RECEIVED, expiry.expiresAt(expOnly(RECEIVED.plusSeconds(60)), null, RECEIVED, issuerNow));
  }
}
