package dev.shardsmith.transforms.kernels.text;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * EDA random swap: {@code n = max(1, round(alpha * words))} times, two distinct free words chosen
 * at random trade places (spaces and punctuation stay where they are). Needs two free words.
 */
public record RandomSwap(double p, double alpha) implements TextOp {
  public static final String NAME = "random_swap";

  public RandomSwap {
    TextOp.checkUnit("p", p);
    TextOp.checkUnit("alpha", alpha);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> params() {
    return Map.of("alpha", alpha);
  }

  @Override
  public void apply(Draft draft, SplittableRandom rng, int position) {
    List<Integer> free = draft.freeWords();
    if (free.size() < 2) {
      return;
    }
    int n = Draft.count(alpha, Tokenizer.words(draft.tokens()));
    for (int k = 0; k < n; k++) {
      int a = rng.nextInt(free.size());
      int b = rng.nextInt(free.size() - 1);
      if (b >= a) {
        b++;
      }
      draft.swap(NAME, position, free.get(a), free.get(b));
    }
  }
}
