package io.github.gatlingjwt.token;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The {@code application/x-www-form-urlencoded} encoding of OAuth2 token requests (RFC 6749). */
public final class FormEncoding {

  /** The content type of a form body. */
  public static final String CONTENT_TYPE = "application/x-www-form-urlencoded";

  private FormEncoding() {}

  /**
   * Encode parameters as a form body, in the given order: names and values UTF-8 percent-encoded,
   * spaces as {@code +}. Parameters whose value is null are left out.
   *
   * @param params the parameters
   * @return the body, e.g. {@code grant_type=password&username=a%40b.c}
   */
  public static String encode(List<Map.Entry<String, String>> params) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> p : params) {
      if (p.getValue() == null) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(encode(p.getKey())).append('=').append(encode(p.getValue()));
    }
    return sb.toString();
  }

  /**
   * The {@code Authorization} header of {@code client_secret_basic}: the client id and secret are
   * each form-encoded, then joined by a colon and base64-encoded (RFC 6749 2.3.1).
   *
   * @param clientId the client id
   * @param clientSecret the client secret
   * @return the header value, {@code Basic ...}
   */
  public static String basicAuthorization(String clientId, String clientSecret) {
    String pair = encode(clientId) + ":" + encode(clientSecret);
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
