package dev.shardsmith.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * Settings that {@code benchmarks/run} passes to both sides through the environment: {@code
 * BENCH_THREADS} (the registry's thread column, default 1) and {@code BENCH_ROWS} (a comma list of
 * rows to run; empty or unset: all).
 *
 * <p>{@code int threads = BenchEnv.threads();}
 */
final class BenchEnv {
  private BenchEnv() {}

  /** {@code BENCH_THREADS}, at least 1; 1 when unset. */
  static int threads() {
    String v = System.getenv("BENCH_THREADS");
    int t = v == null || v.isBlank() ? 1 : Integer.parseInt(v.trim());
    if (t < 1) {
      throw new IllegalArgumentException("BENCH_THREADS must be >= 1, but was " + v);
    }
    return t;
  }

  /** The rows named in {@code BENCH_ROWS}; empty means all. */
  static List<String> rows() {
    String v = System.getenv("BENCH_ROWS");
    if (v == null || v.isBlank()) {
      return List.of();
    }
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
