package dev.shardsmith.transforms.kernels.shard;

import java.util.List;

/**
 * One row as our readers return it, whatever the shard format. For an image row {@code format} is
 * {@code raw} for the fixed-shape layout (uint8 pixels {@code height x width x channels}), {@code
 * raw_float32} for normalized pixels ({@code image} then holds them as little-endian float32 bytes,
 * 4 per value, also when a {@code .npy} shard stored float16), else the encoding, and {@code text}
 * is null. For a text row {@code text} holds the text, {@code image} is null, {@code format} is
 * {@value #TEXT} and {@code height}, {@code width}, {@code channels} are 0. For a feature row
 * {@code features} holds the numeric features (float32, NaN where missing), {@code categorical} the
 * categorical ones (null where missing), {@code format} is {@value #FEATURES}, {@code image} and
 * {@code text} are null and the sizes 0 (a series window likewise, {@code format} {@value #SERIES},
 * {@code features} its T x C values, time first, and {@code horizon} its H x C forecast values,
 * empty without a horizon); other rows have a null {@code features}, an empty {@code categorical}
 * and a null {@code horizon}. Arrays are compared by identity in {@code equals}.
 */
public record ShardRow(
    String id,
    String split,
    int fold,
    int label,
    String labelName,
    List<Integer> labels,
    byte[] image,
    String format,
    int height,
    int width,
    int channels,
    String applied,
    String text,
    float[] features,
    List<String> categorical,
    float[] horizon) {
  /** The {@code format} of a text row. */
  public static final String TEXT = "text";

  /** The {@code format} of a series window: {@code features} holds its T x C values, row-major. */
  public static final String SERIES = "series";

  /** The {@code format} of a feature row. */
  public static final String FEATURES = "features";

  /** A feature row, or any row without a horizon. */
  public ShardRow(
      String id,
      String split,
      int fold,
      int label,
      String labelName,
      List<Integer> labels,
      byte[] image,
      String format,
      int height,
      int width,
      int channels,
      String applied,
      String text,
      float[] features,
      List<String> categorical) {
    this(
        id,
        split,
        fold,
        label,
        labelName,
        labels,
        image,
        format,
        height,
        width,
        channels,
        applied,
        text,
        features,
        categorical,
        null);
  }

  /** An image or text row: no features. */
  public ShardRow(
      String id,
      String split,
      int fold,
      int label,
      String labelName,
      List<Integer> labels,
      byte[] image,
      String format,
      int height,
      int width,
      int channels,
      String applied,
      String text) {
    this(
        id, split, fold, label, labelName, labels, image, format, height, width, channels, applied,
        text, null, List.of());
  }
}
