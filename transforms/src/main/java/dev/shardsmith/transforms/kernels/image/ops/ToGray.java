package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.UMat;

/**
 * Grayscale that keeps 3 channels ({@code to_gray}, Albumentations' ToGray with its default {@code
 * weighted_average} method and 3 output channels): ITU-R BT.601 luma ({@code 0.299 R + 0.587 G +
 * 0.114 B}, OpenCV's {@code COLOR_RGB2GRAY}) copied to R, G and B. No parameters.
 *
 * <pre>{@code
 * new ToGray(0.1)
 * }</pre>
 */
public record ToGray(double p) implements PixelOp {
  public static final String NAME = "to_gray";

  public ToGray {
    Params.probability(NAME, p);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    return Params.params();
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    try (Mat gray = new Mat()) {
      cvtColor(rgb, gray, COLOR_RGB2GRAY);
      cvtColor(gray, rgb, COLOR_GRAY2RGB);
    }
  }

  /** On the device ({@code cv::cvtColor}'s OpenCL kernels). */
  @Override
  public void apply(UMat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    try (UMat gray = new UMat()) {
      cvtColor(rgb, gray, COLOR_RGB2GRAY);
      cvtColor(gray, rgb, COLOR_GRAY2RGB);
    }
  }
}
