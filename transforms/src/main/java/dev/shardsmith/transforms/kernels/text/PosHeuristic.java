package dev.shardsmith.transforms.kernels.text;

import dev.shardsmith.transforms.kernels.text.WordNet.Pos;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A light part-of-speech guess for one word in its sentence, good enough to pick WordNet senses;
 * not a tagger. Rules, first match wins (candidates are the parts of speech under which WordNet
 * knows the word or its analysed base):
 *
 * <ol>
 *   <li>one candidate: that one;
 *   <li>after {@code to}, a modal ({@code will can must ...}), {@code do/does/did} or a subject
 *       pronoun ({@code I you we they he she}): verb;
 *   <li>after a determiner or possessive ({@code the a an this that my your his her its our their
 *       every each some any no}): adjective when the next word is a noun candidate and this one is
 *       an adjective, else noun;
 *   <li>ending in {@code -ly} and not an adjective ({@code likely} is both): adverb; ending in
 *       {@code -ing}/{@code -ed} with a verb base: verb;
 *   <li>otherwise the candidate with the most WordNet senses (ties: noun, verb, adjective, adverb).
 * </ol>
 */
public final class PosHeuristic {
  private PosHeuristic() {}

  private static final Set<String> VERB_CUES =
      Set.of(
          "to", "will", "would", "can", "could", "shall", "should", "may", "might", "must", "do",
          "does", "did", "don't", "doesn't", "didn't", "won't", "can't", "i", "you", "we", "they",
          "he", "she", "let's", "cannot");
  private static final Set<String> NOUN_CUES =
      Set.of(
          "the", "a", "an", "this", "that", "these", "those", "my", "your", "his", "her", "its",
          "our", "their", "every", "each", "some", "any", "no");

  /** The guessed part of speech of word token {@code i}, or null when WordNet knows no reading. */
  public static Pos guess(WordNet wn, List<Token> tokens, int i) {
    String w = tokens.get(i).text().toLowerCase(Locale.ROOT);
    Pos only = null;
    int count = 0;
    Inflection.Analysis[] as = new Inflection.Analysis[Pos.values().length];
    for (Pos p : Pos.values()) {
      as[p.ordinal()] = Inflection.analyze(wn, p, w);
      if (as[p.ordinal()] != null) {
        only = p;
        count++;
      }
    }
    if (count <= 1) {
      return only;
    }
    String prev = neighbour(tokens, i, -1);
    if (prev != null && VERB_CUES.contains(prev) && as[Pos.VERB.ordinal()] != null) {
      return Pos.VERB;
    }
    if (prev != null && NOUN_CUES.contains(prev)) {
      String next = neighbour(tokens, i, 1);
      if (next != null && wn.has(Pos.ADJ, w) && Inflection.analyze(wn, Pos.NOUN, next) != null) {
        return Pos.ADJ;
      }
      if (as[Pos.NOUN.ordinal()] != null) {
        return Pos.NOUN;
      }
    }
    if (w.endsWith("ly") && wn.has(Pos.ADV, w) && !wn.has(Pos.ADJ, w)) {
      return Pos.ADV;
    }
    if ((w.endsWith("ing") || w.endsWith("ed")) && as[Pos.VERB.ordinal()] != null) {
      return Pos.VERB;
    }
    Pos best = null;
    int most = -1;
    for (Pos p : Pos.values()) {
      Inflection.Analysis a = as[p.ordinal()];
      int s = a == null ? -1 : wn.senses(p, a.base());
      if (s > most) {
        most = s;
        best = p;
      }
    }
    return best;
  }

  /**
   * True when word {@code i} reads as a verb by a cue, not by a guess: it follows a verb cue
   * ({@code to}, a modal, a subject pronoun) or carries a verb inflection ({@code -ed -ing}; not
   * {@code -s}, which plurals share).
   */
  public static boolean verbCued(WordNet wn, List<Token> tokens, int i) {
    String w = tokens.get(i).text().toLowerCase(Locale.ROOT);
    Inflection.Analysis a = Inflection.analyze(wn, Pos.VERB, w);
    if (a == null) {
      return false;
    }
    String prev = neighbour(tokens, i, -1);
    // -s is left out: "guys" is a plural far more often than a verb
    return a.form() == Inflection.Form.PAST
        || a.form() == Inflection.Form.GERUND
        || (prev != null && VERB_CUES.contains(prev));
  }

  /** The lowercase neighbouring word (dir -1 or +1), across spaces only; null at punctuation. */
  static String neighbour(List<Token> tokens, int i, int dir) {
    for (int j = i + dir; j >= 0 && j < tokens.size(); j += dir) {
      Token t = tokens.get(j);
      if (t.kind() == Token.Kind.SPACE) {
        continue;
      }
      return t.isWord() ? t.text().toLowerCase(Locale.ROOT) : null;
    }
    return null;
  }
}
