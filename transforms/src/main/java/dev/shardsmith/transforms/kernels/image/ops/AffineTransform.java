package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Affine;
import dev.shardsmith.transforms.kernels.image.Border;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * A random affine map about the frame centre ({@code affine}, Albumentations' Affine without its
 * rotation, which {@link Rotate} covers): scale uniform in {@code [scaleMin, scaleMax]} (within
 * [0.01, 10]), shear uniform in {@code [shearXMin, shearXMax]} and {@code [shearYMin, shearYMax]}
 * degrees (within [-80, 80]), then a shift uniform in {@code [translateXMin, translateXMax]} and
 * {@code [translateYMin, translateYMax]} times the frame width and height (within [-1, 1]). The
 * frame size is kept; what comes in from outside shows {@code border}/{@code fill}. Params: {@code
 * scale}, {@code shear_x}, {@code shear_y}, {@code translate_x}, {@code translate_y}, {@code
 * border}, {@code fill}.
 *
 * <pre>{@code
 * new AffineTransform(0.5, 0.9, 1.1, -0.1, 0.1, -0.1, 0.1, -10, 10, 0, 0, Border.CONSTANT, 0)
 * }</pre>
 */
public record AffineTransform(
    double p,
    double scaleMin,
    double scaleMax,
    double translateXMin,
    double translateXMax,
    double translateYMin,
    double translateYMax,
    double shearXMin,
    double shearXMax,
    double shearYMin,
    double shearYMax,
    Border border,
    int fill)
    implements GeometricOp {
  public static final String NAME = "affine";

  public AffineTransform {
    Params.probability(NAME, p);
    Params.range(NAME, "scale", scaleMin, scaleMax, 0.01, 10);
    Params.range(NAME, "translate_x", translateXMin, translateXMax, -1, 1);
    Params.range(NAME, "translate_y", translateYMin, translateYMax, -1, 1);
    Params.range(NAME, "shear_x", shearXMin, shearXMax, -80, 80);
    Params.range(NAME, "shear_y", shearYMin, shearYMax, -80, 80);
    OpParams.border(NAME, border, fill);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("scale", Params.uniform(rng, scaleMin, scaleMax));
    m.put("translate_x", Params.uniform(rng, translateXMin, translateXMax));
    m.put("translate_y", Params.uniform(rng, translateYMin, translateYMax));
    m.put("shear_x", Params.uniform(rng, shearXMin, shearXMax));
    m.put("shear_y", Params.uniform(rng, shearYMin, shearYMax));
    m.put("border", border.key());
    m.put("fill", (long) fill);
    return m;
  }

  @Override
  public Affine map(SortedMap<String, Object> params, int width, int height) {
    double s = Params.number(NAME, params, "scale", 0.01, 10);
    double tx = Params.number(NAME, params, "translate_x", -1, 1);
    double ty = Params.number(NAME, params, "translate_y", -1, 1);
    double shx = Params.number(NAME, params, "shear_x", -80, 80);
    double shy = Params.number(NAME, params, "shear_y", -80, 80);
    double cx = width / 2.0;
    double cy = height / 2.0;
    return Affine.translate(-cx, -cy)
        .then(Affine.scale(s, s))
        .then(Affine.shearDegrees(shx, shy, 0, 0))
        .then(Affine.translate(cx + tx * width, cy + ty * height));
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
