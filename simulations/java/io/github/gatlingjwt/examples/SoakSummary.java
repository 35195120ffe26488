package io.github.gatlingjwt.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.gatlingjwt.examples.api.EmbeddedJwtApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The figures of one {@link SoakSimulation} run, as a JSON document and as 3 lines of text. */
final class SoakSummary {

  private final Map<String, Object> json;
  private final List<String> lines;

  private SoakSummary(Map<String, Object> json, List<String> lines) {
    this.json = json;
    this.lines = lines;
  }

  static SoakSummary of(
      SoakSettings settings,
      long startedAtMillis,
      long endedAtMillis,
      List<Map<String, Object>> credentials,
      Map<String, Integer> iterationsByUser,
      EmbeddedJwtApi.Stats stats,
      List<SoakHeapSampler.Sample> samples) {
    Map<String, Object> root = new LinkedHashMap<>();

    Map<String, Object> machine = new LinkedHashMap<>();
    Runtime rt = Runtime.getRuntime();
    machine.put("cores", rt.availableProcessors());
    machine.put("maxHeapMb", rt.maxMemory() / (1024 * 1024));
    machine.put("javaVersion", System.getProperty("java.version"));
    machine.put("javaVm", System.getProperty("java.vm.name"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    List<String> gcs = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcs.add(gc.getName());
    }
    machine.put("garbageCollectors", gcs);
    machine.put("startedAt", Instant.ofEpochMilli(startedAtMillis).toString());
    machine.put("endedAt", Instant.ofEpochMilli(endedAtMillis).toString());
    machine.put("wallClockSeconds", round1((endedAtMillis - startedAtMillis) / 1000.0));
    machine.put(
        "note", "the machine may be shared with other builds: timings are noisy, counts are not");
    root.put("machine", machine);

    Map<String, Object> s = new LinkedHashMap<>();
    s.put("users", settings.users());
    s.put("durationSeconds", settings.duration().toSeconds());
    s.put("rampSeconds", settings.ramp().toSeconds());
    s.put("tokenTtlSeconds", settings.tokenTtl().toSeconds());
    s.put("earlyRevocation", "none");
    s.put("refreshLeadConfiguredSeconds", settings.refreshLead().toSeconds());
    s.put("refreshLeadEffectiveMillis", settings.effectiveLead().toMillis());
    s.put("paceMillis", settings.pace().toMillis());
    s.put("callsPerIteration", List.of("GET /api/protected_resource", "GET /api/items"));
    s.put("heapSampleSeconds", settings.heapSamplePeriod().toSeconds());
    s.put("warmUpSeconds", settings.warmUp().toSeconds());
    root.put("settings", s);

    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("loginsOk", stats.loginsOk());
    counts.put("loginsFailed", stats.loginsFailed());
    counts.put("refreshesOk", stats.refreshesOk());
    counts.put("refreshesRefused", stats.refreshesRefused());
    counts.put("protectedOk", stats.protectedOk());
    counts.put("protectedUnauthorized", stats.protectedUnauthorized());
    counts.put("protectedUnauthorizedByReason", stats.unauthorizedByReason());
    counts.put("emptyBearerRequests", stats.emptyBearerRequests());
    counts.put("refreshTokensPresented", stats.refreshTokensPresented());
    counts.put("refreshTokensPresentedMoreThanOnce", stats.refreshTokensPresentedMoreThanOnce());
    counts.put("maxPresentationsOfOneRefreshToken", stats.maxPresentationsOfOneRefreshToken());
    counts.put(
        "note",
        "server-side counts of the embedded API; every 401 is either recovered by a '(replay)'"
            + " request of the Gatling report or is a KO there");
    root.put("counts", counts);

    // ---- refreshes per user ----
    Map<String, Long> refreshes = stats.refreshesOkByUser();
    Map<String, Long> logins = stats.loginsOkByUser();
    List<Integer> deltas = new ArrayList<>();
    List<Long> actuals = new ArrayList<>();
    Map<Integer, Integer> deltaHistogram = new TreeMap<>();
    Map<String, Object> outliers = new LinkedHashMap<>();
    int within = 0;
    int withinNominal = 0;
    int nominal = settings.expectedRefreshes(settings.nominalIterations());
    List<String> usernames = new ArrayList<>();
    for (Map<String, Object> c : credentials) {
      usernames.add((String) c.get("username"));
    }
    for (String user : usernames) {
      int iterations = iterationsByUser.getOrDefault(user, 0);
      long actual = refreshes.getOrDefault(user, 0L);
      int expected = settings.expectedRefreshes(iterations);
      int delta = (int) (actual - expected);
      deltas.add(delta);
      actuals.add(actual);
      deltaHistogram.merge(delta, 1, Integer::sum);
      if (Math.abs(delta) <= 1) {
        within++;
      } else {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("iterations", iterations);
        o.put("expected", expected);
        o.put("actual", actual);
        o.put("logins", logins.getOrDefault(user, 0L));
        outliers.put(user, o);
      }
      if (Math.abs(actual - nominal) <= 1) {
        withinNominal++;
      }
    }
    Collections.sort(deltas);
    Collections.sort(actuals);
    Map<String, Object> perUser = new LinkedHashMap<>();
    perUser.put(
        "expectedDefinition",
        "A token has exp - iat = tokenTtl; the plugin gives it the local lifetime L = tokenTtl - 1 s"
            + " and refreshes at the first call at or after receipt + T, T = L - min(lead, L/2)."
            + " Each user runs iteration j (2 calls) at anchor + j * pace (anchor = end of its"
            + " login), so it refreshes every m = floor(T / pace) + 1 iterations, i.e. every m *"
            + " pace: a user that ran n iterations is expected to make floor((n - 1) / m)"
            + " refreshes. The margins say how far T lies from the nearest iteration slots, i.e."
            + " how much timing noise the count tolerates. Actual = refreshes answered 200 by the"
            + " server for that user.");
    perUser.put("refreshOffsetMillis", settings.refreshOffset().toMillis());
    perUser.put("iterationsPerRefresh", settings.iterationsPerRefresh());
    perUser.put("refreshIntervalMillis", settings.refreshInterval().toMillis());
    perUser.put("marginBeforeMillis", settings.marginBefore().toMillis());
    perUser.put("marginAfterMillis", settings.marginAfter().toMillis());
    perUser.put("nominalIterations", settings.nominalIterations());
    perUser.put("nominalExpected", nominal);
    perUser.put("usersChecked", usernames.size());
    perUser.put("usersThatRan", iterationsByUser.size());
    perUser.put("deltaMin", deltas.isEmpty() ? null : deltas.get(0));
    perUser.put("deltaMedian", deltas.isEmpty() ? null : medianInt(deltas));
    perUser.put("deltaMax", deltas.isEmpty() ? null : deltas.get(deltas.size() - 1));
    perUser.put("deltaHistogram", deltaHistogram);
    perUser.put("usersWithinOne", within);
    perUser.put("usersWithinOneOfNominal", withinNominal);
    perUser.put("actualMin", actuals.isEmpty() ? null : actuals.get(0));
    perUser.put("actualMax", actuals.isEmpty() ? null : actuals.get(actuals.size() - 1));
    perUser.put("usersOutsideOne", outliers);
    root.put("refreshesPerUser", perUser);

    // ---- heap ----
    Map<String, Object> heap = new LinkedHashMap<>();
    heap.put(
        "definition",
        "heap used right after System.gc() (MemoryMXBean), MB, sampled every heapSampleSeconds"
            + " after warmUpSeconds; the JVM holds Gatling, the plugin and the embedded API");
    heap.put("count", samples.size());
    double lsSlope = Double.NaN;
    double tsSlope = Double.NaN;
    if (!samples.isEmpty()) {
      double max = Double.NEGATIVE_INFINITY;
      double min = Double.POSITIVE_INFINITY;
      for (SoakHeapSampler.Sample x : samples) {
        max = Math.max(max, x.usedMb());
        min = Math.min(min, x.usedMb());
      }
      heap.put("firstMb", round1(samples.get(0).usedMb()));
      heap.put("lastMb", round1(samples.get(samples.size() - 1).usedMb()));
      heap.put("minMb", round1(min));
      heap.put("maxMb", round1(max));
      lsSlope = leastSquaresSlopePerMinute(samples);
      tsSlope = theilSenSlopePerMinute(samples);
    }
    heap.put("slopeMbPerMinute", Double.isNaN(lsSlope) ? null : round3(lsSlope));
    heap.put("theilSenSlopeMbPerMinute", Double.isNaN(tsSlope) ? null : round3(tsSlope));
    List<List<Double>> raw = new ArrayList<>();
    for (SoakHeapSampler.Sample x : samples) {
      raw.add(List.of(round1(x.seconds()), round1(x.usedMb())));
    }
    heap.put("samplesSecondsMb", raw);
    root.put("heapAfterGc", heap);

    List<String> text = new ArrayList<>();
    text.add(
        String.format(
            Locale.ROOT,
            "Soak: %s; logins %d, refreshes %d (refused %d), protected OK %d, 401 %d %s.",
            settings,
            stats.loginsOk(),
            stats.refreshesOk(),
            stats.refreshesRefused(),
            stats.protectedOk(),
            stats.protectedUnauthorized(),
            stats.unauthorizedByReason()));
    text.add(
        String.format(
            Locale.ROOT,
            "Refreshes per user minus expected: min %s, median %s, max %s; %d of %d users within"
                + " 1; refresh tokens presented more than once: %d.",
            perUser.get("deltaMin"),
            perUser.get("deltaMedian"),
            perUser.get("deltaMax"),
            within,
            usernames.size(),
            stats.refreshTokensPresentedMoreThanOnce()));
    text.add(
        String.format(
            Locale.ROOT,
            "Heap after GC: %d samples, first %s MB, last %s MB, max %s MB, slope %.3f MB/min"
                + " (Theil-Sen %.3f).",
            samples.size(),
            heap.get("firstMb"),
            heap.get("lastMb"),
            heap.get("maxMb"),
            lsSlope,
            tsSlope));
    return new SoakSummary(root, text);
  }

  /** Writes the pretty-printed JSON; returns the absolute path written. */
  Path write(Path path) {
    Path file = path.toAbsolutePath();
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the soak summary to " + file, e);
    }
  }

