package dev.shardsmith.transforms.kernels.series;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Same-class mixing in the style of SPAWNER (Kamycki, Kapuscinski and Oszust 2020): two windows of
 * the same class are cut at one {@code split} step, uniform in {@code [T/4, 3T/4]}; each part of
 * one is aligned to the same part of the other by dynamic time warping (squared Euclidean distance
 * over the channels, a Sakoe-Chiba band of {@code band} times the part's length, at least 1 step),
 * the two values at every step of the warping path are averaged (memory and time {@code O(T * (2
 * band * T + 1))} per part), each averaged part is resampled linearly to its original length, and
 * gaussian noise {@code N(0, sigma^2)} is added ({@link Gaussians#addScaled} with {@code
 * noise_seed}). The result is a new window between the two. It is not a {@link SeriesOp}: it needs
 * a partner, which the balancing step picks within the class (and the fold) and records by id; the
 * drawn parameters ({@code split}, {@code band}, {@code sigma}, {@code noise_seed}) replay it.
 * Classification windows only: a window with a forecast horizon is rejected, since an averaged
 * target would not belong to either input.
 *
 * <pre>{@code
 * SortedMap<String, Object> params = Spawner.draw(rng, t, 0.1, 0.05);
 * float[] child = Spawner.mix(a, b, channels, params);
 * }</pre>
 */
public final class Spawner {
  private Spawner() {}

  public static final String NAME = "spawner";

  /** Draws the parameters for windows of {@code length >= 4} steps. */
  public static SortedMap<String, Object> draw(
      SplittableRandom rng, int length, double band, double sigma) {
    SeriesParams.length(NAME, length, 1, 4);
    Params.value(NAME, "band", band, 0, 1);
    Params.value(NAME, "sigma", sigma, 0, Double.MAX_VALUE);
    SortedMap<String, Object> m = Params.params();
    m.put("split", Params.uniformInt(rng, length / 4, (3L * length) / 4));
    m.put("band", band);
    m.put("sigma", sigma);
    m.put("noise_seed", rng.nextLong());
    return m;
  }

  /**
   * The mixed window of {@code a} and {@code b} (both {@code T x channels}, same class), as {@code
   * params} say.
   *
   * @throws IllegalArgumentException when the windows differ in shape, a horizon is given, or a
   *     parameter is missing or out of range
   */
  public static float[] mix(
      float[] a, float[] b, float[] horizon, int channels, SortedMap<String, Object> params) {
    int t = SeriesParams.length(NAME, a, new float[0], channels, 4);
    if (b.length != a.length) {
      throw new IllegalArgumentException(
          NAME
              + ": both windows must be "
              + t
              + " x "
              + channels
              + ", but the partner has "
              + b.length
              + " values");
    }
    if (horizon.length != 0) {
      throw new IllegalArgumentException(
          NAME + ": same-class mixing is for classification windows; this one has a horizon");
    }
    int split = (int) Params.integer(NAME, params, "split", 1, t - 1);
    double band = Params.number(NAME, params, "band", 0, 1);
    double sigma = Params.number(NAME, params, "sigma", 0, Double.MAX_VALUE);
    long seed = Params.seed(NAME, params, "noise_seed");
    float[] out = new float[a.length];
    average(a, b, channels, 0, split, band, out);
    average(a, b, channels, split, t, band, out);
    Gaussians.addScaled(out, (float) sigma, seed);
    return out;
  }

  /** Aligns steps {@code [from, to)} of a and b, averages along the path, resamples into out. */
  private static void average(
      float[] a, float[] b, int channels, int from, int to, double band, float[] out) {
    int n = to - from;
    int w = Math.min(n - 1, Math.max(1, (int) Math.round(band * n)));
    int width = 2 * w + 1; // the band, stored row by row: cell (i, j) at i * width + j - i + w
    double[] cost = new double[n * width];
    java.util.Arrays.fill(cost, Double.POSITIVE_INFINITY);
    for (int i = 0; i < n; i++) {
      for (int j = Math.max(0, i - w); j <= Math.min(n - 1, i + w); j++) {
        double d = 0;
        for (int c = 0; c < channels; c++) {
          double e = a[(from + i) * channels + c] - b[(from + j) * channels + c];
          d += e * e;
        }
        double best =
            i == 0 && j == 0
                ? 0
                : Math.min(
                    cell(cost, n, w, i - 1, j),
                    Math.min(cell(cost, n, w, i, j - 1), cell(cost, n, w, i - 1, j - 1)));
        cost[i * width + j - i + w] = d + best;
      }
    }
    // backtrack from (n-1, n-1); ties prefer the diagonal, then a step in a, so the path is fixed
    int[] pi = new int[2 * n];
    int[] pj = new int[2 * n];
    int len = 0;
    int i = n - 1;
    int j = n - 1;
    while (true) {
      pi[len] = i;
      pj[len] = j;
      len++;
      if (i == 0 && j == 0) {
        break;
      }
      double diag = cell(cost, n, w, i - 1, j - 1);
      double up = cell(cost, n, w, i - 1, j);
      double left = cell(cost, n, w, i, j - 1);
      if (diag <= up && diag <= left) {
        i--;
        j--;
      } else if (up <= left) {
        i--;
      } else {
        j--;
      }
    }
    float[] path = new float[len * channels];
    for (int k = 0; k < len; k++) {
      int s = len - 1 - k; // forward order
      for (int c = 0; c < channels; c++) {
        path[k * channels + c] =
            (float)
                (0.5 * a[(from + pi[s]) * channels + c] + 0.5 * b[(from + pj[s]) * channels + c]);
      }
    }
    float[] part = new float[n * channels];
    Curves.resample(path, channels, Curves.linspace(0, len - 1, n), part);
    System.arraycopy(part, 0, out, from * channels, part.length);
  }

  /** Cell (i, j) of the banded cost matrix; infinite outside the matrix or the band. */
  private static double cell(double[] cost, int n, int w, int i, int j) {
    if (i < 0 || j < 0 || i >= n || j >= n || Math.abs(i - j) > w) {
      return Double.POSITIVE_INFINITY;
    }
    return cost[i * (2 * w + 1) + j - i + w];
  }
}
