package dev.shardsmith.transforms.kernels.series;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Crops a random part of the window and stretches it back to {@code T} steps ({@code window_slice},
 * Le Guennec et al. 2016; tsaug's {@code Crop} + resize): {@code ratio} is uniform in {@code
 * [ratioMin, ratioMax]}, the crop is {@code size = max(2, round(ratio * T))} steps at a {@code
 * start} uniform in {@code 0 .. T - size}, and linear interpolation resamples it to {@code T}
 * steps. The record holds {@code ratio}, {@code start} and {@code size}. <b>Horizon:</b> unchanged
 * (a crop that does not end at the last step no longer meets the horizon; use it for
 * classification, or accept that gap).
 *
 * <pre>{@code
 * new WindowSlice(0.5, 0.8, 0.95)
 * }</pre>
 */
public record WindowSlice(double p, double ratioMin, double ratioMax) implements SeriesOp {
  public static final String NAME = "window_slice";

  public WindowSlice {
    Params.probability(NAME, p);
    Params.range(NAME, "ratio", ratioMin, ratioMax, Double.MIN_VALUE, 1);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(
      SplittableRandom rng, int length, int channels, int horizon) {
    SeriesParams.length(NAME, length, channels, 2);
    double ratio = Params.uniform(rng, ratioMin, ratioMax);
    long size = Math.max(2, Math.min(length, Math.round(ratio * length)));
    SortedMap<String, Object> m = Params.params();
    m.put("ratio", ratio);
    m.put("size", size);
    m.put("start", Params.uniformInt(rng, 0, length - size));
    return m;
  }

  @Override
  public void apply(
      float[] values, float[] horizon, int channels, SortedMap<String, Object> params) {
    int t = SeriesParams.length(NAME, values, horizon, channels, 2);
    int size = (int) Params.integer(NAME, params, "size", 2, t);
    int start = (int) Params.integer(NAME, params, "start", 0, t - size);
    float[] src = values.clone();
    Curves.resample(src, channels, Curves.linspace(start, start + size - 1, t), values);
  }
}
