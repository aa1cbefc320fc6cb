package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * Inverts every level at or above a threshold ({@code solarize}, Albumentations' Solarize): {@code
 * out = in >= t ? 255 - in : in}, with {@code t} an integer uniform in {@code [thresholdMin,
 * thresholdMax]}, within [0, 256] (0 inverts everything, 256 nothing). Params: {@code threshold}.
 * Albumentations 2 gives the threshold as a fraction of 255; here it is in levels.
 *
 * <pre>{@code
 * new Solarize(0.5, 128, 128)
 * }</pre>
 */
public record Solarize(double p, int thresholdMin, int thresholdMax) implements LevelTable {
  public static final String NAME = "solarize";

  public Solarize {
    Params.probability(NAME, p);
    Params.range(NAME, "threshold", thresholdMin, thresholdMax, 0, 256);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("threshold", Params.uniformInt(rng, thresholdMin, thresholdMax));
    return m;
  }

  @Override
  public IntUnaryOperator levels(SortedMap<String, Object> params) {
    long t = Params.integer(NAME, params, "threshold", 0, 256);
    return i -> i >= t ? 255 - i : i;
  }
}
