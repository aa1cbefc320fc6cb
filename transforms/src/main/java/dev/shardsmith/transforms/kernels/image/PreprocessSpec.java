package dev.shardsmith.transforms.kernels.image;

/**
 * The per-sample preprocessing of every split: resize so the shorter side equals {@code resize}
 * (aspect kept), then crop the centre {@code cropWidth x cropHeight}; or, as {@link #KEEP} ({@code
 * resize == 0}), keep every image at its own (EXIF-oriented) size. Validated when built, so a bad
 * config fails before the pipeline runs.
 *
 * <pre>{@code
 * PreprocessSpec pre = new PreprocessSpec(256, 224, 224);
 * }</pre>
 */
public record PreprocessSpec(int resize, int cropWidth, int cropHeight)
    implements java.io.Serializable {
  /** No resize and no crop: every image keeps its size, so shapes vary. */
  public static final PreprocessSpec KEEP = new PreprocessSpec(0, 0, 0);

  public PreprocessSpec {
    boolean keep = resize == 0 && cropWidth == 0 && cropHeight == 0;
    if (!keep) {
      check(resize, cropWidth, cropHeight);
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
