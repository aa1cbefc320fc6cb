package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.schemas.Applied;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.UMat;

/**
 * Runs a sequence of {@link PixelOp}s on one image copy and records what fired; replays such a
 * record. Deterministic: op {@code i} draws from {@code Seeds.of(seed, sampleId, "augment",
 * firstPosition + i, copyIndex)}: first one {@code nextDouble()} that decides firing ({@code < p}),
 * then its parameters. Two ops of the same kind at different positions draw different streams.
 *
 * <pre>{@code
 * List<PixelOp> ops = List.of(new BrightnessContrast(0.5, -0.2, 0.2, -0.2, 0.2), new Invert(0.1));
 * List<Applied.Op> fired = PixelOps.apply(rgb, ops, seed, "cats/1.jpg", 3, copyIndex);
 * PixelOps.replay(sourceRgb, ops, fired); // sourceRgb now equals rgb, byte for byte
 * }</pre>
 */
public final class PixelOps {
  private PixelOps() {}

  /** The stage name that seeds the op streams (shared with the geometric ops). */
  public static final String STAGE = "augment";

  /**
   * Applies {@code ops} in order to {@code rgb} (8-bit RGB, modified in place) and returns the
   * records of the ops that fired, with position {@code firstPosition + index}.
   */
  public static List<Applied.Op> apply(
      Mat rgb, List<PixelOp> ops, long seed, String sampleId, int firstPosition, int copyIndex) {
    RgbPixels.requireRgb("PixelOps.apply", rgb);
    List<Applied.Op> fired =
        draw(ops, seed, sampleId, firstPosition, copyIndex, rgb.cols(), rgb.rows());
    replay(rgb, ops, fired);
    return fired;
  }

  /**
   * Draws, without touching pixels, which of {@code ops} fire on a {@code width x height} copy and
   * with what parameters: the records {@link #apply} would return.
   */
  public static List<Applied.Op> draw(
      List<PixelOp> ops,
      long seed,
      String sampleId,
      int firstPosition,
      int copyIndex,
      int width,
      int height) {
    // nested compositions and geometric ops (which change the frame) are handled there
    return Compositions.draw(ops, seed, sampleId, firstPosition, copyIndex, width, height);
  }

  /**
   * Re-applies {@code recorded} (as {@link #apply} returned them, in order) to {@code rgb}, the
   * same source image. {@code ops} supplies the implementations: each recorded op is applied by the
   * op of the same name; ranges and {@code p} play no part. Pass only this composition's records.
   *
   * @throws IllegalArgumentException when a recorded op names no op in {@code ops}
   */
  public static void replay(Mat rgb, List<PixelOp> ops, List<Applied.Op> recorded) {
    RgbPixels.requireRgb("PixelOps.replay", rgb);
    Map<Integer, PixelOp> leaves = Compositions.leaves(ops, 0);
    for (Applied.Op r : recorded) {
      PixelOp op = Compositions.implementation(r, leaves, ops);
      op.apply(rgb, r.params());
    }
  }

  /** {@link #replay} on a {@code UMat} (the {@code opencl} backend), with each op's UMat apply. */
  public static void replay(UMat rgb, List<PixelOp> ops, List<Applied.Op> recorded) {
    RgbPixels.requireRgb("PixelOps.replay", rgb);
    Map<Integer, PixelOp> leaves = Compositions.leaves(ops, 0);
    for (Applied.Op r : recorded) {
      PixelOp op = Compositions.implementation(r, leaves, ops);
      op.apply(rgb, r.params());
    }
  }
}
