package dev.shardsmith.transforms.kernels.text;

import java.io.Serializable;

/**
 * What text augmentation does to each augmented copy: the ops in order (with their rates and
 * probabilities) and the tokens no op may change. CONTRACT STUB: the text-ops work replaces the
 * body; {@link #NONE} and {@link #isEmpty()} stay.
 */
public final class TextAugmentSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** No ops: an augmented copy is the original text. */
  public static final TextAugmentSpec NONE = new TextAugmentSpec();

  private TextAugmentSpec() {}

  /** True when no op is configured. */
  public boolean isEmpty() {
    return true;
  }
}
