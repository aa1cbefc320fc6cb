package dev.shardsmith.transforms.kernels;

import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Argument checks, draws and typed reads of the parameter maps that the augmentation ops of every
 * modality record (image pixel ops, series ops). Every error names the op and parameter, the value
 * and what is allowed.
 */
public final class Params {
  private Params() {}

  public static void probability(String op, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(op + ".p must be in [0, 1], but was " + p);
    }
  }

  /** Checks {@code min <= lo <= hi <= max}, all finite. */
  public static void range(String op, String param, double lo, double hi, double min, double max) {
    if (!(Double.isFinite(lo) && Double.isFinite(hi) && min <= lo && lo <= hi && hi <= max)) {
      throw new IllegalArgumentException(
          String.format(
              "%s.%s must be a range [lo, hi] with %s <= lo <= hi <= %s, but was [%s, %s]",
              op, param, fmt(min), fmt(max), fmt(lo), fmt(hi)));
    }
  }

  /** Checks {@code min <= v <= max}. */
  public static void value(String op, String param, double v, double min, double max) {
    if (!(Double.isFinite(v) && v >= min && v <= max)) {
      throw new IllegalArgumentException(
          String.format(
              "%s.%s must be in [%s, %s], but was %s", op, param, fmt(min), fmt(max), fmt(v)));
    }
  }

  /** A whole number without a decimal point, anything else as {@link Double#toString}. */
  public static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** Uniform in {@code [lo, hi)}; exactly {@code lo} when the range is empty. */
  public static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
  }

  /** Uniform integer in {@code [lo, hi]}, both inclusive. */
  public static long uniformInt(SplittableRandom rng, long lo, long hi) {
    return lo == hi ? lo : lo + rng.nextLong(hi - lo + 1);
  }

  /** A fresh parameter map. */
  public static SortedMap<String, Object> params() {
    return new TreeMap<>();
  }

  /** A finite number. */
  public static double number(String op, SortedMap<String, Object> params, String key) {
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
  public static double number(
      String op, SortedMap<String, Object> params, String key, double min, double max) {
    double d = number(op, params, key);
    value(op, key, d, min, max);
    return d;
  }

  /** An integral number within {@code [min, max]}. */
  public static long integer(
      String op, SortedMap<String, Object> params, String key, long min, long max) {
    Object v = params.get(key);
    if (v instanceof Long l) {
      value(op, key, l, min, max);
      return l;
    }
    double d = number(op, params, key);
    if (d != Math.rint(d)) {
      throw new IllegalArgumentException(
          op + ": parameter " + key + " must be an integer, but was " + d);
    }
    value(op, key, d, min, max);
    return (long) d;
  }

  /** A 64-bit stream seed. */
  public static long seed(String op, SortedMap<String, Object> params, String key) {
    return integer(op, params, key, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  public static String string(String op, SortedMap<String, Object> params, String key) {
    Object v = params.get(key);
    if (!(v instanceof String)) {
      throw new IllegalArgumentException(
          op + ": parameter " + key + " must be a string, but was " + v + " in " + params);
    }
    return (String) v;
  }
}
