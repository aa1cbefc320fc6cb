package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Affine;
import dev.shardsmith.transforms.kernels.image.Interpolation;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Resize to {@code width x height} pixels (each in [1, 65536]) with {@code interpolation} ({@code
 * resize}, Albumentations' Resize). Fused with its neighbours, the whole warp uses the
 * interpolation of the group's last resize ({@code area} runs as {@code linear} in a warp, as
 * OpenCV does; the decoder's DCT reduction already averages a 2x or larger shrink). Params: {@code
 * width}, {@code height}, {@code interpolation}.
 *
 * <pre>{@code
 * new Resize(1.0, 224, 224, Interpolation.CUBIC)
 * }</pre>
 */
public record Resize(double p, int width, int height, Interpolation interpolation)
    implements GeometricOp {
  public static final String NAME = "resize";

  public Resize {
    Params.probability(NAME, p);
    Params.value(NAME, "width", width, 1, Crops.MAX_SIDE);
    Params.value(NAME, "height", height, 1, Crops.MAX_SIDE);
    if (interpolation == null) {
      throw new IllegalArgumentException(
          NAME + ".interpolation must be one of " + Interpolation.keys());
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int w, int h) {
    SortedMap<String, Object> m = Params.params();
    m.put("width", (long) width);
    m.put("height", (long) height);
    m.put("interpolation", interpolation.key());
    return m;
  }

  @Override
  public Affine map(SortedMap<String, Object> params, int w, int h) {
    int[] s = outputSize(params, w, h);
    return Affine.scale((double) s[0] / w, (double) s[1] / h);
  }

  @Override
  public int[] outputSize(SortedMap<String, Object> params, int w, int h) {
    return new int[] {
      (int) Params.integer(NAME, params, "width", 1, Crops.MAX_SIDE),
      (int) Params.integer(NAME, params, "height", 1, Crops.MAX_SIDE)
    };
  }

  @Override
  public Interpolation interpolation(SortedMap<String, Object> params) {
    return OpParams.interpolation(NAME, params);
  }

  @Override
  public boolean readsOutside() {
    return false;
  }
}
