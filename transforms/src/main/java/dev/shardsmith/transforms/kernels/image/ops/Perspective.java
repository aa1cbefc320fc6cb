package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Affine;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * A random perspective ({@code perspective}, Albumentations' Perspective with {@code
 * keep_size=True} and uniform rather than normal jitter): each frame corner moves inward by a
 * fraction of the width (x) and height (y) uniform in {@code [scaleMin, scaleMax]} (within [0,
 * 0.45]), and that quadrilateral is stretched back onto the whole frame, a 3x3 homography (the
 * fused warp becomes a {@code warpPerspective}). The quadrilateral lies inside the frame, so no
 * border is read. Params: the eight inward fractions {@code tl_x, tl_y, tr_x, tr_y, br_x, br_y,
 * bl_x, bl_y}.
 *
 * <pre>{@code
 * new Perspective(0.5, 0.05, 0.1) // Albumentations' default scale
 * }</pre>
 */
public record Perspective(double p, double scaleMin, double scaleMax) implements GeometricOp {
  public static final String NAME = "perspective";

  static final String[] KEYS = {"tl_x", "tl_y", "tr_x", "tr_y", "br_x", "br_y", "bl_x", "bl_y"};

  public Perspective {
    Params.probability(NAME, p);
    Params.range(NAME, "scale", scaleMin, scaleMax, 0, 0.45);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    for (String k : KEYS) {
      m.put(k, Params.uniform(rng, scaleMin, scaleMax));
    }
    return m;
  }

  @Override
  public Affine map(SortedMap<String, Object> params, int width, int height) {
    double[] f = new double[8];
    for (int i = 0; i < 8; i++) {
      f[i] = Params.number(NAME, params, KEYS[i], 0, 0.45);
    }
    double w = width;
    double h = height;
    double[] quad = {
      f[0] * w, f[1] * h, w - f[2] * w, f[3] * h, w - f[4] * w, h - f[5] * h, f[6] * w, h - f[7] * h
    };
    return Affine.quadToQuad(quad, new double[] {0, 0, w, 0, w, h, 0, h});
  }

  @Override
  public boolean readsOutside() {
    return false;
  }
}
