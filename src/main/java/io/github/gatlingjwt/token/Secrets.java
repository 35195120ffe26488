package io.github.gatlingjwt.token;

import java.util.Collection;
import java.util.regex.Pattern;

/** Keeps secrets and token-like values out of messages. */
public final class Secrets {

  private static final Pattern JWT_LIKE =
      Pattern.compile("[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*");
  private static final Pattern LONG_OPAQUE = Pattern.compile("[A-Za-z0-9_\\-+/=.]{32,}");

  /** Shorter secrets are not searched for: masking every "e" would garble the message. */
  static final int MIN_MASKED_LENGTH = 4;

  private Secrets() {}

  /**
   * Whether a value contains something shaped like a JWT or a long opaque token.
   *
   * @param value any text
   * @return true when the text should not be shown
   */
  public static boolean looksLikeToken(String value) {
    return JWT_LIKE.matcher(value).find() || LONG_OPAQUE.matcher(value).find();
  }

  /**
   * Replace every occurrence of the given secrets in a message with {@code ***}, for servers that
   * echo what they were sent (a password in an error message, for example).
   *
   * @param message the message
   * @param secrets the secrets; null entries, and entries shorter than 4 characters, are ignored
   * @return the message without the secrets
   */
  public static String mask(String message, Collection<String> secrets) {
    String masked = message;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= MIN_MASKED_LENGTH) {
        masked = masked.replace(secret, "***");
      }
    }
    return masked;
  }
}
