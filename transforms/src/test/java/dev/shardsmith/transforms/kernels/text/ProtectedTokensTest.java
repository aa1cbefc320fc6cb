package dev.shardsmith.transforms.kernels.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The protected-token property: over many seeds and real sentences, no op changes, moves, splits or
 * deletes a protected span (numbers, URLs, e-mails, handles, hashtags, user terms, patterns).
 */
class ProtectedTokensTest {
  private static final Protection USER =
      Protection.of(List.of("computer", "the world", "Murphy's Law"), List.of("[A-Z]{2,}-\\d+"));

  private static final String[] DECOR = {
    " See https://example.org/faq?id=7 or mail help@example.org.",
    " Ping @ops_team about #oncall and ticket PRJ-1234.",
    " It cost 25000 dollars on 2024-03-05, or 1,250.75 per head.",
    " Version 3.14 shipped March 5, 2024, to 10000 users.",
    " Ask the computer, not the world, about Murphy's Law."
  };

  /** Real fortunes, each with protected items of every kind around it. */
  static List<String> sentences() throws Exception {
    List<String> out = new ArrayList<>();
    List<String> base = new ArrayList<>(TextFixtures.sentences("computers").subList(0, 30));
    base.addAll(TextFixtures.sentences("wisdom").subList(0, 20));
    for (int i = 0; i < base.size(); i++) {
      out.add(base.get(i) + DECOR[i % DECOR.length]);
    }
    return out;
  }

  /** The protected spans of {@code text}, in order, each as one string. */
  static List<String> spans(Protection p, String text) {
    List<Token> t = p.mark(text, Tokenizer.tokenize(text));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      if (t.get(i).isProtected()) {
        StringBuilder b = new StringBuilder();
        int g = t.get(i).guard();
        while (i < t.size() && t.get(i).guard() == g) {
          b.append(t.get(i++).text());
        }
        i--;
        out.add(b.toString());
      }
    }
    return out;
  }

  private static final Pattern LONG_DATE =
      Pattern.compile(
          "(January|February|March|April|May|June|July|August|September|October|November|December)"
              + " (\\d{1,2}), (\\d{4})");

  /** Spelling of numbers and dates normalised, for the format paraphrases (value kept). */
  static String normalize(String s) {
    Matcher m = LONG_DATE.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      LocalDate d =
          LocalDate.parse(m.group(), DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.ENGLISH));
      m.appendReplacement(b, d.toString());
    }
    m.appendTail(b);
    return b.toString().replaceAll("(\\d),(?=\\d{3})", "$1");
  }

  private static void assertKept(List<String> spans, String out, String context) {
    int at = 0;
    for (String s : spans) {
      int k = out.indexOf(s, at);
      assertTrue(
          k >= 0, "protected \"" + s + "\" lost or moved in: " + out + "\n  from: " + context);
      at = k + s.length();
    }
  }

  private static List<TextOp> everyOp() {
    return List.of(
        new SynonymReplacement(1, 0.5, 3),
        new RandomInsertion(1, 0.3, 3),
        new RandomSwap(1, 0.5),
        new RandomDeletion(1, 0.3),
        Paraphrase.rules(1, 1.0));
  }

  @Test
  void noOpEverChangesAProtectedTokenOverManySeeds() throws Exception {
    List<String> texts = sentences();
    int edited = 0;
    for (TextOp op : everyOp()) {
      TextAugmentSpec spec = TextAugmentSpec.of(List.of(op), USER);
      boolean format = op instanceof Paraphrase;
      int changed = 0;
      for (String text : texts) {
        List<String> spans = spans(USER, text);
        assertTrue(spans.size() >= 2, text);
        for (int seed = 0; seed < 40; seed++) {
          TextAugmentSpec.Copy c = spec.augment(text, seed, "s" + seed, seed % 3);
          if (format) {
            assertKept(spans(USER, normalize(text)), normalize(c.text()), text);
          } else {
            assertKept(spans, c.text(), text);
          }
          assertEquals(c.text(), TextFixtures.replay(text, c.applied()), "replay of " + op.name());
          if (!c.text().equals(text)) {
            changed++;
          }
        }
      }
      // the property must be tested on copies the op really changed
      assertTrue(changed > texts.size() * 20, op.name() + " changed only " + changed + " copies");
      edited += changed;
    }
    assertTrue(edited > 5_000, "edited " + edited);
  }

  @Test
  void userProtectedNumbersAreNotEvenReformatted() throws Exception {
    Protection numbers = Protection.of(List.of(), List.of("\\d[\\d,.:-]*"));
    TextAugmentSpec spec = TextAugmentSpec.of(List.of(Paraphrase.rules(1, 1.0)), numbers);
    String text = "It cost 25000 dollars on 2024-03-05, and I do not know why.";
    TextAugmentSpec.Copy c = spec.augment(text, 1, "x", 0);
    assertEquals("It cost 25000 dollars on 2024-03-05, and I don't know why.", c.text());
    // without the pattern the same numbers get their other spelling
    TextAugmentSpec open =
        TextAugmentSpec.of(List.of(Paraphrase.rules(1, 1.0)), Protection.DEFAULT);
    assertEquals(
        "It cost 25,000 dollars on March 5, 2024, and I don't know why.",
        open.augment(text, 1, "x", 0).text());
  }

  @Test
  void termsMatchWholeWordsCaseInsensitively() {
    Protection p = Protection.of(List.of("new york"), List.of());
    assertEquals(List.of("New York"), spans(p, "From New York to Newark."));
    assertEquals(List.of(), spans(p, "Newyorkers are new, yorkies too."));
  }

  @Test
  void badProtectionIsRejectedWithItsIndex() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Protection.of(List.of(), List.of("(ab")));
    assertTrue(
        e.getMessage().startsWith("patterns[0] = \"(ab\" is not a valid regex"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Protection.of(List.of("ok", " "), List.of()));
    assertTrue(e.getMessage().startsWith("terms[1] is blank"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Protection.of(List.of(), List.of("x*")));
    assertTrue(e.getMessage().contains("matches the empty string"), e.getMessage());
  }

  @Test
  void aDraftRefusesToEditAProtectedToken() {
    String text = "Call 911 now";
    Draft d = new Draft(Protection.DEFAULT.mark(text, Tokenizer.tokenize(text)));
    assertThrows(IllegalStateException.class, () -> d.delete("x", 0, 2));
    assertThrows(IllegalStateException.class, () -> d.swap("x", 0, 0, 2));
    assertThrows(IllegalStateException.class, () -> d.replace("x", 0, 2, 3, "nine", null));
    assertEquals(text, d.text());
  }
}
