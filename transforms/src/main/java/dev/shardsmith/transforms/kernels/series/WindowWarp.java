package dev.shardsmith.transforms.kernels.series;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Speeds a random sub-window up or down ({@code window_warp}, Le Guennec et al. 2016): a sub-window
 * of {@code size = max(2, round(windowRatio * T))} steps at a {@code start} uniform in {@code 0 ..
 * T - size} is resampled to {@code max(2, round(scale * size))} steps, {@code scale} uniform in
 * {@code [scaleMin, scaleMax]} (Le Guennec used 0.5 and 2), and the whole, now longer or shorter,
 * series is resampled back to {@code T} steps by linear interpolation. The record holds {@code
 * start}, {@code size} and {@code scale}. <b>Horizon:</b> unchanged (first and last value are kept,
 * so the window still meets the horizon).
 *
 * <pre>{@code
 * new WindowWarp(0.5, 0.1, 0.5, 2.0)
 * }</pre>
 */
public record WindowWarp(double p, double windowRatio, double scaleMin, double scaleMax)
    implements SeriesOp {
  public static final String NAME = "window_warp";

  public WindowWarp {
    Params.probability(NAME, p);
    Params.value(NAME, "window_ratio", windowRatio, Double.MIN_VALUE, 1);
    Params.range(NAME, "scale", scaleMin, scaleMax, Double.MIN_VALUE, 100);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(
      SplittableRandom rng, int length, int channels, int horizon) {
    SeriesParams.length(NAME, length, channels, 2);
    long size = Math.max(2, Math.min(length, Math.round(windowRatio * length)));
    SortedMap<String, Object> m = Params.params();
    m.put("size", size);
    m.put("start", Params.uniformInt(rng, 0, length - size));
    m.put("scale", Params.uniform(rng, scaleMin, scaleMax));
    return m;
  }

  @Override
  public void apply(
      float[] values, float[] horizon, int channels, SortedMap<String, Object> params) {
    int t = SeriesParams.length(NAME, values, horizon, channels, 2);
    int size = (int) Params.integer(NAME, params, "size", 2, t);
    int start = (int) Params.integer(NAME, params, "start", 0, t - size);
    double scale = Params.number(NAME, params, "scale", Double.MIN_VALUE, 100);
    int warped = (int) Math.max(2, Math.round(scale * size));
    int n = t - size + warped;
    // read times of the stretched series, in the source's time
    double[] at = new double[n];
    for (int i = 0; i < start; i++) {
      at[i] = i;
    }
    double step = (size - 1) / (double) (warped - 1);
    for (int i = 0; i < warped; i++) {
      at[start + i] = start + i * step;
    }
    for (int i = start + size; i < t; i++) {
      at[i - size + warped] = i;
    }
    float[] stretched = new float[n * channels];
    Curves.resample(values, channels, at, stretched);
    Curves.resample(stretched, channels, Curves.linspace(0, n - 1, t), values);
  }
}
