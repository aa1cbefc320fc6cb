package dev.shardsmith.transforms.kernels.text;

import dev.shardsmith.transforms.kernels.text.WordNet.Pos;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Paraphrase without a model: meaning-preserving rewrites of these kinds (each can be switched off
 * with {@code kinds}):
 *
 * <ul>
 *   <li>{@code multiword}: WordNet multi-word lemmas both ways, only between lemmas that are in
 *       each other's first (most frequent) sense ({@link WordNet#mutualFirstSense}): a multi-word
 *       lemma of any part of speech in the text becomes a one-word synonym ({@code looking into ->
 *       investigating}); a verb or adverb becomes a multi-word lemma ({@code investigated -> looked
 *       into}; nouns are left alone there, as {@code report -> written report} adds detail),
 *       inflection carried over as for synonyms;
 *   <li>{@code contraction}: contraction and expansion by the table {@link #CONTRACT} / {@link
 *       #EXPAND} ({@code do not <-> don't}); ambiguous forms ({@code 's}, {@code 'd}) are never
 *       expanded, and a pronoun + verb pair is contracted only when a word follows ({@code I know
 *       what it is.} stays);
 *   <li>{@code number_format}: thousands separators added or removed ({@code 10000 <-> 10,000});
 *       four-digit numbers from 1100 to 2099 may be years and are left alone, and so are numbers
 *       glued to a word or code ({@code BFG-9000});
 *   <li>{@code date_format}: {@code 2024-03-05 <-> March 5, 2024} (valid dates only);
 *   <li>{@code clause_order}: {@code A, and B.} becomes {@code B, and A.} within one sentence, only
 *       where it is safe by these rules: exactly one {@code ", and"}, no other punctuation in
 *       either clause, each clause 3 words or more, A not opening with a subordinator ({@code if,
 *       when, because}...), A's first word a stop word, maybe contracted (so it can be lowercased;
 *       a name could not) or {@code I}, B with no pronoun or time word that may point back to A
 *       ({@code he, it, they, this, then, so}...), and no protected token in either clause.
 * </ul>
 *
 * Numbers and dates are protected from every other op; the format rewrites change their spelling,
 * never their value, and are allowed only where the user protects nothing of them ({@code
 * augment.protect}): a number that matches a user pattern or term stays exactly as written.
 *
 * <p>Each candidate rewrite is applied with probability {@code rate} (at least one when any
 * exists), chosen from the op's seeded stream. With a {@link Paraphraser} set, the rules are off
 * and that paraphraser rewrites the masked text.
 */
