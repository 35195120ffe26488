package io.github.gatlingjwt.token;

import com.auth0.jwt.algorithms.Algorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.function.Function;

/**
 * A key that signs locally minted JWTs: an HS256 shared secret, or an RS256 / ES256 private key in
 * a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). Keys come from files or environment
 * variables, never from code. Every mistake (a missing file or variable, a short secret, a key of
 * the wrong type) fails when the simulation is built, with a sentence; no message ever contains the
 * key. Its {@code toString()} shows the algorithm and where the key came from.
 */
public final class SigningKey {

  /** HS256 needs a secret at least as long as its hash (RFC 7518 3.2). */
  static final int MIN_HS256_BYTES = 32;

  private final Algorithm algorithm;
  private final String origin;

  private SigningKey(Algorithm algorithm, String origin) {
    this.algorithm = algorithm;
    this.origin = origin;
  }

  /**
   * An HS256 key from a shared secret of at least 32 bytes.
   *
   * @param secret the secret, in UTF-8
   * @return the key
   * @throws JwtConfigException when the secret is shorter than 32 bytes
   */
  public static SigningKey hs256(String secret) {
    return hs256(secret, "a given secret");
  }

  /**
   * An HS256 key from the shared secret held by an environment variable.
   *
   * @param variable the variable's name, e.g. {@code "API_JWT_SECRET"}
   * @return the key
   * @throws JwtConfigException when the variable is unset or shorter than 32 bytes
   */
  public static SigningKey hs256FromEnv(String variable) {
    return hs256(env(variable, System::getenv), "environment variable " + variable);
  }

  /**
   * An RS256 key from a PKCS#8 PEM file holding an RSA private key.
   *
   * @param pemFile the file
   * @return the key
   * @throws JwtConfigException when the file is missing or holds no RSA PKCS#8 private key
   */
  public static SigningKey rs256(Path pemFile) {
    String origin = "file " + pemFile;
    return new SigningKey(
        Algorithm.RSA256(null, (RSAPrivateKey) parse(read(pemFile), "RS256", origin)), origin);
  }

  /**
   * An RS256 key from an environment variable holding a PKCS#8 PEM.
   *
   * @param variable the variable's name
   * @return the key
   * @throws JwtConfigException when the variable is unset or holds no RSA PKCS#8 private key
   */
  public static SigningKey rs256FromEnv(String variable) {
    String origin = "environment variable " + variable;
    String pem = env(variable, System::getenv);
    return new SigningKey(
        Algorithm.RSA256(null, (RSAPrivateKey) parse(pem, "RS256", origin)), origin);
  }

  /**
   * An ES256 key from a PKCS#8 PEM file holding an EC private key on the P-256 curve.
   *
   * @param pemFile the file
   * @return the key
   * @throws JwtConfigException when the file is missing or holds no P-256 PKCS#8 private key
   */
  public static SigningKey es256(Path pemFile) {
    String origin = "file " + pemFile;
    return new SigningKey(
        Algorithm.ECDSA256(null, (ECPrivateKey) parse(read(pemFile), "ES256", origin)), origin);
  }

  /**
   * An ES256 key from an environment variable holding a PKCS#8 PEM.
   *
   * @param variable the variable's name
   * @return the key
   * @throws JwtConfigException when the variable is unset or holds no P-256 PKCS#8 private key
   */
  public static SigningKey es256FromEnv(String variable) {
    String origin = "environment variable " + variable;
    String pem = env(variable, System::getenv);
    return new SigningKey(
        Algorithm.ECDSA256(null, (ECPrivateKey) parse(pem, "ES256", origin)), origin);
  }

  /**
   * @return the java-jwt algorithm that signs with this key
   */
  public Algorithm algorithm() {
    return algorithm;
  }

  @Override
  public String toString() {
    return "SigningKey{" + algorithm.getName() + ", from " + origin + "}";
  }

