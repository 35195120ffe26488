package io.github.gatlingjwt.examples;

import java.time.Duration;

/**
 * Every knob of the example simulations, read in one place from system properties ({@code
 * -Dname=value} on the {@code mvn gatling:test} command line). Secrets are never read from here:
 * credentials come from a CSV file or environment variables (see {@link #credentialsCsv()}).
 */
public final class ExampleConfig {

  private ExampleConfig() {}

  /** The API under test; absent: an embedded JWT API is started on 127.0.0.1. */
  static String baseUrl() {
    String url = System.getProperty("baseUrl", "").trim();
    return url.isEmpty() ? null : url;
  }

  /** Virtual users, ramped in over {@link #ramp()}. Default 50. */
  static int users() {
    return positiveInt("users", 50);
  }

  /** How long each user keeps calling protected endpoints. Default 60 s. */
  static Duration duration() {
    return Duration.ofSeconds(positiveInt("duration", 60));
  }

  /**
   * Ramp-up in seconds ({@code -Dramp}, 0: all users at once); default a sixth of the duration, at
   * most 10 s.
   */
  static Duration ramp() {
    if (!System.getProperty("ramp", "").isBlank()) {
      return seconds("ramp", 0);
    }
    return Duration.ofSeconds(Math.min(10, Math.max(1, duration().toSeconds() / 6)));
  }

  /** Refreshes spread up to this many seconds earlier than the lead asks. Default 10. */
  static Duration refreshJitter() {
    return seconds("refreshJitter", 10);
  }

  /** Access-token lifetime of the embedded API, in seconds. Default 10. */
  static Duration tokenTtl() {
    return Duration.ofSeconds(positiveInt("tokenTtl", 10));
  }

  /** Fraction of access tokens the embedded API revokes early, forcing reactive refreshes. */
  static double revokeFraction() {
    String raw = System.getProperty("revokeFraction", "0.05").trim();
    try {
      double value = Double.parseDouble(raw);
      if (value >= 0 && value <= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "-DrevokeFraction="
            + raw
            + " is not a number from 0 to 1: give e.g. -DrevokeFraction=0.05.");
  }

  /** How long before expiry a token is refreshed. Default 3 s. */
  static Duration refreshLead() {
    return seconds("refreshLead", 3);
  }

  /** The p95 response time bound of the CI gate, in ms. Default 500. */
  static int p95Millis() {
    return positiveInt("p95Ms", 500);
  }

  /**
   * The auth gate's bound on refresh requests per user. Default: twice the refreshes a user makes
   * when each token lives half its lifetime (lead and jitter are capped there), plus 2 for early
   * revocations. {@code -DmaxRefreshesPerUser=0} makes the gate fail on purpose.
   */
  static double maxRefreshesPerUser() {
    double expected = (double) duration().toSeconds() / Math.max(1, tokenTtl().toSeconds() / 2.0);
    String raw = System.getProperty("maxRefreshesPerUser", "").trim();
    if (raw.isEmpty()) {
      return Math.ceil(2 * expected) + 2;
    }
    try {
      double value = Double.parseDouble(raw);
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "-DmaxRefreshesPerUser="
            + raw
            + " is not a number of 0 or more: give e.g. -DmaxRefreshesPerUser=20.");
  }

  /** Keep login and refresh requests out of Gatling's statistics ({@code -DsilentAuth=true}). */
  static boolean silentAuth() {
    return Boolean.parseBoolean(System.getProperty("silentAuth", "false").trim());
  }

  static String loginPath() {
    return System.getProperty("loginPath", "/api/login");
  }

  static String refreshPath() {
    return System.getProperty("refreshPath", "/api/refresh_token");
  }

  static String protectedPath() {
    return System.getProperty("protectedPath", "/api/protected_resource");
  }

  static String itemsPath() {
    return System.getProperty("itemsPath", "/api/items");
  }

  static String tokenPath() {
    return System.getProperty("tokenPath", "$.token");
  }

  static String refreshTokenPath() {
    return System.getProperty("refreshTokenPath", "$.refresh_token");
  }

  /**
   * A CSV file of credentials for a real API, with a {@code username,password} header. The path is
   * not a secret; the file is, so keep it out of the repository.
   */
  static String credentialsCsv() {
    String path = System.getProperty("credentialsCsv", "").trim();
    return path.isEmpty() ? null : path;
  }

  /** A whole number of seconds, 0 or more, from {@code -Dname}. */
  static Duration seconds(String name, int fallback) {
    String raw = System.getProperty(name, String.valueOf(fallback)).trim();
    if (!raw.matches("\\d{1,6}")) {
      throw new IllegalArgumentException(
          "-D"
              + name
              + "="
              + raw
              + " is not a whole number of seconds (0 or more): give e.g. -D"
              + name
              + "="
              + fallback
              + ".");
    }
    return Duration.ofSeconds(Long.parseLong(raw));
  }

  /**
   * A positive whole number from {@code -Dname}, or {@code fallback} when it is not set.
   *
   * @throws IllegalArgumentException saying what to give, when it is not a positive whole number
   */
  public static int positiveInt(String name, int fallback) {
    String raw = System.getProperty(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "-D"
            + name
            + "="
            + raw
            + " is not a positive whole number: give e.g. -D"
            + name
            + "="
            + fallback
            + ".");
  }
}
