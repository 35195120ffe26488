package io.github.gatlingjwt.token;

import static org.junit.jupiter.api.Assertions.*;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys are generated at test time and written to a temporary directory: none is committed. */
class SigningKeyTest {

  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @TempDir Path dir;

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  Path write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  static String message(org.junit.jupiter.api.function.Executable e) {
    return assertThrows(JwtConfigException.class, e).getMessage();
  }

  @Test
  void mintedRs256TokensVerifyWithThePublicKeyAndCarryTheirClaims() throws Exception {
    KeyPair pair = rsa();
    Path file = write("rsa.pem", pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    JwtMinter minter = new JwtMinter(SigningKey.rs256(file), Duration.ofMinutes(5));

    String token = minter.mint("user7", Map.of("scope", "read write", "admin", false), NOW);

    DecodedJWT jwt =
        JWT.require(Algorithm.RSA256((RSAPublicKey) pair.getPublic(), null))
            .withSubject("user7")
            .withClaim("scope", "read write")
            .acceptLeeway(Long.MAX_VALUE / 1000) // fixed instants in the past
            .build()
            .verify(token);
    assertEquals(NOW, jwt.getIssuedAtAsInstant());
    assertEquals(NOW, jwt.getNotBeforeAsInstant());
    assertEquals(NOW.plusSeconds(300), jwt.getExpiresAtAsInstant());
    assertFalse(jwt.getClaim("admin").asBoolean());
    assertNotNull(jwt.getId());
  }

  @Test
  void aPemOnOneLineWithEscapedNewlinesIsRead() throws Exception {
    // as a CI secret or an environment variable often holds it
    KeyPair pair = ec("secp256r1");
    String oneLine = pem("PRIVATE KEY", pair.getPrivate().getEncoded()).replace("\n", "\\n");
    assertFalse(oneLine.contains("\n"));
    assertEquals(
        pair.getPrivate(), SigningKey.parse(oneLine, "ES256", "environment variable EC_KEY"));
  }

  @Test
  void mintedEs256AndHs256TokensVerify() throws Exception {
    KeyPair pair = ec("secp256r1");
    Path file = write("ec.pem", pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    String es =
        new JwtMinter(SigningKey.es256(file), Duration.ofSeconds(60)).mint("u", Map.of(), NOW);
    JWT.require(Algorithm.ECDSA256((ECPublicKey) pair.getPublic(), null))
        .acceptLeeway(Long.MAX_VALUE / 1000)
        .build()
        .verify(es);

    String secret = "0123456789abcdef0123456789abcdef";
    String hs =
        new JwtMinter(SigningKey.hs256(secret), Duration.ofSeconds(60))
            .mint("u", Map.of("roles", List.of("a", "b")), NOW);
    DecodedJWT jwt =
        JWT.require(Algorithm.HMAC256(secret))
            .acceptLeeway(Long.MAX_VALUE / 1000)
            .build()
            .verify(hs);
    assertEquals(List.of("a", "b"), jwt.getClaim("roles").asList(String.class));
  }

  @Test
  void pkcs1KeysAreRefusedWithTheConversionCommand() throws Exception {
    Path file = write("rsa1.pem", pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
    String m = message(() -> SigningKey.rs256(file));
    assertTrue(m.contains("openssl pkcs8 -topk8 -nocrypt"), m);
  }

  @Test
  void aKeyOfTheWrongTypeIsNamed() throws Exception {
    Path ecFile = write("ec.pem", pem("PRIVATE KEY", ec("secp256r1").getPrivate().getEncoded()));
    String m = message(() -> SigningKey.rs256(ecFile));
    assertTrue(m.contains("is not an RSA private key, which RS256 needs (it is an EC key)"), m);
    Path rsaFile = write("rsa.pem", pem("PRIVATE KEY", rsa().getPrivate().getEncoded()));
    m = message(() -> SigningKey.es256(rsaFile));
    assertTrue(m.contains("is not an EC private key, which ES256 needs (it is an RSA key)"), m);
    Path p384 = write("p384.pem", pem("PRIVATE KEY", ec("secp384r1").getPrivate().getEncoded()));
    m = message(() -> SigningKey.es256(p384));
    assertTrue(m.contains("not on the P-256 curve"), m);
    Path pub = write("pub.pem", pem("PUBLIC KEY", rsa().getPublic().getEncoded()));
    m = message(() -> SigningKey.rs256(pub));
    assertTrue(m.contains("a public key or certificate cannot sign"), m);
  }

  @Test
  void missingFilesVariablesAndShortSecretsFailWithASentence() {
    String m = message(() -> SigningKey.rs256(dir.resolve("nope.pem")));
    assertTrue(m.contains("does not exist"), m);
    m = message(() -> SigningKey.hs256("too-short-secret"));
    assertEquals(
        "The HS256 secret from a given secret is 16 bytes long: give at least 32 bytes, the"
            + " secret the API verifies tokens with.",
        m);
    assertFalse(m.contains("too-short-secret"));
    m = message(() -> SigningKey.env("GATLING_JWT_SURELY_UNSET", v -> null));
    assertTrue(m.contains("GATLING_JWT_SURELY_UNSET is not set"), m);
    m =
        message(
            () ->
                new JwtMinter(SigningKey.hs256("0123456789abcdef0123456789abcdef"), Duration.ZERO));
    assertTrue(m.contains("at least one second"), m);
  }

  @Test
  void toStringShowsNoKey() {
    String secret = "0123456789abcdef0123456789abcdef";
    assertEquals("SigningKey{HS256, from a given secret}", SigningKey.hs256(secret).toString());
  }
}
