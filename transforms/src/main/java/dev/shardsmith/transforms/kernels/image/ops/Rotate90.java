package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Affine;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Quarter turns ({@code rotate90}, Albumentations' RandomRotate90): {@code k} counter-clockwise
 * quarter turns (as displayed), {@code k} uniform in {@code [kMin, kMax]} within [0, 3]; an odd
 * {@code k} swaps width and height. Exact: no pixel is resampled. Params: {@code k}.
 *
 * <pre>{@code
 * new Rotate90(0.5, 0, 3) // Albumentations' default
 * }</pre>
 */
public record Rotate90(double p, int kMin, int kMax) implements GeometricOp {
  public static final String NAME = "rotate90";

  public Rotate90 {
    Params.probability(NAME, p);
    Params.range(NAME, "k", kMin, kMax, 0, 3);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("k", Params.uniformInt(rng, kMin, kMax));
    return m;
  }

  @Override
  public Affine map(SortedMap<String, Object> params, int width, int height) {
    long k = Params.integer(NAME, params, "k", 0, 3);
    // one counter-clockwise turn: (x, y) -> (y, width - x), into a height x width frame
    Affine m = Affine.identity();
    int w = width;
    int h = height;
    for (long i = 0; i < k; i++) {
      m = m.then(Affine.of(new double[] {0, 1, 0, -1, 0, w}));
      int t = w;
      w = h;
      h = t;
    }
    return m;
  }

  @Override
  public int[] outputSize(SortedMap<String, Object> params, int width, int height) {
    long k = Params.integer(NAME, params, "k", 0, 3);
    return k % 2 == 0 ? new int[] {width, height} : new int[] {height, width};
  }

  @Override
  public boolean readsOutside() {
    return false;
  }
}
