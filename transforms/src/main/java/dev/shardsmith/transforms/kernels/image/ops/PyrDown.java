package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_core.BORDER_DEFAULT;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Affine;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.UMat;

/**
 * Image-pyramid downscale ({@code pyr_down}): {@code levels} (in [1, 6]) steps of OpenCV's {@code
 * pyrDown}, each a 5x5 Gaussian then every second pixel, {@code w -> (w + 1) / 2}. Not a plain
 * resampling, so it runs between warps rather than inside one; its map (a scale) still joins the
 * geometry that boxes follow. Params: {@code levels}.
 *
 * <pre>{@code
 * new PyrDown(1.0, 1)
 * }</pre>
 */
public record PyrDown(double p, int levels) implements GeometricOp {
  public static final String NAME = "pyr_down";

  public PyrDown {
    Params.probability(NAME, p);
    Params.value(NAME, "levels", levels, 1, 6);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int w, int h) {
    SortedMap<String, Object> m = Params.params();
    m.put("levels", (long) levels);
    return m;
  }

  @Override
  public Affine map(SortedMap<String, Object> params, int w, int h) {
    int[] s = outputSize(params, w, h);
    return Affine.scale((double) s[0] / w, (double) s[1] / h);
  }

  @Override
  public int[] outputSize(SortedMap<String, Object> params, int w, int h) {
    long n = Params.integer(NAME, params, "levels", 1, 6);
    for (long i = 0; i < n; i++) {
      w = (w + 1) / 2;
      h = (h + 1) / 2;
    }
    return new int[] {w, h};
  }

  @Override
  public boolean fusable() {
    return false;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    long n = Params.integer(NAME, params, "levels", 1, 6);
    try (Mat cur = rgb.clone()) {
      for (long i = 0; i < n; i++) {
        try (Size s = new Size((cur.cols() + 1) / 2, (cur.rows() + 1) / 2);
            Mat next = new Mat()) {
          opencv_imgproc.pyrDown(cur, next, s, BORDER_DEFAULT);
          next.copyTo(cur);
        }
      }
      cur.copyTo(rgb);
    }
  }

  /** {@link #apply(Mat, SortedMap)} on the device: each level is OpenCV's OpenCL pyrDown. */
  @Override
  public void apply(UMat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    long n = Params.integer(NAME, params, "levels", 1, 6);
    try (UMat next = new UMat()) {
      for (long i = 0; i < n; i++) {
        try (Size s = new Size((rgb.cols() + 1) / 2, (rgb.rows() + 1) / 2)) {
          opencv_imgproc.pyrDown(rgb, next, s, BORDER_DEFAULT);
          next.copyTo(rgb);
        }
      }
    }
  }

  @Override
  public boolean readsOutside() {
    return false;
  }
}
