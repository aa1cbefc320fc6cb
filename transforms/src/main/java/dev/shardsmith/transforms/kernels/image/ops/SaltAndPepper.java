package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Salt-and-pepper noise ({@code salt_and_pepper}, Albumentations' SaltAndPepper): each pixel is hit
 * with probability {@code amount} (uniform in {@code [amountMin, amountMax]}, within [0, 1]); a hit
 * pixel becomes white (all channels 255) with probability {@code salt} (uniform in {@code [saltMin,
 * saltMax]}, within [0, 1]) and black otherwise. Which pixels are hit comes from a counter-based
 * stream keyed on the recorded {@code noise_seed}. Params: {@code amount}, {@code salt}, {@code
 * noise_seed}.
 *
 * <pre>{@code
 * new SaltAndPepper(0.5, 0.01, 0.06, 0.4, 0.6) // Albumentations' defaults
 * }</pre>
 */
public record SaltAndPepper(
    double p, double amountMin, double amountMax, double saltMin, double saltMax)
    implements PixelOp {
  public static final String NAME = "salt_and_pepper";

  public SaltAndPepper {
    Params.probability(NAME, p);
    Params.range(NAME, "amount", amountMin, amountMax, 0, 1);
    Params.range(NAME, "salt_vs_pepper", saltMin, saltMax, 0, 1);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("amount", Params.uniform(rng, amountMin, amountMax));
    m.put("salt", Params.uniform(rng, saltMin, saltMax));
    m.put("noise_seed", rng.nextLong());
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    double amount = Params.number(NAME, params, "amount", 0, 1);
    double salt = Params.number(NAME, params, "salt", 0, 1);
    long seed = Params.integer(NAME, params, "noise_seed", Long.MIN_VALUE, Long.MAX_VALUE);
    byte[] px = RgbPixels.read(rgb);
    for (int i = 0, pixel = 0; i < px.length; i += 3, pixel++) {
      if (RgbPixels.uniform(seed, 2L * pixel) < amount) {
        byte v = RgbPixels.uniform(seed, 2L * pixel + 1) < salt ? (byte) 255 : 0;
        px[i] = v;
        px[i + 1] = v;
        px[i + 2] = v;
      }
    }
    RgbPixels.write(rgb, px);
  }
}
