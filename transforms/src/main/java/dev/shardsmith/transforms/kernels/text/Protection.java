package dev.shardsmith.transforms.kernels.text;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which tokens no op may change, move, delete or split: numbers, URLs, e-mail addresses,
 * {@code @handles} and {@code #hashtags} always ({@link Token.Kind#alwaysProtected()}), plus every
 * token overlapping a user term (case-insensitive, whole words: {@code "new york"} matches {@code
 * New York} but not {@code Newark}) or a match of a user regex. The tokens of one match share a
 * guard id, so no insertion lands between them. Immutable and serializable.
 *
 * <pre>{@code
 * Protection p = Protection.of(List.of("New York"), List.of("[A-Z]{2,}-\\d+"));
 * List<Token> tokens = p.mark(text, Tokenizer.tokenize(text));
 * }</pre>
 */
public final class Protection implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Only the always-protected kinds. */
  public static final Protection DEFAULT = new Protection(List.of(), List.of());

  private final List<String> terms;
  private final List<String> patterns;
  private transient List<Pattern> compiled;

  private Protection(List<String> terms, List<String> patterns) {
    this.terms = List.copyOf(terms);
    this.patterns = List.copyOf(patterns);
    this.compiled = compile();
  }

  /**
   * Protects {@code terms} (non-blank) and {@code patterns} (Java regexes); throws {@link
   * IllegalArgumentException} naming a bad one.
   */
  public static Protection of(List<String> terms, List<String> patterns) {
    for (int i = 0; i < terms.size(); i++) {
      if (terms.get(i) == null || terms.get(i).isBlank()) {
        throw new IllegalArgumentException("terms[" + i + "] is blank: give a word or phrase");
      }
    }
    for (int i = 0; i < patterns.size(); i++) {
      String p = patterns.get(i);
      try {
        if (Pattern.compile(p).matcher("").matches()) {
          throw new IllegalArgumentException(
              "patterns["
                  + i
                  + "] = \""
                  + p
                  + "\" matches the empty string: it would protect"
                  + " nothing useful; make it match at least one character");
        }
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "patterns[" + i + "] = \"" + p + "\" is not a valid regex: " + e.getDescription(), e);
      }
    }
    return new Protection(terms, patterns);
  }

  public List<String> terms() {
    return terms;
  }

  public List<String> patterns() {
    return patterns;
  }

  private List<Pattern> compile() {
    List<Pattern> out = new ArrayList<>();
    for (String t : terms) {
      String q = Pattern.quote(t.trim().toLowerCase(Locale.ROOT));
      out.add(
          Pattern.compile(
              "(?<![\\p{L}\\p{N}])" + q + "(?![\\p{L}\\p{N}])",
              Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }
    for (String p : patterns) {
      out.add(Pattern.compile(p));
    }
    return out;
  }

  private Object readResolve() {
    return new Protection(terms, patterns);
  }

  /** {@code tokens} of {@code text} with their guards set (a new list). */
  public List<Token> mark(String text, List<Token> tokens) {
    List<Token> out = new ArrayList<>(tokens.size());
    int[] starts = new int[tokens.size() + 1];
    for (int i = 0; i < tokens.size(); i++) {
      starts[i + 1] = starts[i] + tokens.get(i).text().length();
    }
    int[] guard = new int[tokens.size()];
    boolean[] user = new boolean[tokens.size()];
    java.util.Arrays.fill(guard, -1);
    int next = 0;
    for (Pattern p : compiled) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        if (m.end() == m.start()) {
          continue;
        }
        int id = next++;
        for (int i = 0; i < tokens.size(); i++) {
          if (starts[i] < m.end() && starts[i + 1] > m.start()) {
            // joining overlapping matches into one span keeps every match unsplittable
            if (guard[i] >= 0 && guard[i] != id) {
              int old = guard[i];
              for (int j = 0; j < tokens.size(); j++) {
                if (guard[j] == old) {
                  guard[j] = id;
                }
              }
            }
            guard[i] = id;
            user[i] = true;
          }
        }
      }
    }
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (guard[i] < 0 && t.kind().alwaysProtected()) {
        guard[i] = next++;
      }
      out.add(new Token(t.text(), t.kind(), guard[i], user[i]));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Protection p && terms.equals(p.terms) && patterns.equals(p.patterns);
  }

  @Override
  public int hashCode() {
    return terms.hashCode() * 31 + patterns.hashCode();
  }
}
