package io.github.gatlingjwt.token;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in free text such as log lines, whatever printed them: bearer and basic
 * credentials, anything shaped like a JWT, and the values of fields, parameters, session attributes
 * and headers whose names say they hold a secret ({@code password}, {@code token}, {@code secret},
 * {@code api_key}, cookies...). Each is replaced by {@code ***}.
 *
 * <p>It works on the shape of the text, so it also catches secrets it was never told about: a
 * Gatling DEBUG dump of a failed request prints the session, the request (headers and body) and the
 * response, in formats of its own.
 */
public final class SecretMasker {

  private static final String SECRET_NAME =
      "[\\w.-]*(?i:password|passwd|pwd|secret|token|api[_-]?key|apikey|credential|assertion)[\\w.-]*";

  private record Rule(Pattern pattern, String replacement) {
    String apply(String text) {
      Matcher m = pattern.matcher(text);
      return m.find() ? m.replaceAll(replacement) : text;
    }
  }

  private static final List<Rule> RULES =
      List.of(
          // Authorization: Bearer xyz / Basic xyz, in headers or anywhere else
          new Rule(
              Pattern.compile("(?i)\\b(Bearer|Basic|Digest)(\\s+)[^\\s\"',;)}\\]]+"), "$1$2***"),
          // other Authorization schemes: the whole header value
          new Rule(
              Pattern.compile(
                  "(?im)\\b(authorization\\s*+[:=]\\s*+)(?!(?:Bearer|Basic|Digest)\\s)[^\\r\\n,]+"),
              "$1***"),
          // cookies: every value
          new Rule(
              Pattern.compile("(?i)\\b((?:set-)?cookie\\s*[:=]\\s*[^=\\s;,]+=)[^;\\s,]+"), "$1***"),
          // JSON fields: "password": "..."
          new Rule(
              Pattern.compile("(\"" + SECRET_NAME + "\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\""),
              "$1\"***\""),
          // form fields and query parameters: password=...
          new Rule(Pattern.compile("((?:^|[?&\\s(,])" + SECRET_NAME + "=)[^&\\s,)]+"), "$1***"),
          // Gatling session dumps (Scala maps): password -> ...
          new Rule(Pattern.compile("(" + SECRET_NAME + " -> )[^,)\\r\\n]+"), "$1***"),
          // e-mail addresses: personal data, often echoed in auth errors
          new Rule(Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+"), "***@***"),
          // anything shaped like a JWT
          new Rule(
              Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*"), "***"));

  private SecretMasker() {}

  /**
   * Mask the secrets in a text.
   *
   * @param text any text, may be null
   * @return the text with every secret replaced by {@code ***}
   */
  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String masked = text;
    for (Rule rule : RULES) {
      masked = rule.apply(masked);
    }
    return masked;
  }
}
