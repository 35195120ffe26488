package io.github.gatlingjwt.token;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a value (the access token, the refresh token, the lifetime) is in a login or refresh
 * answer: a place in the JSON body, a response header, or a cookie set by {@code Set-Cookie}.
 *
 * <p>A header value is trimmed and loses a leading auth scheme ({@code "Bearer eyJ..."} gives
 * {@code "eyJ..."}), so a token is never sent with its scheme twice. A cookie is found by its exact
 * name in the answer's {@code Set-Cookie} headers; the last one wins.
 */
public final class TokenSource {

  private enum Kind {
    JSON,
    HEADER,
    COOKIE
  }

  /** An HTTP token (RFC 9110) followed by whitespace and one more word: an auth scheme. */
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*\\s+");

  /** Auth schemes that, alone in a header, mean "no credential" rather than a token. */
  private static final java.util.Set<String> LONE_SCHEMES =
      java.util.Set.of("bearer", "token", "jwt", "basic", "dpop", "mac", "negotiate");

  /** An HTTP token (RFC 9110 5.6.2): what a header name, a cookie name or an auth scheme is. */
  private static final Pattern HTTP_TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

  private final Kind kind;
  private final JsonLocation json;
  private final String name;

  private TokenSource(Kind kind, JsonLocation json, String name) {
    this.kind = kind;
    this.json = json;
    this.name = name;
  }

  /**
   * Whether a value, trimmed, is an HTTP token (RFC 9110 5.6.2), as a header name, a cookie name or
   * an auth scheme must be.
   *
   * @param value the value, or null
   * @return false for null
   */
  public static boolean isHttpToken(String value) {
    return value != null && HTTP_TOKEN.matcher(value.trim()).matches();
  }

  /**
   * A place in the JSON body.
   *
   * @param location a simple JSONPath, e.g. {@code "$.data.token"}
   * @return the source
   */
  public static TokenSource json(String location) {
    return json(JsonLocation.parse(location));
  }

  /**
   * A place in the JSON body.
   *
   * @param location the parsed location
   * @return the source
   */
  public static TokenSource json(JsonLocation location) {
    return new TokenSource(Kind.JSON, location, null);
  }

  /**
   * A response header, matched case-insensitively, e.g. {@code "X-Auth-Token"}.
   *
   * @param name the header name
   * @return the source
   * @throws JwtConfigException when the name is empty or not a valid header name
   */
  public static TokenSource header(String name) {
    if (!isHttpToken(name)) {
      throw new JwtConfigException(
          "The header name \""
              + name
              + "\" is not a valid HTTP header name: give one such as \"X-Auth-Token\".");
    }
    return new TokenSource(Kind.HEADER, null, name.trim());
  }

  /**
   * A cookie the answer sets with {@code Set-Cookie}, matched by its exact name.
   *
   * @param name the cookie name, e.g. {@code "access_token"}
   * @return the source
   * @throws JwtConfigException when the name is empty or not a valid cookie name
   */
  public static TokenSource cookie(String name) {
    if (!isHttpToken(name)) {
      throw new JwtConfigException(
          "The cookie name \""
              + name
              + "\" is not a valid cookie name: give one such as \"access_token\".");
    }
    return new TokenSource(Kind.COOKIE, null, name.trim());
  }

  /**
   * Whether two sources read the same place: the same JSON location, the same header (names in any
   * case), or the same cookie.
   *
   * @param other another source, or null
   * @return true when both would find the same value
   */
  public boolean samePlaceAs(TokenSource other) {
    if (other == null || other.kind != kind) {
      return false;
    }
    return switch (kind) {
      case JSON -> json.toString().equals(other.json.toString());
      case HEADER -> name.equalsIgnoreCase(other.name);
      default -> name.equals(other.name);
    };
  }

  /**
   * @return whether the value is in the JSON body
   */
  public boolean inBody() {
    return kind == Kind.JSON;
  }

  /**
   * @return the JSON location, or null when the value is in a header or a cookie
   */
  public JsonLocation jsonLocation() {
    return json;
  }

  /**
   * Find the value.
   *
   * @param root the parsed JSON body, or null when there is none
   * @param headers the answer's headers
   * @return the value as found (a JSON node's text, a trimmed header value without its scheme, a
   *     cookie value), or null when absent
   */
  public String find(JsonNode root, ResponseHeaders headers) {
    switch (kind) {
      case JSON -> {
        JsonNode node = root == null ? null : json.find(root);
        return node == null || node.isMissingNode() || node.isNull() ? null : node.asText();
      }
      case HEADER -> {
        for (String value : headers.all(name)) {
          if (value != null && !value.isBlank()) {
            return stripScheme(value);
          }
        }
        return null;
      }
      default -> {
        return cookieValue(headers.all("Set-Cookie"), name);
      }
    }
  }

  /**
   * Trim a header value and remove a leading auth scheme, e.g. {@code "Bearer abc"} gives {@code
   * "abc"}.
   *
   * @param value a header value
   * @return the credential alone
   */
  public static String stripScheme(String value) {
    String v = value.trim();
    if (LONE_SCHEMES.contains(v.toLowerCase(Locale.ROOT))) {
      return ""; // a scheme without a credential: no token
    }
    Matcher m = SCHEME.matcher(v);
    return m.find() ? v.substring(m.end()).trim() : v;
  }

  /**
   * The value of a cookie among {@code Set-Cookie} header values: the last one of that name wins,
   * surrounding double quotes are removed.
   *
   * @param setCookies the values of the {@code Set-Cookie} headers
   * @param name the cookie name, matched exactly
   * @return the value, possibly empty (a cookie being deleted), or null when no such cookie is set
   */
  public static String cookieValue(List<String> setCookies, String name) {
    String found = null;
    for (String setCookie : setCookies) {
      if (setCookie == null) {
        continue;
      }
      int semicolon = setCookie.indexOf(';');
      String pair = semicolon < 0 ? setCookie : setCookie.substring(0, semicolon);
      int eq = pair.indexOf('=');
      if (eq < 0 || !pair.substring(0, eq).trim().equals(name)) {
        continue;
      }
      String value = pair.substring(eq + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      // a cookie being deleted (Max-Age=0, or an Expires in the past) carries no token
      found = semicolon >= 0 && deletes(setCookie.substring(semicolon + 1)) ? "" : value;
    }
    return found;
  }

  private static boolean deletes(String attributes) {
    for (String attribute : attributes.split(";")) {
      int eq = attribute.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = attribute.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String val = attribute.substring(eq + 1).trim();
      // zero or negative, however many digits (a huge Max-Age is a live cookie, not an error)
      if (key.equals("max-age") && (val.matches("-\\d+") || val.matches("0+"))) {
        return true;
      }
      if (key.equals("expires")) {
        java.time.Instant expires = HttpDates.parse(val); // null when unreadable: kept
        if (expires != null && expires.isBefore(java.time.Instant.now())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Describe the place for messages, e.g. {@code `$.token`}, {@code header `X-Auth-Token`} or
   * {@code cookie `access_token`}.
   *
   * @return the description
   */
  public String describe() {
    return switch (kind) {
      case JSON -> "`" + json + "`";
      case HEADER -> "header `" + name + "`";
      default -> "cookie `" + name + "`";
    };
  }

  /** The same place, for comparing two sources. */
  @Override
  public String toString() {
    return kind == Kind.JSON ? json.toString() : kind.name().toLowerCase(Locale.ROOT) + ":" + name;
  }
}
