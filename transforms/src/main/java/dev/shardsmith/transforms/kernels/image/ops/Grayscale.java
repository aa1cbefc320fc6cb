package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Grayscale ({@code grayscale}): BT.601 luma, as {@link ToGray}, on all three channels while later
 * ops run; with {@code channels} 1 the row is written {@code H x W x 1} (the luma of the final
 * image: {@code ImageFusion} converts once every op has run), with 3 it stays RGB with R = G = B.
 * One channel is for {@code preprocess.ops}, where every row of every split gets it, so all rows
 * keep one shape. Params: {@code channels}.
 *
 * <pre>{@code
 * new Grayscale(1.0, 1)
 * }</pre>
 */
public record Grayscale(double p, int channels) implements PixelOp {
  public static final String NAME = "grayscale";

  public Grayscale {
    Params.probability(NAME, p);
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException(NAME + ".channels must be 1 or 3, but was " + channels);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("channels", (long) channels);
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    long c = Params.integer(NAME, params, "channels", 1, 3);
    if (c == 2) {
      throw new IllegalArgumentException(NAME + ": parameter channels must be 1 or 3, but was 2");
    }
    new ToGray(1).apply(rgb, params);
  }

  /** True when a recorded op asks for a 1-channel row. */
  public static boolean oneChannel(String op, SortedMap<String, Object> params) {
    return NAME.equals(op) && Params.integer(NAME, params, "channels", 1, 3) == 1;
  }
}
