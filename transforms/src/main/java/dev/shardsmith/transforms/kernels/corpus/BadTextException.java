package dev.shardsmith.transforms.kernels.corpus;

/**
 * A whole text source cannot be used: unreadable, a CSV without a header or missing a named column,
 * a header that is not UTF-8. {@link #reason()} is the short machine reason the run counts under
 * {@code sources.rejected.<reason>}.
 */
public final class BadTextException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public BadTextException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
