package dev.shardsmith.transforms.kernels.text;

import dev.shardsmith.transforms.kernels.text.WordNet.Pos;
import java.util.Locale;

/**
 * Carries a word's inflection over to its replacement, by WordNet's morphology and English spelling
 * rules, or says it cannot.
 *
 * <p>{@link #analyze}: a form on WordNet's exception lists ({@code ran}, {@code geese}, and {@code
 * found}, which may be {@code find}) is irregular or ambiguous and is not analysed (the op then
 * skips the word); a word that is itself a lemma is its base form; otherwise WordNet's
 * suffix-detachment rules (nouns {@code -s -ses -xes -zes -ches -shes -ies}; verbs {@code -s -ies
 * -es -ed -ing}) give the base, and the detached suffix names the form: plural, third person {@code
 * -s}, past {@code -ed}, gerund {@code -ing}. Adjective and adverb comparatives are not analysed.
 *
 * <p>{@link #inflect}: the head of the replacement (a noun's last word, a verb's first word: {@code
 * look into} becomes {@code looked into}) gets the same form by English rules: {@code -es} after s,
 * x, z, ch, sh (and after consonant + o for verbs), consonant + y to {@code -ies}/{@code -ied},
 * silent e dropped before {@code -ing} and {@code -ed}, the final consonant doubled for
 * one-syllable consonant-vowel-consonant words ({@code stop -> stopped}). A head that WordNet lists
 * with irregular forms ({@code run}, {@code child}) is not inflected: null, and the op skips.
 *
 * <p>{@link #matchCase}: the replacement takes the original's case: lower, Title or UPPER; a
 * mixed-case original ({@code iPhone}) gives null.
 */
public final class Inflection {
  private Inflection() {}

  /** Verbs whose past is the base itself, which WordNet's exception lists leave out. */
  private static final java.util.Set<String> SAME_PAST =
      java.util.Set.of(
          "cast",
          "cut",
          "put",
          "set",
          "let",
          "hit",
          "hurt",
          "shut",
          "split",
          "spread",
          "quit",
          "bet",
          "burst",
          "cost",
          "thrust",
          "upset",
          "broadcast",
          "forecast",
          "shed",
          "slit",
          "rid",
          "bid",
          "beat",
          "read",
          "spit",
          "knit",
          "wed",
          "fit",
          "sweat",
          "wet");

  /** How a word form relates to its base. */
  public enum Form {
    BASE,
    PLURAL,
    THIRD_PERSON,
    PAST,
    GERUND
  }

  /** A base form and the inflection that leads from it to the word. */
  public record Analysis(String base, Form form) {}

  private static final String[][] NOUN_RULES = {
    {"ses", "s"},
    {"xes", "x"},
    {"zes", "z"},
    {"ches", "ch"},
    {"shes", "sh"},
    {"ies", "y"},
    {"s", ""}
  };
  private static final String[][] VERB_RULES = {
    {"ies", "y"},
    {"es", "e"},
    {"es", ""},
    {"s", ""},
    {"ed", "e"},
    {"ed", ""},
    {"ing", "e"},
    {"ing", ""}
  };

  /** The base and form of {@code lower} (a lowercase word) as {@code pos}, or null. */
  public static Analysis analyze(WordNet wn, Pos pos, String lower) {
    String[] exc = wn.exception(pos, lower);
    if (exc != null) {
      // WordNet lists doubled consonants too (stopping -> stop): those follow the rules
      for (String base : exc) {
        Form f = regularForm(base, lower, pos);
        if (f != null && exc.length == 1 && !wn.has(pos, lower)) {
          return new Analysis(base, f);
        }
      }
      return null; // irregular (ran), or ambiguous with one (found: find or found)
    }
    if (wn.has(pos, lower)) {
      return new Analysis(lower, Form.BASE);
    }
    String[][] rules =
        switch (pos) {
          case NOUN -> NOUN_RULES;
          case VERB -> VERB_RULES;
          default -> null;
        };
    if (rules == null) {
      return null;
    }
    for (String[] r : rules) {
      if (lower.endsWith(r[0]) && lower.length() > r[0].length() + 1) {
        String base = lower.substring(0, lower.length() - r[0].length()) + r[1];
        if (wn.has(pos, base)) {
          Form f =
              pos == Pos.NOUN
                  ? Form.PLURAL
                  : r[0].equals("ed")
                      ? Form.PAST
                      : r[0].equals("ing") ? Form.GERUND : Form.THIRD_PERSON;
          // the form must be what English rules make of that base, or the analysis is a guess
          String back = inflectWord(base, f, pos);
          if (lower.equals(back)) {
            return new Analysis(base, f);
          }
        }
      }
    }
    return null;
  }

