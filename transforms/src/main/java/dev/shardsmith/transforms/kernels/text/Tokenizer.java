package dev.shardsmith.transforms.kernels.text;

import dev.shardsmith.transforms.kernels.text.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into {@link Token}s that keep every character: joining the token texts gives the
 * input back exactly ({@link #join}). Kinds, tried in this order at each position: URL ({@code
 * http(s)://...}, {@code www....}), e-mail, {@code @handle}, {@code #hashtag}, number (digits with
 * inner {@code . , : / -} groups, so {@code 1,000}, {@code 3.14}, {@code 2024-03-05} and {@code
 * 10:30} are one token), word (letters with inner apostrophes or hyphens: {@code don't}, {@code
 * well-known}), whitespace run, and any other single character as punctuation. A token's character
 * offset is the sum of the lengths before it. Pure and thread-safe.
 *
 * <pre>{@code
 * List<Token> t = Tokenizer.tokenize("Mail bob@example.org, don't wait!");
 * }</pre>
 */
public final class Tokenizer {
  private Tokenizer() {}

  private static final Pattern TOKEN =
      Pattern.compile(
          "(?<url>(?:https?://|www\\.)[^\\s<>\"]*[^\\s<>\"'.,;:!?)\\]])"
              + "|(?<email>[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,})"
              + "|(?<handle>(?<![\\p{L}\\p{N}])@[\\p{L}\\p{N}_]+)"
              + "|(?<hashtag>(?<![\\p{L}\\p{N}&])#[\\p{L}\\p{N}_]*\\p{L}[\\p{L}\\p{N}_]*)"
              + "|(?<number>\\p{N}+(?:[.,:/-]\\p{N}+)*)"
              + "|(?<word>[\\p{L}\\p{M}]+(?:['\u2019-][\\p{L}\\p{M}]+)*)"
              + "|(?<space>\\s+)"
              + "|(?<punct>.)",
          Pattern.DOTALL);

  public static List<Token> tokenize(String text) {
    List<Token> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    int at = 0;
    while (at < text.length() && m.find(at)) {
      if (m.start() != at) {
        throw new IllegalStateException("tokenizer skipped characters at " + at);
      }
      out.add(Token.free(m.group(), kindOf(m)));
      at = m.end();
    }
    return out;
  }

  private static Kind kindOf(Matcher m) {
    if (m.start("url") >= 0) {
      return Kind.URL;
    } else if (m.start("email") >= 0) {
      return Kind.EMAIL;
    } else if (m.start("handle") >= 0) {
      return Kind.HANDLE;
    } else if (m.start("hashtag") >= 0) {
      return Kind.HASHTAG;
    } else if (m.start("number") >= 0) {
      return Kind.NUMBER;
    } else if (m.start("word") >= 0) {
      return Kind.WORD;
    } else if (m.start("space") >= 0) {
      return Kind.SPACE;
    }
    return Kind.PUNCT;
  }

  /** The text the tokens spell, exactly. */
  public static String join(List<Token> tokens) {
    int n = 0;
    for (Token t : tokens) {
      n += t.text().length();
    }
    StringBuilder b = new StringBuilder(n);
    for (Token t : tokens) {
      b.append(t.text());
    }
    return b.toString();
  }

  /** The number of word tokens. */
  public static int words(List<Token> tokens) {
    int n = 0;
    for (Token t : tokens) {
      if (t.isWord()) {
        n++;
      }
    }
    return n;
  }
}
