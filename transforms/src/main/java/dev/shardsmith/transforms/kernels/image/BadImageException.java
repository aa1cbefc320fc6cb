package dev.shardsmith.transforms.kernels.image;

import java.util.Set;

/**
 * Bad input image bytes: the short machine {@link #reason()} goes into a {@code Rejected} row, the
 * message says what was wrong for a human. Expected for corrupt input; never a bug.
 *
 * <pre>{@code
 * try {
 *   ImageHeaders.read(bytes, maxPixels);
 * } catch (BadImageException e) {
 *   out.get(REJECTED).output(Rejected.sample(sample, "fuse", e.reason(), e.getMessage()));
 * }
 * }</pre>
 */
public final class BadImageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The bytes are empty. */
  public static final String EMPTY = "empty";

  /** The magic bytes name no supported format. */
  public static final String UNKNOWN_FORMAT = "unknown_format";

  /** The file ends before its format says it should. */
  public static final String TRUNCATED = "truncated";

  /** The header is garbled or inconsistent. */
  public static final String BAD_HEADER = "bad_header";

  /** The header claims more pixels than allowed (a decompression bomb). */
  public static final String TOO_LARGE = "too_large";

  /** The decoder failed on a well-formed header. */
  public static final String DECODE = "decode";

  private static final Set<String> REASONS =
      Set.of(EMPTY, UNKNOWN_FORMAT, TRUNCATED, BAD_HEADER, TOO_LARGE, DECODE);

  private final String reason;

  public BadImageException(String reason, String message) {
    super(message);
    if (!REASONS.contains(reason)) {
      throw new IllegalArgumentException("reason must be one of " + REASONS + ", was " + reason);
    }
    this.reason = reason;
  }

  /** One of {@code empty, unknown_format, truncated, bad_header, too_large, decode}. */
  public String reason() {
    return reason;
  }
}
