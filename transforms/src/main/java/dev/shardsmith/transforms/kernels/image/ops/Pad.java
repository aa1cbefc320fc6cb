package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Affine;
import dev.shardsmith.transforms.kernels.image.Border;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Padding ({@code pad}, Albumentations' Pad and PadIfNeeded in one): margins {@code top, right,
 * bottom, left} in pixels (each in [0, 65536]), then, if the result is still narrower than {@code
 * minWidth} or lower than {@code minHeight} (0 = no minimum), more padding split evenly between the
 * two sides (the odd pixel right or bottom). The new pixels show {@code border} ({@code constant}
 * with {@code fill}, {@code reflect} or {@code replicate}). Params: {@code top, right, bottom,
 * left} (the totals), {@code border}, {@code fill}.
 *
 * <pre>{@code
 * new Pad(1.0, 0, 0, 0, 0, 256, 256, Border.REFLECT, 0) // pad up to 256 x 256
 * }</pre>
 */
public record Pad(
    double p,
    int top,
    int right,
    int bottom,
    int left,
    int minWidth,
    int minHeight,
    Border border,
    int fill)
    implements GeometricOp {
  public static final String NAME = "pad";

  static final String[] SIDES = {"top", "right", "bottom", "left"};

  public Pad {
    Params.probability(NAME, p);
    Params.value(NAME, "top", top, 0, Crops.MAX_SIDE);
    Params.value(NAME, "right", right, 0, Crops.MAX_SIDE);
    Params.value(NAME, "bottom", bottom, 0, Crops.MAX_SIDE);
    Params.value(NAME, "left", left, 0, Crops.MAX_SIDE);
    Params.value(NAME, "min_width", minWidth, 0, Crops.MAX_SIDE);
    Params.value(NAME, "min_height", minHeight, 0, Crops.MAX_SIDE);
    OpParams.border(NAME, border, fill);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int w, int h) {
    long l = left;
    long r = right;
    long t = top;
    long b = bottom;
    long extraW = Math.max(0, minWidth - (w + l + r));
    long extraH = Math.max(0, minHeight - (h + t + b));
    l += extraW / 2;
    r += extraW - extraW / 2;
    t += extraH / 2;
    b += extraH - extraH / 2;
    SortedMap<String, Object> m = Params.params();
    m.put("top", t);
    m.put("right", r);
    m.put("bottom", b);
    m.put("left", l);
    m.put("border", border.key());
    m.put("fill", (long) fill);
    return m;
  }

  private static long[] margins(SortedMap<String, Object> params) {
    long[] m = new long[4];
    for (int i = 0; i < 4; i++) {
      m[i] = Params.integer(NAME, params, SIDES[i], 0, 2 * Crops.MAX_SIDE);
    }
    return m;
  }

  @Override
  public Affine map(SortedMap<String, Object> params, int w, int h) {
    long[] m = margins(params);
    return Affine.translate(m[3], m[0]);
  }

  @Override
  public int[] outputSize(SortedMap<String, Object> params, int w, int h) {
    long[] m = margins(params);
    return new int[] {(int) (w + m[1] + m[3]), (int) (h + m[0] + m[2])};
  }

  @Override
  public Border border(SortedMap<String, Object> params) {
    return OpParams.border(NAME, params);
  }

  @Override
  public int fill(SortedMap<String, Object> params) {
    return OpParams.fill(NAME, params);
  }
}
