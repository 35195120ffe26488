package io.github.gatlingjwt.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Reads a login or refresh answer into a {@link TokenGrant}, or explains in one sentence why it
 * cannot. Messages carry the status, the location looked at and, for refusals, the answer's {@code
 * error} / {@code error_description} (or {@code message}) only: never the body, never a token.
 */
public final class TokenResponseReader {

  /** Auth schemes that APIs put before the token in a JSON field (passport-jwt's "JWT", say). */
  private static final java.util.regex.Pattern BODY_SCHEME =
      java.util.regex.Pattern.compile("^(?i:bearer|jwt|token)[ \t]+(?=\\S)");

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_DETAIL = 120;
  private static final int MAX_SCANNED = 1000;

  private final String kind;
  private final TokenSource tokenSource;
  private final TokenSource refreshTokenSource;
  private final TokenSource expiresInSource;
  private final SuccessRule successRule;
  private final boolean requireJwt;
  private final ExpiryCalculator expiry;
  private final boolean acceptRedirects;

  /**
   * @param kind what answer this is, used in messages: {@code "login"} or {@code "refresh"}
   * @param tokenLocation where the access token is
   * @param refreshTokenLocation where the refresh token is, or null when the API has none
   * @param expiresInLocation where {@code expires_in} is, or null
   * @param successRule a rule a 2xx answer must pass, or null
   * @param requireJwt whether the access token must be a JWT
   * @param expiry the expiry calculator
   */
  public TokenResponseReader(
      String kind,
      JsonLocation tokenLocation,
      JsonLocation refreshTokenLocation,
      JsonLocation expiresInLocation,
      SuccessRule successRule,
      boolean requireJwt,
      ExpiryCalculator expiry) {
    this(
        kind,
        TokenSource.json(tokenLocation),
        refreshTokenLocation == null ? null : TokenSource.json(refreshTokenLocation),
        expiresInLocation == null ? null : TokenSource.json(expiresInLocation),
        successRule,
        requireJwt,
        expiry,
        false);
  }

  /**
   * A reader whose values may come from the body, a header or a cookie.
   *
   * @param kind what answer this is, used in messages: {@code "login"} or {@code "refresh"}
   * @param tokenSource where the access token is
   * @param refreshTokenSource where the refresh token is, or null when the API has none
   * @param expiresInSource where {@code expires_in} is, or null
   * @param successRule a rule a 2xx answer must pass, or null
   * @param requireJwt whether the access token must be a JWT
   * @param expiry the expiry calculator
   * @param acceptRedirects whether a 3xx answer may carry the token (the login request does not
   *     follow redirects)
   */
  public TokenResponseReader(
      String kind,
      TokenSource tokenSource,
      TokenSource refreshTokenSource,
      TokenSource expiresInSource,
      SuccessRule successRule,
      boolean requireJwt,
      ExpiryCalculator expiry,
      boolean acceptRedirects) {
    this.kind = kind;
    this.tokenSource = tokenSource;
    this.refreshTokenSource = refreshTokenSource;
    this.expiresInSource = expiresInSource;
    this.successRule = successRule;
    this.requireJwt = requireJwt;
    this.expiry = expiry;
    this.acceptRedirects = acceptRedirects;
  }

  /** A reader with no success rule that accepts opaque tokens. */
  public TokenResponseReader(
      String kind,
      JsonLocation tokenLocation,
      JsonLocation refreshTokenLocation,
      JsonLocation expiresInLocation,
      ExpiryCalculator expiry) {
    this(kind, tokenLocation, refreshTokenLocation, expiresInLocation, null, false, expiry);
  }

  /**
   * Read an answer.
   *
   * @param status the HTTP status
   * @param contentType the Content-Type header, or null
   * @param body the body as text, or null
   * @param receivedAt the local instant at which the answer was received
   * @return the grant
   * @throws TokenResponseException when the answer is a refusal or holds no usable token
   */
  public TokenGrant read(int status, String contentType, String body, Instant receivedAt) {
    return read(status, contentType, body, receivedAt, List.of());
  }

  /**
   * Read an answer, masking in its messages the given secrets if the server echoes them.
   *
   * @param status the HTTP status
   * @param contentType the Content-Type header, or null
   * @param body the body as text, or null
   * @param receivedAt the local instant at which the answer was received
   * @param secrets what was sent and must not be shown (the password, the refresh token)
   * @return the grant
   * @throws TokenResponseException when the answer is a refusal or holds no usable token
   */
  public TokenGrant read(
      int status, String contentType, String body, Instant receivedAt, Collection<String> secrets) {
    return read(status, contentType, body, ResponseHeaders.NONE, receivedAt, secrets);
  }

