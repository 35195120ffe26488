package io.github.gatlingjwt.bench;

/**
 * One throughput measurement: what one load generator did during its measurement window.
 *
 * @param variant the variant's name
 * @param repetition 1, 2, 3...
 * @param requests protected calls completed in the window (a refused call and its replay count as
 *     one; logins and refreshes are not counted, their cost is in the CPU time)
 * @param ko calls among them that failed
 * @param seconds the window's length
 * @param cpuMillis the load generator's CPU time in the window (user + system, every thread)
 */
record ThroughputRun(
    String variant, int repetition, long requests, long ko, double seconds, double cpuMillis) {

  /** Protected calls per second. */
  double throughput() {
    return requests / seconds;
  }

  /** CPU time of the load generator per protected call, in microseconds. */
  double cpuMicrosPerRequest() {
    return requests == 0 ? Double.NaN : cpuMillis * 1000 / requests;
  }
}
