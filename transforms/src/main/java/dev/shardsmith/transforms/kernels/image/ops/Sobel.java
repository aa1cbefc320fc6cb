package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;
import static org.bytedeco.opencv.global.opencv_core.CV_16S;
import static org.bytedeco.opencv.global.opencv_core.convertScaleAbs;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Sobel edges ({@code sobel}): OpenCV's {@code Sobel} of order {@code dx}, {@code dy} (each in [0,
 * 2], not both 0; one of them 0 when {@code ksize} is 1) with kernel side {@code ksize} (1, 3, 5 or
 * 7) on the BT.601 luma, 16-bit, then the absolute value saturated to 8 bits on all three channels;
 * mirrored borders. Deterministic. Params: {@code dx}, {@code dy}, {@code ksize}.
 *
 * <pre>{@code
 * new Sobel(1.0, 1, 0, 3) // vertical edges
 * }</pre>
 */
public record Sobel(double p, int dx, int dy, int ksize) implements PixelOp {
  public static final String NAME = "sobel";

  public Sobel {
    Params.probability(NAME, p);
    check(NAME + ".", dx, dy, ksize);
  }

  private static void check(String where, long dx, long dy, long ksize) {
    if (ksize != 1 && ksize != 3 && ksize != 5 && ksize != 7) {
      throw new IllegalArgumentException(where + "ksize must be 1, 3, 5 or 7, but was " + ksize);
    }
    if (dx < 0 || dy < 0 || dx > 2 || dy > 2 || dx + dy == 0 || (ksize == 1 && dx > 0 && dy > 0)) {
      throw new IllegalArgumentException(
          where
              + "dx, dy must be in [0, 2], not both 0 (and one of them 0 for ksize 1), but were "
              + dx
              + ", "
              + dy
              + " with ksize "
              + ksize);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("dx", (long) dx);
    m.put("dy", (long) dy);
    m.put("ksize", (long) ksize);
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    long x = Params.integer(NAME, params, "dx", 0, 2);
    long y = Params.integer(NAME, params, "dy", 0, 2);
    long k = Params.integer(NAME, params, "ksize", 1, 7);
    check(NAME + ": parameter ", x, y, k);
    try (Mat gray = new Mat();
        Mat grad = new Mat();
        Mat abs = new Mat()) {
      cvtColor(rgb, gray, COLOR_RGB2GRAY);
      opencv_imgproc.Sobel(gray, grad, CV_16S, (int) x, (int) y, (int) k, 1, 0, BORDER_REFLECT_101);
      convertScaleAbs(grad, abs);
      cvtColor(abs, rgb, COLOR_GRAY2RGB);
    }
  }
}
