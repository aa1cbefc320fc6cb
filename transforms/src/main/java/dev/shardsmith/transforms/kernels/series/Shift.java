package dev.shardsmith.transforms.kernels.series;

import dev.shardsmith.transforms.kernels.Params;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Moves the window in time by {@code shift} steps, uniform in {@code [minShift, maxShift]} ({@code
 * shift}); a positive shift moves values later ({@code out[t] = in[t - shift]}). {@code padding}
 * says what fills the steps that open up: {@code circular} rolls the window (what leaves at one end
 * comes back at the other, numpy's {@code roll}); {@code zero} fills them with 0 (a lag with zero
 * padding); {@code edge} repeats the nearest original value (the first value for a positive shift,
 * the last for a negative one). The record holds {@code shift} and {@code padding}. <b>Horizon:</b>
 * unchanged.
 *
 * <pre>{@code
 * new Shift(0.5, -10, 10, "edge")
 * }</pre>
 */
public record Shift(double p, int minShift, int maxShift, String padding) implements SeriesOp {
  public static final String NAME = "shift";

  /** The allowed {@code padding} values. */
  public static final List<String> PADDINGS = List.of("circular", "zero", "edge");

  public Shift {
    Params.probability(NAME, p);
    if (minShift > maxShift) {
      throw new IllegalArgumentException(
          "shift.shift must be a range [lo, hi] with lo <= hi, but was ["
              + minShift
              + ", "
              + maxShift
              + "]");
    }
    padding(padding);
  }

  private static String padding(String padding) {
    if (!PADDINGS.contains(padding)) {
      throw new IllegalArgumentException(
          "shift.padding must be one of " + PADDINGS + ", but was " + padding);
    }
    return padding;
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
    m.put("shift", Params.uniformInt(rng, minShift, maxShift));
    m.put("padding", padding);
    return m;
  }

  @Override
  public void apply(
      float[] values, float[] horizon, int channels, SortedMap<String, Object> params) {
    int t = SeriesParams.length(NAME, values, horizon, channels, 1);
    long shift = Params.integer(NAME, params, "shift", Integer.MIN_VALUE, Integer.MAX_VALUE);
    String padding = padding(Params.string(NAME, params, "padding"));
    float[] src = values.clone();
    for (int i = 0; i < t; i++) {
      long from = i - shift;
      int row;
      if (padding.equals("circular")) {
        row = (int) Math.floorMod(from, (long) t);
      } else if (from >= 0 && from < t) {
        row = (int) from;
      } else if (padding.equals("zero")) {
        java.util.Arrays.fill(values, i * channels, (i + 1) * channels, 0f);
        continue;
      } else {
        row = from < 0 ? 0 : t - 1;
      }
      System.arraycopy(src, row * channels, values, i * channels, channels);
    }
  }
}
