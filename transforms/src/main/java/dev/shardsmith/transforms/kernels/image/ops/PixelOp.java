package dev.shardsmith.transforms.kernels.image.ops;

import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.UMat;

/**
 * One pixel-only augmentation op: an immutable, validated description of parameter ranges and a
 * firing probability. {@link #draw} picks concrete parameters from a seeded stream; {@link #apply}
 * applies exactly those parameters, and depends on nothing else (not on this op's ranges), so that
 * replaying a row is {@code apply(recordedParams)}. Parameter values are {@code Double}, {@code
 * Long} or {@code String}, as {@link dev.shardsmith.schemas.Applied.Op} stores them.
 *
 * <p>The caller decides whether the op fires: {@link PixelOps#apply} draws one {@code nextDouble()}
 * from the op's stream and fires when it is below {@link #p()}, then calls {@link #draw} on the
 * same stream.
 *
 * <pre>{@code
 * PixelOp op = new GaussianBlur(1.0, 0.5, 3.0);
 * SortedMap<String, Object> params = op.draw(rng, rgb.cols(), rgb.rows());
 * op.apply(rgb, params); // rgb is blurred in place
 * }</pre>
 */
public interface PixelOp extends java.io.Serializable {
  /** The op's name in configs and in the applied-parameters record, like {@code gaussian_blur}. */
  String name();

  /** The probability that the op fires, in [0, 1]. */
  double p();

  /**
   * Draws this op's parameters for an image of {@code width x height} pixels. Deterministic: the
   * same stream state gives the same map.
   */
  SortedMap<String, Object> draw(SplittableRandom rng, int width, int height);

  /**
   * Applies {@code params} (as {@link #draw} returned them, or as recorded) to {@code rgb}, an
   * 8-bit 3-channel RGB {@code Mat} of any size, writing the result into {@code rgb}.
   *
   * @throws IllegalArgumentException when {@code rgb} is not 8-bit RGB or a parameter is missing or
   *     out of its range
   */
  void apply(Mat rgb, SortedMap<String, Object> params);

  /**
   * {@link #apply(Mat, SortedMap)} on a {@code UMat} (the {@code opencl} backend), same contract.
   * This default downloads the pixels, runs the {@code Mat} version and uploads the result, so it
   * is right for every op; ops with OpenCL kernels in OpenCV's T-API override it with the same
   * calls on {@code UMat}s, which stay on the device. The two agree within the tolerance stated per
   * op in {@code docs/augmentations.md} ("Backends").
   */
  default void apply(UMat rgb, SortedMap<String, Object> params) {
    try (Mat host = new Mat()) {
      rgb.copyTo(host);
      apply(host, params);
      host.copyTo(rgb);
    }
  }
}
