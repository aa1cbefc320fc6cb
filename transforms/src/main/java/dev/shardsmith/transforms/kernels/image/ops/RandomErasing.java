package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Random erasing with torchvision's RandomErasing semantics ({@code random_erasing}): up to 10
 * tries draw an area fraction uniform in {@code [scaleMin, scaleMax]} (within (0, 1]) and an aspect
 * ratio log-uniform in {@code [ratioMin, ratioMax]} (within (0, 100]); the first rectangle {@code h
 * = round(sqrt(area * ratio))}, {@code w = round(sqrt(area / ratio))} with {@code h < height} and
 * {@code w < width} is placed uniformly and filled with {@code value} (within [0, 255], every
 * channel). When all tries fail the image is left as it is ({@code w = h = 0}). Params: {@code x},
 * {@code y}, {@code w}, {@code h}, {@code value}. torchvision's per-pixel random value is not
 * offered.
 *
 * <pre>{@code
 * new RandomErasing(0.5, 0.02, 0.33, 0.3, 3.3, 0) // torchvision's defaults
 * }</pre>
 */
public record RandomErasing(
    double p, double scaleMin, double scaleMax, double ratioMin, double ratioMax, int value)
    implements PixelOp {
  public static final String NAME = "random_erasing";

  private static final int TRIES = 10;

  public RandomErasing {
    Params.probability(NAME, p);
    Params.range(NAME, "scale", scaleMin, scaleMax, 0, 1);
    if (scaleMin <= 0) {
      throw new IllegalArgumentException(NAME + ".scale must be > 0, but was " + scaleMin);
    }
    Params.range(NAME, "ratio", ratioMin, ratioMax, 0, 100);
    if (ratioMin <= 0) {
      throw new IllegalArgumentException(NAME + ".ratio must be > 0, but was " + ratioMin);
    }
    Params.value(NAME, "value", value, 0, 255);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    long x = 0;
    long y = 0;
    long w = 0;
    long h = 0;
    double area = (double) width * height;
    double logLo = StrictMath.log(ratioMin);
    double logHi = StrictMath.log(ratioMax);
    for (int i = 0; i < TRIES; i++) {
      double erase = area * Params.uniform(rng, scaleMin, scaleMax);
      double ratio = StrictMath.exp(Params.uniform(rng, logLo, logHi));
      long hh = Math.round(StrictMath.sqrt(erase * ratio));
      long ww = Math.round(StrictMath.sqrt(erase / ratio));
      if (hh < height && ww < width) {
        h = hh;
        w = ww;
        y = Params.uniformInt(rng, 0, height - h);
        x = Params.uniformInt(rng, 0, width - w);
        break;
      }
    }
    SortedMap<String, Object> m = Params.params();
    m.put("x", x);
    m.put("y", y);
    m.put("w", w);
    m.put("h", h);
    m.put("value", (long) value);
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    long max = Integer.MAX_VALUE;
    Rects.fill(
        NAME,
        rgb,
        Params.integer(NAME, params, "x", 0, max),
        Params.integer(NAME, params, "y", 0, max),
        Params.integer(NAME, params, "w", 0, max),
        Params.integer(NAME, params, "h", 0, max),
        Params.integer(NAME, params, "value", 0, 255));
  }
}
