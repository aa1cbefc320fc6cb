package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.image.Affine;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Mirror left-right ({@code hflip}, Albumentations' HorizontalFlip): {@code x -> width - x}. No
 * parameters.
 *
 * <pre>{@code
 * new HorizontalFlip(0.5)
 * }</pre>
 */
public record HorizontalFlip(double p) implements GeometricOp {
  public static final String NAME = "hflip";

  public HorizontalFlip {
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
    return Affine.hflip(width);
  }

  @Override
  public boolean readsOutside() {
    return false;
  }
}
