package dev.shardsmith.transforms.kernels.text;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * EDA random insertion: {@code n = max(1, round(alpha * words))} times, a random free non-stop word
 * with a WordNet synonym (up to 10 tries, as in EDA) lends a random synonym ({@link
 * SynonymReplacement#candidates}, lowercased), which is inserted before a random word-like token;
 * never inside a protected span. Protected tokens are never anchors.
 */
public record RandomInsertion(double p, double alpha, int senses) implements TextOp {
  public static final String NAME = "random_insertion";

  public RandomInsertion {
    TextOp.checkUnit("p", p);
    TextOp.checkUnit("alpha", alpha);
    if (senses < 1 || senses > WordNet.MAX_SENSES) {
      throw new IllegalArgumentException(
          "senses = " + senses + " must be in [1, " + WordNet.MAX_SENSES + "]");
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> params() {
    return Map.of("alpha", alpha, "senses", senses);
  }

  @Override
  public void apply(Draft draft, SplittableRandom rng, int position) {
    WordNet wn = WordNet.get();
    int n = Draft.count(alpha, Tokenizer.words(draft.tokens()));
    for (int k = 0; k < n; k++) {
      // the anchors: free words with a synonym (stop words and protected tokens have none)
      List<Integer> anchors = new java.util.ArrayList<>();
      List<List<String>> options = new java.util.ArrayList<>();
      for (int i : draft.freeWords()) {
        List<String> c = SynonymReplacement.candidates(wn, draft.tokens(), i, senses);
        if (!c.isEmpty()) {
          anchors.add(i);
          options.add(c);
        }
      }
      if (anchors.isEmpty()) {
        return;
      }
      List<String> c = options.get(rng.nextInt(anchors.size()));
      String word = c.get(rng.nextInt(c.size())).toLowerCase(Locale.ROOT);
      List<Integer> slots = draft.insertionSlots();
      int slot = slots.isEmpty() ? draft.tokens().size() : slots.get(rng.nextInt(slots.size()));
      draft.insert(NAME, position, slot, word);
    }
  }
}
