package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Additive zero-mean Gaussian noise, independent per channel ({@code gaussian_noise},
 * Albumentations' GaussNoise with {@code per_channel=True, mean=0}): {@code std} uniform in {@code
 * [stdMin, stdMax]} in pixel levels, within [0, 255]; results are rounded and clamped. The noise of
 * element {@code i} is a Box-Muller normal from a counter-based SplitMix64 stream keyed on a 64-bit
 * {@code noise_seed} drawn from the op's stream (not OpenCV's RNG), so the record holds only {@code
 * std} and {@code noise_seed} and a replay is bit-exact on any JVM. Albumentations 2 gives the std
 * as a fraction of 255 and 1.x a variance; here it is in levels.
 *
 * <pre>{@code
 * new GaussianNoise(0.5, 5, 15)
 * }</pre>
 */
public record GaussianNoise(double p, double stdMin, double stdMax) implements PixelOp {
  public static final String NAME = "gaussian_noise";

  public GaussianNoise {
    Params.probability(NAME, p);
    Params.range(NAME, "std_range", stdMin, stdMax, 0, 255);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("std", Params.uniform(rng, stdMin, stdMax));
    m.put("noise_seed", rng.nextLong());
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    double std = Params.number(NAME, params, "std", 0, 255);
    long seed = Params.integer(NAME, params, "noise_seed", Long.MIN_VALUE, Long.MAX_VALUE);
    byte[] px = RgbPixels.read(rgb);
    for (int i = 0; i < px.length; i++) {
      px[i] = RgbPixels.saturate((px[i] & 0xFF) + std * RgbPixels.gaussian(seed, i));
    }
    RgbPixels.write(rgb, px);
  }
}
