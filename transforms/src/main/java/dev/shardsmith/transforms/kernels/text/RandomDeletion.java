package dev.shardsmith.transforms.kernels.text;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * EDA random deletion: {@code n = max(1, round(alpha * words))} distinct free words, chosen at
 * random, are deleted with one space next to each. A copy left with (nearly) no words is dropped by
 * {@code AugmentText} as {@code near_empty}.
 */
public record RandomDeletion(double p, double alpha) implements TextOp {
  public static final String NAME = "random_deletion";

  public RandomDeletion {
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
    int n = Draft.count(alpha, Tokenizer.words(draft.tokens()));
    List<Integer> chosen = Draft.pick(draft.freeWords(), n, rng);
    chosen.sort(Comparator.reverseOrder());
    for (int i : chosen) {
      draft.delete(NAME, position, i);
    }
  }
}