  /**
   * Read an answer whose values may be in its headers or cookies.
   *
   * @param status the HTTP status
   * @param contentType the Content-Type header, or null
   * @param body the body as text, or null
   * @param headers the answer's headers
   * @param receivedAt the local instant at which the answer was received
   * @param secrets what was sent and must not be shown (the password, the refresh token)
   * @return the grant
   * @throws TokenResponseException when the answer is a refusal or holds no usable token
   */
  public TokenGrant read(
      int status,
      String contentType,
      String body,
      ResponseHeaders headers,
      Instant receivedAt,
      Collection<String> secrets) {
    boolean bodyNeeded = tokenSource.inBody() || successRule != null;
    // a body is parsed as JSON only when something is read from it
    JsonNode root = bodyNeeded || looksLikeJson(contentType, body) ? parseOrNull(body) : null;
    boolean redirect = acceptRedirects && status >= 300 && status <= 399;
    if ((status < 200 || status > 299) && !redirect) {
      throw new TokenResponseException(
          status, kind + " refused with status " + status + errorDetail(root, secrets));
    }
    if (bodyNeeded && (body == null || body.isBlank())) {
      throw new TokenResponseException(
          status,
          tokenSource.inBody()
              ? "no token at "
                  + tokenSource.describe()
                  + " in the "
                  + kind
                  + " response: the body is empty (status "
                  + status
                  + ")"
              : "the "
                  + kind
                  + " response has an empty body: expected a success marker at `"
                  + successRule.location()
                  + "` (status "
                  + status
                  + ")");
    }
    if (bodyNeeded && (root == null || !root.isContainerNode())) {
      throw new TokenResponseException(
          status,
          "the "
              + kind
              + " response is not JSON (status "
              + status
              + ", content-type "
              + (contentType == null ? "none" : contentType)
              + "): expected "
              + (tokenSource.inBody() ? "a token at " : "a success marker at `")
              + (tokenSource.inBody() ? tokenSource.describe() : successRule.location() + "`"));
    }
    if (successRule != null) {
      JsonNode marker = successRule.location().find(root);
      String found = marker == null || marker.isNull() ? null : marker.asText();
      if (!successRule.expected().equals(found)) {
        throw new TokenResponseException(
            status,
            "the "
                + kind
                + " response failed its success check: `"
                + successRule.location()
                + "` is "
                + (found == null ? "absent" : "\"" + shorten(found, secrets) + "\"")
                + ", expected \""
                + successRule.expected()
                + "\" (status "
                + status
                + ")"
                + errorDetail(root, secrets));
      }
    }
    String accessToken =
        tokenSource.inBody() ? requiredText(root, status) : requiredOutsideBody(headers, status);
    if (requireJwt) {
      requireJwt(accessToken, status);
    }
    String refreshToken = optionalText(root, headers, refreshTokenSource);
    Long expiresIn = optionalSeconds(root, headers);
    return new TokenGrant(
        accessToken,
        refreshToken,
        expiry.expiresAt(accessToken, expiresIn, receivedAt, issuerDate(headers)),
        receivedAt);
  }

  /** The answer's {@code Date} header, when it has exactly one usable value. */
  private static Instant issuerDate(ResponseHeaders headers) {
    List<String> dates = headers.all("Date");
    return dates.size() == 1 ? HttpDates.parse(dates.get(0)) : null;
  }

  private String requiredOutsideBody(ResponseHeaders headers, int status) {
    String where = tokenSource.describe() + " of the " + kind + " response";
    String value = tokenSource.find(null, headers);
    if (value == null) {
      throw new TokenResponseException(status, "no token in " + where + " (status " + status + ")");
    }
    return checkedText(value, "the token in " + where, status);
  }

  private String requiredText(JsonNode root, int status) {
    JsonNode node = tokenSource.jsonLocation().find(root);
    String where = tokenSource.describe() + " in the " + kind + " response";
    if (node == null || node.isMissingNode()) {
      throw new TokenResponseException(status, "no token at " + where + " (status " + status + ")");
    }
    if (node.isNull()) {
      throw new TokenResponseException(status, "the token at " + where + " is null");
    }
    if (!node.isTextual()) {
      throw new TokenResponseException(
          status,
          "the token at "
              + where
              + " is a "
              + node.getNodeType().name().toLowerCase()
              + ", not a string");
    }
    // "Bearer eyJ..." or "JWT eyJ..." in the body: the scheme is removed, as from a header, so
    // that the token is never sent with its scheme twice (only these schemes: "two words" is no
    // token)
    String text = BODY_SCHEME.matcher(node.textValue().trim()).replaceFirst("");
    if (text.matches("(?i)bearer|jwt|token")) {
      throw new TokenResponseException(
          status,
          "the token at " + where + " is an auth scheme (\"" + text + "\") without a token");
    }
    return checkedText(text, "the token at " + where, status);
  }

