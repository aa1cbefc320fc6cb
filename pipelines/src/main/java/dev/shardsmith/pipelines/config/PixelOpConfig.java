package dev.shardsmith.pipelines.config;

import dev.shardsmith.transforms.kernels.image.Border;
import dev.shardsmith.transforms.kernels.image.Interpolation;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
import dev.shardsmith.transforms.kernels.image.ops.AffineTransform;
import dev.shardsmith.transforms.kernels.image.ops.BrightnessContrast;
import dev.shardsmith.transforms.kernels.image.ops.Canny;
import dev.shardsmith.transforms.kernels.image.ops.CenterCrop;
import dev.shardsmith.transforms.kernels.image.ops.ChannelShuffle;
import dev.shardsmith.transforms.kernels.image.ops.Clahe;
import dev.shardsmith.transforms.kernels.image.ops.CoarseDropout;
import dev.shardsmith.transforms.kernels.image.ops.ColorJitter;
import dev.shardsmith.transforms.kernels.image.ops.Composition;
import dev.shardsmith.transforms.kernels.image.ops.Compression;
import dev.shardsmith.transforms.kernels.image.ops.Downscale;
import dev.shardsmith.transforms.kernels.image.ops.Equalize;
import dev.shardsmith.transforms.kernels.image.ops.Flip;
import dev.shardsmith.transforms.kernels.image.ops.Gamma;
import dev.shardsmith.transforms.kernels.image.ops.GaussianBlur;
import dev.shardsmith.transforms.kernels.image.ops.GaussianNoise;
import dev.shardsmith.transforms.kernels.image.ops.Grayscale;
import dev.shardsmith.transforms.kernels.image.ops.HueSaturationValue;
import dev.shardsmith.transforms.kernels.image.ops.Invert;
import dev.shardsmith.transforms.kernels.image.ops.MedianBlur;
import dev.shardsmith.transforms.kernels.image.ops.MotionBlur;
import dev.shardsmith.transforms.kernels.image.ops.OneOf;
import dev.shardsmith.transforms.kernels.image.ops.Pad;
import dev.shardsmith.transforms.kernels.image.ops.Perspective;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import dev.shardsmith.transforms.kernels.image.ops.Posterize;
import dev.shardsmith.transforms.kernels.image.ops.PyrDown;
import dev.shardsmith.transforms.kernels.image.ops.RandomCrop;
import dev.shardsmith.transforms.kernels.image.ops.RandomErasing;
import dev.shardsmith.transforms.kernels.image.ops.RandomResizedCrop;
import dev.shardsmith.transforms.kernels.image.ops.Resize;
import dev.shardsmith.transforms.kernels.image.ops.RoiCrop;
import dev.shardsmith.transforms.kernels.image.ops.Rotate;
import dev.shardsmith.transforms.kernels.image.ops.Rotate90;
import dev.shardsmith.transforms.kernels.image.ops.SaltAndPepper;
import dev.shardsmith.transforms.kernels.image.ops.Sequence;
import dev.shardsmith.transforms.kernels.image.ops.Sobel;
import dev.shardsmith.transforms.kernels.image.ops.Solarize;
import dev.shardsmith.transforms.kernels.image.ops.SomeOf;
import dev.shardsmith.transforms.kernels.image.ops.ToGray;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code augment.ops}: {@code {op: <name>, p: <probability>, <parameters>}}, ranges as
 * {@code [low, high]}; geometric, pixel and composition ops share the list and run in its order. A
 * composition ({@code sequence}, {@code one_of}, {@code some_of}) holds its own {@code ops} list,
 * nested to any depth; inside a {@code one_of}, an entry may carry a {@code weight}. The op's own
 * checks give the allowed ranges; their message is prefixed with the entry's key. docs/config.md
 * lists every op with its parameters and defaults.
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
          Compression.JPEG,
          Compression.WEBP,
          Downscale.NAME,
          Grayscale.NAME,
          Canny.NAME,
          Sobel.NAME,
          Flip.HFLIP,
          Flip.VFLIP,
          Rotate90.NAME,
          Rotate.NAME,
          AffineTransform.NAME,
          Perspective.NAME,
          RandomResizedCrop.NAME,
          CenterCrop.NAME,
          RandomCrop.NAME,
          RoiCrop.NAME,
          Pad.NAME,
          Resize.NAME,
          PyrDown.NAME,
          Sequence.NAME,
          OneOf.NAME,
          SomeOf.NAME);

  private static final List<String> COMPOSITIONS = List.of(Sequence.NAME, OneOf.NAME, SomeOf.NAME);

  private static final double BIG = 1e9;
  private static final long BIG_INT = 1_000_000_000L;

  static PixelOp parse(Section s) {
    return parse(s, null, 0.5);
  }

  /**
   * {@code preprocess.ops}: deterministic ops ({@link PreprocessSpec#PREPROCESS_OPS}) with {@code
   * p} 1 (the default; nothing else is allowed), run on every split.
   */
  static List<PixelOp> parsePreprocess(Section pre) {
    List<PixelOp> out = new ArrayList<>();
    for (Section s : pre.sections("ops")) {
      String name = s.choice("op", null, PreprocessSpec.PREPROCESS_OPS);
      if (s.number("p", 1, 1, 1) != 1) {
        throw new IllegalStateException("unreachable: p is checked to be 1");
      }
      out.add(parse(s, null, 1, true));
      if (!name.equals(out.get(out.size() - 1).name())) {
        throw new IllegalStateException("parsed " + name + " as another op");
      }
    }
    return List.copyOf(out);
  }

  /**
   * Parses one entry; {@code weights}, when not null (the children of a {@code one_of}), receives
   * the entry's {@code weight} (default 1).
   */
  private static PixelOp parse(Section s, List<Double> weights, double defaultP) {
    return parse(s, weights, defaultP, false);
  }

  private static PixelOp parse(
      Section s, List<Double> weights, double defaultP, boolean preprocessing) {
    String name = s.choice("op", null, NAMES);
    double p = s.number("p", COMPOSITIONS.contains(name) ? 1.0 : defaultP, 0, 1);
    if (weights != null) {
      weights.add(s.number("weight", 1, 0, BIG));
    }
    PixelOp op;
    try {
      op = build(name, p, s, preprocessing);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(s.key("") + " (" + name + "): " + e.getMessage());
    }
    s.finish();
    return op;
  }

  private static Border border(Section s) {
    return Border.of(s.key("border"), s.choice("border", "constant", Border.keys()));
  }

  private static Interpolation interpolation(Section s, String fallback) {
    return Interpolation.of(
        s.key("interpolation"), s.choice("interpolation", fallback, Interpolation.keys()));
  }

  private static int required(Section s, String name, int fallback) {
    if (fallback < 0 && !s.has(name)) {
      throw new ConfigException(s.key(name) + " is required (pixels, >= 1)");
    }
    return (int) s.integer(name, fallback, 1, 1 << 16);
  }

  private static List<PixelOp> children(Section s, List<Double> weights) {
    List<Section> entries = s.sections("ops");
    if (entries.isEmpty()) {
      throw new ConfigException(s.key("ops") + " must list at least one op");
    }
    List<PixelOp> out = new ArrayList<>();
    for (Section e : entries) {
      out.add(parse(e, weights, 0.5));
    }
    return out;
  }

  /** The op as the effective config shows it: its name and every parameter, defaults included. */
  static java.util.Map<String, Object> effective(PixelOp op) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("op", op.name());
    for (java.lang.reflect.RecordComponent c : op.getClass().getRecordComponents()) {
      try {
        String snake = c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
        Object v = c.getAccessor().invoke(op);
        if (v instanceof Border b) {
          v = b.key();
        } else if (v instanceof Interpolation in) {
          v = in.key();
        } else if (op instanceof Composition && "children".equals(snake)) {
          snake = "ops";
          v = ((Composition) op).children().stream().map(PixelOpConfig::effective).toList();
        }
        m.put(snake, v);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return m;
  }

  private static PixelOp build(String name, double p, Section s, boolean preprocessing) {
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
          return Compression.jpeg(p, q[0], q[1]);
        }
      case "webp_compression":
        {
          int[] q = s.intRange("quality", new int[] {75, 99}, -1000, 1000);
          return Compression.webp(p, q[0], q[1]);
        }
      case "downscale":
        {
          double[] sc = s.range("scale", new double[] {0.25, 0.5}, -BIG, BIG);
          return new Downscale(p, sc[0], sc[1], interpolation(s, "nearest"));
        }
      case "grayscale":
        {
          int channels = (int) s.integer("channels", preprocessing ? 1 : 3, 1, 3);
          if (channels == 1 && !preprocessing) {
            throw new ConfigException(
                s.key("channels")
                    + " = 1 is only allowed in preprocess.ops, where every row gets it; in"
                    + " augment.ops use 3 (gray on three channels)");
          }
          return new Grayscale(p, channels);
        }
      case "canny":
        {
          double[] t = s.range("thresholds", new double[] {100, 200}, -BIG, BIG);
          return new Canny(p, t[0], t[1], (int) s.integer("aperture", 3, -1000, 1000));
        }
      case "sobel":
        return new Sobel(
            p,
            (int) s.integer("dx", 1, -1000, 1000),
            (int) s.integer("dy", 0, -1000, 1000),
            (int) s.integer("ksize", 3, -1000, 1000));
      case "hflip":
        return Flip.horizontal(p);
      case "vflip":
        return Flip.vertical(p);
      case "rotate90":
        {
          int[] k = s.intRange("k", new int[] {0, 3}, -1000, 1000);
          return new Rotate90(p, k[0], k[1]);
        }
      case "rotate":
        {
          double[] a = s.range("angle", new double[] {-15, 15}, -BIG, BIG);
          return new Rotate(p, a[0], a[1], border(s), (int) s.integer("fill", 0, -1000, 1000));
        }
      case "affine":
        {
          double[] sc = s.range("scale", new double[] {0.9, 1.1}, -BIG, BIG);
          double[] tx = s.range("translate_x", new double[] {-0.1, 0.1}, -BIG, BIG);
          double[] ty = s.range("translate_y", new double[] {-0.1, 0.1}, -BIG, BIG);
          double[] shx = s.range("shear_x", new double[] {-10, 10}, -BIG, BIG);
          double[] shy = s.range("shear_y", new double[] {0, 0}, -BIG, BIG);
          return new AffineTransform(
              p,
              sc[0],
              sc[1],
              tx[0],
              tx[1],
              ty[0],
              ty[1],
              shx[0],
              shx[1],
              shy[0],
              shy[1],
              border(s),
              (int) s.integer("fill", 0, -1000, 1000));
        }
      case "perspective":
        {
          double[] sc = s.range("scale", new double[] {0.05, 0.1}, -BIG, BIG);
          return new Perspective(p, sc[0], sc[1]);
        }
      case "random_resized_crop":
        {
          double[] sc = s.range("scale", new double[] {0.08, 1.0}, -BIG, BIG);
          double[] r = s.range("ratio", new double[] {3.0 / 4, 4.0 / 3}, -BIG, BIG);
          return new RandomResizedCrop(p, sc[0], sc[1], r[0], r[1]);
        }
      case "center_crop":
        {
          int w = required(s, "width", -1);
          return new CenterCrop(p, w, required(s, "height", w));
        }
      case "random_crop":
        {
          int w = required(s, "width", -1);
          return new RandomCrop(p, w, required(s, "height", w));
        }
      case "roi_crop":
        {
          boolean fractions =
              "fraction".equals(s.choice("units", "fraction", List.of("fraction", "pixels")));
          if (!s.has("w") || !s.has("h")) {
            throw new ConfigException(s.key(s.has("w") ? "h" : "w") + " is required");
          }
          return new RoiCrop(
              p,
              s.number("x", 0, -BIG, BIG),
              s.number("y", 0, -BIG, BIG),
              s.number("w", 1, -BIG, BIG),
              s.number("h", 1, -BIG, BIG),
              fractions);
        }
      case "pad":
        return new Pad(
            p,
            (int) s.integer("top", 0, -BIG_INT, BIG_INT),
            (int) s.integer("right", 0, -BIG_INT, BIG_INT),
            (int) s.integer("bottom", 0, -BIG_INT, BIG_INT),
            (int) s.integer("left", 0, -BIG_INT, BIG_INT),
            (int) s.integer("min_width", 0, -BIG_INT, BIG_INT),
            (int) s.integer("min_height", 0, -BIG_INT, BIG_INT),
            border(s),
            (int) s.integer("fill", 0, -1000, 1000));
      case "resize":
        {
          int w = required(s, "width", -1);
          return new Resize(p, w, required(s, "height", w), interpolation(s, "linear"));
        }
      case "pyr_down":
        return new PyrDown(p, (int) s.integer("levels", 1, -1000, 1000));
      case "sequence":
        return new Sequence(p, children(s, null));
      case "one_of":
        {
          List<Double> weights = new ArrayList<>();
          List<PixelOp> ops = children(s, weights);
          return new OneOf(p, ops, weights);
        }
      case "some_of":
        {
          List<PixelOp> ops = children(s, null);
          int[] n = s.intRange("n", new int[] {1, ops.size()}, -1000, 1000);
          return new SomeOf(p, ops, n[0], n[1], s.bool("shuffle", false));
        }
      default:
        throw new IllegalStateException("no parser for op " + name);
    }
  }
}
