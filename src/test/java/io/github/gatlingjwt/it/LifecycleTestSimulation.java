package io.github.gatlingjwt.it;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;
import static io.github.gatlingjwt.JwtDsl.*;

import io.gatling.javaapi.core.*;
import io.gatling.javaapi.http.*;
import io.github.gatlingjwt.JwtAuth;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The simulation the integration tests run against stub servers. Every knob is a system property so
 * one class serves every test:
 *
 * <ul>
 *   <li>{@code it.baseUrl}: the stub server
 *   <li>{@code it.users}: virtual users, injected at once (default 1)
 *   <li>{@code it.calls}: protected calls per user (default 1), {@code it.pauseMs} between them
 *   <li>{@code it.requireJwt}, {@code it.successPath} / {@code it.successValue}, {@code
 *       it.authTimeoutMs}, {@code it.backoffMs} / {@code it.maxBackoffMs}, {@code it.loginSpreadMs}
 *   <li>{@code it.tokenPath}, {@code it.leadSeconds}, {@code it.loginAttempts}, {@code it.refused}
 *       (comma-separated statuses), {@code it.noRefreshToken}
 *   <li>{@code it.explicitLogin}: run {@code auth.login()} before the calls (default true)
 *   <li>{@code it.checkStatus}: add {@code status().is(200)} to the protected request
 *   <li>{@code it.exitIfFailed}: {@code exitHereIfFailed()} after each call
 *   <li>{@code it.mode}: {@code repeat} (default), {@code tryMax} (each call in {@code tryMax(2)}),
 *       {@code duringCut} (calls in a {@code during(it.loopMs)} loop, then one "after loop" call)
 *   <li>{@code it.protocolCheck}: {@code status200} or {@code status200or404} on the protocol
 *   <li>{@code it.silentAuth}: keep login and refresh out of the statistics
 * </ul>
 */
public class LifecycleTestSimulation extends Simulation {

  static String prop(String name, String fallback) {
    return System.getProperty("it." + name, fallback);
  }

  static int intProp(String name, int fallback) {
    return Integer.parseInt(prop(name, String.valueOf(fallback)));
  }

  JwtAuth auth() {
    JwtAuth auth =
        jwtAuth
            .credentials("#{username}", "#{password}")
            .tokenPath(prop("tokenPath", "$.token"))
            .refreshLeadTime(Duration.ofSeconds(intProp("leadSeconds", 10)))
            .loginAttempts(
                intProp("loginAttempts", 1),
                Duration.ofMillis(intProp("backoffMs", 100)),
                Duration.ofMillis(intProp("maxBackoffMs", 1000)));
    if (Boolean.parseBoolean(prop("requireJwt", "false"))) {
      auth = auth.requireJwt();
    }
    if (!prop("successPath", "").isEmpty()) {
      auth = auth.successWhen(prop("successPath", ""), prop("successValue", "success"));
    }
    if (intProp("loginSpreadMs", 0) > 0) {
      auth = auth.loginSpread(Duration.ofMillis(intProp("loginSpreadMs", 0)));
    }
    if (intProp("authTimeoutMs", 0) > 0) {
      auth = auth.authRequestTimeout(Duration.ofMillis(intProp("authTimeoutMs", 0)));
    }
    String refused = prop("refused", "401");
    auth =
        auth.refusedStatuses(
            Stream.of(refused.split(",")).map(Integer::valueOf).toArray(Integer[]::new));
    if (Boolean.parseBoolean(prop("noRefreshToken", "false"))) {
      auth = auth.noRefreshToken();
    }
    if (Boolean.parseBoolean(prop("silentAuth", "false"))) {
      auth = auth.silentAuth();
    }
    return auth;
  }

  {
    AtomicInteger n = new AtomicInteger();
    Iterator<Map<String, Object>> credentials =
        Stream.generate(
                () -> {
                  int i = n.incrementAndGet();
                  Map<String, Object> m = new HashMap<>();
                  m.put("username", "user" + i);
                  m.put("password", "secret-pw-" + i);
                  return m;
                })
            .iterator();

    JwtAuth auth = auth();
    HttpRequestActionBuilder protectedCall = http("protected").get("/api/protected_resource");
    if (Boolean.parseBoolean(prop("checkStatus", "false"))) {
      protectedCall = protectedCall.check(status().is(200));
    }
    ChainBuilder calls;
    switch (prop("mode", "repeat")) {
      case "tryMax" ->
          // a user's own retry loop around the call
          calls =
              repeat(intProp("calls", 1))
                  .on(tryMax(2).on(exec(auth.call(protectedCall.check(status().is(200))))));
      case "duringCut" ->
          // a during loop that ends (exitASAP) while a refresh is in flight, then one more call
          calls =
              during(Duration.ofMillis(intProp("loopMs", 1000)))
                  .on(exec(auth.call(protectedCall)))
                  .exec(auth.call(http("after loop").get("/api/protected_resource")));
      default ->
          calls =
              repeat(intProp("calls", 1))
                  .on(
                      exec(auth.call(protectedCall))
                          .doIf(session -> Boolean.parseBoolean(prop("exitIfFailed", "false")))
                          .then(exitHereIfFailed())
                          .pause(Duration.ofMillis(intProp("pauseMs", 0))));
    }
    ScenarioBuilder scn =
        scenario("it")
            .feed(credentials)
            .doIf(session -> Boolean.parseBoolean(prop("explicitLogin", "true")))
            .then(exec(auth.login()))
            .exec(calls)
            .exec(session -> session.set("done", true));

    HttpProtocolBuilder protocol = http.baseUrl(prop("baseUrl", "http://127.0.0.1:1"));
    switch (prop("protocolCheck", "none")) {
      case "status200" -> protocol = protocol.check(status().is(200));
      case "status200or404" -> protocol = protocol.check(status().in(200, 404));
      default -> {}
    }
    setUp(scn.injectOpen(atOnceUsers(intProp("users", 1)))).protocols(protocol);
  }
}
