package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * Keeps the top {@code bits} bits of every level ({@code posterize}, Albumentations' Posterize with
 * one range for all channels): {@code bits} is an integer uniform in {@code [bitsMin, bitsMax]},
 * within [1, 8] (8 leaves the image as it is). Params: {@code bits}.
 *
 * <pre>{@code
 * new Posterize(0.5, 4, 4) // Albumentations' default num_bits=4
 * }</pre>
 */
public record Posterize(double p, int bitsMin, int bitsMax) implements LevelTable {
  public static final String NAME = "posterize";

  public Posterize {
    Params.probability(NAME, p);
    Params.range(NAME, "num_bits", bitsMin, bitsMax, 1, 8);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("bits", Params.uniformInt(rng, bitsMin, bitsMax));
    return m;
  }

  @Override
  public IntUnaryOperator levels(SortedMap<String, Object> params) {
    int bits = (int) Params.integer(NAME, params, "bits", 1, 8);
    int mask = (0xFF << (8 - bits)) & 0xFF;
    return i -> i & mask;
  }
}
