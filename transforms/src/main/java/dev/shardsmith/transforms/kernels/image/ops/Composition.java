package dev.shardsmith.transforms.kernels.image.ops;

import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A node that runs some of its children ({@code sequence}, {@code one_of}, {@code some_of}). It has
 * no parameters of its own: {@link Compositions#draw} expands it, recording only the leaf ops that
 * fired, so {@link #draw} and {@link #apply} are never called on it and throw.
 */
public interface Composition extends PixelOp {
  /** The children, in configured order. */
  List<PixelOp> children();

  /**
   * Which children run, in the order they run, drawn from the node's own stream after its firing
   * draw. Each chosen child then fires with its own {@code p}, from its own stream.
   */
  int[] choose(SplittableRandom rng);

  @Override
  default SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    throw new IllegalStateException(
        name() + " is a composition: Compositions.draw expands it into its leaf ops");
  }

  @Override
  default void apply(Mat rgb, SortedMap<String, Object> params) {
    throw new IllegalStateException(
        name() + " is a composition: its leaf ops are recorded and applied, not the node");
  }
}
