package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Affine;
import dev.shardsmith.transforms.kernels.image.Border;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Rotation about the frame centre ({@code rotate}, Albumentations' Rotate with {@code
 * crop_border=False}): an angle uniform in {@code [angleMin, angleMax]} degrees (within [-360,
 * 360]; positive turns counter-clockwise as displayed), the frame size kept. The corners rotated in
 * show {@code border} ({@code constant} with {@code fill} in [0, 255], {@code reflect} or {@code
 * replicate}). Params: {@code angle}, {@code border}, {@code fill}.
 *
 * <pre>{@code
 * new Rotate(0.5, -15, 15, Border.CONSTANT, 0)
 * }</pre>
 */
public record Rotate(double p, double angleMin, double angleMax, Border border, int fill)
    implements GeometricOp {
  public static final String NAME = "rotate";

  public Rotate {
    Params.probability(NAME, p);
    Params.range(NAME, "angle", angleMin, angleMax, -360, 360);
    OpParams.border(NAME, border, fill);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("angle", Params.uniform(rng, angleMin, angleMax));
    m.put("border", border.key());
    m.put("fill", (long) fill);
    return m;
  }

  @Override
  public Affine map(SortedMap<String, Object> params, int width, int height) {
    double angle = Params.number(NAME, params, "angle", -360, 360);
    return Affine.rotateDegrees(angle, width / 2.0, height / 2.0);
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
