package io.github.gatlingjwt.it;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.gatlingjwt.testkit.GatlingRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WireMock stub of a JWT API, started for each test on 127.0.0.1, and the means to run {@link
 * LifecycleTestSimulation} against it and read what crossed the wire. A request no stub matched
 * fails the test: a wrong URL, body or header is never silently accepted.
 */
abstract class StubApiTestBase {

  static final String LOGIN = "/api/login";
  static final String REFRESH = "/api/refresh_token";
  static final String PROTECTED = "/api/protected_resource";

  WireMockServer wm;
  @TempDir Path results;

  @BeforeEach
  void start() {
    wm = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
    wm.start();
  }

  @AfterEach
  void stop() {
    assertTrue(
        wm.findAllUnmatchedRequests().isEmpty(), "unmatched: " + wm.findAllUnmatchedRequests());
    wm.stop();
  }

  /** Run the test simulation with {@code it.*} properties (the {@code it.} prefix is added). */
  GatlingRun run(Map<String, String> props) throws Exception {
    return run(props, Map.of());
  }

  /** Run it with {@code it.*} properties and other system properties, taken as they are. */
  GatlingRun run(Map<String, String> props, Map<String, String> systemProperties) throws Exception {
    Map<String, String> all = new LinkedHashMap<>(systemProperties);
    all.put("it.baseUrl", wm.baseUrl());
    props.forEach((k, v) -> all.put("it." + k, v));
    return GatlingRun.run(LifecycleTestSimulation.class, all, results);
  }

  static String tokenBody(String token, String refreshToken, Integer expiresIn) {
    StringBuilder sb = new StringBuilder("{\"token\":\"").append(token).append('"');
    if (refreshToken != null) {
      sb.append(",\"refresh_token\":\"").append(refreshToken).append('"');
    }
    if (expiresIn != null) {
      sb.append(",\"expires_in\":").append(expiresIn);
    }
    return sb.append('}').toString();
  }

  /** Login answers in sequence; the last one repeats. */
  void stubLogins(ResponseDefinitionBuilder... answers) {
    for (int i = 0; i < answers.length; i++) {
      String state = i == 0 ? STARTED : "login-" + i;
      var stub = post(LOGIN).inScenario("logins").whenScenarioStateIs(state);
      if (i + 1 < answers.length) {
        stub = stub.willSetStateTo("login-" + (i + 1));
      }
      wm.stubFor(stub.willReturn(answers[i]));
    }
  }

  void stubProtected(String token, int status) {
    wm.stubFor(
        get(PROTECTED)
            .withHeader("Authorization", equalTo("Bearer " + token))
            .willReturn(
                status == 200
                    ? okJson("{\"user\":\"user1\"}")
                    : jsonResponse("{\"error\":\"invalid_token\"}", status)
                        .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")));
  }

  void stubRefresh(String spent, String body, int status) {
    wm.stubFor(
        post(REFRESH)
            .withRequestBody(equalToJson("{\"refresh_token\":\"" + spent + "\"}"))
            .willReturn(jsonResponse(body, status)));
  }

  List<String> bearersSent() {
    return wm.findAll(getRequestedFor(urlEqualTo(PROTECTED))).stream()
        .sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()))
        .map(r -> r.getHeader("Authorization"))
        .collect(Collectors.toList());
  }

  List<String> refreshTokensSent() {
    return refreshesSent().stream()
        .map(LoggedRequest::getBodyAsString)
        .collect(Collectors.toList());
  }

  List<LoggedRequest> refreshesSent() {
    return wm.findAll(postRequestedFor(urlEqualTo(REFRESH))).stream()
        .sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()))
        .collect(Collectors.toList());
  }

  List<LoggedRequest> loginsSent() {
    return wm.findAll(postRequestedFor(urlEqualTo(LOGIN))).stream()
        .sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()))
        .collect(Collectors.toList());
  }
}
