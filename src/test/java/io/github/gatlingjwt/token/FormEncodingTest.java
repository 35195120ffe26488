package io.github.gatlingjwt.token;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormEncodingTest {

  @Test
  void encodesInOrderSkippingNullValues() {
    List<Map.Entry<String, String>> params = new ArrayList<>();
    params.add(Map.entry("grant_type", "password"));
    params.add(Map.entry("username", "anna@example.com"));
    params.add(Map.entry("password", "p&ss=w rd+é"));
    params.add(new java.util.AbstractMap.SimpleEntry<>("client_id", null));
    params.add(Map.entry("scope", "openid profile"));
    assertEquals(
        "grant_type=password&username=anna%40example.com&password=p%26ss%3Dw+rd%2B%C3%A9"
            + "&scope=openid+profile",
        FormEncoding.encode(params));
  }

  @Test
  void basicClientAuthenticationFormEncodesIdAndSecretFirst() {
    // RFC 6749 2.3.1: id and secret are form-encoded before the Basic encoding
    String header = FormEncoding.basicAuthorization("my client", "s:e/c");
    assertTrue(header.startsWith("Basic "));
    String decoded =
        new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
    assertEquals("my+client:s%3Ae%2Fc", decoded);
  }
}
