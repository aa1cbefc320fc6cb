package dev.shardsmith.transforms.kernels.series;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * The series ops' own argument checks and draws ({@link Params} has those every modality shares).
 * Every error names the op and parameter, the value and what is allowed.
 */
final class SeriesParams {
  private SeriesParams() {}

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

  /**
   * The draw of a smooth-curve op (magnitude and time warp): its {@code sigma} and {@code knots},
   * and one seed from which the knots are drawn when the op is applied.
   */
  static SortedMap<String, Object> curve(
      String op, SplittableRandom rng, int length, int channels, double sigma, int knots) {
    length(op, length, channels, 1);
    SortedMap<String, Object> m = Params.params();
    m.put("sigma", sigma);
    m.put("knots", (long) knots);
    m.put("curve_seed", rng.nextLong());
    return m;
  }
}
