package dev.shardsmith.transforms.kernels.series;

import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Argument checks, draws and typed reads of parameter maps shared by the series ops. Every error
 * names the op and parameter, the value and what is allowed.
 */
final class SeriesParams {
  private SeriesParams() {}

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

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * Checks the window shape: {@code values} is {@code T x channels} with {@code T >= minLength}.
   */
  static int length(String op, float[] values, float[] horizon, int channels, int minLength) {
    if (channels < 1 || values.length % channels != 0 || horizon.length % channels != 0) {
      throw new IllegalArgumentException(
          String.format(
              "%s: values (%d) and horizon (%d) must be multiples of channels (%d >= 1)",
              op, values.length, horizon.length, channels));
    }
    int t = values.length / channels;
    if (t < minLength) {
      throw new IllegalArgumentException(
          String.format(
              "%s: the window must have at least %d steps, but has %d", op, minLength, t));
    }
    return t;
  }

  /** Checks a window length at draw time. */
  static void length(String op, int length, int channels, int minLength) {
    if (channels < 1 || length < minLength) {
      throw new IllegalArgumentException(
          String.format(
              "%s: needs a window of at least %d steps and 1 channel, but got %d x %d",
              op, minLength, length, channels));
    }
  }

  /** Uniform in {@code [lo, hi)}; exactly {@code lo} when the range is empty. */
  static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
  }

  /** Uniform integer in {@code [lo, hi]}, both inclusive. */
  static long uniformInt(SplittableRandom rng, long lo, long hi) {
    return lo == hi ? lo : lo + rng.nextLong(hi - lo + 1);
  }

  static SortedMap<String, Object> params() {
    return new TreeMap<>();
  }

  /**
   * The draw of a smooth-curve op (magnitude and time warp): its {@code sigma} and {@code knots},
   * and one seed from which the knots are drawn when the op is applied.
   */
  static SortedMap<String, Object> curve(
      String op,
      java.util.SplittableRandom rng,
      int length,
      int channels,
      double sigma,
      int knots) {
    length(op, length, channels, 1);
    SortedMap<String, Object> m = params();
    m.put("sigma", sigma);
    m.put("knots", (long) knots);
    m.put("curve_seed", rng.nextLong());
    return m;
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
  static long seed(String op, SortedMap<String, Object> params, String key) {
    return integer(op, params, key, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  static String string(String op, SortedMap<String, Object> params, String key) {
    Object v = params.get(key);
    if (!(v instanceof String)) {
      throw new IllegalArgumentException(
          op + ": parameter " + key + " must be a string, but was " + v + " in " + params);
    }
    return (String) v;
  }
}
