package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Affine;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * A {@code width x height} window at a uniform position ({@code random_crop}, Albumentations'
 * RandomCrop with {@code pad_if_needed}): the output takes that size; along a side larger than the
 * frame the window is centred and padded with black (constant border, fill 0). Sides within [1,
 * 65536]. Params: {@code x, y, w, h} in pixels of the input frame.
 *
 * <pre>{@code
 * new RandomCrop(1.0, 224, 224)
 * }</pre>
 */
public record RandomCrop(double p, int width, int height) implements GeometricOp {
  public static final String NAME = "random_crop";

  public RandomCrop {
    Params.probability(NAME, p);
    Params.value(NAME, "width", width, 1, Crops.MAX_SIDE);
    Params.value(NAME, "height", height, 1, Crops.MAX_SIDE);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int w, int h) {
    long x = w >= width ? Params.uniformInt(rng, 0, w - width) : Math.floorDiv(w - width, 2);
    long y = h >= height ? Params.uniformInt(rng, 0, h - height) : Math.floorDiv(h - height, 2);
    return Crops.params(x, y, width, height);
  }

  @Override
  public Affine map(SortedMap<String, Object> params, int w, int h) {
    return Crops.map(NAME, params);
  }

  @Override
  public int[] outputSize(SortedMap<String, Object> params, int w, int h) {
    return Crops.size(NAME, params);
  }
}
