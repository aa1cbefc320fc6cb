package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.Affine;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * A mirror about one axis: {@code hflip} (left-right, Albumentations' HorizontalFlip: {@code x ->
 * width - x}) or {@code vflip} (top-bottom, VerticalFlip: {@code y -> height - y}). No parameters.
 *
 * <pre>{@code
 * Flip.horizontal(0.5) // hflip
 * Flip.vertical(0.5) // vflip
 * }</pre>
 */
public record Flip(double p, Axis axis) implements GeometricOp {
  /** The name of the left-right flip. */
  public static final String HFLIP = "hflip";

  /** The name of the top-bottom flip. */
  public static final String VFLIP = "vflip";

  /** Which coordinate the flip mirrors. */
  public enum Axis {
    /** {@code x -> width - x}: {@value #HFLIP}. */
    HORIZONTAL(HFLIP),
    /** {@code y -> height - y}: {@value #VFLIP}. */
    VERTICAL(VFLIP);

    private final String opName;

    Axis(String opName) {
      this.opName = opName;
    }
  }

  public Flip {
    Objects.requireNonNull(axis, "axis");
    Params.probability(axis.opName, p);
  }

  /** {@code hflip} with probability {@code p}. */
  public static Flip horizontal(double p) {
    return new Flip(p, Axis.HORIZONTAL);
  }

  /** {@code vflip} with probability {@code p}. */
  public static Flip vertical(double p) {
    return new Flip(p, Axis.VERTICAL);
  }

  @Override
  public String name() {
    return axis.opName;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    return Params.params();
  }

  @Override
  public Affine map(SortedMap<String, Object> params, int width, int height) {
    return axis == Axis.HORIZONTAL ? Affine.hflip(width) : Affine.vflip(height);
  }

  @Override
  public boolean readsOutside() {
    return false;
  }
}