  /** {@code base} (a lemma, maybe several words) in {@code form}, or null when unsafe. */
  public static String inflect(WordNet wn, Pos pos, String base, Form form) {
    if (form == Form.BASE) {
      return base;
    }
    int space = pos == Pos.VERB ? base.indexOf(' ') : base.lastIndexOf(' ');
    String head;
    String before;
    String after;
    if (space < 0) {
      head = base;
      before = "";
      after = "";
    } else if (pos == Pos.VERB) {
      head = base.substring(0, space);
      before = "";
      after = base.substring(space);
    } else {
      head = base.substring(space + 1);
      before = base.substring(0, space + 1);
      after = "";
    }
    if ((pos == Pos.VERB && SAME_PAST.contains(head) && form == Form.PAST)
        || wn.hasIrregularForms(pos, head)
        || head.indexOf('-') >= 0
        || head.indexOf('\'') >= 0) {
      return null;
    }
    if (form == Form.PLURAL && head.endsWith("s") && !head.endsWith("ss") && !head.endsWith("us")) {
      return null; // slyboots, means: already plural-looking, English rules would guess wrong
    }
    String h = inflectWord(head, form, pos);
    return h == null ? null : before + h + after;
  }

  /** The form that English rules turn {@code base} into {@code form}, or null when none does. */
  static Form regularForm(String base, String form, Pos pos) {
    for (Form f : Form.values()) {
      if (f != Form.BASE
          && (pos == Pos.NOUN) == (f == Form.PLURAL)
          && form.equals(inflectWord(base, f, pos))) {
        return f;
      }
    }
    return null;
  }

  private static boolean vowel(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
  }

  /** One-syllable consonant-vowel-consonant (not ending w, x, y): its final consonant doubles. */
  private static boolean doubles(String w) {
    int n = w.length();
    if (n < 3) {
      return false;
    }
    char last = w.charAt(n - 1);
    if (vowel(last) || last == 'w' || last == 'x' || last == 'y' || !vowel(w.charAt(n - 2))) {
      return false;
    }
    if (vowel(w.charAt(n - 3))) {
      return false;
    }
    int vowelGroups = 0;
    boolean in = false;
    for (int i = 0; i < n; i++) {
      boolean v = vowel(w.charAt(i)) || (i > 0 && w.charAt(i) == 'y');
      if (v && !in) {
        vowelGroups++;
      }
      in = v;
    }
    return vowelGroups == 1;
  }

  private static String inflectWord(String w, Form form, Pos pos) {
    int n = w.length();
    if (n == 0) {
      return null;
    }
    char last = w.charAt(n - 1);
    boolean consonantY = last == 'y' && n > 1 && !vowel(w.charAt(n - 2));
    switch (form) {
      case PLURAL:
      case THIRD_PERSON:
        if (w.endsWith("s")
            || w.endsWith("x")
            || w.endsWith("z")
            || w.endsWith("ch")
            || w.endsWith("sh")
            || (form == Form.THIRD_PERSON && last == 'o' && n > 1 && !vowel(w.charAt(n - 2)))) {
          return w + "es";
        }
        return consonantY ? w.substring(0, n - 1) + "ies" : w + "s";
      case PAST:
        if (last == 'e') {
          return w + "d";
        }
        if (consonantY) {
          return w.substring(0, n - 1) + "ied";
        }
        return doubles(w) ? w + last + "ed" : w + "ed";
      case GERUND:
        if (w.endsWith("ie")) {
          return w.substring(0, n - 2) + "ying";
        }
        if (last == 'e' && !w.endsWith("ee") && !w.endsWith("ye") && !w.endsWith("oe") && n > 2) {
          return w.substring(0, n - 1) + "ing";
        }
        return doubles(w) ? w + last + "ing" : w + "ing";
      default:
        return w;
    }
  }

  /** {@code replacement} (lowercase) in {@code original}'s case, or null for mixed case. */
  public static String matchCase(String original, String replacement) {
    boolean anyUpper = false;
    boolean anyLower = false;
    for (int i = 0; i < original.length(); i++) {
      char c = original.charAt(i);
      if (Character.isUpperCase(c)) {
        anyUpper = true;
      } else if (Character.isLowerCase(c)) {
        anyLower = true;
      }
    }
    if (!anyUpper) {
      return replacement;
    }
    if (!anyLower && original.length() > 1) {
      return replacement.toUpperCase(Locale.ROOT);
    }
    boolean title = Character.isUpperCase(original.charAt(0));
    for (int i = 1; i < original.length() && title; i++) {
      if (Character.isUpperCase(original.charAt(i))) {
        title = false;
      }
    }
    if (!title) {
      return null;
    }
    return Character.toUpperCase(replacement.charAt(0)) + replacement.substring(1);
  }
}
