package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.UMat;

/**
 * Random brightness and contrast ({@code brightness_contrast}, Albumentations'
 * RandomBrightnessContrast with {@code brightness_by_max=True}): {@code out = alpha * in + beta *
 * 255}, with {@code alpha = 1 + c}, {@code c} uniform in {@code [contrastMin, contrastMax]} and
 * {@code beta} uniform in {@code [brightnessMin, brightnessMax]}. Ranges: brightness and contrast
 * limits within [-1, 1]. Params: {@code alpha}, {@code beta}. Unlike Albumentations (which
 * truncates), results are rounded to the nearest level.
 *
 * <pre>{@code
 * new BrightnessContrast(0.5, -0.2, 0.2, -0.2, 0.2) // Albumentations' defaults
 * }</pre>
 */
public record BrightnessContrast(
    double p, double brightnessMin, double brightnessMax, double contrastMin, double contrastMax)
    implements PixelOp {
  public static final String NAME = "brightness_contrast";

  public BrightnessContrast {
    Params.probability(NAME, p);
    Params.range(NAME, "brightness_limit", brightnessMin, brightnessMax, -1, 1);
    Params.range(NAME, "contrast_limit", contrastMin, contrastMax, -1, 1);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("alpha", 1 + Params.uniform(rng, contrastMin, contrastMax));
    m.put("beta", Params.uniform(rng, brightnessMin, brightnessMax));
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    RgbPixels.lut(rgb, table(params));
  }

  /** On the device: the same table through {@code cv::LUT}'s OpenCL kernel; identical pixels. */
  @Override
  public void apply(UMat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    RgbPixels.lut(rgb, table(params));
  }

  private static byte[] table(SortedMap<String, Object> params) {
    double alpha = Params.number(NAME, params, "alpha", 0, 2);
    double beta = Params.number(NAME, params, "beta", -1, 1);
    byte[] t = new byte[256];
    for (int i = 0; i < 256; i++) {
      t[i] = RgbPixels.saturate(i * alpha + beta * 255);
    }
    return t;
  }
}
