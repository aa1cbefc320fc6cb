package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_core.BORDER_ISOLATED;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.UMat;

/**
 * Motion blur ({@code motion_blur}, Albumentations' MotionBlur with {@code direction_range=(0, 0)}
 * and {@code allow_shifted=False}): a {@code ksize x ksize} kernel holding a line of equal weights
 * through its centre at {@code angle} degrees, applied with {@code filter2D}. {@code ksize} is odd,
 * uniform over the odd values in {@code [ksizeMin, ksizeMax]} (odd, within [3, 99]); {@code angle}
 * is uniform in {@code [angleMin, angleMax]}, within [0, 360]. Params: {@code ksize}, {@code
 * angle}.
 *
 * <pre>{@code
 * new MotionBlur(0.5, 3, 7, 0, 360)
 * }</pre>
 */
public record MotionBlur(double p, int ksizeMin, int ksizeMax, double angleMin, double angleMax)
    implements PixelOp {
  public static final String NAME = "motion_blur";

  public MotionBlur {
    Params.probability(NAME, p);
    Params.range(NAME, "blur_limit", ksizeMin, ksizeMax, 3, 99);
    OpParams.odd(NAME, "blur_limit", ksizeMin, ksizeMax);
    Params.range(NAME, "angle_range", angleMin, angleMax, 0, 360);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("ksize", ksizeMin + 2 * Params.uniformInt(rng, 0, (ksizeMax - ksizeMin) / 2));
    m.put("angle", Params.uniform(rng, angleMin, angleMax));
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    float[] kernel = kernel(params);
    int k = (int) Math.round(Math.sqrt(kernel.length));
    try (FloatPointer data = new FloatPointer(kernel);
        Mat kmat = new Mat(k, k, CV_32FC1, data);
        Point anchor = new Point(-1, -1);
        Mat out = new Mat()) {
      opencv_imgproc.filter2D(rgb, out, -1, kmat, anchor, 0, BORDER_REFLECT_101 | BORDER_ISOLATED);
      out.copyTo(rgb);
    }
  }

  /** On the device ({@code cv::filter2D}'s OpenCL kernel). */
  @Override
  public void apply(UMat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    float[] kernel = kernel(params);
    int k = (int) Math.round(Math.sqrt(kernel.length));
    try (FloatPointer data = new FloatPointer(kernel);
        Mat kmat = new Mat(k, k, CV_32FC1, data);
        UMat ku = new UMat();
        Point anchor = new Point(-1, -1);
        UMat out = new UMat()) {
      kmat.copyTo(ku);
      opencv_imgproc.filter2D(rgb, out, -1, ku, anchor, 0, BORDER_REFLECT_101 | BORDER_ISOLATED);
      out.copyTo(rgb);
    }
  }

  private static float[] kernel(SortedMap<String, Object> params) {
    int k = (int) Params.integer(NAME, params, "ksize", 3, 99);
    if (k % 2 == 0) {
      throw new IllegalArgumentException(NAME + ": parameter ksize must be odd, but was " + k);
    }
    double angle = Params.number(NAME, params, "angle", 0, 360);
    return kernel(k, angle);
  }

  /** A normalized line kernel: cells hit by 4k samples along the centred segment. */
  static float[] kernel(int k, double angleDegrees) {
    float[] w = new float[k * k];
    double c = (k - 1) / 2.0;
    double rad = Math.toRadians(angleDegrees);
    double dx = StrictMath.cos(rad);
    double dy = StrictMath.sin(rad);
    int steps = 4 * k;
    for (int s = 0; s <= steps; s++) {
      double t = -c + 2 * c * s / steps;
      int x = (int) Math.floor(c + t * dx + 0.5);
      int y = (int) Math.floor(c + t * dy + 0.5);
      if (x >= 0 && x < k && y >= 0 && y < k) {
        w[y * k + x] = 1;
      }
    }
    int n = 0;
    for (float v : w) {
      n += v > 0 ? 1 : 0;
    }
    for (int i = 0; i < w.length; i++) {
      w[i] /= n;
    }
    return w;
  }
}