public record Paraphrase(double p, double rate, List<String> kinds, Paraphraser paraphraser)
    implements TextOp {
  public static final String NAME = "paraphrase";

  public static final List<String> KINDS =
      List.of("multiword", "contraction", "number_format", "date_format", "clause_order");

  public Paraphrase {
    TextOp.checkUnit("p", p);
    TextOp.checkUnit("rate", rate);
    kinds = List.copyOf(kinds);
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("kinds is empty: list at least one of " + KINDS);
    }
    for (String k : kinds) {
      if (!KINDS.contains(k)) {
        throw new IllegalArgumentException(
            "kinds has \"" + k + "\": use any of " + String.join(", ", KINDS));
      }
    }
  }

  /** All rule kinds, no model. */
  public static Paraphrase rules(double p, double rate) {
    return new Paraphrase(p, rate, KINDS, null);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> params() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rate", rate);
    m.put("kinds", kinds);
    m.put("paraphraser", paraphraser == null ? "rules" : paraphraser.getClass().getName());
    return m;
  }

  /** Contractions made from two-word (or one-word) expansions, lowercase keys. */
  public static final Map<String, String> CONTRACT = new LinkedHashMap<>();

  /** Expansions of unambiguous contractions, lowercase keys ({@code 's} and {@code 'd} absent). */
  public static final Map<String, String> EXPAND = new LinkedHashMap<>();

  /** Pronoun + verb pairs: contracted only when a word follows. */
  private static final Set<String> NEEDS_FOLLOWER = new java.util.HashSet<>();

  static {
    String[][] both = {
      {"do not", "don't"},
      {"does not", "doesn't"},
      {"did not", "didn't"},
      {"is not", "isn't"},
      {"are not", "aren't"},
      {"was not", "wasn't"},
      {"were not", "weren't"},
      {"have not", "haven't"},
      {"has not", "hasn't"},
      {"had not", "hadn't"},
      {"will not", "won't"},
      {"would not", "wouldn't"},
      {"cannot", "can't"},
      {"could not", "couldn't"},
      {"should not", "shouldn't"},
      {"must not", "mustn't"},
      {"i am", "i'm"},
      {"you are", "you're"},
      {"we are", "we're"},
      {"they are", "they're"},
      {"i will", "i'll"},
      {"you will", "you'll"},
      {"we will", "we'll"},
      {"they will", "they'll"},
      {"he will", "he'll"},
      {"she will", "she'll"}
    };
    for (String[] e : both) {
      CONTRACT.put(e[0], e[1]);
      EXPAND.put(e[1], e[0]);
      if (!e[0].endsWith(" not") && !e[0].equals("cannot")) {
        NEEDS_FOLLOWER.add(e[0]);
      }
    }
    // contracted only (expanding 's is ambiguous: it is / it has)
    CONTRACT.put("it is", "it's");
    CONTRACT.put("that is", "that's");
    NEEDS_FOLLOWER.add("it is");
    NEEDS_FOLLOWER.add("that is");
    // expanded only (contracting "I have a dog" to "I've a dog" reads wrong)
    EXPAND.put("i've", "i have");
    EXPAND.put("you've", "you have");
    EXPAND.put("we've", "we have");
    EXPAND.put("they've", "they have");
  }

  /** Object pronouns and prepositions: a word before one keeps its own phrase shape. */
  private static final Set<String> AFTER_NO_PHRASE =
      Set.of(
          "me", "him", "her", "us", "them", "it", "this", "that", "of", "to", "in", "on", "at",
          "with", "for", "from", "by", "about", "into", "than", "up", "down", "out", "off");

  /** Words a clause with its own subject may start with. */
  private static final Set<String> SUBJECT_STARTS =
      Set.of(
          "the",
          "a",
          "an",
          "my",
          "your",
          "our",
          "i",
          "you",
          "we",
          "every",
          "each",
          "no",
          "some",
          "many",
          "most",
          "all",
          "few",
          "nobody",
          "everyone",
          "everybody",
          "someone",
          "somebody",
          "nothing",
          "everything",
          "something",
          "i'm",
          "you're",
          "we're",
          "i'll",
          "you'll",
          "we'll",
          "i've",
          "you've",
          "we've",
          "it",
          "it's",
          "there",
          "there's",
          "this",
          "that",
          "they",
          "they're",
          "he",
          "she",
          "his",
          "her",
          "their");

  private static final Set<String> BACK_POINTERS =
      Set.of(
          "he",
          "she",
          "it",
          "they",
          "him",
          "her",
          "them",
          "his",
          "hers",
          "its",
          "their",
          "theirs",
          "this",
          "that",
          "these",
          "those",
          "then",
          "so",
          "therefore",
          "thus",
          "afterwards",
          "later",
          "also",
          "too",
          "there",
          "still",
          "yet",
          "one",
          "himself",
          "herself",
          "itself",
          "themselves",
          "such",
          "same",
          "other",
          "again",
          "first",
          "next",
          "finally",
          "yours",
          "mine",
          "ours",
          "they're",
          "it's",
          "there's",
          "that's",
          "he's",
          "she's");

  private static final Pattern GROUPED = Pattern.compile("\\d{1,3}(,\\d{3})+(\\.\\d+)?");
  private static final Pattern PLAIN = Pattern.compile("[1-9]\\d{3,}(\\.\\d+)?");
  private static final Pattern ISO_DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");

  /** One candidate rewrite of tokens {@code [from, to)}. */
  private record Rewrite(int from, int to, String with, String kind, boolean format) {}

  @Override
  public void apply(Draft draft, SplittableRandom rng, int position) {
    if (paraphraser != null) {
      applyModel(draft, rng, position);
      return;
    }
    List<Rewrite> local = new ArrayList<>();
    List<Token> t = draft.tokens();
    int coveredTo = 0;
    for (int i = 0; i < t.size(); i++) {
      if (i < coveredTo) {
        continue;
      }
      Rewrite r = localAt(t, i, rng);
      if (r != null) {
        local.add(r);
        coveredTo = r.to();
      }
    }
    List<Rewrite> chosen = choose(local, rng);
    chosen.sort(Comparator.comparingInt(Rewrite::from).reversed());
    for (Rewrite r : chosen) {
      if (r.format()) {
        draft.reformat(NAME, position, r.from(), r.to(), r.with(), r.kind());
      } else {
        draft.replace(NAME, position, r.from(), r.to(), r.with(), r.kind());
      }
    }
    if (kinds.contains("clause_order")) {
      List<Rewrite> clauses = clauseRewrites(draft.tokens());
      List<Rewrite> pick = choose(clauses, rng);
      pick.sort(Comparator.comparingInt(Rewrite::from).reversed());
      for (Rewrite r : pick) {
        draft.replace(NAME, position, r.from(), r.to(), r.with(), r.kind());
      }
    }
  }

  private List<Rewrite> choose(List<Rewrite> all, SplittableRandom rng) {
    List<Rewrite> out = new ArrayList<>();
    for (Rewrite r : all) {
      if (rng.nextDouble() < rate) {
        out.add(r);
      }
    }
    if (out.isEmpty() && !all.isEmpty() && rate > 0) {
      out.add(all.get(rng.nextInt(all.size())));
    }
    return out;
  }

  private Rewrite localAt(List<Token> t, int i, SplittableRandom rng) {
    Token tok = t.get(i);
    if (tok.kind() == Token.Kind.NUMBER && !tok.user()) {
      if (kinds.contains("date_format")) {
        Rewrite d = isoDate(tok, i);
        if (d != null) {
          return d;
        }
      }
      if (kinds.contains("number_format") && standalone(t, i)) {
        return number(tok, i);
      }
      return null;
    }
    if (!tok.isFreeWord()) {
      return null;
    }
    if (kinds.contains("date_format")) {
      Rewrite d = longDate(t, i);
      if (d != null) {
        return d;
      }
    }
    if (kinds.contains("contraction")) {
      Rewrite c = contraction(t, i);
      if (c != null) {
        return c;
      }
    }
    if (kinds.contains("multiword")) {
      return multiword(t, i, rng);
    }
    return null;
  }

  /** Not glued to a word or code ({@code BFG-9000}, {@code v2.1000}, {@code 3000x}). */
  private static boolean standalone(List<Token> t, int i) {
    if (i > 0) {
      Token prev = t.get(i - 1);
      if (prev.kind() == Token.Kind.WORD
          || prev.text().equals("-")
          || prev.text().equals(".")
          || prev.text().equals("/")
          || prev.text().equals("_")) {
        return false;
      }
    }
    if (i + 1 < t.size()) {
      Token next = t.get(i + 1);
      if (next.kind() == Token.Kind.WORD
          || next.text().equals("-")
          || next.text().equals("/")
          || next.text().equals("_")) {
        return false;
      }
    }
    return true;
  }

  private static Rewrite number(Token tok, int i) {
    String s = tok.text();
    if (GROUPED.matcher(s).matches()) {
      return new Rewrite(i, i + 1, s.replace(",", ""), "number_format", true);
    }
    if (PLAIN.matcher(s).matches()) {
      int dot = s.indexOf('.');
      String whole = dot < 0 ? s : s.substring(0, dot);
      if (whole.length() == 4) {
        int v = Integer.parseInt(whole);
        if (v >= 1100 && v <= 2099) {
          return null;
        }
      }
      StringBuilder b = new StringBuilder();
      for (int k = 0; k < whole.length(); k++) {
        if (k > 0 && (whole.length() - k) % 3 == 0) {
          b.append(',');
        }
        b.append(whole.charAt(k));
      }
      return new Rewrite(i, i + 1, b + (dot < 0 ? "" : s.substring(dot)), "number_format", true);
    }
    return null;
  }

  private static String monthName(int m) {
    return Month.of(m).getDisplayName(TextStyle.FULL, Locale.ENGLISH);
  }

  private static Rewrite isoDate(Token tok, int i) {
    java.util.regex.Matcher m = ISO_DATE.matcher(tok.text());
    if (!m.matches()) {
      return null;
    }
    try {
      LocalDate d =
          LocalDate.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)));
      return new Rewrite(
          i,
          i + 1,
          monthName(d.getMonthValue()) + " " + d.getDayOfMonth() + ", " + d.getYear(),
          "date_format",
          true);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** {@code March 5, 2024} (tokens: word, space, number, comma, space, number) to ISO. */
  private static Rewrite longDate(List<Token> t, int i) {
    if (i + 5 >= t.size()) {
      return null;
    }
    int month = -1;
    for (int m = 1; m <= 12; m++) {
      if (monthName(m).equals(t.get(i).text())) {
        month = m;
      }
    }
    if (month < 0
        || t.get(i + 1).kind() != Token.Kind.SPACE
        || t.get(i + 2).kind() != Token.Kind.NUMBER
        || !t.get(i + 3).text().equals(",")
        || t.get(i + 4).kind() != Token.Kind.SPACE
        || t.get(i + 5).kind() != Token.Kind.NUMBER
        || !t.get(i + 2).text().matches("\\d{1,2}")
        || !t.get(i + 5).text().matches("\\d{4}")) {
      return null;
    }
    for (int k = i; k <= i + 5; k++) {
      if (t.get(k).user()) {
        return null;
      }
    }
    try {
      LocalDate d =
          LocalDate.of(
              Integer.parseInt(t.get(i + 5).text()), month, Integer.parseInt(t.get(i + 2).text()));
      return new Rewrite(i, i + 6, d.toString(), "date_format", true);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The lowercase words from {@code i} on, {@code n} of them, single-spaced and free; or null. */
  private static String phrase(List<Token> t, int i, int n) {
    StringBuilder b = new StringBuilder();
    int k = i;
    for (int w = 0; w < n; w++) {
      if (k >= t.size() || !t.get(k).isFreeWord()) {
        return null;
      }
      if (w > 0) {
        b.append(' ');
      }
      b.append(t.get(k).text().toLowerCase(Locale.ROOT).replace('\u2019', '\''));
      k++;
      if (w < n - 1) {
        if (k >= t.size() || !t.get(k).text().equals(" ") || t.get(k).isProtected()) {
          return null;
        }
        k++;
      }
    }
    return b.toString();
  }

  private static String restoreApostrophe(String original, String out) {
    return original.indexOf('\u2019') >= 0 ? out.replace('\'', '\u2019') : out;
  }

  private static Rewrite contraction(List<Token> t, int i) {
    String one = phrase(t, i, 1);
    if (one == null) {
      return null;
    }
    String two = phrase(t, i, 2);
    String key =
        two != null && CONTRACT.containsKey(two) ? two : CONTRACT.containsKey(one) ? one : null;
    if (key != null) {
      int to = i + (key.indexOf(' ') < 0 ? 1 : 3);
      if (NEEDS_FOLLOWER.contains(key)
          && !(to + 1 < t.size() && t.get(to).text().equals(" ") && t.get(to + 1).isWord())) {
        return null;
      }
      String cased = Inflection.matchCase(t.get(i).text(), CONTRACT.get(key));
      return cased == null ? null : new Rewrite(i, to, fixI(cased), "contraction", false);
    }
    String exp = EXPAND.get(one);
    if (exp != null) {
      String cased = Inflection.matchCase(t.get(i).text(), exp);
      return cased == null
          ? null
          : new Rewrite(
              i, i + 1, fixI(restoreApostrophe(t.get(i).text(), cased)), "contraction", false);
    }
    return null;
  }

  /** The pronoun I stays capital whatever case the rest takes. */
  private static String fixI(String s) {
    if (s.startsWith("i ") || s.startsWith("i'") || s.equals("i")) {
      return "I" + s.substring(1);
    }
    return s;
  }

  private static Rewrite multiword(List<Token> t, int i, SplittableRandom rng) {
    WordNet wn = WordNet.get();
    // a multi-word lemma in the text -> a one-word synonym of its first sense
    for (int n = wn.longestLemmaWords(); n >= 2; n--) {
      String ph = phrase(t, i, n);
      if (ph == null) {
        continue;
      }
      boolean content = false;
      for (String w : ph.split(" ")) {
        content |= !StopWords.contains(w);
      }
      if (!content) {
        continue;
      }
      for (Pos pos : new Pos[] {Pos.VERB, Pos.NOUN, Pos.ADJ, Pos.ADV}) {
        Inflection.Form form = Inflection.Form.BASE;
        String base = ph;
        if (!wn.has(pos, ph) && pos == Pos.VERB) {
          int sp = ph.indexOf(' ');
          Inflection.Analysis a = Inflection.analyze(wn, pos, ph.substring(0, sp));
          if (a == null) {
            continue;
          }
          base = a.base() + ph.substring(sp);
          form = a.form();
        }
        if (!wn.has(pos, base)) {
          continue;
        }
        if (base.endsWith(" to")) {
          // "going to be" is a future, not "attending be": a verb after "to" rules it out
          String next = PosHeuristic.neighbour(t, i + 2 * n - 2, 1);
          if (next == null
              || StopWords.contains(next)
              || wn.has(Pos.VERB, next) && !wn.has(Pos.NOUN, next)) {
            continue;
          }
        }
        List<String> singles = new ArrayList<>();
        for (String s : wn.synonyms(pos, base, 1)) {
          if (s.indexOf(' ') < 0
              && wn.mutualFirstSense(pos, base, s)
              && !List.of(base.split(" ")).contains(s)) {
            String inf = Inflection.inflect(wn, pos, s, form);
            String cased = inf == null ? null : Inflection.matchCase(t.get(i).text(), inf);
            if (cased != null) {
              singles.add(cased);
            }
          }
        }
        if (!singles.isEmpty()) {
          return new Rewrite(
              i, i + 2 * n - 1, singles.get(rng.nextInt(singles.size())), "multiword", false);
        }
      }
    }
    // a word -> a multi-word lemma of its first sense
    Token tok = t.get(i);
    if (tok.text().length() < 3 || StopWords.contains(tok.text())) {
      return null;
    }
    Pos pos = PosHeuristic.guess(wn, t, i);
    // nouns and adjectives gain or lose detail as multi-word lemmas (report -> written report);
    // phrasal verbs and adverbial phrases keep the meaning (investigate -> look into)
    if (!(pos == Pos.VERB && PosHeuristic.verbCued(wn, t, i)) && pos != Pos.ADV) {
      return null;
    }
    String next = PosHeuristic.neighbour(t, i, 1);
    if (next == null || AFTER_NO_PHRASE.contains(next)) {
      return null; // "leave me" is not "go forth me", "instead of" not "or else of"
    }
    Inflection.Analysis a = Inflection.analyze(wn, pos, tok.text().toLowerCase(Locale.ROOT));
    if (a == null) {
      return null;
    }
    List<String> multi = new ArrayList<>();
    for (String s : wn.synonyms(pos, a.base(), 1)) {
      if (s.indexOf(' ') > 0
          && wn.mutualFirstSense(pos, a.base(), s)
          && !List.of(s.split(" ")).contains(a.base())) {
        String inf = Inflection.inflect(wn, pos, s, a.form());
        String cased = inf == null ? null : Inflection.matchCase(tok.text(), inf);
        if (cased != null) {
          multi.add(cased);
        }
      }
    }
    return multi.isEmpty()
        ? null
        : new Rewrite(i, i + 1, multi.get(rng.nextInt(multi.size())), "multiword", false);
  }

  private static boolean terminal(Token tok) {
    String s = tok.text();
    return tok.kind() == Token.Kind.PUNCT && (s.equals(".") || s.equals("!") || s.equals("?"));
  }

  /** {@code A, and B.} -> {@code B, and A.} for every sentence where the rules allow it. */
  private static List<Rewrite> clauseRewrites(List<Token> t) {
    List<Rewrite> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= t.size(); i++) {
      if (i == t.size() || terminal(t.get(i))) {
        Rewrite r = clause(t, start, i);
        if (r != null) {
          out.add(r);
        }
        start = i + 1;
      }
    }
    return out;
  }

  /** Sentence tokens {@code [from, end)}, {@code end} at its terminal mark or the text's end. */
  private static Rewrite clause(List<Token> t, int from, int end) {
    int a0 = from;
    while (a0 < end && t.get(a0).kind() == Token.Kind.SPACE) {
      a0++;
    }
    int b1 = end;
    while (b1 > a0 && t.get(b1 - 1).kind() == Token.Kind.SPACE) {
      b1--;
    }
    int comma = -1;
    for (int k = a0; k < b1; k++) {
      Token x = t.get(k);
      if (x.isProtected()) {
        return null;
      }
      if (x.kind() == Token.Kind.PUNCT) {
        if (!x.text().equals(",") || comma >= 0) {
          return null;
        }
        comma = k;
      } else if (x.kind() == Token.Kind.SPACE && !x.text().equals(" ")) {
        return null;
      }
    }
    if (comma < 0
        || comma + 4 >= b1
        || !t.get(comma + 1).text().equals(" ")
        || !t.get(comma + 2).text().equalsIgnoreCase("and")
        || !t.get(comma + 3).text().equals(" ")) {
      return null;
    }
    List<Token> a = t.subList(a0, comma);
    List<Token> b = t.subList(comma + 4, b1);
    if (Tokenizer.words(a) < 3
        || Tokenizer.words(b) < 3
        || !a.get(0).isWord()
        || !b.get(0).isWord()) {
      return null;
    }
    String aFirst = a.get(0).text();
    String aLower = aFirst.toLowerCase(Locale.ROOT);
    String stem = aLower.replace('\u2019', '\'');
    String bLower = b.get(0).text().toLowerCase(Locale.ROOT).replace('\u2019', '\'');
    if (!SUBJECT_STARTS.contains(stem)
        || !SUBJECT_STARTS.contains(bLower)
        || (end < t.size() && t.get(end).text().equals("?"))) {
      return null;
    }
    stem = stem.indexOf('\'') > 0 ? stem.substring(0, stem.indexOf('\'')) : stem;
    for (Token x : b) {
      if (x.isWord() && BACK_POINTERS.contains(x.text().toLowerCase(Locale.ROOT))) {
        return null;
      }
    }
    String bFirst = b.get(0).text();
    String aText = (stem.equals("i") ? aFirst : aLower) + Tokenizer.join(a.subList(1, a.size()));
    String bText =
        Character.toUpperCase(bFirst.charAt(0))
            + bFirst.substring(1)
            + Tokenizer.join(b.subList(1, b.size()));
    String and = t.get(comma + 2).text();
    return new Rewrite(a0, b1, bText + ", " + and + " " + aText, "clause_order", false);
  }

  private static final char OPEN = '\u27E6';
  private static final char CLOSE = '\u27E7';

  private void applyModel(Draft draft, SplittableRandom rng, int position) {
    List<Token> t = draft.tokens();
    StringBuilder masked = new StringBuilder();
    List<List<Token>> spans = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      Token x = t.get(i);
      if (x.isProtected()) {
        List<Token> span = new ArrayList<>();
        int g = x.guard();
        while (i < t.size() && t.get(i).guard() == g) {
          span.add(t.get(i++));
        }
        i--;
        masked.append(OPEN).append(spans.size()).append(CLOSE);
        spans.add(span);
      } else {
        masked.append(x.text());
      }
    }
    String in = masked.toString();
    String outText = paraphraser.paraphrase(in, rng);
    if (outText == null || outText.equals(in)) {
      return;
    }
    List<Token> rebuilt = new ArrayList<>();
    java.util.regex.Matcher m = Pattern.compile(OPEN + "(\\d+)" + CLOSE).matcher(outText);
    int at = 0;
    int expect = 0;
    while (m.find()) {
      int k = Integer.parseInt(m.group(1));
      if (k != expect) {
        return; // lost, repeated or reordered a protected span: keep the text
      }
      rebuilt.addAll(Draft.phrase(outText.substring(at, m.start())));
      rebuilt.addAll(spans.get(k));
      expect++;
      at = m.end();
    }
    if (expect != spans.size() || outText.indexOf(OPEN, at) >= 0) {
      return;
    }
    rebuilt.addAll(Draft.phrase(outText.substring(at)));
    draft.replaceTokens(NAME, position, 0, t.size(), rebuilt, "model");
  }
}
