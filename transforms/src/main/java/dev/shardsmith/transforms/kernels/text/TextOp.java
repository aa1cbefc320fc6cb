package dev.shardsmith.transforms.kernels.text;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * One text augmentation op. It runs on a copy with probability {@link #p()} (drawn by the caller
 * from the op's own stream) and then edits the {@link Draft} only through its methods, so protected
 * tokens stay as they are and every edit is recorded. Implementations are immutable records; their
 * constructors check parameters and name the bad one.
 */
public interface TextOp extends Serializable {
  /** The op's config name ({@code synonym}, {@code random_swap}, ...). */
  String name();

  /** The probability that the op runs on a copy, in [0, 1]. */
  double p();

  /** Edits {@code draft}; {@code position} is the op's place in {@code augment.ops}. */
  void apply(Draft draft, SplittableRandom rng, int position);

  /** The op's parameters for the effective config, {@code op} and {@code p} excluded. */
  java.util.Map<String, Object> params();

  static void checkUnit(String name, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(name + " = " + v + " must be in [0, 1]");
    }
  }
}
