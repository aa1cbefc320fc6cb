package dev.shardsmith.transforms.kernels.text;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.transforms.kernels.Seeds;
import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What text augmentation does to each augmented copy: the ops in order (with their rates and
 * probabilities) and the tokens no op may change ({@link Protection}). {@link #augment} is pure and
 * deterministic: op {@code k} of copy {@code c} of sample {@code id} draws from {@code
 * Seeds.of(seed, id, opName, k, c)}, first whether it runs ({@code p}), then its edits.
 *
 * <pre>{@code
 * TextAugmentSpec spec = TextAugmentSpec.of(
 *     List.of(new SynonymReplacement(1, 0.1, 1), new RandomSwap(0.5, 0.1)), Protection.DEFAULT);
 * TextAugmentSpec.Copy c = spec.augment("The cat sat on the mat.", 42, "a.txt", 0);
 * }</pre>
 */
public final class TextAugmentSpec implements Serializable {
  private static final long serialVersionUID = 2L;

  /** No ops: an augmented copy is the original text. */
  public static final TextAugmentSpec NONE = new TextAugmentSpec(List.of(), Protection.DEFAULT);

  /**
   * A copy is near-empty, and dropped, when it has no word token or fewer than this fraction of its
   * original's words.
   */
  public static final double MIN_WORD_FRACTION = 0.5;

  private final List<TextOp> ops;
  private final Protection protection;

  private TextAugmentSpec(List<TextOp> ops, Protection protection) {
    this.ops = List.copyOf(ops);
    this.protection = protection;
  }

  public static TextAugmentSpec of(List<TextOp> ops, Protection protection) {
    return new TextAugmentSpec(ops, protection);
  }

  /** True when no op is configured. */
  public boolean isEmpty() {
    return ops.isEmpty();
  }

  public List<TextOp> ops() {
    return ops;
  }

  public Protection protection() {
    return protection;
  }

  /** One augmented copy: its text, word counts before and after, and the edits made. */
  public record Copy(String text, int originalWords, int words, Applied applied) {
    /** See {@link #MIN_WORD_FRACTION}. */
    public boolean nearEmpty() {
      return words == 0 || words < MIN_WORD_FRACTION * originalWords;
    }
  }

  /** The tokens of {@code text} with protection marked. */
  public List<Token> tokens(String text) {
    return protection.mark(text, Tokenizer.tokenize(text));
  }

  /** Copy {@code copyIndex} (global, >= 0) of sample {@code id}. */
  public Copy augment(String text, long seed, String id, int copyIndex) {
    List<Token> marked = tokens(text);
    Draft d = new Draft(marked);
    for (int k = 0; k < ops.size(); k++) {
      TextOp op = ops.get(k);
      SplittableRandom rng = Seeds.of(seed, id, op.name(), k, copyIndex);
      if (rng.nextDouble() < op.p()) {
        op.apply(d, rng, k);
      }
    }
    return new Copy(
        d.text(),
        Tokenizer.words(marked),
        Tokenizer.words(d.tokens()),
        Applied.of(Applied.VERSION, d.edits()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TextAugmentSpec s && ops.equals(s.ops) && protection.equals(s.protection);
  }

  @Override
  public int hashCode() {
    return ops.hashCode() * 31 + protection.hashCode();
  }

  @Override
  public String toString() {
    return "TextAugmentSpec" + ops + " protect " + protection.terms() + protection.patterns();
  }
}
