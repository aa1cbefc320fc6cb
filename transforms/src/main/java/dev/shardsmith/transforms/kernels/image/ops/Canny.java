package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Canny edges ({@code canny}): OpenCV's {@code Canny} on the BT.601 luma with hysteresis thresholds
 * {@code threshold1 <= threshold2} (within [0, 1000]) and a Sobel {@code aperture} of 3, 5 or 7;
 * edges are 255, the rest 0, on all three channels. Deterministic. Params: {@code threshold1},
 * {@code threshold2}, {@code aperture}.
 *
 * <pre>{@code
 * new Canny(1.0, 100, 200, 3)
 * }</pre>
 */
public record Canny(double p, double threshold1, double threshold2, int aperture)
    implements PixelOp {
  public static final String NAME = "canny";

  public Canny {
    Params.probability(NAME, p);
    Params.range(NAME, "thresholds", threshold1, threshold2, 0, 1000);
    if (aperture != 3 && aperture != 5 && aperture != 7) {
      throw new IllegalArgumentException(NAME + ".aperture must be 3, 5 or 7, but was " + aperture);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("threshold1", threshold1);
    m.put("threshold2", threshold2);
    m.put("aperture", (long) aperture);
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    double t1 = Params.number(NAME, params, "threshold1", 0, 1000);
    double t2 = Params.number(NAME, params, "threshold2", 0, 1000);
    int a = (int) Params.integer(NAME, params, "aperture", 3, 7);
    if (a % 2 == 0) {
      throw new IllegalArgumentException(NAME + ": parameter aperture must be odd, but was " + a);
    }
    try (Mat gray = new Mat();
        Mat edges = new Mat()) {
      cvtColor(rgb, gray, COLOR_RGB2GRAY);
      opencv_imgproc.Canny(gray, edges, t1, t2, a, false);
      cvtColor(edges, rgb, COLOR_GRAY2RGB);
    }
  }
}
