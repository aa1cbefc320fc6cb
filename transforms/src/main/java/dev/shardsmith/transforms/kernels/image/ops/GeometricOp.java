package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.image.Affine;
import dev.shardsmith.transforms.kernels.image.Border;
import dev.shardsmith.transforms.kernels.image.ImageOps;
import dev.shardsmith.transforms.kernels.image.Interpolation;
import java.util.SortedMap;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A geometric op: it moves pixels by a plane map ({@link Affine}, affine or projective) that its
 * drawn parameters alone define, from its input frame ({@code width x height}, continuous
 * coordinates) to its output frame ({@link #outputSize}). {@code ImageFusion} composes consecutive
 * geometric ops into ONE map and ONE warp and reads the same map for boxes and keypoints; {@link
 * #apply} runs the op alone as its own warp (the op-by-op reference).
 *
 * <p>Where the op reads outside its input frame it shows {@link #border}: {@code constant} ({@link
 * #fill}), {@code reflect} or {@code replicate}. In a fused warp, a {@code constant} border is
 * exact (the output is masked to the op's input frame), while {@code reflect}/{@code replicate}
 * must mirror the image the op sees, so such an op starts a new warp unless it is the first map of
 * one.
 */
public interface GeometricOp extends PixelOp {
  /** The map from the input frame to the output frame, from {@code params} alone. */
  Affine map(SortedMap<String, Object> params, int width, int height);

  /**
   * The output frame {@code {width, height}}; the input size unless the op crops, pads or resizes.
   */
  default int[] outputSize(SortedMap<String, Object> params, int width, int height) {
    return new int[] {width, height};
  }

  /** What the op shows outside its input frame. */
  default Border border(SortedMap<String, Object> params) {
    return Border.CONSTANT;
  }

  /** The gray level of a {@code constant} border, in [0, 255]. */
  default int fill(SortedMap<String, Object> params) {
    return 0;
  }

  /**
   * False for an op whose map keeps its input frame covering its output (flips, quarter turns,
   * resize, random resized crop, perspective): it reads outside only by half a pixel at the edges,
   * where interpolation repeats the edge pixel ({@code replicate}) rather than fade to a fill, and
   * in a fused warp it needs no mask.
   */
  default boolean readsOutside() {
    return true;
  }

  /** The interpolation this op asks of its warp, or null for the default (bilinear). */
  default Interpolation interpolation(SortedMap<String, Object> params) {
    return null;
  }

  /**
   * False for an op that is not a plain resampling (a Gaussian pyramid step): it runs on its own,
   * between warps, though its map still joins {@code ImageFusion.geometry}.
   */
  default boolean fusable() {
    return true;
  }

  /** The op alone: one warp of {@code rgb} through its map; {@code rgb} takes the output size. */
  @Override
  default void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(name(), rgb);
    int w = rgb.cols();
    int h = rgb.rows();
    int[] size = outputSize(params, w, h);
    Interpolation in = interpolation(params);
    try (Mat out =
        ImageOps.warp(
            rgb,
            map(params, w, h),
            size[0],
            size[1],
            readsOutside() ? border(params) : Border.REPLICATE,
            fill(params),
            in == null ? Interpolation.LINEAR : in)) {
      out.copyTo(rgb);
    }
  }
}
