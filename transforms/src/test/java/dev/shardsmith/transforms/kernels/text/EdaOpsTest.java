package dev.shardsmith.transforms.kernels.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** EDA insertion, swap and deletion: how many words change, what they may be, p and alpha. */
class EdaOpsTest {
  private static final String TEXT =
      "Never trust a computer you cannot throw out a window, and never trust a window you cannot"
          + " throw a computer out of.";

  private static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    for (Token t : Tokenizer.tokenize(s)) {
      if (t.isWord()) {
        out.add(t.text());
      }
    }
    return out;
  }

  private static TextAugmentSpec.Copy run(TextOp op, int copy) {
    return TextAugmentSpec.of(List.of(op), Protection.DEFAULT).augment(TEXT, 3, "w", copy);
  }

  @Test
  void swapKeepsTheWordsAndSwapsNPairs() {
    int words = words(TEXT).size(); // 22
    for (int c = 0; c < 30; c++) {
      TextAugmentSpec.Copy r = run(new RandomSwap(1, 0.1), c);
      List<String> a = new ArrayList<>(words(TEXT));
      List<String> b = new ArrayList<>(words(r.text()));
      a.sort(null);
      b.sort(null);
      assertEquals(a, b);
      assertEquals(Math.round(0.1 * words), r.applied().ops().size());
    }
  }

  @Test
  void deletionRemovesExactlyNWords() {
    for (int c = 0; c < 30; c++) {
      TextAugmentSpec.Copy r = run(new RandomDeletion(1, 0.2), c);
      assertEquals(22 - 4, r.words(), r.text());
      assertEquals(4, r.applied().ops().size());
      assertTrue(!r.text().contains("  ") && !r.text().startsWith(" "), r.text());
    }
  }

  @Test
  void insertionAddsSynonymsOfWordsInTheText() {
    WordNet wn = WordNet.get();
    for (int c = 0; c < 30; c++) {
      TextAugmentSpec.Copy r = run(new RandomInsertion(1, 0.1, 3), c);
      assertEquals(2, r.applied().ops().size(), r.text());
      List<Applied.Op> ops = r.applied().ops();
      for (int k = 0; k < ops.size(); k++) {
        String added = ((String) ops.get(k).params().get("after")).trim();
        // insertions build on each other: the k-th draws from the text after k insertions
        String before = TextFixtures.replay(TEXT, Applied.of(Applied.VERSION, ops.subList(0, k)));
        List<Token> t = Tokenizer.tokenize(before);
        boolean synonymOfSome = false;
        for (int i = 0; i < t.size(); i++) {
          if (t.get(i).isWord()) {
            List<String> cands = SynonymReplacement.candidates(wn, t, i, 3);
            synonymOfSome |= cands.stream().anyMatch(x -> x.toLowerCase(Locale.ROOT).equals(added));
          }
        }
        assertTrue(synonymOfSome, added + " is no synonym of a word in: " + before);
      }
    }
  }

  @Test
  void pDecidesWhetherAnOpRunsOnACopy() {
    int ran = 0;
    for (int c = 0; c < 400; c++) {
      if (!run(new RandomSwap(0.25, 0.1), c).applied().ops().isEmpty()) {
        ran++;
      }
    }
    assertTrue(ran > 70 && ran < 130, "ran on " + ran + " of 400 copies at p = 0.25");
    assertEquals(0, run(new RandomDeletion(0, 0.5), 0).applied().ops().size());
  }

  @Test
  void alphaAndPAreChecked() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new RandomSwap(0.5, 1.5));
    assertEquals("alpha = 1.5 must be in [0, 1]", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RandomDeletion(-0.1, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new SynonymReplacement(1, 0.1, 4));
  }

  @Test
  void oneWordTextLosesItAndIsNearEmpty() {
    TextAugmentSpec spec =
        TextAugmentSpec.of(List.of(new RandomDeletion(1, 0.1)), Protection.DEFAULT);
    TextAugmentSpec.Copy c = spec.augment("Hello!", 0, "h", 0);
    assertEquals("!", c.text());
    assertTrue(c.nearEmpty());
    assertTrue(!spec.augment("Hello there, world!", 0, "h", 0).nearEmpty());
  }
}
