package dev.shardsmith.transforms.kernels.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reviewed paraphrase fixture, and the pluggable paraphraser's placeholder contract. */
class ParaphraseFixtureTest {
  private static List<String[]> fixture() throws Exception {
    try (InputStream in =
        ParaphraseFixtureTest.class.getResourceAsStream("/text/paraphrase-fixture.tsv")) {
      List<String[]> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          out.add(line.split("\t", -1));
        }
      }
      return out;
    }
  }

  @Test
  void everyFixtureSentenceGetsItsReviewedRewrite() throws Exception {
    List<String[]> rows = fixture();
    assertTrue(rows.size() >= 50, rows.size() + " sentences");
    List<String> wrong = new ArrayList<>();
    int rewritten = 0;
    for (String[] r : rows) {
      List<String> kinds = r[0].equals("all") ? Paraphrase.KINDS : List.of(r[0].split(","));
      TextAugmentSpec spec =
          TextAugmentSpec.of(List.of(new Paraphrase(1, 1.0, kinds, null)), Protection.DEFAULT);
      String got = spec.augment(r[2], 0, "fixture", 0).text();
      if (!got.equals(r[3])) {
        wrong.add(r[1] + ": " + r[2] + "\n  expected: " + r[3] + "\n  got:      " + got);
      }
      if (!r[2].equals(r[3])) {
        rewritten++;
      }
    }
    assertEquals(List.of(), wrong);
    assertTrue(rewritten >= 50, rewritten + " rewritten");
  }

  @Test
  void contractionsGoBothWaysAndKeepCase() {
    TextAugmentSpec spec =
        TextAugmentSpec.of(
            List.of(new Paraphrase(1, 1.0, List.of("contraction"), null)), Protection.DEFAULT);
    assertEquals("I don't know.", spec.augment("I do not know.", 0, "c", 0).text());
    assertEquals("Do not panic.", spec.augment("Don't panic.", 0, "c", 0).text());
    assertEquals("WE ARE HERE.", spec.augment("WE'RE HERE.", 0, "c", 0).text());
    assertEquals("I know what it is.", spec.augment("I know what it is.", 0, "c", 0).text());
  }

  /** Swaps the two halves around " and " (a stand-in for a model). */
  public static final class SwapHalves implements Paraphraser {
    @Override
    public String paraphrase(String masked, SplittableRandom rng) {
      int k = masked.indexOf(" and ");
      return k < 0 ? null : masked.substring(k + 5) + " and " + masked.substring(0, k);
    }
  }

  @Test
  void aPluggedParaphraserSeesPlaceholdersAndCannotReorderProtectedSpans() {
    TextAugmentSpec spec =
        TextAugmentSpec.of(
            List.of(new Paraphrase(1, 1, Paraphrase.KINDS, new SwapHalves())), Protection.DEFAULT);
    // no protected span: the rewrite is taken
    assertEquals(
        "cats sleep and dogs bark", spec.augment("dogs bark and cats sleep", 0, "m", 0).text());
    // one protected span moved but kept: taken, with the span's own text
    assertEquals(
        "dogs bark at 3 and cats sleep",
        spec.augment("cats sleep and dogs bark at 3", 0, "m", 0).text());
    TextAugmentSpec.Copy c = spec.augment("call 911 and ask for help", 0, "m", 0);
    assertEquals("ask for help and call 911", c.text());
    assertEquals("model", c.applied().ops().get(0).params().get("kind"));
    // two protected spans would swap order: rejected, the text stays
    String two = "call 911 and dial 112";
    assertEquals(two, spec.augment(two, 0, "m", 0).text());
  }
}
