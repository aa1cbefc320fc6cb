package dev.shardsmith.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shardsmith.transforms.kernels.text.Paraphrase;
import dev.shardsmith.transforms.kernels.text.Paraphraser;
import dev.shardsmith.transforms.kernels.text.Protection;
import dev.shardsmith.transforms.kernels.text.RandomDeletion;
import dev.shardsmith.transforms.kernels.text.RandomInsertion;
import dev.shardsmith.transforms.kernels.text.RandomSwap;
import dev.shardsmith.transforms.kernels.text.SynonymReplacement;
import dev.shardsmith.transforms.kernels.text.TextAugmentSpec;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code augment.ops} and {@code augment.protect} of a text run: parsed, defaulted, rejected. */
class TextAugmentConfigTest {
  private static TextAugmentSpec parse(String yaml) throws Exception {
    Section a = new Section("augment", new ObjectMapper(new YAMLFactory()).readTree(yaml));
    TextAugmentSpec spec = TextAugmentConfig.parse(a);
    a.finish();
    return spec;
  }

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  /** A paraphraser for the plug-in test. */
  public static final class Echo implements Paraphraser {
    @Override
    public String paraphrase(String masked, SplittableRandom rng) {
      return masked;
    }
  }

  @Test
  void everyOpParsesWithItsDefaults() throws Exception {
    TextAugmentSpec spec =
        parse(
            "ops:\n"
                + "  - {op: synonym}\n"
                + "  - {op: random_insertion, p: 0.2, alpha: 0.05, senses: 1}\n"
                + "  - {op: random_swap, alpha: 0.2}\n"
                + "  - {op: random_deletion, p: 1}\n"
                + "  - {op: paraphrase, rate: 1, kinds: [contraction, clause_order]}\n"
                + "protect:\n  terms: [New York]\n  patterns: ['[A-Z]{2,}-\\d+']\n");
    assertEquals(
        TextAugmentSpec.of(
            List.of(
                new SynonymReplacement(0.5, 0.1, 3),
                new RandomInsertion(0.2, 0.05, 1),
                new RandomSwap(0.5, 0.2),
                new RandomDeletion(1, 0.1),
                new Paraphrase(0.5, 1, List.of("contraction", "clause_order"), null)),
            Protection.of(List.of("New York"), List.of("[A-Z]{2,}-\\d+"))),
        spec);
    Map<String, Object> eff = TextAugmentConfig.effective(spec);
    assertEquals(
        Map.of("op", "synonym", "p", 0.5, "rate", 0.1, "senses", 3),
        ((List<?>) eff.get("ops")).get(0));
    assertEquals(
        Map.of("terms", List.of("New York"), "patterns", List.of("[A-Z]{2,}-\\d+")),
        eff.get("protect"));
  }

  @Test
  void noOpsAndNoProtectionIsNone() throws Exception {
    assertSame(TextAugmentSpec.NONE, parse("{}"));
    assertTrue(parse("{}").isEmpty());
  }

  @Test
  void aPluggedParaphraserIsLoadedByClassName() throws Exception {
    TextAugmentSpec spec =
        parse("ops:\n  - {op: paraphrase, paraphraser: " + Echo.class.getName() + "}\n");
    assertTrue(((Paraphrase) spec.ops().get(0)).paraphraser() instanceof Echo);
  }

  @Test
  void badConfigsNameTheKeyTheValueAndWhatIsAllowed() {
    assertEquals(
        "augment.ops[0].op = shuffle is not allowed: use one of synonym, random_insertion,"
            + " random_swap, random_deletion, paraphrase",
        error("ops:\n  - {op: shuffle}\n"));
    assertEquals(
        "augment.ops[0].alpha is not a known key: augment.ops[0] takes op, p, rate, senses",
        error("ops:\n  - {op: synonym, alpha: 0.1}\n"));
    assertEquals(
        "augment.ops[1].p = 1.5 is out of range: must be in [0.0, 1.0]",
        error("ops:\n  - {op: random_swap}\n  - {op: random_deletion, p: 1.5}\n"));
    assertEquals(
        "augment.ops[0].senses = 5 is out of range: must be in [1, 3]",
        error("ops:\n  - {op: synonym, senses: 5}\n"));
    assertEquals(
        "augment.ops[0].kinds has \"synonyms\": use any of multiword, contraction,"
            + " number_format, date_format, clause_order",
        error("ops:\n  - {op: paraphrase, kinds: [synonyms]}\n"));
    assertEquals(
        "augment.ops[0] (paraphrase): kinds is empty: list at least one of [multiword,"
            + " contraction, number_format, date_format, clause_order]",
        error("ops:\n  - {op: paraphrase, kinds: []}\n"));
    assertEquals(
        "augment.ops[0].paraphraser = com.example.Nope is not on the classpath: put its jar next"
            + " to the Shardsmith jar",
        error("ops:\n  - {op: paraphrase, paraphraser: com.example.Nope}\n"));
    assertEquals(
        "augment.ops[0].paraphraser = java.lang.String does not implement "
            + Paraphraser.class.getName(),
        error("ops:\n  - {op: paraphrase, paraphraser: java.lang.String}\n"));
    assertEquals(
        "augment.protect.patterns[1] = \"(unclosed\" is not a valid regex: Unclosed group",
        error("protect:\n  patterns: ['\\d+', '(unclosed']\n"));
    assertEquals(
        "augment.protect.words is not a known key: augment.protect takes terms, patterns",
        error("protect:\n  words: [x]\n"));
    assertEquals(
        "augment.protect.terms = \"New York\" must be a list of strings",
        error("protect:\n  terms: New York\n"));
    assertEquals(
        "augment.ops = a mapping must be a list of mappings", error("ops:\n  op: synonym\n"));
  }
}
