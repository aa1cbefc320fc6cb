package dev.shardsmith.transforms.kernels.series;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Multiplies each channel by a smooth random curve ({@code magnitude_warp}, Um et al. 2017): a
 * natural cubic spline through {@code knots + 2} knots evenly spaced over the time axis, each knot
 * value drawn from {@code N(1, sigma^2)}, independently per channel. Knot {@code j} of channel
 * {@code c} is {@code 1 + sigma * Gaussians.standard(curve_seed, c * (knots + 2) + j)}; the record
 * holds {@code sigma}, {@code knots} and {@code curve_seed}. <b>Horizon:</b> the knots span the
 * joined axis {@code 0 .. T + H - 1}, and the window and the horizon are multiplied by the one
 * curve evaluated on it, so the warp continues across the boundary: warping a window with its
 * horizon gives exactly the values of warping the joined series {@code window ++ horizon}.
 *
 * <pre>{@code
 * new MagnitudeWarp(0.5, 0.2, 4)
 * }</pre>
 */
public record MagnitudeWarp(double p, double sigma, int knots) implements SeriesOp {
  public static final String NAME = "magnitude_warp";

  public MagnitudeWarp {
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
    int h = horizon.length / channels;
    double[][] curve = curves(params, channels, t + h);
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < t; i++) {
        values[i * channels + c] = (float) (values[i * channels + c] * curve[c][i]);
      }
      for (int i = 0; i < h; i++) {
        horizon[i * channels + c] = (float) (horizon[i * channels + c] * curve[c][t + i]);
      }
    }
  }

  /** The per-channel multiplier at {@code t = 0 .. n - 1}, knots spread over {@code [0, n - 1]}. */
  static double[][] curves(SortedMap<String, Object> params, int channels, int n) {
    double[][] y = knotValues(params, channels);
    double[][] out = new double[channels][];
    for (int c = 0; c < channels; c++) {
      out[c] = n == 1 ? new double[] {y[c][0]} : Curves.spline(y[c], n - 1, n);
    }
    return out;
  }

  /** The recorded knot values, {@code [channel][knot]}. */
  static double[][] knotValues(SortedMap<String, Object> params, int channels) {
    double sigma = Params.number(NAME, params, "sigma", 0, Double.MAX_VALUE);
    int k = (int) Params.integer(NAME, params, "knots", 0, 1000) + 2;
    long seed = Params.seed(NAME, params, "curve_seed");
    double[][] y = new double[channels][k];
    for (int c = 0; c < channels; c++) {
      for (int j = 0; j < k; j++) {
        y[c][j] = 1 + sigma * Gaussians.standard(seed, (long) c * k + j);
      }
    }
    return y;
  }
}
