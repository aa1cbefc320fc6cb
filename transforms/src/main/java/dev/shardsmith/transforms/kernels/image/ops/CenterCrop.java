package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Affine;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * The centre {@code width x height} pixels ({@code center_crop}, Albumentations' CenterCrop with
 * {@code pad_if_needed}): the output takes that size; a side larger than the frame is padded with
 * black on both sides (constant border, fill 0). Sides within [1, 65536]. Params: {@code x, y, w,
 * h} in pixels of the input frame.
 *
 * <pre>{@code
 * new CenterCrop(1.0, 224, 224)
 * }</pre>
 */
public record CenterCrop(double p, int width, int height) implements GeometricOp {
  public static final String NAME = "center_crop";

  public CenterCrop {
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
    return Crops.params(Math.floorDiv(w - width, 2), Math.floorDiv(h - height, 2), width, height);
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
