package dev.shardsmith.pipelines.config;

import dev.shardsmith.transforms.kernels.image.ops.BrightnessContrast;
import dev.shardsmith.transforms.kernels.image.ops.ChannelShuffle;
import dev.shardsmith.transforms.kernels.image.ops.Clahe;
import dev.shardsmith.transforms.kernels.image.ops.CoarseDropout;
import dev.shardsmith.transforms.kernels.image.ops.ColorJitter;
import dev.shardsmith.transforms.kernels.image.ops.Equalize;
import dev.shardsmith.transforms.kernels.image.ops.Gamma;
import dev.shardsmith.transforms.kernels.image.ops.GaussianBlur;
import dev.shardsmith.transforms.kernels.image.ops.GaussianNoise;
import dev.shardsmith.transforms.kernels.image.ops.HueSaturationValue;
import dev.shardsmith.transforms.kernels.image.ops.Invert;
import dev.shardsmith.transforms.kernels.image.ops.JpegCompression;
import dev.shardsmith.transforms.kernels.image.ops.MedianBlur;
import dev.shardsmith.transforms.kernels.image.ops.MotionBlur;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import dev.shardsmith.transforms.kernels.image.ops.Posterize;
import dev.shardsmith.transforms.kernels.image.ops.RandomErasing;
import dev.shardsmith.transforms.kernels.image.ops.SaltAndPepper;
import dev.shardsmith.transforms.kernels.image.ops.Solarize;
import dev.shardsmith.transforms.kernels.image.ops.ToGray;
import dev.shardsmith.transforms.kernels.image.ops.WebpCompression;
import java.util.List;

/**
 * One entry of {@code augment.ops}: {@code {op: <name>, p: <probability>, <parameters>}}, ranges as
 * {@code [low, high]}. The op's own checks give the allowed ranges; their message is prefixed with
 * the entry's key. docs/config.md lists every op with its parameters and defaults.
 */
final class PixelOpConfig {
  private PixelOpConfig() {}

  static final List<String> NAMES =
      List.of(
          BrightnessContrast.NAME,
          Gamma.NAME,
          HueSaturationValue.NAME,
          ColorJitter.NAME,
          ToGray.NAME,
          ChannelShuffle.NAME,
          Equalize.NAME,
          Clahe.NAME,
          Posterize.NAME,
          Solarize.NAME,
          Invert.NAME,
          GaussianBlur.NAME,
          MedianBlur.NAME,
          MotionBlur.NAME,
          GaussianNoise.NAME,
          SaltAndPepper.NAME,
          CoarseDropout.NAME,
          RandomErasing.NAME,
          JpegCompression.NAME,
          WebpCompression.NAME);

  private static final double BIG = 1e9;

  static PixelOp parse(Section s) {
    String name = s.choice("op", null, NAMES);
    double p = s.number("p", 0.5, 0, 1);
    PixelOp op;
    try {
      op = build(name, p, s);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(s.key("") + " (" + name + "): " + e.getMessage());
    }
    s.finish();
    return op;
  }

