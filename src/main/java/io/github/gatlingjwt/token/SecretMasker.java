package io.github.gatlingjwt.token;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in free text such as log lines, whatever printed them: bearer and basic
 * credentials, anything shaped like a JWT, the values of fields, parameters, headers and session
 * attributes whose names say they hold a secret ({@code password}, {@code token}, {@code secret},
 * {@code api_key}...), cookie values, and e-mail addresses. Each is replaced by {@code ***}.
 *
 * <p>It works on the shape of the text, so it also catches secrets it was never told about: a
 * Gatling DEBUG dump of a failed request prints the session, the request (headers and body) and the
 * response, in formats of its own. Every rule is anchored and uses possessive quantifiers, so the
 * time it takes grows linearly with the text (a log line can be a megabyte of base64).
 */
public final class SecretMasker {

  /** A name that says "secret", anchored at the start of a name. */
  private static final String SECRET_NAME =
      "(?<![\\w.$-])[\\w.$-]*?(?i:password|passwd|pwd|secret|token|api[_-]?key|apikey"
          + "|credential|assertion|session[_-]?id|jsessionid)[\\w.$-]*+";

  /** A JSON string body, possessive so that a long value costs no stack. */
  private static final String JSON_STRING_REST = "(?:[^\"\\\\]++|\\\\.)*+(?:\"|\\z)";

  private record Rule(Pattern pattern, Function<Matcher, String> replacement) {
    String apply(String text) {
      Matcher m = pattern.matcher(text);
      if (!m.find()) {
        return text;
      }
      StringBuilder sb = new StringBuilder(text.length());
      do {
        m.appendReplacement(sb, Matcher.quoteReplacement(replacement.apply(m)));
      } while (m.find());
      m.appendTail(sb);
      return sb.toString();
    }
  }

  private static Rule rule(String regex, String replacement) {
    Pattern p = Pattern.compile(regex);
    return new Rule(p, m -> expand(m, replacement));
  }

  private static String expand(Matcher m, String replacement) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < replacement.length(); i++) {
      char c = replacement.charAt(i);
      if (c == '$'
          && i + 1 < replacement.length()
          && Character.isDigit(replacement.charAt(i + 1))) {
        String group = m.group(replacement.charAt(++i) - '0');
        sb.append(group == null ? "" : group);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static final Pattern COOKIE_VALUE = Pattern.compile("=[^;,\\s]++");

  private static final List<Rule> RULES =
      List.of(
          // Authorization: Bearer xyz / Basic xyz, in headers or anywhere else
          rule("(?i:\\b(bearer))(\\s++)[A-Za-z0-9._~+/=-]{6,}+", "$1$2***"),
          rule("\\b(Basic|Digest)(\\s++)[A-Za-z0-9._~+/=-]{6,}+", "$1$2***"),
          // other Authorization schemes: the whole header value
          rule(
              "(?i:\\b(authorization\\s*+[:=]\\s*+))(?!(?i:bearer|basic|digest)\\s|\\*\\*\\*)"
                  + "[^\\r\\n,\\]]++",
              "$1***"),
          // cookie headers: every value
          new Rule(
              Pattern.compile("(?i:\\b((?:set-)?cookie\\s*+[:=]\\s*+))([^\\r\\n,\\]]*+)"),
              m -> m.group(1) + COOKIE_VALUE.matcher(m.group(2)).replaceAll("=***")),
          // JSON fields: "password": "...", "password": 1234, and JSON escaped inside a string
          rule("(\"" + SECRET_NAME + "\"\\s*+:\\s*+)\"" + JSON_STRING_REST, "$1\"***\""),
          rule("(\"" + SECRET_NAME + "\"\\s*+:\\s*+)-?\\d[\\d.eE+-]*+", "$1\"***\""),
          rule(
              "(\\\\\"" + SECRET_NAME + "\\\\\"\\s*+:\\s*+\\\\\")(?:[^\\\\]++|\\\\(?!\"))*+",
              "$1***"),
          // Gatling session dumps (Scala maps): password -> ..., up to the next attribute
          rule(
              "(" + SECRET_NAME + " -> )(?:(?!, [\\w.$-]++ -> |\\)(?:,|\\)|$))[^\\r\\n])*+",
              "$1***"),
          // form fields, query parameters, Map.toString, Param{name='password', value='...'}
          rule("(" + SECRET_NAME + "=)(?!\\*\\*\\*)[^&\\s,)}\\]]++", "$1***"),
          rule("(name='" + SECRET_NAME + "', value=')[^']*+", "$1***"),
          // headers and YAML-ish lines: X-Api-Key: value (not an exception's class name, such as
          // io.github.gatlingjwt.token.JwtConfigException, before its message)
          rule(
              "("
                  + SECRET_NAME
                  + "(?<!Exception|Error)\\s*+:\\s*+)(?![\"\\s]|\\*\\*\\*)[^\\s,\\]]++",
              "$1***"),
          // e-mail addresses: personal data, often echoed in auth errors
          rule(
              "(?<![\\w.+-])[\\w.+-]++@[A-Za-z0-9-]++(?:\\.[A-Za-z0-9-]++)*\\.[A-Za-z]{2,}+\\b",
              "***@***"),
          // anything shaped like a JWT
          rule("eyJ[A-Za-z0-9_-]{4,}+\\.[A-Za-z0-9_-]{4,}+\\.[A-Za-z0-9_-]*+", "***"));

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
    String masked = Secrets.maskRegistered(text);
    for (Rule rule : RULES) {
      masked = rule.apply(masked);
    }
    return masked;
  }
}
