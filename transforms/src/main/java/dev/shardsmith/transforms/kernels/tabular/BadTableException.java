package dev.shardsmith.transforms.kernels.tabular;

/**
 * A whole tabular file cannot be used: unreadable, no header, a duplicate or missing column, a
 * column of the wrong type. {@link #reason()} is the short machine reason the run counts under
 * {@code sources.rejected.<reason>}.
 */
public final class BadTableException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public BadTableException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
