package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.UMat;

/**
 * Median blur ({@code median_blur}, Albumentations' MedianBlur): the kernel side is an odd integer
 * uniform over the odd values in {@code [ksizeMin, ksizeMax]}, both odd, within [3, 255]. Params:
 * {@code ksize}.
 *
 * <pre>{@code
 * new MedianBlur(0.5, 3, 7) // Albumentations' default blur_limit
 * }</pre>
 */
public record MedianBlur(double p, int ksizeMin, int ksizeMax) implements PixelOp {
  public static final String NAME = "median_blur";

  public MedianBlur {
    Params.probability(NAME, p);
    Params.range(NAME, "blur_limit", ksizeMin, ksizeMax, 3, 255);
    OpParams.odd(NAME, "blur_limit", ksizeMin, ksizeMax);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("ksize", ksizeMin + 2 * Params.uniformInt(rng, 0, (ksizeMax - ksizeMin) / 2));
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    int k = ksize(params);
    try (Mat out = new Mat()) {
      opencv_imgproc.medianBlur(rgb, out, k);
      out.copyTo(rgb);
    }
  }

  /** On the device ({@code cv::medianBlur}'s OpenCL kernels, for {@code ksize} 3 and 5). */
  @Override
  public void apply(UMat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    int k = ksize(params);
    try (UMat out = new UMat()) {
      opencv_imgproc.medianBlur(rgb, out, k);
      out.copyTo(rgb);
    }
  }

  private static int ksize(SortedMap<String, Object> params) {
    int k = (int) Params.integer(NAME, params, "ksize", 3, 255);
    if (k % 2 == 0) {
      throw new IllegalArgumentException(NAME + ": parameter ksize must be odd, but was " + k);
    }
    return k;
  }
}
