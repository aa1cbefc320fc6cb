package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_HSV2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2HSV;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.UMat;

/**
 * Hue, saturation and value shifts in OpenCV's 8-bit HSV ({@code hue_saturation_value},
 * Albumentations' HueSaturationValue): hue (0..179, 2 degrees a step) is shifted modulo 180,
 * saturation and value are shifted and clamped to [0, 255]. Each shift is an integer uniform in its
 * limit: hue within [-180, 180], saturation and value within [-255, 255]. Params: {@code hue},
 * {@code sat}, {@code val} (integers; Albumentations draws real shifts and truncates them).
 *
 * <pre>{@code
 * new HueSaturationValue(0.5, -20, 20, -30, 30, -20, 20) // Albumentations' defaults
 * }</pre>
 */
public record HueSaturationValue(
    double p, int hueMin, int hueMax, int satMin, int satMax, int valMin, int valMax)
    implements PixelOp {
  public static final String NAME = "hue_saturation_value";

  public HueSaturationValue {
    Params.probability(NAME, p);
    Params.range(NAME, "hue_shift_limit", hueMin, hueMax, -180, 180);
    Params.range(NAME, "sat_shift_limit", satMin, satMax, -255, 255);
    Params.range(NAME, "val_shift_limit", valMin, valMax, -255, 255);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("hue", Params.uniformInt(rng, hueMin, hueMax));
    m.put("sat", Params.uniformInt(rng, satMin, satMax));
    m.put("val", Params.uniformInt(rng, valMin, valMax));
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    long hue = Params.integer(NAME, params, "hue", -180, 180);
    long sat = Params.integer(NAME, params, "sat", -255, 255);
    long val = Params.integer(NAME, params, "val", -255, 255);
    shift(rgb, hue, sat, val);
  }

  /** On the device ({@code cv::cvtColor} and {@code cv::LUT}'s OpenCL kernels). */
  @Override
  public void apply(UMat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    long hue = Params.integer(NAME, params, "hue", -180, 180);
    long sat = Params.integer(NAME, params, "sat", -255, 255);
    long val = Params.integer(NAME, params, "val", -255, 255);
    byte[][] t = tables(hue, sat, val);
    try (UMat hsv = new UMat()) {
      cvtColor(rgb, hsv, COLOR_RGB2HSV);
      RgbPixels.lut3(hsv, t[0], t[1], t[2]);
      cvtColor(hsv, rgb, COLOR_HSV2RGB);
    }
  }

  /** The hue, saturation and value tables of a shift. */
  private static byte[][] tables(long hue, long sat, long val) {
    byte[] th = new byte[256];
    byte[] ts = new byte[256];
    byte[] tv = new byte[256];
    for (int i = 0; i < 256; i++) {
      th[i] = (byte) (i < 180 ? Math.floorMod(i + hue, 180) : i);
      ts[i] = RgbPixels.saturate(i + sat);
      tv[i] = RgbPixels.saturate(i + val);
    }
    return new byte[][] {th, ts, tv};
  }

  /** Shifts hue (mod 180), saturation and value (clamped) of an RGB image, in place. */
  static void shift(Mat rgb, long hue, long sat, long val) {
    byte[][] t = tables(hue, sat, val);
    try (Mat hsv = new Mat()) {
      cvtColor(rgb, hsv, COLOR_RGB2HSV);
      RgbPixels.lut3(hsv, t[0], t[1], t[2]);
      cvtColor(hsv, rgb, COLOR_HSV2RGB);
    }
  }
}
