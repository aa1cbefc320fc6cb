package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.image.Affine;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Mirror top-bottom ({@code vflip}, Albumentations' VerticalFlip): {@code y -> height - y}. No
 * parameters.
 *
 * <pre>{@code
 * new VerticalFlip(0.5)
 * }</pre>
 */
public record VerticalFlip(double p) implements GeometricOp {
  public static final String NAME = "vflip";

  public VerticalFlip {
    OpParams.probability(NAME, p);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    return OpParams.params();
  }

  @Override
  public Affine map(SortedMap<String, Object> params, int width, int height) {
    return Affine.vflip(height);
  }

  @Override
  public boolean readsOutside() {
    return false;
  }
}
