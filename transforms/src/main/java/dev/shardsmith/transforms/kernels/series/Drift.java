package dev.shardsmith.transforms.kernels.series;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Adds a slow random-walk drift to each channel ({@code drift}, tsaug's {@code Drift}): a gaussian
 * random walk of {@code points} steps, from 0 at the first window step to the last window step
 * (knot {@code j} at time {@code j * (T - 1) / points}), linearly interpolated between knots and
 * scaled per channel so that its largest absolute value over the window's knots is {@code max},
 * uniform in {@code [maxMin, maxMax]} in the series' units. Step {@code j} of channel {@code c} is
 * {@code Gaussians.standard(walk_seed, (j - 1) * C + c)}; the record holds {@code max}, {@code
 * points} and {@code walk_seed}. <b>Horizon:</b> the same walk goes on past the window with the
 * same knot spacing, steps and scale, so the horizon's drift starts from the window's last drift
 * value and continues it (it is not bounded by {@code max}); the window's drift does not depend on
 * the horizon.
 *
 * <pre>{@code
 * new Drift(0.5, 0.1, 0.5, 5)
 * }</pre>
 */
public record Drift(double p, double maxMin, double maxMax, int points) implements SeriesOp {
  public static final String NAME = "drift";

  public Drift {
    Params.probability(NAME, p);
    Params.range(NAME, "max_drift", maxMin, maxMax, 0, Double.MAX_VALUE);
    Params.value(NAME, "points", points, 1, 10_000);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(
      SplittableRandom rng, int length, int channels, int horizon) {
    SeriesParams.length(NAME, length, channels, 2);
    SortedMap<String, Object> m = Params.params();
    m.put("max", Params.uniform(rng, maxMin, maxMax));
    m.put("points", (long) points);
    m.put("walk_seed", rng.nextLong());
    return m;
  }

  @Override
  public void apply(
      float[] values, float[] horizon, int channels, SortedMap<String, Object> params) {
    int t = SeriesParams.length(NAME, values, horizon, channels, 2);
    int h = horizon.length / channels;
    double[][] d = drift(params, channels, t, h);
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < t; i++) {
        values[i * channels + c] = (float) (values[i * channels + c] + d[c][i]);
      }
      for (int i = 0; i < h; i++) {
        horizon[i * channels + c] = (float) (horizon[i * channels + c] + d[c][t + i]);
      }
    }
  }

  /** The drift per channel at {@code 0 .. t + h - 1} (window, then horizon). */
  static double[][] drift(SortedMap<String, Object> params, int channels, int t, int h) {
    double max = Params.number(NAME, params, "max", 0, Double.MAX_VALUE);
    int points = (int) Params.integer(NAME, params, "points", 1, 10_000);
    long seed = Params.seed(NAME, params, "walk_seed");
    double spacing = (t - 1) / (double) points;
    int knots = (int) Math.ceil((t + h - 1) / spacing) + 1; // enough to cover the horizon
    double[][] out = new double[channels][t + h];
    double[] walk = new double[knots + 1];
    for (int c = 0; c < channels; c++) {
      double peak = 0;
      for (int j = 1; j <= knots; j++) {
        walk[j] = walk[j - 1] + step(seed, j, c, channels);
        if (j <= points) {
          peak = Math.max(peak, Math.abs(walk[j]));
        }
      }
      double scale = peak == 0 ? 0 : max / peak;
      for (int i = 0; i < t + h; i++) {
        double x = i / spacing;
        int j = Math.min((int) x, knots - 1);
        if (i == t - 1) {
          x = j = points; // the last window step sits on knot `points` exactly
        }
        double f = x - j;
        out[c][i] = scale * ((1 - f) * walk[j] + f * walk[j + 1]);
      }
    }
    return out;
  }

  /** Step {@code j >= 1} of channel {@code c}'s walk: {@code N(0, 1)}. */
  static double step(long seed, int j, int c, int channels) {
    return Gaussians.standard(seed, (long) (j - 1) * channels + c);
  }
}
