package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * Random gamma ({@code gamma}, Albumentations' RandomGamma): {@code out = 255 * (in / 255)^gamma},
 * {@code gamma} uniform in {@code [gammaMin, gammaMax]}, within (0, 10]. Params: {@code gamma}.
 * Albumentations gives the range in percent ({@code gamma_limit=(80, 120)}); here it is the
 * exponent itself, and levels are rounded rather than truncated.
 *
 * <pre>{@code
 * new Gamma(0.5, 0.8, 1.2)
 * }</pre>
 */
public record Gamma(double p, double gammaMin, double gammaMax) implements LevelTable {
  public static final String NAME = "gamma";

  public Gamma {
    Params.probability(NAME, p);
    Params.range(NAME, "gamma", gammaMin, gammaMax, 0, 10);
    if (gammaMin <= 0) {
      throw new IllegalArgumentException(NAME + ".gamma must be > 0, but was " + gammaMin);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("gamma", Params.uniform(rng, gammaMin, gammaMax));
    return m;
  }

  @Override
  public IntUnaryOperator levels(SortedMap<String, Object> params) {
    double g = Params.number(NAME, params, "gamma", Double.MIN_NORMAL, 10);
    return i -> RgbPixels.saturate(255 * StrictMath.pow(i / 255.0, g)) & 0xFF;
  }
}
