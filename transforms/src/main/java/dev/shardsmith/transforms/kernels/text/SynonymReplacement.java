package dev.shardsmith.transforms.kernels.text;

import dev.shardsmith.transforms.kernels.text.WordNet.Pos;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * WordNet synonym replacement (EDA's SR): replaces {@code n = max(1, round(rate * words))} free,
 * non-stop words, chosen at random, each by a random synonym from the first {@code senses} WordNet
 * senses of its guessed part of speech ({@link PosHeuristic}), with its inflection ({@link
 * Inflection}) and case carried over; a word whose inflection or case cannot be carried over, or
 * that has no synonym, is skipped (fewer than n words may change).
 *
 * <pre>{@code
 * new SynonymReplacement(0.5, 0.1, 1)  // half the copies, 10 % of the words, first sense only
 * }</pre>
 */
public record SynonymReplacement(double p, double rate, int senses) implements TextOp {
  public static final String NAME = "synonym";

  public SynonymReplacement {
    TextOp.checkUnit("p", p);
    TextOp.checkUnit("rate", rate);
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
    return Map.of("rate", rate, "senses", senses);
  }

  /**
   * The replacements for word token {@code i}, ready to write (inflected, in its case), in WordNet
   * order; empty when the word is a stop word, protected, unknown or cannot be inflected.
   */
  public static List<String> candidates(WordNet wn, List<Token> tokens, int i, int senses) {
    Token t = tokens.get(i);
    if (!t.isFreeWord() || t.text().length() < 2 || StopWords.contains(t.text())) {
      return List.of();
    }
    Pos pos = PosHeuristic.guess(wn, tokens, i);
    if (pos == null) {
      return List.of();
    }
    Inflection.Analysis a = Inflection.analyze(wn, pos, t.text().toLowerCase(Locale.ROOT));
    if (a == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String syn : wn.synonyms(pos, a.base(), senses)) {
      String inflected = Inflection.inflect(wn, pos, syn, a.form());
      String cased = inflected == null ? null : Inflection.matchCase(t.text(), inflected);
      if (cased != null && !cased.equals(t.text()) && !out.contains(cased)) {
        out.add(cased);
      }
    }
    return out;
  }

  @Override
  public void apply(Draft draft, SplittableRandom rng, int position) {
    WordNet wn = WordNet.get();
    List<Token> tokens = draft.tokens();
    int n = Draft.count(rate, Tokenizer.words(tokens));
    List<Integer> order = Draft.pick(draft.freeWords(), Integer.MAX_VALUE, rng);
    List<int[]> chosen = new ArrayList<>();
    List<String> with = new ArrayList<>();
    for (int i : order) {
      if (chosen.size() == n) {
        break;
      }
      List<String> c = candidates(wn, tokens, i, senses);
      if (!c.isEmpty()) {
        chosen.add(new int[] {i});
        with.add(c.get(rng.nextInt(c.size())));
      }
    }
    // right to left, so each recorded index is valid for the text as it stood
    List<Integer> idx = new ArrayList<>();
    for (int k = 0; k < chosen.size(); k++) {
      idx.add(k);
    }
    idx.sort(
        Collections.reverseOrder((x, y) -> Integer.compare(chosen.get(x)[0], chosen.get(y)[0])));
    for (int k : idx) {
      int i = chosen.get(k)[0];
      draft.replace(NAME, position, i, i + 1, with.get(k), null);
    }
  }
}
