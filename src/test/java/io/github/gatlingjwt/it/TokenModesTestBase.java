package io.github.gatlingjwt.it;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static org.junit.jupiter.api.Assertions.*;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.gatlingjwt.testkit.GatlingRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Runs {@link TokenModesTestSimulation} against the WireMock stub, and what its tests share. */
abstract class TokenModesTestBase extends StubApiTestBase {

  static final String TOKEN_URL = "/oauth/token";

  /** Run with {@code it.*} properties (the prefix is added); {@code baseUrl} may be overridden. */
  GatlingRun runModes(Map<String, String> props) throws Exception {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("it.baseUrl", wm.baseUrl());
    props.forEach((k, v) -> all.put("it." + k, v));
    return GatlingRun.run(TokenModesTestSimulation.class, all, results);
  }

  /** Every request the stub received, in order. */
  List<LoggedRequest> allRequests() {
    return wm.findAll(anyRequestedFor(anyUrl())).stream()
        .sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()))
        .toList();
  }

  /** No request carried an empty, null or undefined credential. */
  void assertNoEmptyCredentialOnTheWire() {
    for (LoggedRequest r : allRequests()) {
      String auth = r.getHeader("Authorization");
      if (auth != null) {
        String v = auth.trim();
        assertFalse(
            v.equals("Bearer") || v.equals("Bearer null") || v.equals("Bearer undefined"),
            r.getUrl() + " went out with Authorization: " + auth);
      }
    }
  }

  /** Everything the run printed or wrote: console, simulation.log, the report. */
  String everythingWritten(GatlingRun run) throws Exception {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(results)) {
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    StringBuilder all = new StringBuilder(run.output());
    for (Path file : files) {
      all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
    }
    return all.toString();
  }
}
