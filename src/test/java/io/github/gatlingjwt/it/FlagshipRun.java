package io.github.gatlingjwt.it;

import io.github.gatlingjwt.examples.JwtLifecycleSimulation;
import io.github.gatlingjwt.examples.api.EmbeddedJwtApi;
import io.github.gatlingjwt.testkit.GatlingRun;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the example simulation against an embedded API the test started (so the test can read its
 * counters), through the knobs a user targeting their own API would use: {@code -DbaseUrl} and
 * {@code -DcredentialsCsv}.
 */
final class FlagshipRun {

  private FlagshipRun() {}

  /**
   * @param api the API under test
   * @param knobs the example's other {@code -D} knobs (users, duration, refreshLead...)
   * @param dir where the credentials CSV and the results go
   */
  static GatlingRun against(EmbeddedJwtApi api, Map<String, String> knobs, Path dir)
      throws Exception {
    Path csv = api.writeCredentialsCsv(dir.resolve("credentials.csv"));
    Map<String, String> props = new HashMap<>(knobs);
    props.put("baseUrl", api.baseUrl());
    props.put("credentialsCsv", csv.toString());
    return GatlingRun.run(JwtLifecycleSimulation.class, props, dir.resolve("results"));
  }
}
