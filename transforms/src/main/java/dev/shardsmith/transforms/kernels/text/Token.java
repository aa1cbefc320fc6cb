package dev.shardsmith.transforms.kernels.text;

/**
 * One token of a text: its exact characters, its kind and its protection. {@code guard} is -1 for a
 * free token, else the id of the protected span it belongs to (tokens of one user term or pattern
 * match share an id, so nothing is inserted between them); {@code user} says the span comes from
 * {@code augment.protect} (then not even a format paraphrase may touch it).
 */
public record Token(String text, Kind kind, int guard, boolean user) {
  /** What a token is; {@link #SPACE} and {@link #PUNCT} keep the text lossless. */
  public enum Kind {
    WORD,
    NUMBER,
    PUNCT,
    SPACE,
    URL,
    EMAIL,
    HANDLE,
    HASHTAG;

    /** Kinds that are protected whatever the config says. */
    public boolean alwaysProtected() {
      return this == NUMBER || this == URL || this == EMAIL || this == HANDLE || this == HASHTAG;
    }
  }

  public static Token free(String text, Kind kind) {
    return new Token(text, kind, -1, false);
  }

  public boolean isWord() {
    return kind == Kind.WORD;
  }

  public boolean isProtected() {
    return guard >= 0;
  }

  /** A word no op may touch freely: a word, not protected. */
  public boolean isFreeWord() {
    return kind == Kind.WORD && guard < 0;
  }

  /** The same token with other text (kind and protection kept). */
  public Token withText(String t) {
    return new Token(t, kind, guard, user);
  }
}
