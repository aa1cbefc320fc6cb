package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Color jitter with torchvision/Albumentations ColorJitter semantics ({@code color_jitter}):
 * brightness, contrast and saturation factors uniform in {@code [max(0, 1 - x), 1 + x]}, a hue
 * shift uniform in {@code [-hue, hue]} (fraction of a turn), applied in a random order. Brightness
 * scales levels; contrast blends with the mean gray level; saturation blends with the grayscale
 * image; hue shifts OpenCV's hue by {@code round(180 * hue)} steps. Ranges: brightness, contrast,
 * saturation in [0, 10], hue in [0, 0.5]. Params: {@code brightness}, {@code contrast}, {@code
 * saturation}, {@code hue} and {@code order} (a permutation of {@code "bcsh"}). Levels are rounded
 * (Albumentations truncates) and the hue shift is a whole number of OpenCV hue steps.
 *
 * <pre>{@code
 * new ColorJitter(0.5, 0.2, 0.2, 0.2, 0.1)
 * }</pre>
 */
public record ColorJitter(
    double p, double brightness, double contrast, double saturation, double hue)
    implements PixelOp {
  public static final String NAME = "color_jitter";

  private static final String STEPS = "bcsh";

  public ColorJitter {
    Params.probability(NAME, p);
    Params.value(NAME, "brightness", brightness, 0, 10);
    Params.value(NAME, "contrast", contrast, 0, 10);
    Params.value(NAME, "saturation", saturation, 0, 10);
    Params.value(NAME, "hue", hue, 0, 0.5);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("brightness", factor(rng, brightness));
    m.put("contrast", factor(rng, contrast));
    m.put("saturation", factor(rng, saturation));
    m.put("hue", Params.uniform(rng, -hue, hue));
    StringBuilder order = new StringBuilder();
    for (int i : OpParams.permutation(rng, STEPS.length())) {
      order.append(STEPS.charAt(i));
    }
    m.put("order", order.toString());
    return m;
  }

  private static double factor(SplittableRandom rng, double x) {
    return Params.uniform(rng, Math.max(0, 1 - x), 1 + x);
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    double b = Params.number(NAME, params, "brightness", 0, 11);
    double c = Params.number(NAME, params, "contrast", 0, 11);
    double s = Params.number(NAME, params, "saturation", 0, 11);
    double h = Params.number(NAME, params, "hue", -0.5, 0.5);
    String order = Params.string(NAME, params, "order");
    if (order.length() != 4
        || !order.chars().allMatch(ch -> STEPS.indexOf(ch) >= 0)
        || order.chars().distinct().count() != 4) {
      throw new IllegalArgumentException(
          NAME + ": parameter order must be a permutation of bcsh, but was " + order);
    }
    for (char step : order.toCharArray()) {
      switch (step) {
        case 'b' -> brightness(rgb, b);
        case 'c' -> contrast(rgb, c);
        case 's' -> saturation(rgb, s);
        default -> HueSaturationValue.shift(rgb, Math.round(180 * h), 0, 0);
      }
    }
  }

  private static void brightness(Mat rgb, double f) {
    byte[] t = new byte[256];
    for (int i = 0; i < 256; i++) {
      t[i] = RgbPixels.saturate(i * f);
    }
    RgbPixels.lut(rgb, t);
  }

  private static void contrast(Mat rgb, double f) {
    double m;
    try (Mat gray = new Mat();
        Scalar s = mean(gray(rgb, gray))) {
      m = s.get(0);
    }
    byte[] t = new byte[256];
    for (int i = 0; i < 256; i++) {
      t[i] = RgbPixels.saturate(i * f + m * (1 - f));
    }
    RgbPixels.lut(rgb, t);
  }

  private static void saturation(Mat rgb, double f) {
    try (Mat gray = new Mat();
        Mat gray3 = new Mat();
        Mat out = new Mat()) {
      cvtColor(gray(rgb, gray), gray3, COLOR_GRAY2RGB);
      addWeighted(rgb, f, gray3, 1 - f, 0, out);
      out.copyTo(rgb);
    }
  }

  private static Mat gray(Mat rgb, Mat gray) {
    cvtColor(rgb, gray, COLOR_RGB2GRAY);
    return gray;
  }
}
