package dev.shardsmith.benchmarks;

import java.util.Arrays;

/**
 * Times whole passes over an in-memory input: {@code warmupPasses} untimed passes, then {@code
 * passes} timed ones, and reports the median rate in items per second. The pass runs on the calling
 * thread only.
 *
 * <p>{@code double imgPerSecond = PassTimer.medianRate(2, 5, files.size(), () -> decodeAll())}
 */
public final class PassTimer {
  private PassTimer() {}

  /** One pass over the input; returns a value derived from the work so it cannot be skipped. */
  @FunctionalInterface
  public interface Pass {
    long run();
  }

  /** Sink for pass results, so the JIT cannot prove them unused. */
  private static volatile long sink;

  /** Median over {@code passes} of {@code itemsPerPass / seconds of one pass}. */
  public static double medianRate(int warmupPasses, int passes, int itemsPerPass, Pass pass) {
    checkArgument(warmupPasses >= 0, "warmupPasses must be >= 0, but was %s", warmupPasses);
    checkArgument(passes >= 1, "passes must be >= 1, but was %s", passes);
    checkArgument(itemsPerPass >= 1, "itemsPerPass must be >= 1, but was %s", itemsPerPass);
    for (int i = 0; i < warmupPasses; i++) {
      sink += pass.run();
    }
    double[] rates = new double[passes];
    for (int i = 0; i < passes; i++) {
      long start = System.nanoTime();
      sink += pass.run();
      rates[i] = itemsPerPass / ((System.nanoTime() - start) / 1e9);
    }
    Arrays.sort(rates);
    return passes % 2 == 1 ? rates[passes / 2] : (rates[passes / 2 - 1] + rates[passes / 2]) / 2;
  }

  private static void checkArgument(boolean ok, String message, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(message, value));
    }
  }
}
