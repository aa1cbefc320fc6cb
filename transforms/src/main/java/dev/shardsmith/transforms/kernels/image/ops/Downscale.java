package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Interpolation;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Quality loss by downscale-then-upscale ({@code downscale}, Albumentations' Downscale): the image
 * is resized to {@code scale} times its size ({@code scale} uniform in {@code [scaleMin,
 * scaleMax]}, within [0.05, 1]; at least 1 pixel) and back, both with {@code interpolation}. The
 * size is kept. Params: {@code scale}, {@code interpolation}.
 *
 * <pre>{@code
 * new Downscale(0.3, 0.25, 0.5, Interpolation.NEAREST)
 * }</pre>
 */
public record Downscale(double p, double scaleMin, double scaleMax, Interpolation interpolation)
    implements PixelOp {
  public static final String NAME = "downscale";

  public Downscale {
    Params.probability(NAME, p);
    Params.range(NAME, "scale", scaleMin, scaleMax, 0.05, 1);
    if (interpolation == null) {
      throw new IllegalArgumentException(
          NAME + ".interpolation must be one of " + Interpolation.keys());
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("scale", Params.uniform(rng, scaleMin, scaleMax));
    m.put("interpolation", interpolation.key());
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    double s = Params.number(NAME, params, "scale", 0.05, 1);
    int interp = OpParams.interpolation(NAME, params).cv();
    int w = rgb.cols();
    int h = rgb.rows();
    try (Size small =
            new Size(Math.max(1, (int) Math.round(w * s)), Math.max(1, (int) Math.round(h * s)));
        Size full = new Size(w, h);
        Mat down = new Mat();
        Mat up = new Mat()) {
      opencv_imgproc.resize(rgb, down, small, 0, 0, interp);
      opencv_imgproc.resize(down, up, full, 0, 0, interp);
      up.copyTo(rgb);
    }
  }
}
