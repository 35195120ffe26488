package io.github.gatlingjwt.examples;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples "heap used after a full GC" of this JVM on a daemon thread: every {@code period}, it
 * calls {@link System#gc()} then reads {@link MemoryMXBean#getHeapMemoryUsage()}. Samples taken
 * before {@code warmUp} (counted from {@link #start()}) are dropped: class loading, JIT and the
 * ramp-up fill the heap then.
 */
final class SoakHeapSampler {

  /** One sample: seconds since {@link #start()}, and the heap in use after GC, in MB. */
  record Sample(double seconds, double usedMb) {}

  private final long periodMillis;
  private final long warmUpMillis;
  private final List<Sample> samples = new ArrayList<>(); // guarded by this
  private volatile Thread thread;
  private volatile long startNanos;

  SoakHeapSampler(long periodMillis, long warmUpMillis) {
    this.periodMillis = periodMillis;
    this.warmUpMillis = warmUpMillis;
  }

  void start() {
    startNanos = System.nanoTime();
    Thread t = new Thread(this::loop, "soak-heap-sampler");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** Stops sampling and returns the samples taken after the warm-up, in time order. */
  List<Sample> stop() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      return List.copyOf(samples);
    }
  }

  private void loop() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long next = startNanos + periodMillis * 1_000_000L;
    while (!Thread.currentThread().isInterrupted()) {
      long waitNanos = next - System.nanoTime();
      if (waitNanos > 0) {
        try {
          Thread.sleep(waitNanos / 1_000_000L, (int) (waitNanos % 1_000_000L));
        } catch (InterruptedException e) {
          return;
        }
      }
      next += periodMillis * 1_000_000L;
      long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000L;
      if (elapsedMillis < warmUpMillis) {
        continue;
      }
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed();
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      synchronized (this) {
        samples.add(new Sample(seconds, used / (1024.0 * 1024.0)));
      }
    }
  }
}
