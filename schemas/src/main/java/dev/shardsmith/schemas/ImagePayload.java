package dev.shardsmith.schemas;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Objects;

/**
 * An image: encoded bytes plus header metadata until the fused decode step, raw interleaved RGB (or
 * gray) pixels after it ({@link #RAW}). Optional targets that follow the image: boxes ({@code n x
 * 4}, x0 y0 x1 y1 in pixels), their labels, keypoints ({@code n x 2}, x y in pixels) and a mask
 * (encoded PNG, same size as the image).
 */
public final class ImagePayload implements Payload {
  /** Format name of raw pixels: {@code height x width x channels} bytes, row-major, RGB order. */
  public static final String RAW = "raw";

  private static final float[] NO_FLOATS = new float[0];
  private static final String[] NO_STRINGS = new String[0];

  private final byte[] bytes;
  private final String format;
  private final int width;
  private final int height;
  private final int channels;
  private final int orientation;
  private final float[] boxes;
  private final String[] boxLabels;
  private final float[] keypoints;
  private final byte[] mask;

  private ImagePayload(
      byte[] bytes,
      String format,
      int width,
      int height,
      int channels,
      int orientation,
      float[] boxes,
      String[] boxLabels,
      float[] keypoints,
      byte[] mask) {
    this.bytes = requireNonNull(bytes, "bytes");
    this.format = requireNonNull(format, "format");
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.orientation = orientation;
    this.boxes = boxes == null ? NO_FLOATS : boxes;
    this.boxLabels = boxLabels == null ? NO_STRINGS : boxLabels;
    this.keypoints = keypoints == null ? NO_FLOATS : keypoints;
    this.mask = mask;
    if (this.boxes.length % 4 != 0 || this.boxLabels.length * 4 != this.boxes.length) {
      throw new IllegalArgumentException("boxes must be n x 4 with one label per box");
    }
    if (this.keypoints.length % 2 != 0) {
      throw new IllegalArgumentException("keypoints must be n x 2");
    }
    if (RAW.equals(format) && (long) width * height * channels != bytes.length) {
      throw new IllegalArgumentException(
          "raw pixels: expected "
              + width
              + "x"
              + height
              + "x"
              + channels
              + " bytes, got "
              + bytes.length);
    }
  }

  /** An encoded image (jpeg, png, ...) with the size and EXIF orientation read from its header. */
  public static ImagePayload encoded(
      byte[] bytes, String format, int width, int height, int channels, int orientation) {
    return new ImagePayload(
        bytes, format, width, height, channels, orientation, null, null, null, null);
  }

  /** Decoded pixels, {@code height x width x channels}, RGB order. */
  public static ImagePayload raw(byte[] pixels, int width, int height, int channels) {
    return new ImagePayload(pixels, RAW, width, height, channels, 1, null, null, null, null);
  }

  /** The same image with these targets attached. */
  public ImagePayload withTargets(
      float[] boxes, String[] boxLabels, float[] keypoints, byte[] mask) {
    return new ImagePayload(
        bytes, format, width, height, channels, orientation, boxes, boxLabels, keypoints, mask);
  }

  /** Other pixels or encoding, same targets. */
  public ImagePayload withImage(byte[] bytes, String format, int width, int height, int channels) {
    return new ImagePayload(
        bytes, format, width, height, channels, 1, boxes, boxLabels, keypoints, mask);
  }

  public byte[] bytes() {
    return bytes;
  }

  public String format() {
    return format;
  }

  public boolean isRaw() {
    return RAW.equals(format);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int channels() {
    return channels;
  }

  /** EXIF orientation 1..8 of an encoded image (1 = as stored); always 1 once decoded. */
  public int orientation() {
    return orientation;
  }

  public float[] boxes() {
    return boxes;
  }

  public String[] boxLabels() {
    return boxLabels;
  }

  public float[] keypoints() {
    return keypoints;
  }

  /** Encoded PNG mask, or null. */
  public byte[] mask() {
    return mask;
  }

  @Override
  public Modality modality() {
    return Modality.IMAGE;
  }

  @Override
  public long payloadBytes() {
    return isRaw() ? bytes.length : (long) width * height * channels;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImagePayload p
        && width == p.width
        && height == p.height
        && channels == p.channels
        && orientation == p.orientation
        && format.equals(p.format)
        && Arrays.equals(bytes, p.bytes)
        && Arrays.equals(boxes, p.boxes)
        && Arrays.equals(boxLabels, p.boxLabels)
        && Arrays.equals(keypoints, p.keypoints)
        && Arrays.equals(mask, p.mask);
  }

  @Override
  public int hashCode() {
    return Objects.hash(format, width, height, channels, Arrays.hashCode(bytes));
  }

  @Override
  public String toString() {
    return "ImagePayload{"
        + format
        + " "
        + width
        + "x"
        + height
        + "x"
        + channels
        + ", "
        + bytes.length
        + " bytes, boxes="
        + boxLabels.length
        + "}";
  }
}
