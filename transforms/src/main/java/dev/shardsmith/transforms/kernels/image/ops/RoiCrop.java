package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Affine;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * A fixed region of interest ({@code roi_crop}): {@code x, y, w, h} in pixels, or, with {@code
 * fractions}, as fractions of the frame (each in [0, 1], rounded to pixels, at least 1 pixel). The
 * output takes the region's size; a region reaching outside the frame shows black there. Params:
 * {@code x, y, w, h} in pixels of the input frame.
 *
 * <pre>{@code
 * new RoiCrop(1.0, 0.25, 0.25, 0.5, 0.5, true) // the middle quarter
 * }</pre>
 */
public record RoiCrop(double p, double x, double y, double w, double h, boolean fractions)
    implements GeometricOp {
  public static final String NAME = "roi_crop";

  public RoiCrop {
    Params.probability(NAME, p);
    double max = fractions ? 1 : Crops.MAX_SIDE;
    Params.value(NAME, "x", x, 0, max);
    Params.value(NAME, "y", y, 0, max);
    Params.value(NAME, "w", w, fractions ? 0 : 1, max);
    Params.value(NAME, "h", h, fractions ? 0 : 1, max);
    if (!fractions
        && (x != Math.rint(x) || y != Math.rint(y) || w != Math.rint(w) || h != Math.rint(h))) {
      throw new IllegalArgumentException(
          NAME
              + ": x, y, w, h in pixels must be integers, but were "
              + x
              + ", "
              + y
              + ", "
              + w
              + ", "
              + h);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int fw, int fh) {
    if (!fractions) {
      return Crops.params((long) x, (long) y, (long) w, (long) h);
    }
    return Crops.params(
        Math.round(x * fw),
        Math.round(y * fh),
        Math.max(1, Math.round(w * fw)),
        Math.max(1, Math.round(h * fh)));
  }

  @Override
  public Affine map(SortedMap<String, Object> params, int fw, int fh) {
    return Crops.map(NAME, params);
  }

  @Override
  public int[] outputSize(SortedMap<String, Object> params, int fw, int fh) {
    return Crops.size(NAME, params);
  }
}
