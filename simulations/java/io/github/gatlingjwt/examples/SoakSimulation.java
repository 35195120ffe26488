package io.github.gatlingjwt.examples;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;
import static io.github.gatlingjwt.JwtDsl.*;

import io.gatling.javaapi.core.*;
import io.gatling.javaapi.http.*;
import io.github.gatlingjwt.JwtAuth;
import io.github.gatlingjwt.examples.api.EmbeddedJwtApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A soak: short-lived tokens refreshed again and again for a long time, with the figures that say
 * whether the plugin held up written to a JSON summary.
 *
 * <pre>
 * mvn gatling:test -Dgatling.simulationClass=io.github.gatlingjwt.examples.SoakSimulation \
 *     -Dduration=1800 -DsoakSummary=results/soak-30min.json
 * </pre>
 *
 * <p>It starts the embedded JWT API in this JVM ({@code -DtokenTtl} second tokens, default 5, no
 * early revocation) and injects {@code -Dusers} users (default 100) over {@code -DrampSeconds}
 * (default 5). Each logs in once, then for {@code -Dduration} seconds (default 1800) runs one
 * iteration per {@code -DpaceMs} slot of its own fixed grid (iteration {@code j} starts at {@code
 * anchor + j * pace}, the anchor being the end of its login; a late iteration does not shift the
 * later ones): {@code GET /api/protected_resource} then {@code GET /api/items}, both through {@code
 * auth.call(...)}.
 *
 * <p>Expected refreshes. A token of the embedded API has {@code exp - iat = tokenTtl}, so the
 * plugin gives it the local lifetime {@code L = tokenTtl - 1 s} and refreshes it at the first call
 * at or after {@code receipt + T}, where {@code T = L - min(refreshLead, L / 2)} (5 s tokens, 3 s
 * lead: {@code T = 2 s}). Calls come on a grid of pace {@code P}, so a user refreshes every {@code
 * m = floor(T / P) + 1} iterations: a user that ran {@code n} iterations is expected to refresh
 * {@code floor((n - 1) / m)} times. The default pace {@code P = 2T / 3} (1333 ms) puts {@code T} in
 * the middle between two grid points, so timing noise of up to {@code T / 3} (667 ms) does not
 * change the count; a pace that puts {@code T} within 100 ms of a grid point is refused.
 *
 * <p>A daemon thread samples the heap used after {@code System.gc()} every {@code
 * -DheapSampleSeconds} (default 10), ignoring the first {@code -DwarmUpSeconds} (default 20). At
 * the end, the summary is written to {@code -DsoakSummary} (default {@code
 * results/soak-summary.json}) and 3 lines are printed. The run fails (Gatling assertion) when any
 * request failed; the per-user refresh counts and the heap trend are judged by whoever reads the
 * summary ({@code SoakIntegrationTest} in CI).
 */
public class SoakSimulation extends Simulation {

  static final String ANCHOR = "soakAnchorMillis";
  static final String ITERATION = "soakIteration";

  private final SoakSettings settings = SoakSettings.fromSystemProperties();
  private final EmbeddedJwtApi api;
  private final SoakHeapSampler heap;
  private final Map<String, AtomicInteger> iterationsByUser = new ConcurrentHashMap<>();
  private volatile long startedAtMillis;

  static final HttpRequestActionBuilder protectedResource =
      http("protected resource").get("/api/protected_resource");

  static final HttpRequestActionBuilder listItems = http("items: list").get("/api/items");

  public SoakSimulation() {
    JwtAuth auth =
        jwtAuth
            .loginUrl("/api/login")
            .credentials("#{username}", "#{password}")
            .tokenPath("$.token")
            .refreshTokenPath("$.refresh_token")
            .refreshUrl("/api/refresh_token")
            .refreshLeadTime(settings.refreshLead());

    api =
        EmbeddedJwtApi.start(
            EmbeddedJwtApi.Options.defaults()
                .tokenTtl(settings.tokenTtl())
                .users(settings.users()));
    heap =
        new SoakHeapSampler(settings.heapSamplePeriod().toMillis(), settings.warmUp().toMillis());
    System.out.println("Soak against the embedded JWT API on " + api.baseUrl() + ": " + settings);

    long paceMillis = settings.pace().toMillis();
    ScenarioBuilder users =
        scenario("soak users")
            .feed(listFeeder(api.credentials()).queue())
            .exec(auth.login())
            .exec(session -> session.set(ANCHOR, System.currentTimeMillis()))
            .during(settings.duration(), ITERATION)
            .on(
                pause(
                        session -> {
                          long slot =
                              session.getLong(ANCHOR) + session.getInt(ITERATION) * paceMillis;
                          return Duration.ofMillis(Math.max(0, slot - System.currentTimeMillis()));
                        })
                    .exec(
                        session -> {
                          iterationsByUser
                              .computeIfAbsent(
                                  session.getString("username"), u -> new AtomicInteger())
                              .incrementAndGet();
                          return session;
                        })
                    .exec(auth.call(protectedResource))
                    .exec(auth.call(listItems)));

    setUp(users.injectOpen(rampUsers(settings.users()).during(settings.ramp())))
        .protocols(http.baseUrl(api.baseUrl()).acceptHeader("application/json"))
        .assertions(global().failedRequests().count().is(0L));
  }

  @Override
  public void before() {
    startedAtMillis = System.currentTimeMillis();
    heap.start();
  }

  @Override
  public void after() {
    try {
      List<SoakHeapSampler.Sample> samples = heap.stop();
      Map<String, Integer> iterations = new TreeMap<>();
      iterationsByUser.forEach((user, n) -> iterations.put(user, n.get()));
      SoakSummary summary =
          SoakSummary.of(
              settings,
              startedAtMillis,
              System.currentTimeMillis(),
              api.credentials(),
              iterations,
              api.stats(),
              samples);
      Path written = summary.write(settings.summaryPath());
      summary.humanLines(written).forEach(System.out::println);
    } finally {
      api.close();
    }
  }
}
