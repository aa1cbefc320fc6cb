package dev.shardsmith.transforms.kernels.series;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Multiplies each channel by its own factor drawn from {@code N(1, sigma^2)} ({@code scaling}, Um
 * et al. 2017). The record holds the factors as {@code factor_0 .. factor_{C-1}}. <b>Horizon:</b>
 * scaled by the same per-channel factors, so the target stays consistent with the window.
 *
 * <pre>{@code
 * new Scaling(0.5, 0.1)
 * }</pre>
 */
public record Scaling(double p, double sigma) implements SeriesOp {
  public static final String NAME = "scaling";

  public Scaling {
    Params.probability(NAME, p);
    Params.value(NAME, "sigma", sigma, 0, Double.MAX_VALUE);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(
      SplittableRandom rng, int length, int channels, int horizon) {
    SeriesParams.length(NAME, length, channels, 1);
    SortedMap<String, Object> m = Params.params();
    for (int c = 0; c < channels; c++) {
      m.put(key(c), 1 + sigma * Gaussians.next(rng));
    }
    return m;
  }

  @Override
  public void apply(
      float[] values, float[] horizon, int channels, SortedMap<String, Object> params) {
    SeriesParams.length(NAME, values, horizon, channels, 1);
    double[] f = factors(params, channels);
    scale(values, f);
    scale(horizon, f);
  }

  private static final String[] KEYS = new String[64];

  static {
    for (int c = 0; c < KEYS.length; c++) {
      KEYS[c] = "factor_" + c;
    }
  }

  private static String key(int c) {
    return c < KEYS.length ? KEYS[c] : "factor_" + c;
  }

  /** The recorded per-channel factors. */
  static double[] factors(SortedMap<String, Object> params, int channels) {
    double[] f = new double[channels];
    for (int c = 0; c < channels; c++) {
      f[c] = Params.number(NAME, params, key(c));
    }
    return f;
  }

  private static void scale(float[] v, double[] f) {
    int channels = f.length;
    for (int c = 0; c < channels; c++) {
      double fc = f[c];
      for (int i = c; i < v.length; i += channels) {
        v[i] = (float) (v[i] * fc);
      }
    }
  }
}
