package dev.shardsmith.transforms.kernels.image.ops;

import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Argument checks, draws and typed reads of parameter maps shared by the ops. Every error names the
 * op and parameter, the value and what is allowed.
 */
final class OpParams {
  private OpParams() {}

  static void probability(String op, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(op + ".p must be in [0, 1], but was " + p);
    }
  }

  /** Checks {@code min <= lo <= hi <= max}, all finite. */
  static void range(String op, String param, double lo, double hi, double min, double max) {
    if (!(Double.isFinite(lo) && Double.isFinite(hi) && min <= lo && lo <= hi && hi <= max)) {
      throw new IllegalArgumentException(
          String.format(
              "%s.%s must be a range [lo, hi] with %s <= lo <= hi <= %s, but was [%s, %s]",
              op, param, fmt(min), fmt(max), fmt(lo), fmt(hi)));
    }
  }

  /** Checks {@code min <= v <= max}. */
  static void value(String op, String param, double v, double min, double max) {
    if (!(Double.isFinite(v) && v >= min && v <= max)) {
      throw new IllegalArgumentException(
          String.format(
              "%s.%s must be in [%s, %s], but was %s", op, param, fmt(min), fmt(max), fmt(v)));
    }
  }

  /** Checks that an integer range holds odd values only. */
  static void odd(String op, String param, long lo, long hi) {
    if (lo % 2 == 0 || hi % 2 == 0) {
      throw new IllegalArgumentException(
          String.format("%s.%s must be odd, but was [%d, %d]", op, param, lo, hi));
    }
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** Uniform in {@code [lo, hi)}; exactly {@code lo} when the range is empty. */
  static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
  }

  /** Uniform integer in {@code [lo, hi]}, both inclusive. */
  static long uniformInt(SplittableRandom rng, long lo, long hi) {
    return lo == hi ? lo : lo + rng.nextLong(hi - lo + 1);
  }

  /** A fresh parameter map. */
  static SortedMap<String, Object> params() {
    return new TreeMap<>();
  }

  static double number(String op, SortedMap<String, Object> params, String key) {
    Object v = params.get(key);
    if (!(v instanceof Number)) {
      throw new IllegalArgumentException(
          op + ": parameter " + key + " must be a number, but was " + v + " in " + params);
    }
    double d = ((Number) v).doubleValue();
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException(op + ": parameter " + key + " must be finite, was " + d);
    }
    return d;
  }

  /** A number within {@code [min, max]}. */
  static double number(
      String op, SortedMap<String, Object> params, String key, double min, double max) {
    double d = number(op, params, key);
    value(op, key, d, min, max);
    return d;
  }

  /** An integral number within {@code [min, max]}. */
  static long integer(String op, SortedMap<String, Object> params, String key, long min, long max) {
    double d = number(op, params, key);
    if (d != Math.rint(d)) {
      throw new IllegalArgumentException(
          op + ": parameter " + key + " must be an integer, but was " + d);
    }
    Object v = params.get(key);
    long l = v instanceof Long ? (Long) v : (long) d;
    value(op, key, l, min, max);
    return l;
  }

  static String string(String op, SortedMap<String, Object> params, String key) {
    Object v = params.get(key);
    if (!(v instanceof String)) {
      throw new IllegalArgumentException(
          op + ": parameter " + key + " must be a string, but was " + v + " in " + params);
    }
    return (String) v;
  }

  /** The recorded {@code border} ({@code constant}, {@code reflect}, {@code replicate}). */
  static dev.shardsmith.transforms.kernels.image.Border border(
      String op, SortedMap<String, Object> params) {
    return dev.shardsmith.transforms.kernels.image.Border.of(
        op + ": parameter border", string(op, params, "border"));
  }

  /** The recorded {@code fill} gray level, in [0, 255]. */
  static int fill(String op, SortedMap<String, Object> params) {
    return (int) integer(op, params, "fill", 0, 255);
  }

  /** The recorded {@code interpolation}. */
  static dev.shardsmith.transforms.kernels.image.Interpolation interpolation(
      String op, SortedMap<String, Object> params) {
    return dev.shardsmith.transforms.kernels.image.Interpolation.of(
        op + ": parameter interpolation", string(op, params, "interpolation"));
  }

  /** Checks a non-null border and a fill in [0, 255]. */
  static void border(String op, dev.shardsmith.transforms.kernels.image.Border border, int fill) {
    if (border == null) {
      throw new IllegalArgumentException(
          op + ".border must be one of " + dev.shardsmith.transforms.kernels.image.Border.keys());
    }
    value(op, "fill", fill, 0, 255);
  }

  /** A random permutation of {@code 0..n-1} (Fisher-Yates). */
  static int[] permutation(SplittableRandom rng, int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
