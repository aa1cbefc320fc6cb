package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Cutout ({@code coarse_dropout}, Albumentations 2's CoarseDropout with fractional hole sizes and a
 * gray fill): a number of holes uniform in {@code [holesMin, holesMax]} (within [1, 100]), each of
 * height {@code round(f * imageHeight)} and width {@code round(g * imageWidth)} (at least 1 pixel)
 * for fractions {@code f, g} uniform in {@code [heightMin, heightMax]} and {@code [widthMin,
 * widthMax]} (within [0, 1]; a 0 fraction still gives 1 pixel), placed uniformly inside the image
 * and filled with {@code fill} (within [0, 255], on every channel). Holes may overlap. Params:
 * {@code holes} (a string {@code "x,y,w,h;x,y,w,h"} in pixels) and {@code fill}. Albumentations
 * also offers per-channel, random and inpainting fills; these are not here.
 *
 * <pre>{@code
 * new CoarseDropout(0.5, 1, 2, 0.1, 0.3, 0.1, 0.3, 0) // Albumentations 2's defaults
 * }</pre>
 */
public record CoarseDropout(
    double p,
    int holesMin,
    int holesMax,
    double heightMin,
    double heightMax,
    double widthMin,
    double widthMax,
    int fill)
    implements PixelOp {
  public static final String NAME = "coarse_dropout";

  public CoarseDropout {
    Params.probability(NAME, p);
    Params.range(NAME, "num_holes_range", holesMin, holesMax, 1, 100);
    Params.range(NAME, "hole_height_range", heightMin, heightMax, 0, 1);
    Params.range(NAME, "hole_width_range", widthMin, widthMax, 0, 1);
    Params.value(NAME, "fill", fill, 0, 255);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    long n = Params.uniformInt(rng, holesMin, holesMax);
    StringBuilder holes = new StringBuilder();
    for (long i = 0; i < n; i++) {
      long h = side(Params.uniform(rng, heightMin, heightMax), height);
      long w = side(Params.uniform(rng, widthMin, widthMax), width);
      long y = Params.uniformInt(rng, 0, height - h);
      long x = Params.uniformInt(rng, 0, width - w);
      holes.append(i == 0 ? "" : ";").append(x + "," + y + "," + w + "," + h);
    }
    SortedMap<String, Object> m = Params.params();
    m.put("holes", holes.toString());
    m.put("fill", (long) fill);
    return m;
  }

  private static long side(double fraction, int size) {
    return Math.max(1, Math.min(size, (long) Math.floor(fraction * size + 0.5)));
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    long fill = Params.integer(NAME, params, "fill", 0, 255);
    String holes = Params.string(NAME, params, "holes");
    for (String hole : holes.isEmpty() ? new String[0] : holes.split(";", -1)) {
      long[] r = parse(hole);
      Rects.fill(NAME, rgb, r[0], r[1], r[2], r[3], fill);
    }
  }

  private static long[] parse(String hole) {
    String[] parts = hole.split(",", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException(
          NAME + ": parameter holes must be x,y,w,h groups split by ';', but had " + hole);
    }
    long[] r = new long[4];
    try {
      for (int i = 0; i < 4; i++) {
        r[i] = Long.parseLong(parts[i]);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          NAME + ": parameter holes must hold integers, but had " + hole, e);
    }
    return r;
  }
}
