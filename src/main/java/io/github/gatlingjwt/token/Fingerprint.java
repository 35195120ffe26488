package io.github.gatlingjwt.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Short, non-reversible fingerprints of secrets, for logs and messages. */
public final class Fingerprint {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Fingerprint() {}

  /**
   * Fingerprint a secret: the last 6 hex characters of its SHA-256, e.g. {@code "sha256:…3fa9c1"}.
   *
   * @param secret the secret, may be null
   * @return a string that identifies the secret without revealing it
   */
  public static String of(String secret) {
    if (secret == null) {
      return "none";
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder("sha256:…");
      for (int i = digest.length - 3; i < digest.length; i++) {
        sb.append(HEX[(digest[i] >> 4) & 0xF]).append(HEX[digest[i] & 0xF]);
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
