package io.github.gatlingjwt.token;

import java.util.regex.Pattern;

/** Heuristics that keep token-like values out of messages. */
final class Secrets {

  private static final Pattern JWT_LIKE =
      Pattern.compile("[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*");
  private static final Pattern LONG_OPAQUE = Pattern.compile("[A-Za-z0-9_\\-+/=.]{32,}");

  private Secrets() {}

  /** Whether a value contains something shaped like a JWT or a long opaque token. */
  static boolean looksLikeToken(String value) {
    return JWT_LIKE.matcher(value).find() || LONG_OPAQUE.matcher(value).find();
  }
}
