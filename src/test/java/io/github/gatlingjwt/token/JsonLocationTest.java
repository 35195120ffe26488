package io.github.gatlingjwt.token;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonLocationTest {

  static JsonNode json(String s) throws Exception {
    return new ObjectMapper().readTree(s);
  }

  @Test
  void findsTopLevelNestedIndexedAndQuotedFields() throws Exception {
    JsonNode root =
        json(
            "{\"token\":\"a\",\"data\":{\"accessToken\":\"b\"},\"list\":[{\"v\":\"c\"}],\"x-y\":\"d\"}");
    assertEquals("a", JsonLocation.parse("$.token").find(root).textValue());
    assertEquals("a", JsonLocation.parse("token").find(root).textValue());
    assertEquals("b", JsonLocation.parse("$.data.accessToken").find(root).textValue());
    assertEquals("c", JsonLocation.parse("$.list[0].v").find(root).textValue());
    assertEquals("d", JsonLocation.parse("$['x-y']").find(root).textValue());
  }

  @Test
  void returnsNullWhenNothingIsThere() throws Exception {
    JsonNode root = json("{\"data\":{\"token\":\"a\"}}");
    assertNull(JsonLocation.parse("$.token").find(root));
    assertNull(JsonLocation.parse("$.data.token.deeper").find(root));
    assertNull(JsonLocation.parse("$.data[3]").find(root));
  }

  @Test
  void printsAsJsonPath() {
    assertEquals("$.data.token", JsonLocation.parse("data.token").toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$..token",
        "$.*",
        "$.data[?(@.x)]",
        "$.a.",
        "$[abc]",
        "$.a b",
        "$['']",
        "$.tokens[99999999999]"
      })
  void rejectsUnsupportedSyntaxWithASentence(String bad) {
    JwtConfigException e = assertThrows(JwtConfigException.class, () -> JsonLocation.parse(bad));
    assertTrue(e.getMessage().contains("\"" + bad + "\" is not supported"), e.getMessage());
    assertTrue(e.getMessage().contains("e.g."), e.getMessage());
  }

  @Test
  void rejectsEmptyAndWholeDocument() {
    assertTrue(
        assertThrows(JwtConfigException.class, () -> JsonLocation.parse(" "))
            .getMessage()
            .contains("empty"));
    assertTrue(
        assertThrows(JwtConfigException.class, () -> JsonLocation.parse("$"))
            .getMessage()
            .contains("whole answer"));
  }
}
