package io.github.gatlingjwt;

import io.github.gatlingjwt.internal.AuthMetrics;
import io.github.gatlingjwt.internal.AuthMetrics.Counter;
import io.github.gatlingjwt.token.JwtConfigException;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A condition on the auth counters of a run, checked when the run ends, like Gatling's own
 * assertions: when one fails, Gatling's process exits with status 2 and {@code mvn gatling:test}
 * fails. Start from {@link JwtDsl#authMetrics()} and attach with {@link JwtAuth#assertions}.
 *
 * <pre>{@code
 * auth = auth.assertions(
 *     authMetrics().authFailures().is(0),
 *     authMetrics().unrecoveredRefusals().is(0),
 *     authMetrics().refreshesPerUser().lte(12));
 * }</pre>
 *
 * Instances are immutable.
 */
public final class AuthAssertion {

  private final String metric;
  private final ToDoubleFunction<AuthMetrics.Snapshot> read;
  private final String condition;
  private final double low;
  private final double high;

  private AuthAssertion(
      String metric,
      ToDoubleFunction<AuthMetrics.Snapshot> read,
      String condition,
      double low,
      double high) {
    this.metric = metric;
    this.read = read;
    this.condition = condition;
    this.low = low;
    this.high = high;
  }

  /**
   * Whether the condition holds for a snapshot of the counters. Called when the run ends.
   *
   * @param snapshot the counters
   * @return true when it holds
   */
  public boolean holds(AuthMetrics.Snapshot snapshot) {
    double actual = read.applyAsDouble(snapshot);
    return switch (condition) {
      case "is" -> actual == low;
      case "lt" -> actual < high;
      case "lte" -> actual <= high;
      case "gt" -> actual > low;
      case "gte" -> actual >= low;
      case "between" -> actual >= low && actual <= high;
      default -> throw new IllegalStateException("unknown condition " + condition);
    };
  }

  /**
   * The value the assertion reads.
   *
   * @param snapshot the counters
   * @return the value
   */
  public double actual(AuthMetrics.Snapshot snapshot) {
    return read.applyAsDouble(snapshot);
  }

  /**
   * @return a sentence such as "auth failures is 0"
   */
  @Override
  public String toString() {
    return switch (condition) {
      case "is" -> metric + " is " + number(low);
      case "lt" -> metric + " is less than " + number(high);
      case "lte" -> metric + " is at most " + number(high);
      case "gt" -> metric + " is greater than " + number(low);
      case "gte" -> metric + " is at least " + number(low);
      default -> metric + " is between " + number(low) + " and " + number(high);
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthAssertion a && a.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.valueOf((long) value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  /** The counters assertions can read. Returned by {@link JwtDsl#authMetrics()}. */
  public static final class Metrics {

    Metrics() {}

    /**
     * @return the login and refresh requests that gave no token (KO, or no answer)
     */
    public Metric authFailures() {
      return new Metric("auth failures", AuthMetrics.Snapshot::authFailures);
    }

    /**
     * @return the refused protected calls whose replay was refused again or not sent
     */
    public Metric unrecoveredRefusals() {
      return new Metric("unrecovered refusals", AuthMetrics.Snapshot::unrecoveredRefusals);
    }

    /**
     * @return the virtual users stopped because they could get no token
     */
    public Metric usersStopped() {
      return counter("users stopped for auth", Counter.USERS_STOPPED);
    }

    /**
     * @return the refresh requests, proactive and reactive, divided by the users
     */
    public Metric refreshesPerUser() {
      return new Metric("refreshes per user", AuthMetrics.Snapshot::refreshesPerUser);
    }

    /**
     * @return the login requests (retries included) divided by the users
     */
    public Metric loginsPerUser() {
      return new Metric("logins per user", AuthMetrics.Snapshot::loginsPerUser);
    }

    /**
     * @return the login requests, retries included
     */
    public Metric loginRequests() {
      return counter("login requests", Counter.LOGIN_REQUESTS);
    }

    /**
     * @return the refresh requests, proactive and reactive
     */
    public Metric refreshRequests() {
      return new Metric("refresh requests", AuthMetrics.Snapshot::refreshRequests);
    }

    /**
     * @return the successful logins of users that already held a token
     */
    public Metric reLogins() {
      return counter("re-logins", Counter.RE_LOGINS);
    }

    /**
     * @return the protected calls refused and replayed
     */
    public Metric refusals() {
      return counter("refusals", Counter.REFUSALS);
    }

    /**
     * @return the login and refresh attempts made again after a 429 answer
     */
    public Metric retriesAfter429() {
      return counter("retries after 429", Counter.RETRIES_AFTER_429);
    }

    private static Metric counter(String name, Counter counter) {
      return new Metric(name, s -> s.get(counter));
    }
  }

  /** One counter, waiting for its condition. */
  public static final class Metric {
    private final String name;
    private final ToDoubleFunction<AuthMetrics.Snapshot> read;

    Metric(String name, ToDoubleFunction<AuthMetrics.Snapshot> read) {
      this.name = name;
      this.read = read;
    }

    /**
     * @param value the expected value
     * @return a new assertion
     */
    public AuthAssertion is(double value) {
      return new AuthAssertion(name, read, "is", value, value);
    }

    /**
     * @param value the bound, excluded
     * @return a new assertion
     */
    public AuthAssertion lt(double value) {
      return new AuthAssertion(name, read, "lt", Double.NEGATIVE_INFINITY, value);
    }

    /**
     * @param value the bound, included
     * @return a new assertion
     */
    public AuthAssertion lte(double value) {
      return new AuthAssertion(name, read, "lte", Double.NEGATIVE_INFINITY, value);
    }

    /**
     * @param value the bound, excluded
     * @return a new assertion
     */
    public AuthAssertion gt(double value) {
      return new AuthAssertion(name, read, "gt", value, Double.POSITIVE_INFINITY);
    }

    /**
     * @param value the bound, included
     * @return a new assertion
     */
    public AuthAssertion gte(double value) {
      return new AuthAssertion(name, read, "gte", value, Double.POSITIVE_INFINITY);
    }

    /**
     * @param low the lower bound, included
     * @param high the upper bound, included
     * @return a new assertion
     */
    public AuthAssertion between(double low, double high) {
      if (low > high) {
        throw new JwtConfigException(
            "The bounds of "
                + name
                + " are "
                + number(low)
                + " and "
                + number(high)
                + ": give the lower bound first, e.g. between(1, 12).");
      }
      return new AuthAssertion(name, read, "between", low, high);
    }
  }
}
