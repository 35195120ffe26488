package io.github.gatlingjwt.it;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.*;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.gatlingjwt.testkit.GatlingRun;
import io.github.gatlingjwt.testkit.GatlingRun.Counts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Locally minted tokens end to end: no login endpoint, tokens verified with the server's key,
 * minted again before expiry and after a refusal. Keys are generated at test time.
 */
class MintedTokensIntegrationTest extends TokenModesTestBase {

  void stubAnyBearer() {
    wm.stubFor(
        get(PROTECTED).withHeader("Authorization", matching("Bearer .+")).willReturn(okJson("{}")));
  }

  /** Verify every bearer sent, as the API would, and return the decoded tokens. */
  List<DecodedJWT> verifyAll(JWTVerifier verifier) {
    return bearersSent().stream()
        .map(b -> verifier.verify(b.substring("Bearer ".length())))
        .toList();
  }

  @Test
  void rs256TokensVerifyWithThePublicKeyAndAreMintedAgainBeforeExpiry() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    Path key =
        Files.writeString(
            results.resolve("rsa-test-key.pem"),
            "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    stubAnyBearer();

    // 6 s tokens, due 3 s before expiry, used for at most 3 s: four calls 2 s apart need two or
    // more tokens (timing on a loaded machine decides which calls share one)
    GatlingRun run =
        runModes(
            Map.of(
                "mint",
                "rs256",
                "mintKeyFile",
                key.toString(),
                "mintTtl",
                "6",
                "leadSeconds",
                "3",
                "calls",
                "4",
                "pauseMs",
                "2000",
                "mintRole",
                "reader-#{username}"));

    assertEquals(new Counts(4, 0), run.counts("protected"), run.toString());
    assertEquals(new Counts(0, 0), run.counts("auth: login"));
    List<DecodedJWT> tokens =
        verifyAll(
            JWT.require(Algorithm.RSA256((RSAPublicKey) pair.getPublic(), null))
                .withSubject("user1")
                .withClaim("role", "reader-user1")
                .acceptExpiresAt(3600) // the first ones expired during the run, as planned
                .build());
    assertTrue(new HashSet<>(tokens.stream().map(DecodedJWT::getToken).toList()).size() >= 2);
    List<LoggedRequest> calls = wm.findAll(getRequestedFor(urlEqualTo(PROTECTED)));
    for (LoggedRequest call : calls) {
      DecodedJWT t = JWT.decode(call.getHeader("Authorization").substring("Bearer ".length()));
      assertEquals(
          6,
          t.getExpiresAtAsInstant().getEpochSecond() - t.getIssuedAtAsInstant().getEpochSecond());
      assertEquals(t.getIssuedAtAsInstant(), t.getNotBeforeAsInstant());
      // never sent within the lead time of its expiry, let alone after it
      assertTrue(
          call.getLoggedDate().toInstant().isBefore(t.getExpiresAtAsInstant().minusSeconds(1)));
    }
  }

  @Test
  void hs256TokenRefusedWithA401IsMintedAgainAndReplayed() throws Exception {
    String secret = UUID.randomUUID() + "-" + UUID.randomUUID();
    wm.stubFor(
        get(PROTECTED)
            .inScenario("revoke first")
            .whenScenarioStateIs(STARTED)
            .willSetStateTo("revoked")
            .willReturn(jsonResponse("{\"error\":\"invalid_token\"}", 401)));
    wm.stubFor(
        get(PROTECTED)
            .inScenario("revoke first")
            .whenScenarioStateIs("revoked")
            .withHeader("Authorization", matching("Bearer .+"))
            .willReturn(okJson("{}")));

    GatlingRun run = runModes(Map.of("mint", "hs256", "mintSecret", secret, "users", "1"));

    assertEquals(new Counts(1, 0), run.counts("protected"), run.toString());
    assertEquals(new Counts(1, 0), run.counts("protected (replay)"));
    List<DecodedJWT> tokens = verifyAll(JWT.require(Algorithm.HMAC256(secret)).build());
    assertEquals(2, new HashSet<>(tokens.stream().map(DecodedJWT::getToken).toList()).size());
    assertEquals("tester", tokens.get(1).getClaim("role").asString());
    assertFalse(everythingWritten(run).contains(secret));
  }

  @Test
  void aTokenThatCannotBeMintedStopsTheUserWithAClearMessage() throws Exception {
    String secret = UUID.randomUUID() + "-" + UUID.randomUUID();

    GatlingRun run =
        runModes(Map.of("mint", "hs256", "mintSecret", secret, "mintRole", "#{tenant}"));

    wm.verify(0, getRequestedFor(urlEqualTo(PROTECTED)));
    assertTrue(
        run.output()
            .contains(
                "Could not mint a JWT because the claim \"role\" cannot be resolved (no claim"
                    + " role: No attribute named 'tenant' is defined"),
        run.output());
  }

  @Test
  void failedMintsAreCountedSoAuthGatesSeeThem() throws Exception {
    String secret = UUID.randomUUID() + "-" + UUID.randomUUID();

    GatlingRun run =
        runModes(
            Map.of("mint", "hs256", "mintSecret", secret, "mintRole", "#{tenant}", "users", "3"));

    JsonNode metrics = run.authMetrics("auth");
    assertEquals(3, metrics.get("loginRequests").asLong(), metrics.toString());
    assertEquals(3, metrics.get("authFailures").asLong(), metrics.toString());
    assertEquals(3, metrics.get("usersStopped").asLong(), metrics.toString());
  }

  @Test
  void aSharedServiceTokenIsMintedOnceForAllUsers() throws Exception {
    String secret = UUID.randomUUID() + "-" + UUID.randomUUID();
    stubAnyBearer();

    GatlingRun run =
        runModes(
            Map.of(
                "mint", "hs256",
                "mintSecret", secret,
                "mintShared", "true",
                "users", "5",
                "calls", "3",
                "pauseMs", "200"));

    assertEquals(new Counts(15, 0), run.counts("protected"), run.toString());
    List<String> bearers = bearersSent();
    assertEquals(1, new HashSet<>(bearers).size(), "one token for every user and call");
    DecodedJWT token =
        JWT.require(Algorithm.HMAC256(secret))
            .withSubject("service")
            .build()
            .verify(bearers.get(0).substring("Bearer ".length()));
    assertEquals("service", token.getClaim("role").asString());
    assertEquals(1, run.authMetrics("auth").get("logins").asLong(), run.toString());
  }
}
