package io.github.gatlingjwt.token;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SecretsRegistryTest {

  @Test
  void registeredSecretsAreMaskedInEveryLogLineWhateverTheirShape() {
    String secret = "plain words secret " + System.nanoTime();
    String line = "error_description: the client secret " + secret + " is rotated";
    assertTrue(SecretMasker.mask(line).contains(secret.substring(12)));
    Secrets.register(secret);
    assertFalse(SecretMasker.mask(line).contains(secret.substring(12)), SecretMasker.mask(line));
    Secrets.register(null); // ignored
    Secrets.register("ab"); // too short to mask without garbling: ignored
    assertEquals("ab cd", Secrets.maskRegistered("ab cd"));
  }
}