  private static SigningKey hs256(String secret, String origin) {
    if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_HS256_BYTES) {
      throw new JwtConfigException(
          "The HS256 secret from "
              + origin
              + " is "
              + (secret == null ? 0 : secret.getBytes(StandardCharsets.UTF_8).length)
              + " bytes long: give at least "
              + MIN_HS256_BYTES
              + " bytes, the secret the API verifies tokens with.");
    }
    Secrets.register(secret);
    return new SigningKey(Algorithm.HMAC256(secret), origin);
  }

  static String env(String variable, Function<String, String> getenv) {
    if (variable == null || variable.isBlank()) {
      throw new JwtConfigException(
          "The environment variable name is empty: give one, e.g. \"API_JWT_SECRET\".");
    }
    String value = getenv.apply(variable);
    if (value == null || value.isBlank()) {
      throw new JwtConfigException(
          "The environment variable "
              + variable
              + " is not set: export it before the run (keep keys out of the repository).");
    }
    return value;
  }

  private static String read(Path pemFile) {
    if (pemFile == null) {
      throw new JwtConfigException("The key file is null: give the path of a PKCS#8 PEM file.");
    }
    try {
      return Files.readString(pemFile, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new JwtConfigException(
          "The key file " + pemFile + " does not exist: give the path of a PKCS#8 PEM file.");
    } catch (IOException e) {
      throw new JwtConfigException(
          "The key file " + pemFile + " cannot be read (" + e.getClass().getSimpleName() + ").");
    }
  }

  /**
   * Parse a PKCS#8 PEM private key for an algorithm, without BouncyCastle.
   *
   * @param pem the PEM text
   * @param jwtAlgorithm {@code "RS256"} or {@code "ES256"}
   * @param origin where the PEM came from, for messages
   * @return the key, an {@link RSAPrivateKey} or a P-256 {@link ECPrivateKey}
   * @throws JwtConfigException when the PEM is not a PKCS#8 private key of that type
   */
  static PrivateKey parse(String text, String jwtAlgorithm, String origin) {
    // a PEM kept on one line in an environment variable or a CI secret, with "\n" escapes
    String pem = text.replace("\\n", "\n");
    String keyType = jwtAlgorithm.equals("RS256") ? "RSA" : "EC";
    if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")
        || pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
      throw new JwtConfigException(
          "The key from "
              + origin
              + " is a PKCS#1/SEC1 PEM (\"BEGIN RSA PRIVATE KEY\" or \"BEGIN EC PRIVATE KEY\"):"
              + " convert it to PKCS#8 with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out"
              + " key-pkcs8.pem`.");
    }
    if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new JwtConfigException(
          "The key from "
              + origin
              + " is encrypted: decrypt it with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out"
              + " key-pkcs8.pem`.");
    }
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new JwtConfigException(
          "The key from "
              + origin
              + " is not a PKCS#8 PEM private key: expected a \"-----BEGIN PRIVATE KEY-----\""
              + " block (a public key or certificate cannot sign).");
    }
    byte[] der;
    try {
      String base64 =
          pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new JwtConfigException(
          "The key from " + origin + " is not valid base64 between its PEM lines.");
    }
    PrivateKey key;
    try {
      key = KeyFactory.getInstance(keyType).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (InvalidKeySpecException e) {
      String other = keyType.equals("RSA") ? "EC" : "RSA";
      throw new JwtConfigException(
          "The key from "
              + origin
              + " is not an "
              + keyType
              + " private key, which "
              + jwtAlgorithm
              + " needs"
              + (isKeyOf(other, der) ? " (it is an " + other + " key)" : "")
              + ": give an "
              + keyType
              + " key or choose "
              + (keyType.equals("RSA") ? "es256(...)" : "rs256(...)")
              + ".");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(keyType + " is required by the Java platform", e);
    }
    if (key instanceof ECPrivateKey ec && !isP256(ec.getParams())) {
      throw new JwtConfigException(
          "The EC key from "
              + origin
              + " is not on the P-256 curve, which ES256 needs: generate one with `openssl genpkey"
              + " -algorithm EC -pkeyopt ec_paramgen_curve:P-256`.");
    }
    return key;
  }

  private static boolean isKeyOf(String keyType, byte[] der) {
    try {
      KeyFactory.getInstance(keyType).generatePrivate(new PKCS8EncodedKeySpec(der));
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean isP256(ECParameterSpec params) {
    return params.getCurve().getField().getFieldSize() == 256
        && params.getOrder().bitLength() == 256
        && params.getCofactor() == 1
        && params
            .getOrder()
            .toString(16)
            .equalsIgnoreCase("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
  }
}
