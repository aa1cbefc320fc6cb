package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Border;
import dev.shardsmith.transforms.kernels.image.Interpolation;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * The image ops' own argument checks, draws and typed reads ({@link Params} has those every
 * modality shares). Every error names the op and parameter, the value and what is allowed.
 */
final class OpParams {
  private OpParams() {}

  /** Checks that an integer range holds odd values only. */
  static void odd(String op, String param, long lo, long hi) {
    if (lo % 2 == 0 || hi % 2 == 0) {
      throw new IllegalArgumentException(
          String.format("%s.%s must be odd, but was [%d, %d]", op, param, lo, hi));
    }
  }

  /** The recorded {@code border} ({@code constant}, {@code reflect}, {@code replicate}). */
  static Border border(String op, SortedMap<String, Object> params) {
    return Border.of(op + ": parameter border", Params.string(op, params, "border"));
  }

  /** The recorded {@code fill} gray level, in [0, 255]. */
  static int fill(String op, SortedMap<String, Object> params) {
    return (int) Params.integer(op, params, "fill", 0, 255);
  }

  /** The recorded {@code interpolation}. */
  static Interpolation interpolation(String op, SortedMap<String, Object> params) {
    return Interpolation.of(
        op + ": parameter interpolation", Params.string(op, params, "interpolation"));
  }

  /** Checks a non-null border and a fill in [0, 255]. */
  static void border(String op, Border border, int fill) {
    if (border == null) {
      throw new IllegalArgumentException(op + ".border must be one of " + Border.keys());
    }
    Params.value(op, "fill", fill, 0, 255);
  }

  /** A random permutation of {@code 0..n-1} (Fisher-Yates). */
  static int[] permutation(SplittableRandom rng, int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
