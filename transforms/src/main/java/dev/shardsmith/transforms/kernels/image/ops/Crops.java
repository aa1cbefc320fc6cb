package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Affine;
import java.util.SortedMap;

/** The recorded crop rectangle shared by the crop ops: {@code x, y, w, h} in pixels. */
final class Crops {
  private Crops() {}

  static final long MAX_SIDE = 1 << 16;

  static long[] rect(String op, SortedMap<String, Object> params) {
    return new long[] {
      Params.integer(op, params, "x", -MAX_SIDE, MAX_SIDE),
      Params.integer(op, params, "y", -MAX_SIDE, MAX_SIDE),
      Params.integer(op, params, "w", 1, MAX_SIDE),
      Params.integer(op, params, "h", 1, MAX_SIDE)
    };
  }

  static SortedMap<String, Object> params(long x, long y, long w, long h) {
    SortedMap<String, Object> m = Params.params();
    m.put("x", x);
    m.put("y", y);
    m.put("w", w);
    m.put("h", h);
    return m;
  }

  /** The map of a plain crop: a shift, the output being the rectangle's size. */
  static Affine map(String op, SortedMap<String, Object> params) {
    long[] r = rect(op, params);
    return Affine.translate(-r[0], -r[1]);
  }

  static int[] size(String op, SortedMap<String, Object> params) {
    long[] r = rect(op, params);
    return new int[] {(int) r[2], (int) r[3]};
  }
}
