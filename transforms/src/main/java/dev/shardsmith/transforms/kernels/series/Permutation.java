package dev.shardsmith.transforms.kernels.series;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Cuts the window into {@code segments} pieces of near-equal length (boundaries at {@code round(i *
 * T / segments)}), {@code segments} uniform in {@code [minSegments, maxSegments]} (at most {@code
 * T}), and joins them in a uniformly random order ({@code permutation}, Um et al. 2017). The record
 * holds {@code segments} and {@code order} (the source segment of each output segment, like {@code
 * "2,0,1"}). <b>Horizon:</b> unchanged.
 *
 * <pre>{@code
 * new Permutation(0.5, 2, 5)
 * }</pre>
 */
public record Permutation(double p, int minSegments, int maxSegments) implements SeriesOp {
  public static final String NAME = "permutation";

  public Permutation {
    Params.probability(NAME, p);
    Params.range(NAME, "segments", minSegments, maxSegments, 1, 100_000);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(
      SplittableRandom rng, int length, int channels, int horizon) {
    SeriesParams.length(NAME, length, channels, 1);
    int n = (int) Math.min(length, Params.uniformInt(rng, minSegments, maxSegments));
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) { // Fisher-Yates
      int j = rng.nextInt(i + 1);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : ",").append(order[i]);
    }
    SortedMap<String, Object> m = Params.params();
    m.put("segments", (long) n);
    m.put("order", s.toString());
    return m;
  }

  @Override
  public void apply(
      float[] values, float[] horizon, int channels, SortedMap<String, Object> params) {
    int t = SeriesParams.length(NAME, values, horizon, channels, 1);
    int n = (int) Params.integer(NAME, params, "segments", 1, t);
    int[] order = order(params, n);
    float[] src = values.clone();
    int at = 0;
    for (int k : order) {
      int from = (int) Math.round((double) k * t / n);
      int to = (int) Math.round((double) (k + 1) * t / n);
      System.arraycopy(src, from * channels, values, at, (to - from) * channels);
      at += (to - from) * channels;
    }
  }

  /** The recorded order, checked to be a permutation of {@code 0 .. n - 1}. */
  static int[] order(SortedMap<String, Object> params, int n) {
    String s = Params.string(NAME, params, "order");
    String[] parts = s.split(",", -1);
    int[] order = new int[parts.length];
    boolean[] seen = new boolean[n];
    boolean ok = parts.length == n;
    for (int i = 0; ok && i < n; i++) {
      try {
        order[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        ok = false;
        break;
      }
      ok = order[i] >= 0 && order[i] < n && !seen[order[i]];
      if (ok) {
        seen[order[i]] = true;
      }
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "permutation: parameter order must list each of 0.." + (n - 1) + " once, but was " + s);
    }
    return order;
  }
}
