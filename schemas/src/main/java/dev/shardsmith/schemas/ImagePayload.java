package dev.shardsmith.schemas;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Objects;

/**
 * An image: encoded bytes plus header metadata until the fused decode step, raw interleaved RGB (or
 * gray) pixels after it ({@link #RAW}), with the annotation {@link Targets} that follow it (boxes,
 * keypoints, a mask; {@link Targets#NONE} when it has none).
 */
public final class ImagePayload implements Payload {
  /** Format name of raw pixels: {@code height x width x channels} bytes, row-major, RGB order. */
  public static final String RAW = "raw";

  /**
   * Format name of normalized float pixels: {@code height x width x channels} float32 values,
   * little-endian, row-major, RGB order ({@code 4 x} the bytes of {@link #RAW}).
   */
  public static final String RAW_FLOAT32 = "raw_float32";

  private final byte[] bytes;
  private final String format;
  private final int width;
  private final int height;
  private final int channels;
  private final int orientation;
  private final Targets targets;

  private ImagePayload(
      byte[] bytes,
      String format,
      int width,
      int height,
      int channels,
      int orientation,
      Targets targets) {
    this.bytes = requireNonNull(bytes, "bytes");
    this.format = requireNonNull(format, "format");
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.orientation = orientation;
    this.targets = requireNonNull(targets, "targets");
    int valueBytes = RAW_FLOAT32.equals(format) ? Float.BYTES : 1;
    if ((RAW.equals(format) || RAW_FLOAT32.equals(format))
        && (long) width * height * channels * valueBytes != bytes.length) {
      throw new IllegalArgumentException(
          format
              + " pixels: expected "
              + width
              + "x"
              + height
              + "x"
              + channels
              + (valueBytes == 1 ? "" : "x" + valueBytes)
              + " bytes, got "
              + bytes.length);
    }
    if (targets.mask() != null && targets.mask().length != width * height) {
      throw new IllegalArgumentException(
          "a mask must be "
              + width
              + "x"
              + height
              + " bytes, one per pixel, got "
              + targets.mask().length);
    }
  }

  /** An encoded image (jpeg, png, ...) with the size and EXIF orientation read from its header. */
  public static ImagePayload encoded(
      byte[] bytes, String format, int width, int height, int channels, int orientation) {
    return new ImagePayload(bytes, format, width, height, channels, orientation, Targets.NONE);
  }

  /** Decoded pixels, {@code height x width x channels}, RGB order. */
  public static ImagePayload raw(byte[] pixels, int width, int height, int channels) {
    return new ImagePayload(pixels, RAW, width, height, channels, 1, Targets.NONE);
  }

  /**
   * Normalized pixels, {@code height x width x channels} float32 values as little-endian bytes, RGB
   * order: e.g. {@code (x - mean_c) / std_c} of the uint8 pixels.
   */
  public static ImagePayload rawFloat32(byte[] littleEndian, int width, int height, int channels) {
    return new ImagePayload(littleEndian, RAW_FLOAT32, width, height, channels, 1, Targets.NONE);
  }

  /** The same image with these targets attached. */
  public ImagePayload withTargets(Targets targets) {
    return new ImagePayload(bytes, format, width, height, channels, orientation, targets);
  }

  /**
   * Other pixels or encoding, same targets (so only for an encoding change: targets that must move
   * with the pixels go through {@link #withTargets}).
   */
  public ImagePayload withImage(byte[] bytes, String format, int width, int height, int channels) {
    return new ImagePayload(bytes, format, width, height, channels, 1, targets);
  }

  public byte[] bytes() {
    return bytes;
  }

  public String format() {
    return format;
  }

  /** True for decoded pixels, uint8 ({@link #RAW}) or float32 ({@link #RAW_FLOAT32}). */
  public boolean isRaw() {
    return RAW.equals(format) || RAW_FLOAT32.equals(format);
  }

  /** True for normalized float32 pixels ({@link #RAW_FLOAT32}). */
  public boolean isFloat32() {
    return RAW_FLOAT32.equals(format);
  }

  /** The pixel value type of decoded pixels: {@code uint8} or {@code float32}. */
  public String dtype() {
    return isFloat32() ? "float32" : "uint8";
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

  /** The annotation targets; {@link Targets#NONE} when there are none. */
  public Targets targets() {
    return targets;
  }

  /** The boxes, {@code n x 4} x_min y_min x_max y_max (see {@link Targets}). */
  public float[] boxes() {
    return targets.boxes();
  }

  public String[] boxLabels() {
    return targets.boxLabels();
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
        && targets.equals(p.targets);
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
        + " bytes"
        + (targets.isEmpty() ? "" : ", " + targets)
        + "}";
  }
}
