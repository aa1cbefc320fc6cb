package dev.shardsmith.transforms.kernels.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.transforms.kernels.text.Inflection.Form;
import dev.shardsmith.transforms.kernels.text.WordNet.Pos;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Synonym replacement and its helpers: POS, inflection, case, stop words, determinism. */
class WordNetOpsTest {
  private static final WordNet WN = WordNet.get();

  private static List<String> candidates(String text, String word) {
    List<Token> t = Protection.DEFAULT.mark(text, Tokenizer.tokenize(text));
    for (int i = 0; i < t.size(); i++) {
      if (t.get(i).text().equals(word)) {
        return SynonymReplacement.candidates(WN, t, i, 3);
      }
    }
    throw new AssertionError(word + " not in " + text);
  }

  @Test
  void inflectionIsCarriedOverByEnglishRules() {
    assertEquals(
        new Inflection.Analysis("investigate", Form.PAST),
        Inflection.analyze(WN, Pos.VERB, "investigated"));
    assertEquals(
        new Inflection.Analysis("problem", Form.PLURAL),
        Inflection.analyze(WN, Pos.NOUN, "problems"));
    assertEquals(
        new Inflection.Analysis("hurry", Form.THIRD_PERSON),
        Inflection.analyze(WN, Pos.VERB, "hurries"));
    assertEquals(
        new Inflection.Analysis("stop", Form.GERUND), Inflection.analyze(WN, Pos.VERB, "stopping"));
    assertNull(Inflection.analyze(WN, Pos.VERB, "ran"), "irregular forms are skipped");
    assertEquals("looked into", Inflection.inflect(WN, Pos.VERB, "look into", Form.PAST));
    assertEquals("stopped", Inflection.inflect(WN, Pos.VERB, "stop", Form.PAST));
    assertEquals("carrying", Inflection.inflect(WN, Pos.VERB, "carry", Form.GERUND));
    assertEquals("baking", Inflection.inflect(WN, Pos.VERB, "bake", Form.GERUND));
    assertEquals("hurried", Inflection.inflect(WN, Pos.VERB, "hurry", Form.PAST));
    assertEquals("boxes", Inflection.inflect(WN, Pos.NOUN, "box", Form.PLURAL));
    assertEquals("ice creams", Inflection.inflect(WN, Pos.NOUN, "ice cream", Form.PLURAL));
    assertEquals("bodies", Inflection.inflect(WN, Pos.NOUN, "body", Form.PLURAL));
    assertNull(Inflection.inflect(WN, Pos.VERB, "run", Form.PAST), "run has irregular forms");
    assertNull(Inflection.inflect(WN, Pos.VERB, "cast", Form.PAST), "cast's past is cast");
    assertNull(Inflection.inflect(WN, Pos.NOUN, "child", Form.PLURAL));
  }

  @Test
  void caseIsKept() {
    assertEquals("answer", Inflection.matchCase("reply", "answer"));
    assertEquals("Answer", Inflection.matchCase("Reply", "answer"));
    assertEquals("ANSWER", Inflection.matchCase("REPLY", "answer"));
    assertNull(Inflection.matchCase("iPhone", "answer"));
    for (String c : candidates("The committee INVESTIGATED it.", "INVESTIGATED")) {
      assertEquals(c.toUpperCase(Locale.ROOT), c);
    }
    for (String c : candidates("Problems never end.", "Problems")) {
      assertTrue(Character.isUpperCase(c.charAt(0)) && c.endsWith("s"), c);
    }
  }

  @Test
  void candidatesKeepTheFormAndSkipStopWordsAndIrregulars() {
    List<String> c = candidates("The committee investigated the problems.", "investigated");
    assertTrue(c.contains("looked into"), c.toString());
    for (String x : c) {
      assertTrue(x.endsWith("ed") || x.contains("ed "), x);
    }
    assertEquals(List.of(), candidates("They were here.", "were"));
    assertEquals(List.of(), candidates("She ran home.", "ran"));
    assertEquals(List.of(), candidates("Call 911 now.", "911"));
  }

  @Test
  void posHeuristicUsesContext() {
    List<Token> t = Tokenizer.tokenize("I want to book the book");
    assertEquals(Pos.VERB, PosHeuristic.guess(WN, t, 6));
    assertEquals(Pos.NOUN, PosHeuristic.guess(WN, t, 10));
  }

  @Test
  void replacesRateOfTheWordsDeterministically() throws Exception {
    String text = "The committee investigated the problems carefully and wrote a long report.";
    TextAugmentSpec spec =
        TextAugmentSpec.of(List.of(new SynonymReplacement(1, 0.25, 3)), Protection.DEFAULT);
    Set<String> seen = new HashSet<>();
    for (int copy = 0; copy < 20; copy++) {
      TextAugmentSpec.Copy a = spec.augment(text, 9, "doc-1", copy);
      assertEquals(a.text(), spec.augment(text, 9, "doc-1", copy).text(), "same key, same copy");
      // n = max(1, round(0.25 * 12 words)) = 3
      assertEquals(3, a.applied().ops().size(), a.toString());
      for (Applied.Op op : a.applied().ops()) {
        assertEquals("synonym", op.op());
        assertFalse(StopWords.contains((String) op.params().get("before")), op.toString());
      }
      seen.add(a.text());
    }
    assertTrue(seen.size() > 10, "copies differ: " + seen.size());
    assertNotEquals(
        spec.augment(text, 9, "doc-1", 0).text(), spec.augment(text, 10, "doc-1", 0).text());
  }
}
