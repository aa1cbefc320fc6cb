package dev.shardsmith.transforms.kernels.series;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Smooth, monotone distortion of time ({@code time_warp}, Um et al. 2017; tsaug's {@code
 * TimeWarp}): a speed curve, the natural cubic spline through {@code knots + 2} knots evenly spaced
 * over the window with values from {@code N(1, sigma^2)} (knot {@code j} is {@code 1 + sigma *
 * Gaussians.standard(curve_seed, j)}), is clamped below at {@code 0.01} so time never stands still
 * or runs backwards, summed into a warped clock and rescaled so it runs from 0 to {@code T - 1};
 * the window is then read at the warped times by linear interpolation. All channels share the warp.
 * Both ends stay fixed (first and last value unchanged). <b>Horizon:</b> unchanged; since the last
 * window value is kept, the window still meets the horizon where it did.
 *
 * <pre>{@code
 * new TimeWarp(0.5, 0.2, 4)
 * }</pre>
 */
public record TimeWarp(double p, double sigma, int knots) implements SeriesOp {
  public static final String NAME = "time_warp";

  /** The lowest speed of the warped clock, relative to 1. */
  static final double MIN_SPEED = 0.01;

  public TimeWarp {
    Params.probability(NAME, p);
    Params.value(NAME, "sigma", sigma, 0, Double.MAX_VALUE);
    Params.value(NAME, "knots", knots, 0, 1000);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(
      SplittableRandom rng, int length, int channels, int horizon) {
    return SeriesParams.curve(NAME, rng, length, channels, sigma, knots);
  }

  @Override
  public void apply(
      float[] values, float[] horizon, int channels, SortedMap<String, Object> params) {
    int t = SeriesParams.length(NAME, values, horizon, channels, 1);
    if (t < 3) {
      knotValues(params); // still validate the record
      return;
    }
    double[] clock = clock(params, t);
    float[] src = values.clone();
    Curves.resample(src, channels, clock, values);
  }

  /** The warped read time of each output step: increasing, from 0 to {@code t - 1}. */
  static double[] clock(SortedMap<String, Object> params, int t) {
    double[] speed = Curves.spline(knotValues(params), t - 1, t);
    double[] clock = new double[t];
    for (int i = 1; i < t; i++) {
      clock[i] = clock[i - 1] + Math.max(MIN_SPEED, speed[i]);
    }
    double scale = (t - 1) / clock[t - 1];
    for (int i = 1; i < t - 1; i++) {
      clock[i] *= scale;
    }
    clock[t - 1] = t - 1;
    return clock;
  }

  /** The recorded knot values of the speed curve. */
  static double[] knotValues(SortedMap<String, Object> params) {
    double sigma = Params.number(NAME, params, "sigma", 0, Double.MAX_VALUE);
    int k = (int) Params.integer(NAME, params, "knots", 0, 1000) + 2;
    long seed = Params.seed(NAME, params, "curve_seed");
    double[] y = new double[k];
    for (int j = 0; j < k; j++) {
      y[j] = 1 + sigma * Gaussians.standard(seed, j);
    }
    return y;
  }
}
