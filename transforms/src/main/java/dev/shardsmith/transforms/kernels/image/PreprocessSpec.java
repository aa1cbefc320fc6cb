package dev.shardsmith.transforms.kernels.image;

/**
 * The per-sample preprocessing of every split: resize so the shorter side equals {@code resize}
 * (aspect kept), then crop the centre {@code cropWidth x cropHeight}; or, as {@link #KEEP} ({@code
 * resize == 0}), keep every image at its own (EXIF-oriented) size. Then {@code ops}, deterministic
 * ops at {@code p = 1} ({@link #PREPROCESS_OPS}: grayscale, ROI crop, pyramid downscale, Canny and
 * Sobel edges, crops, pad, resize), on every row, originals and copies alike, before any augment
 * op. Validated when built, so a bad config fails before the pipeline runs.
 *
 * <pre>{@code
 * PreprocessSpec pre = new PreprocessSpec(256, 224, 224);
 * PreprocessSpec edges = new PreprocessSpec(256, 224, 224, List.of(new Canny(1, 100, 200, 3)));
 * }</pre>
 */
public record PreprocessSpec(
    int resize,
    int cropWidth,
    int cropHeight,
    java.util.List<dev.shardsmith.transforms.kernels.image.ops.PixelOp> ops)
    implements java.io.Serializable {
  /** No resize and no crop: every image keeps its size, so shapes vary. */
  public static final PreprocessSpec KEEP = new PreprocessSpec(0, 0, 0);

  /** The ops allowed in {@code ops}: their parameters are fixed by the config. */
  public static final java.util.List<String> PREPROCESS_OPS =
      java.util.List.of(
          dev.shardsmith.transforms.kernels.image.ops.Grayscale.NAME,
          dev.shardsmith.transforms.kernels.image.ops.ToGray.NAME,
          dev.shardsmith.transforms.kernels.image.ops.RoiCrop.NAME,
          dev.shardsmith.transforms.kernels.image.ops.PyrDown.NAME,
          dev.shardsmith.transforms.kernels.image.ops.Canny.NAME,
          dev.shardsmith.transforms.kernels.image.ops.Sobel.NAME,
          dev.shardsmith.transforms.kernels.image.ops.CenterCrop.NAME,
          dev.shardsmith.transforms.kernels.image.ops.Pad.NAME,
          dev.shardsmith.transforms.kernels.image.ops.Resize.NAME,
          dev.shardsmith.transforms.kernels.image.ops.Equalize.NAME);

  public PreprocessSpec(int resize, int cropWidth, int cropHeight) {
    this(resize, cropWidth, cropHeight, java.util.List.of());
  }

  public PreprocessSpec {
    boolean keep = resize == 0 && cropWidth == 0 && cropHeight == 0;
    if (!keep) {
      check(resize, cropWidth, cropHeight);
    }
    ops = ops == null ? java.util.List.of() : java.util.List.copyOf(ops);
    for (int i = 0; i < ops.size(); i++) {
      var op = ops.get(i);
      if (!PREPROCESS_OPS.contains(op.name())) {
        throw new IllegalArgumentException(
            "preprocess.ops["
                + i
                + "] = "
                + op.name()
                + " is not a deterministic op: use one of "
                + PREPROCESS_OPS
                + " (random ops belong in augment.ops)");
      }
      if (op.p() != 1) {
        throw new IllegalArgumentException(
            "preprocess.ops["
                + i
                + "] ("
                + op.name()
                + ").p must be 1 on every split, but was "
                + op.p());
      }
    }
  }

  private static void check(int resize, int cropWidth, int cropHeight) {
    if (resize <= 0) {
      throw new IllegalArgumentException("preprocess.resize must be > 0, but was " + resize);
    }
    if (cropWidth <= 0 || cropHeight <= 0) {
      throw new IllegalArgumentException(
          "preprocess.crop must be > 0 on both sides, but was " + cropWidth + "x" + cropHeight);
    }
    if (cropWidth > resize || cropHeight > resize) {
      throw new IllegalArgumentException(
          "preprocess.crop "
              + cropWidth
              + "x"
              + cropHeight
              + " does not fit in an image resized to a shorter side of "
              + resize
              + "; the crop must be <= resize");
    }
  }

  /** True when images keep their own size ({@link #KEEP}). */
  public boolean keepsSize() {
    return resize == 0;
  }

  /** The output width for an image with this header. */
  public int outputWidth(ImageHeader h) {
    return keepsSize() ? h.displayWidth() : cropWidth;
  }

  /** The output height for an image with this header. */
  public int outputHeight(ImageHeader h) {
    return keepsSize() ? h.displayHeight() : cropHeight;
  }

  /** The size of {@code w x h} once its shorter side is scaled to {@link #resize()}. */
  public int[] resizedSize(int w, int h) {
    double s = (double) resize / Math.min(w, h);
    return new int[] {
      w <= h ? resize : Math.max(resize, (int) Math.round(w * s)),
      h <= w ? resize : Math.max(resize, (int) Math.round(h * s))
    };
  }

  /**
   * The map from a {@code w x h} source (continuous coordinates) to the cropped output: scale to
   * {@link #resizedSize}, then shift so the centre crop starts at 0.
   */
  public Affine affine(int w, int h) {
    if (keepsSize()) {
      return Affine.identity();
    }
    int[] r = resizedSize(w, h);
    int[] off = cropOffset(r[0], r[1]);
    return Affine.scale((double) r[0] / w, (double) r[1] / h)
        .then(Affine.translate(-off[0], -off[1]));
  }

  /** The top-left corner of the centre crop in a {@code rw x rh} resized image. */
  public int[] cropOffset(int rw, int rh) {
    return new int[] {(rw - cropWidth) / 2, (rh - cropHeight) / 2};
  }
}
