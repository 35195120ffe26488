package io.github.gatlingjwt.token;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The headers of a login or refresh answer, looked up by name, case-insensitively. */
@FunctionalInterface
public interface ResponseHeaders {

  /** No headers. */
  ResponseHeaders NONE = name -> List.of();

  /**
   * Every value of a header, in the order received.
   *
   * @param name the header name, in any case
   * @return the values, empty when the header is absent
   */
  List<String> all(String name);

  /**
   * Headers from a map, for tests and callers without an HTTP library.
   *
   * @param headers header names (any case) and their values
   * @return the headers
   */
  static ResponseHeaders of(Map<String, List<String>> headers) {
    return name -> {
      List<String> values = new ArrayList<>();
      headers.forEach(
          (k, v) -> {
            if (k.equalsIgnoreCase(name)) {
              values.addAll(v);
            }
          });
      return values;
    };
  }
}
