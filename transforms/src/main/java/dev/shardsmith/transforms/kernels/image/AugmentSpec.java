package dev.shardsmith.transforms.kernels.image;

/**
 * The train-only augmentation of one image copy, applied in this order after preprocessing: a
 * horizontal flip with probability {@code hflipP}; a rotation about the centre by an angle uniform
 * in {@code [-rotateLimitDegrees, rotateLimitDegrees]} with probability {@code rotateP}; a random
 * resized crop with probability {@code rrcP} (torchvision semantics: area fraction uniform in
 * {@code [rrcScaleMin, rrcScaleMax]}, aspect ratio log-uniform in {@code [rrcRatioMin,
 * rrcRatioMax]}, up to 10 tries, then the full frame), scaled back to the crop size. These are the
 * {@code augment.hflip/rotate/random_resized_crop} shorthands: {@link #ops} gives them as ops 0-2
 * of the composition; any other op goes in {@code augment.ops}. The rotation's corners are black
 * (constant border); for a mirrored border use a {@code rotate} op with {@code border: reflect}.
 *
 * <pre>{@code
 * AugmentSpec aug = new AugmentSpec(0.5, 0.5, 15, 0.5, 0.08, 1.0, 3.0 / 4, 4.0 / 3);
 * }</pre>
 */
public record AugmentSpec(
    double hflipP,
    double rotateP,
    double rotateLimitDegrees,
    double rrcP,
    double rrcScaleMin,
    double rrcScaleMax,
    double rrcRatioMin,
    double rrcRatioMax)
    implements java.io.Serializable {
  public AugmentSpec {
    probability("augment.hflip.p", hflipP);
    probability("augment.rotate.p", rotateP);
    probability("augment.random_resized_crop.p", rrcP);
    if (!(rotateLimitDegrees >= 0 && rotateLimitDegrees <= 180)) {
      throw new IllegalArgumentException(
          "augment.rotate.limit must be in [0, 180] degrees, but was " + rotateLimitDegrees);
    }
    if (!(rrcScaleMin > 0 && rrcScaleMin <= rrcScaleMax && rrcScaleMax <= 1)) {
      throw new IllegalArgumentException(
          "augment.random_resized_crop.scale must satisfy 0 < min <= max <= 1, but was ["
              + rrcScaleMin
              + ", "
              + rrcScaleMax
              + "]");
    }
    if (!(rrcRatioMin > 0 && rrcRatioMin <= rrcRatioMax && Double.isFinite(rrcRatioMax))) {
      throw new IllegalArgumentException(
          "augment.random_resized_crop.ratio must satisfy 0 < min <= max, but was ["
              + rrcRatioMin
              + ", "
              + rrcRatioMax
              + "]");
    }
  }

  /**
   * These settings as ops at positions 0, 1, 2 of the composition: {@code hflip}, {@code rotate}
   * (constant black border) and {@code random_resized_crop}, each drawn from its own stream.
   */
  public java.util.List<dev.shardsmith.transforms.kernels.image.ops.PixelOp> ops() {
    return java.util.List.of(
        dev.shardsmith.transforms.kernels.image.ops.Flip.horizontal(hflipP),
        new dev.shardsmith.transforms.kernels.image.ops.Rotate(
            rotateP, -rotateLimitDegrees, rotateLimitDegrees, Border.CONSTANT, 0),
        new dev.shardsmith.transforms.kernels.image.ops.RandomResizedCrop(
            rrcP, rrcScaleMin, rrcScaleMax, rrcRatioMin, rrcRatioMax));
  }

  /** No augmentation at all (every probability 0). */
  public static AugmentSpec none() {
    return new AugmentSpec(0, 0, 0, 0, 1, 1, 1, 1);
  }

  private static void probability(String key, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(key + " must be in [0, 1], but was " + p);
    }
  }
}
