package io.github.gatlingjwt.bench;

/**
 * One memory measurement: the bytes of the load generator's live objects (a class histogram, after
 * a full GC), before any user started and with every user logged in and holding.
 *
 * @param variant the variant's name
 * @param repetition 1, 2, 3...
 * @param users users injected
 * @param holding users that had logged in when the heap was read
 * @param heapBeforeBytes live bytes before the first user
 * @param heapHoldingBytes live bytes with the users holding
 */
record MemoryRun(
    String variant,
    int repetition,
    int users,
    int holding,
    long heapBeforeBytes,
    long heapHoldingBytes) {

  /** Heap per virtual user, in bytes: what the users added, divided by their number. */
  double bytesPerUser() {
    return (heapHoldingBytes - heapBeforeBytes) / (double) users;
  }
}