  /** A token a header can carry, or a KO naming what is wrong with it. */
  private static String checkedText(String value, String what, int status) {
    String text = value.trim();
    if (text.isEmpty() || text.equals("null") || text.equals("undefined")) {
      throw new TokenResponseException(
          status, what + " is " + (text.isEmpty() ? "empty" : "the string \"" + text + "\""));
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        throw new TokenResponseException(
            status,
            what
                + " contains characters an HTTP header cannot carry (spaces, control or non-ASCII"
                + " characters)");
      }
    }
    return text;
  }

  private void requireJwt(String token, int status) {
    String where =
        "the token "
            + (tokenSource.inBody() ? "at " : "in ")
            + tokenSource.describe()
            + (tokenSource.inBody() ? " in the " : " of the ")
            + kind
            + " response";
    int parts = token.split("\\.", -1).length;
    if (parts != 3) {
      throw new TokenResponseException(
          status, where + " is not a JWT: expected 3 dot-separated parts, found " + parts);
    }
    try {
      com.auth0.jwt.JWT.decode(token);
    } catch (com.auth0.jwt.exceptions.JWTDecodeException e) {
      // java-jwt's message quotes the token: never pass it on
      throw new TokenResponseException(
          status, where + " is not a JWT: its header or payload is not base64url-encoded JSON");
    } catch (RuntimeException e) {
      throw new TokenResponseException(
          status, where + " is not a usable JWT: a date claim (exp, iat, nbf) is out of range");
    }
  }

  /** A value from the answer, fit for a message: bounded work, secrets masked, then cut. */
  private static String shorten(String value, Collection<String> secrets) {
    String v = value.length() > MAX_SCANNED ? value.substring(0, MAX_SCANNED) : value;
    v = SecretMasker.mask(Secrets.mask(v.replaceAll("\\s+", " ").trim(), secrets));
    if (Secrets.looksLikeToken(v)) {
      return "(a token-like value)";
    }
    return v.length() > MAX_DETAIL ? v.substring(0, MAX_DETAIL) + "…" : v;
  }

  private static String optionalText(JsonNode root, ResponseHeaders headers, TokenSource source) {
    if (source == null) {
      return null;
    }
    String found;
    if (source.inBody()) {
      JsonNode node = root == null ? null : source.jsonLocation().find(root);
      found = node == null || !node.isTextual() ? null : node.textValue();
    } else {
      found = source.find(null, headers);
    }
    if (found == null) {
      return null;
    }
    String text = found.trim();
    return text.isEmpty() || text.equals("null") || text.equals("undefined") ? null : text;
  }

  private Long optionalSeconds(JsonNode root, ResponseHeaders headers) {
    if (expiresInSource == null) {
      return null;
    }
    if (!expiresInSource.inBody()) {
      String text = expiresInSource.find(null, headers);
      return text != null && text.trim().matches("\\d{1,12}") ? Long.valueOf(text.trim()) : null;
    }
    JsonNode node = root == null ? null : expiresInSource.jsonLocation().find(root);
    if (node == null) {
      return null;
    }
    if (node.isNumber()) {
      return node.asLong();
    }
    if (node.isTextual() && node.textValue().trim().matches("\\d{1,12}")) {
      return Long.valueOf(node.textValue().trim());
    }
    return null;
  }

  /** Whether an answer whose token is not in the body may still carry JSON worth reading. */
  private static boolean looksLikeJson(String contentType, String body) {
    if (body == null || body.isBlank()) {
      return false;
    }
    String b = body.stripLeading();
    return (contentType != null && contentType.toLowerCase().contains("json"))
        || b.startsWith("{")
        || b.startsWith("[");
  }

  private static JsonNode parseOrNull(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** The refusal's own words, from fields that by convention carry no secret. */
  private static String errorDetail(JsonNode root, Collection<String> secrets) {
    if (root == null || !root.isObject()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    appendField(sb, root, "error", secrets);
    appendField(sb, root, "error_description", secrets);
    if (sb.length() == 0) {
      appendField(sb, root, "message", secrets);
    }
    return sb.length() == 0 ? "" : " (" + sb + ")";
  }

  private static void appendField(
      StringBuilder sb, JsonNode root, String field, Collection<String> secrets) {
    JsonNode node = root.get(field);
    if (node == null || !node.isValueNode() || node.isNull()) {
      return;
    }
    String value = shorten(node.asText(), secrets);
    if (value.isEmpty() || value.equals("(a token-like value)")) {
      return;
    }
    if (sb.length() > 0) {
      sb.append(", ");
    }
    sb.append(field).append(": ").append(value);
  }
}
