package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_core.BORDER_ISOLATED;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.UMat;

/**
 * Gaussian blur ({@code gaussian_blur}, Albumentations' GaussianBlur with {@code blur_limit=0}, so
 * the kernel follows from sigma): {@code sigma} uniform in {@code [sigmaMin, sigmaMax]}, within
 * [0.1, 50]; the kernel side is OpenCV's rule for 8-bit images, {@code round(6 sigma + 1) | 1},
 * recorded so a replay does not depend on it. Borders are mirrored ({@code BORDER_REFLECT_101}),
 * and a view of a larger image is blurred as if it stood alone ({@code BORDER_ISOLATED}). Params:
 * {@code sigma}, {@code ksize}.
 *
 * <pre>{@code
 * new GaussianBlur(0.5, 0.5, 3.0)
 * }</pre>
 */
public record GaussianBlur(double p, double sigmaMin, double sigmaMax) implements PixelOp {
  public static final String NAME = "gaussian_blur";

  /** The largest kernel side, for {@code sigma = 50}. */
  static final int MAX_KSIZE = 301;

  public GaussianBlur {
    Params.probability(NAME, p);
    Params.range(NAME, "sigma", sigmaMin, sigmaMax, 0.1, 50);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    double sigma = Params.uniform(rng, sigmaMin, sigmaMax);
    SortedMap<String, Object> m = Params.params();
    m.put("sigma", sigma);
    m.put("ksize", (long) (((int) Math.floor(sigma * 6 + 1 + 0.5)) | 1));
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    double sigma = Params.number(NAME, params, "sigma", 0.1, 50);
    int k = ksize(params);
    try (Size ks = new Size(k, k);
        Mat out = new Mat()) {
      opencv_imgproc.GaussianBlur(
          rgb, out, ks, sigma, sigma, BORDER_REFLECT_101 | BORDER_ISOLATED, 0);
      out.copyTo(rgb);
    }
  }

  /** On the device ({@code cv::GaussianBlur}'s OpenCL kernel). */
  @Override
  public void apply(UMat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    double sigma = Params.number(NAME, params, "sigma", 0.1, 50);
    int k = ksize(params);
    try (Size ks = new Size(k, k);
        UMat out = new UMat()) {
      opencv_imgproc.GaussianBlur(
          rgb, out, ks, sigma, sigma, BORDER_REFLECT_101 | BORDER_ISOLATED, 0);
      out.copyTo(rgb);
    }
  }

  private static int ksize(SortedMap<String, Object> params) {
    int k = (int) Params.integer(NAME, params, "ksize", 1, MAX_KSIZE);
    if (k % 2 == 0) {
      throw new IllegalArgumentException(NAME + ": parameter ksize must be odd, but was " + k);
    }
    return k;
  }
}
