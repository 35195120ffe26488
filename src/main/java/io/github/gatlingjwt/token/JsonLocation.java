package io.github.gatlingjwt.token;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a value sits in a JSON answer, written as a simple JSONPath: {@code $.token}, {@code
 * $.data.accessToken}, {@code $.tokens[0].value} or {@code $['access-token']}. The leading {@code
 * $.} may be left out ({@code data.token}). Filters, wildcards and recursive descent are not
 * supported: a token has one place.
 */
public final class JsonLocation {

  private final String expression;
  private final List<Object> steps; // String (field name) or Integer (array index)

  private JsonLocation(String expression, List<Object> steps) {
    this.expression = expression;
    this.steps = steps;
  }

  /**
   * Parse a location.
   *
   * @param expression a simple JSONPath such as {@code $.data.token}
   * @return the parsed location
   * @throws JwtConfigException when the expression is empty or uses unsupported syntax
   */
  public static JsonLocation parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new JwtConfigException(
          "A JSON location is empty: give a path such as \"$.token\" or \"$.data.accessToken\".");
    }
    String e = expression.trim();
    String canonical = e.startsWith("$") ? e : "$." + e;
    List<Object> steps = new ArrayList<>();
    int i = 1; // after '$'
    int n = canonical.length();
    while (i < n) {
      char c = canonical.charAt(i);
      if (c == '.') {
        int start = ++i;
        while (i < n && canonical.charAt(i) != '.' && canonical.charAt(i) != '[') {
          char d = canonical.charAt(i);
          if (d == '*'
              || d == '?'
              || d == '('
              || d == ')'
              || d == '@'
              || Character.isWhitespace(d)) {
            throw unsupported(expression);
          }
          i++;
        }
        if (i == start) {
          throw unsupported(expression); // ".." or trailing "."
        }
        steps.add(canonical.substring(start, i));
      } else if (c == '[') {
        int close = canonical.indexOf(']', i);
        if (close < 0) {
          throw unsupported(expression);
        }
        String inside = canonical.substring(i + 1, close).trim();
        if (inside.length() >= 3
            && ((inside.startsWith("'") && inside.endsWith("'"))
                || (inside.startsWith("\"") && inside.endsWith("\"")))) {
          steps.add(inside.substring(1, inside.length() - 1));
        } else if (inside.matches("\\d{1,9}")) {
          steps.add(Integer.valueOf(inside));
        } else {
          throw unsupported(expression);
        }
        i = close + 1;
      } else {
        throw unsupported(expression);
      }
    }
    if (steps.isEmpty()) {
      throw new JwtConfigException(
          "The JSON location \""
              + expression
              + "\" points at the whole answer: name the field, e.g. \"$.token\".");
    }
    return new JsonLocation(canonical, Collections.unmodifiableList(steps));
  }

  private static JwtConfigException unsupported(String expression) {
    return new JwtConfigException(
        "The JSON location \""
            + expression
            + "\" is not supported: use dotted field names and array indexes only, e.g."
            + " \"$.data.token\", \"$.tokens[0].value\" or \"$['access-token']\".");
  }

  /**
   * Find the node at this location.
   *
   * @param root the parsed answer
   * @return the node, or null when nothing is there (a JSON {@code null} is returned as a node)
   */
  public JsonNode find(JsonNode root) {
    JsonNode node = root;
    for (Object step : steps) {
      if (node == null) {
        return null;
      }
      node = step instanceof Integer ? node.get((Integer) step) : node.get((String) step);
    }
    return node;
  }

  /**
   * @return the location as a JSONPath, e.g. {@code $.data.token}
   */
  @Override
  public String toString() {
    return expression;
  }
}
