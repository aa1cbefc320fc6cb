package dev.shardsmith.transforms.kernels.text;

import dev.shardsmith.schemas.Applied;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One augmented copy while its ops run: the marked tokens and the edits made so far. Every edit
 * goes through a method here, which refuses to touch a protected token and records the edit as an
 * {@link Applied.Op}: params {@code index} (the token index in the text as it stood just before
 * that edit; whitespace and punctuation are tokens), {@code before} and {@code after} (the text of
 * the tokens replaced, removed or inserted), plus {@code to} for a swap and {@code kind} for a
 * paraphrase. Replaying the edits in order on the tokenized original gives the copy.
 */
public final class Draft {
  private final List<Token> tokens;
  private final List<Applied.Op> edits = new ArrayList<>();

  public Draft(List<Token> marked) {
    this.tokens = new ArrayList<>(marked);
  }

  public List<Token> tokens() {
    return tokens;
  }

  public List<Applied.Op> edits() {
    return edits;
  }

  public String text() {
    return Tokenizer.join(tokens);
  }

  /** Indices of free (unprotected) word tokens. */
  public List<Integer> freeWords() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).isFreeWord()) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * Token indices before which a word may be inserted: before any non-space, non-punctuation token
   * that does not continue a protected span, and at the end (after the last word-like token).
   */
  public List<Integer> insertionSlots() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() == Token.Kind.SPACE || t.kind() == Token.Kind.PUNCT) {
        continue;
      }
      if (t.guard() >= 0 && startsBefore(i, t.guard())) {
        continue;
      }
      out.add(i);
    }
    return out;
  }

  private boolean startsBefore(int i, int guard) {
    for (int k = i - 1; k >= 0; k--) {
      if (tokens.get(k).guard() == guard) {
        return true;
      }
    }
    return false;
  }

  private static void requireFree(Token t, int i) {
    if (t.isProtected()) {
      throw new IllegalStateException("an op tried to edit protected token " + i + ": " + t);
    }
  }

  private void record(String op, int position, int index, String before, String after, String k) {
    TreeMap<String, Object> p = new TreeMap<>();
    p.put("index", (long) index);
    p.put("before", before);
    p.put("after", after);
    if (k != null) {
      p.put("kind", k);
    }
    edits.add(new Applied.Op(op, position, p));
  }

  /** Words, spaces and punctuation of an inserted phrase, all free. */
  static List<Token> phrase(String text) {
    List<Token> out = new ArrayList<>();
    for (Token t : Tokenizer.tokenize(text)) {
      out.add(Token.free(t.text(), t.kind() == Token.Kind.NUMBER ? Token.Kind.WORD : t.kind()));
    }
    return out;
  }

  /** Replaces free tokens {@code [from, to)} with {@code replacement}'s tokens. */
  public void replace(String op, int position, int from, int to, String replacement, String kind) {
    replaceTokens(op, position, from, to, phrase(replacement), kind);
  }

  /**
   * Replaces tokens {@code [from, to)} with {@code with}; a protected token in the range must come
   * back unchanged in {@code with} (the same text and guard), or this throws.
   */
  public void replaceTokens(
      String op, int position, int from, int to, List<Token> with, String kind) {
    List<Token> old = tokens.subList(from, to);
    List<Token> keptOld = new ArrayList<>();
    for (int i = from; i < to; i++) {
      if (tokens.get(i).isProtected()) {
        keptOld.add(tokens.get(i));
      }
    }
    List<Token> keptNew = new ArrayList<>();
    for (Token t : with) {
      if (t.isProtected()) {
        keptNew.add(t);
      }
    }
    if (!keptOld.equals(keptNew)) {
      throw new IllegalStateException(
          op + " would change protected tokens " + keptOld + " into " + keptNew);
    }
    String before = Tokenizer.join(old);
    String after = Tokenizer.join(with);
    old.clear();
    tokens.addAll(from, with);
    record(op, position, from, before, after, kind);
  }

  /**
   * Rewrites tokens {@code [from, to)} to {@code with} where the range holds no user-protected
   * token: the format paraphrases ({@code 1000 -> 1,000}, dates) change always-protected numbers
   * this way, value kept; {@code with}'s numbers take the guard of the first number replaced.
   */
  public void reformat(String op, int position, int from, int to, String with, String kind) {
    int guard = -1;
    for (int i = from; i < to; i++) {
      Token t = tokens.get(i);
      if (t.user()) {
        throw new IllegalStateException(op + " would reformat user-protected token " + t);
      }
      if (guard < 0 && t.isProtected()) {
        guard = t.guard();
      }
    }
    List<Token> add = new ArrayList<>();
    for (Token t : Tokenizer.tokenize(with)) {
      add.add(new Token(t.text(), t.kind(), guard, false));
    }
    List<Token> old = tokens.subList(from, to);
    String before = Tokenizer.join(old);
    old.clear();
    tokens.addAll(from, add);
    record(op, position, from, before, with, kind);
  }

  public void swap(String op, int position, int i, int j) {
    Token a = tokens.get(i);
    Token b = tokens.get(j);
    requireFree(a, i);
    requireFree(b, j);
    tokens.set(i, b);
    tokens.set(j, a);
    TreeMap<String, Object> p = new TreeMap<>();
    p.put("index", (long) i);
    p.put("to", (long) j);
    p.put("before", a.text());
    p.put("after", b.text());
    edits.add(new Applied.Op(op, position, p));
  }

  /** Deletes free word {@code i} and one free space next to it (the following one first). */
  public void delete(String op, int position, int i) {
    requireFree(tokens.get(i), i);
    int from = i;
    int to = i + 1;
    if (to < tokens.size() && isFreeSpace(to)) {
      to++;
    } else if (from > 0 && isFreeSpace(from - 1)) {
      from--;
    }
    String before = Tokenizer.join(tokens.subList(from, to));
    tokens.subList(from, to).clear();
    record(op, position, from, before, "", null);
  }

  private boolean isFreeSpace(int i) {
    Token t = tokens.get(i);
    return t.kind() == Token.Kind.SPACE && !t.isProtected();
  }

  /** Inserts {@code word} and a space before token {@code slot} (a slot from insertionSlots). */
  public void insert(String op, int position, int slot, String word) {
    List<Token> add = phrase(word);
    add.add(Token.free(" ", Token.Kind.SPACE));
    String after = Tokenizer.join(add);
    tokens.addAll(slot, add);
    record(op, position, slot, "", after, null);
  }

  /**
   * {@code k} distinct values of {@code from}, in random order (a partial Fisher-Yates shuffle).
   */
  static List<Integer> pick(List<Integer> from, int k, SplittableRandom rng) {
    List<Integer> a = new ArrayList<>(from);
    int n = Math.min(k, a.size());
    for (int i = 0; i < n; i++) {
      int j = i + rng.nextInt(a.size() - i);
      Integer t = a.get(i);
      a.set(i, a.get(j));
      a.set(j, t);
    }
    return new ArrayList<>(a.subList(0, n));
  }

  /** EDA's count of words to change: {@code max(1, round(alpha * words))}. */
  static int count(double alpha, int words) {
    return Math.max(1, (int) Math.round(alpha * words));
  }
}