  List<String> humanLines(Path written) {
    List<String> out = new ArrayList<>(lines);
    out.set(2, out.get(2) + " Summary: " + written);
    return out;
  }

  static double leastSquaresSlopePerMinute(List<SoakHeapSampler.Sample> samples) {
    int n = samples.size();
    if (n < 2) {
      return Double.NaN;
    }
    double mx = 0;
    double my = 0;
    for (SoakHeapSampler.Sample s : samples) {
      mx += s.seconds();
      my += s.usedMb();
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    for (SoakHeapSampler.Sample s : samples) {
      sxy += (s.seconds() - mx) * (s.usedMb() - my);
      sxx += (s.seconds() - mx) * (s.seconds() - mx);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx * 60.0;
  }

  /** The median of the slopes of every pair of samples: one outlier cannot move it. */
  static double theilSenSlopePerMinute(List<SoakHeapSampler.Sample> samples) {
    List<Double> slopes = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      for (int j = i + 1; j < samples.size(); j++) {
        double dt = samples.get(j).seconds() - samples.get(i).seconds();
        if (dt > 0) {
          slopes.add((samples.get(j).usedMb() - samples.get(i).usedMb()) / dt * 60.0);
        }
      }
    }
    if (slopes.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(slopes);
    int n = slopes.size();
    return n % 2 == 1 ? slopes.get(n / 2) : (slopes.get(n / 2 - 1) + slopes.get(n / 2)) / 2;
  }

  private static double medianInt(List<Integer> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  private static double round1(double v) {
    return Math.round(v * 10.0) / 10.0;
  }

  private static double round3(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
