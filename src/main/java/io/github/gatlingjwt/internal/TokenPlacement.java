package io.github.gatlingjwt.internal;

import io.gatling.http.client.Request;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.function.Function;

/**
 * Where the access token goes on a protected request: {@code Authorization: Bearer} (the default),
 * another header with or without a scheme, or a cookie. The value is read from the session when the
 * request is sent; when the user holds no token, the request is not sent.
 *
 * <p>A cookie is written into the request's {@code Cookie} header after Gatling's cookie jar has
 * filled it, replacing a cookie of the same name: it does not depend on the jar accepting the
 * server's cookie (a {@code Secure} cookie over plain http, a cookie set on a redirect hop).
 *
 * <p>For internal use only.
 *
 * @param kind header or cookie
 * @param name the header or cookie name
 * @param scheme the scheme before the token in a header, e.g. {@code "Bearer"}, or null
 */
public record TokenPlacement(Kind kind, String name, String scheme) {

  /** Header or cookie. */
  public enum Kind {
    HEADER,
    COOKIE
  }

  /** {@code Authorization: Bearer <token>}. */
  public static final TokenPlacement BEARER =
      new TokenPlacement(Kind.HEADER, "Authorization", "Bearer");

  /**
   * Put the token on a request.
   *
   * @param request the request
   * @param token the user's token, from the session; throws when the user holds none
   * @return a new request builder
   */
  public HttpRequestActionBuilder apply(
      HttpRequestActionBuilder request, Function<Session, String> token) {
    if (kind == Kind.HEADER) {
      return request.header(
          name,
          session -> scheme == null ? token.apply(session) : scheme + " " + token.apply(session));
    }
    // the header makes a user without a token fail before sending; the signature step then
    // merges the cookie into whatever the cookie jar put in the Cookie header
    return request
        .header("Cookie", session -> name + "=" + token.apply(session))
        .sign((Request r, Session session) -> withCookie(r, name, token.apply(session)));
  }

  private static Request withCookie(Request request, String name, String value) {
    String existing = request.getHeaders().get("Cookie");
    request.getHeaders().set("Cookie", mergeCookie(existing, name, value));
    return request;
  }

  /**
   * A {@code Cookie} header value with one cookie set, and any other cookie of that name removed.
   *
   * @param existing the current header value, or null
   * @param name the cookie name
   * @param value the cookie value
   * @return the new header value
   */
  public static String mergeCookie(String existing, String name, String value) {
    StringBuilder sb = new StringBuilder();
    if (existing != null) {
      for (String pair : existing.split(";")) {
        String p = pair.trim();
        if (p.isEmpty()) {
          continue;
        }
        int eq = p.indexOf('=');
        String n = eq < 0 ? p : p.substring(0, eq).trim();
        if (!n.equals(name)) {
          sb.append(p).append("; ");
        }
      }
    }
    return sb.append(name).append('=').append(value).toString();
  }

  @Override
  public String toString() {
    return kind == Kind.COOKIE
        ? "cookie " + name
        : name + (scheme == null ? "" : ": " + scheme) + " <token>";
  }
}
