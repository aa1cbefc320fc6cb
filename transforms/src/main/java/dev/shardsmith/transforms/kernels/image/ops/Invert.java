package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_core.bitwise_not;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.UMat;

/**
 * Inverts every level, {@code out = 255 - in} ({@code invert}, Albumentations' InvertImg). No
 * parameters.
 *
 * <pre>{@code
 * new Invert(0.05)
 * }</pre>
 */
public record Invert(double p) implements PixelOp {
  public static final String NAME = "invert";

  public Invert {
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
    bitwise_not(rgb, rgb);
  }

  /** On the device ({@code cv::bitwise_not}'s OpenCL kernel); identical pixels. */
  @Override
  public void apply(UMat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    bitwise_not(rgb, rgb);
  }
}
