package dev.shardsmith.transforms.kernels.image;

import java.util.Set;

/**
 * What an image file's header says, read without decoding pixels: the format ({@code jpeg, png,
 * gif, bmp, webp, tiff}, or {@link #RAW} for pixels that are already decoded), the stored size, the
 * channel count and bit depth per channel, and the EXIF orientation (1..8, 1 when absent). {@link
 * #displayWidth()} and {@link #displayHeight()} give the size once the orientation is applied.
 *
 * <pre>{@code
 * ImageHeader h = ImageHeaders.read(bytes, 50_000_000L);
 * int w = h.displayWidth(); // height when orientation is 5..8
 * }</pre>
 */
public record ImageHeader(
    String format, int width, int height, int channels, int bitDepth, int orientation) {
  /**
   * The format of already decoded pixels ({@code ImagePayload.RAW}: {@code height x width x
   * channels} bytes, RGB or gray, orientation 1), see {@link ImageHeaders#of}.
   */
  public static final String RAW = "raw";

  /** The format names a header can carry. */
  public static final Set<String> FORMATS =
      Set.of("jpeg", "png", "gif", "bmp", "webp", "tiff", RAW);

  public ImageHeader {
    if (!FORMATS.contains(format)) {
      throw new IllegalArgumentException("format must be one of " + FORMATS + ", was " + format);
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive, was " + width + "x" + height);
    }
    if (orientation < 1 || orientation > 8) {
      throw new IllegalArgumentException("orientation must be in 1..8, was " + orientation);
    }
  }

  /** True when the orientation swaps width and height (EXIF 5..8). */
  public boolean swapsAxes() {
    return orientation >= 5;
  }

  /** The width after the EXIF orientation is applied. */
  public int displayWidth() {
    return swapsAxes() ? height : width;
  }

  /** The height after the EXIF orientation is applied. */
  public int displayHeight() {
    return swapsAxes() ? width : height;
  }
}
