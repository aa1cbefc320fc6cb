package dev.shardsmith.transforms.kernels.annotation;

/**
 * An annotation (or a paired mask) that cannot be used: malformed, naming an unknown class, a box
 * with a negative or zero size or outside its image, a mask of the wrong size. The message names
 * the file and the value; the sample is rejected with reason {@link #REASON}.
 */
public final class BadAnnotationException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The reason in rejected rows. */
  public static final String REASON = "annotation";

  public BadAnnotationException(String message) {
    super(message);
  }

  public BadAnnotationException(String message, Throwable cause) {
    super(message, cause);
  }
}