  /** The op as the effective config shows it: its name and every parameter, defaults included. */
  static java.util.Map<String, Object> effective(PixelOp op) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("op", op.name());
    for (java.lang.reflect.RecordComponent c : op.getClass().getRecordComponents()) {
      try {
        String snake = c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
        m.put(snake, c.getAccessor().invoke(op));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return m;
  }

  private static PixelOp build(String name, double p, Section s) {
    switch (name) {
      case "brightness_contrast":
        {
          double[] b = s.range("brightness", new double[] {-0.2, 0.2}, -BIG, BIG);
          double[] c = s.range("contrast", new double[] {-0.2, 0.2}, -BIG, BIG);
          return new BrightnessContrast(p, b[0], b[1], c[0], c[1]);
        }
      case "gamma":
        {
          double[] g = s.range("gamma", new double[] {0.8, 1.2}, -BIG, BIG);
          return new Gamma(p, g[0], g[1]);
        }
      case "hue_saturation_value":
        {
          int[] h = s.intRange("hue", new int[] {-20, 20}, -1000, 1000);
          int[] sat = s.intRange("saturation", new int[] {-30, 30}, -1000, 1000);
          int[] v = s.intRange("value", new int[] {-20, 20}, -1000, 1000);
          return new HueSaturationValue(p, h[0], h[1], sat[0], sat[1], v[0], v[1]);
        }
      case "color_jitter":
        return new ColorJitter(
            p,
            s.number("brightness", 0.2, -BIG, BIG),
            s.number("contrast", 0.2, -BIG, BIG),
            s.number("saturation", 0.2, -BIG, BIG),
            s.number("hue", 0.1, -BIG, BIG));
      case "to_gray":
        return new ToGray(p);
      case "channel_shuffle":
        return new ChannelShuffle(p);
      case "equalize":
        return new Equalize(p);
      case "clahe":
        {
          double[] c = s.range("clip_limit", new double[] {1, 4}, -BIG, BIG);
          int[] t = s.intRange("tile_grid", new int[] {8, 8}, -1000, 1000);
          return new Clahe(p, c[0], c[1], t[0], t[1]);
        }
      case "posterize":
        {
          int[] b = s.intRange("bits", new int[] {4, 8}, -1000, 1000);
          return new Posterize(p, b[0], b[1]);
        }
      case "solarize":
        {
          int[] t = s.intRange("threshold", new int[] {128, 255}, -1000, 1000);
          return new Solarize(p, t[0], t[1]);
        }
      case "invert":
        return new Invert(p);
      case "gaussian_blur":
        {
          double[] g = s.range("sigma", new double[] {0.1, 2.0}, -BIG, BIG);
          return new GaussianBlur(p, g[0], g[1]);
        }
      case "median_blur":
        {
          int[] k = s.intRange("ksize", new int[] {3, 7}, -1000, 1000);
          return new MedianBlur(p, k[0], k[1]);
        }
      case "motion_blur":
        {
          int[] k = s.intRange("ksize", new int[] {3, 7}, -1000, 1000);
          double[] a = s.range("angle", new double[] {0, 360}, -BIG, BIG);
          return new MotionBlur(p, k[0], k[1], a[0], a[1]);
        }
      case "gaussian_noise":
        {
          double[] d = s.range("std", new double[] {2, 10}, -BIG, BIG);
          return new GaussianNoise(p, d[0], d[1]);
        }
      case "salt_and_pepper":
        {
          double[] a = s.range("amount", new double[] {0.01, 0.06}, -BIG, BIG);
          double[] salt = s.range("salt", new double[] {0.4, 0.6}, -BIG, BIG);
          return new SaltAndPepper(p, a[0], a[1], salt[0], salt[1]);
        }
      case "coarse_dropout":
        {
          int[] n = s.intRange("holes", new int[] {1, 8}, -1000, 1000);
          double[] h = s.range("height", new double[] {0.05, 0.1}, -BIG, BIG);
          double[] w = s.range("width", new double[] {0.05, 0.1}, -BIG, BIG);
          int fill = (int) s.integer("fill", 0, -1000, 1000);
          return new CoarseDropout(p, n[0], n[1], h[0], h[1], w[0], w[1], fill);
        }
      case "random_erasing":
        {
          double[] sc = s.range("scale", new double[] {0.02, 0.33}, -BIG, BIG);
          double[] r = s.range("ratio", new double[] {0.3, 3.3}, -BIG, BIG);
          int value = (int) s.integer("value", 0, -1000, 1000);
          return new RandomErasing(p, sc[0], sc[1], r[0], r[1], value);
        }
      case "jpeg_compression":
        {
          int[] q = s.intRange("quality", new int[] {75, 99}, -1000, 1000);
          return new JpegCompression(p, q[0], q[1]);
        }
      case "webp_compression":
        {
          int[] q = s.intRange("quality", new int[] {75, 99}, -1000, 1000);
          return new WebpCompression(p, q[0], q[1]);
        }
      default:
        throw new IllegalStateException("no parser for op " + name);
    }
  }
}
