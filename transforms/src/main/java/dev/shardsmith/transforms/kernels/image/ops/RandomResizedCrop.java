package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Affine;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * torchvision's RandomResizedCrop ({@code random_resized_crop}): a box of area fraction uniform in
 * {@code [scaleMin, scaleMax]} (within (0, 1]) and aspect ratio log-uniform in {@code [ratioMin,
 * ratioMax]} (within [0.001, 1000]), placed uniformly, up to 10 tries, then the full frame; the box
 * is scaled back to the input frame size. Params: {@code x, y, w, h} in pixels.
 *
 * <pre>{@code
 * new RandomResizedCrop(0.5, 0.08, 1.0, 3.0 / 4, 4.0 / 3)
 * }</pre>
 */
public record RandomResizedCrop(
    double p, double scaleMin, double scaleMax, double ratioMin, double ratioMax)
    implements GeometricOp {
  public static final String NAME = "random_resized_crop";

  private static final int TRIES = 10;

  public RandomResizedCrop {
    Params.probability(NAME, p);
    if (!(scaleMin > 0)) {
      throw new IllegalArgumentException(NAME + ".scale must have lo > 0, but was " + scaleMin);
    }
    Params.range(NAME, "scale", scaleMin, scaleMax, 0, 1);
    Params.range(NAME, "ratio", ratioMin, ratioMax, 1e-3, 1e3);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    int[] box = box(rng, width, height);
    SortedMap<String, Object> m = Params.params();
    m.put("x", (long) box[0]);
    m.put("y", (long) box[1]);
    m.put("w", (long) box[2]);
    m.put("h", (long) box[3]);
    return m;
  }

  /** torchvision's {@code RandomResizedCrop.get_params}: {@code {x, y, w, h}}. */
  int[] box(SplittableRandom rng, int width, int height) {
    double area = (double) width * height;
    double logMin = Math.log(ratioMin);
    double logMax = Math.log(ratioMax);
    for (int i = 0; i < TRIES; i++) {
      double target = area * (scaleMin + (scaleMax - scaleMin) * rng.nextDouble());
      double ratio = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
      int w = (int) Math.round(Math.sqrt(target * ratio));
      int h = (int) Math.round(Math.sqrt(target / ratio));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        int y = rng.nextInt(height - h + 1);
        int x = rng.nextInt(width - w + 1);
        return new int[] {x, y, w, h};
      }
    }
    return new int[] {0, 0, width, height};
  }

  @Override
  public Affine map(SortedMap<String, Object> params, int width, int height) {
    long[] r = Crops.rect(NAME, params);
    return Affine.translate(-r[0], -r[1])
        .then(Affine.scale((double) width / r[2], (double) height / r[3]));
  }

  @Override
  public boolean readsOutside() {
    return false;
  }
}
