package io.github.gatlingjwt.token;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/** Keeps secrets and token-like values out of messages. */
public final class Secrets {

  private static final Pattern JWT_LIKE =
      Pattern.compile("[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*");
  private static final Pattern LONG_OPAQUE = Pattern.compile("[A-Za-z0-9_\\-+/=.]{32,}");

  /** Shorter secrets are not searched for: masking every "e" would garble the message. */
  static final int MIN_MASKED_LENGTH = 4;

  /** At most this many configured secrets are remembered: they are few (client secrets, keys). */
  static final int MAX_REGISTERED = 32;

  private static final List<String> REGISTERED = new CopyOnWriteArrayList<>();

  private Secrets() {}

  /**
   * Remember a secret of the configuration (an OAuth2 client secret, an HS256 key) for the life of
   * the JVM, so that {@link SecretMasker} masks it in every log line, even where nothing about the
   * line's shape says it is a secret (a server echoing it in an error description that Gatling's
   * DEBUG logging prints whole). Per-user values (passwords, tokens) are not registered: they are
   * too many; they are masked by shape and in KO messages.
   *
   * @param secret the secret; null, short, or beyond the first 32 registered: ignored
   */
  public static void register(String secret) {
    if (secret != null
        && secret.length() >= MIN_MASKED_LENGTH
        && REGISTERED.size() < MAX_REGISTERED
        && !REGISTERED.contains(secret)) {
      REGISTERED.add(secret);
    }
  }

  /**
   * Replace every registered secret in a text with {@code ***}.
   *
   * @param text any text
   * @return the text without the registered secrets
   */
  public static String maskRegistered(String text) {
    return REGISTERED.isEmpty() ? text : mask(text, REGISTERED);
  }

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
