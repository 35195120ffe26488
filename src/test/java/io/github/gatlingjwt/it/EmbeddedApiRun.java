package io.github.gatlingjwt.it;

import io.github.gatlingjwt.examples.api.EmbeddedJwtApi;
import io.github.gatlingjwt.testkit.GatlingRun;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a test simulation driven by {@code it.*} knobs against an embedded API the test started:
 * {@code it.baseUrl} and {@code it.credentialsCsv} (the API's accounts) are set, the other knobs
 * get the {@code it.} prefix.
 */
final class EmbeddedApiRun {

  private EmbeddedApiRun() {}

  static GatlingRun run(
      Class<?> simulation, EmbeddedJwtApi api, Map<String, String> knobs, Path dir)
      throws Exception {
    Path csv = api.writeCredentialsCsv(dir.resolve("credentials.csv"));
    Map<String, String> props = new HashMap<>();
    props.put("it.baseUrl", api.baseUrl());
    props.put("it.credentialsCsv", csv.toString());
    knobs.forEach((k, v) -> props.put("it." + k, v));
    return GatlingRun.run(simulation, props, dir.resolve("results"));
  }
}
