package dev.shardsmith.transforms.kernels.shard;

import java.util.List;

/**
 * One row as our readers return it, whatever the shard format. For an image row {@code format} is
 * {@code raw} for the fixed-shape layout (uint8 pixels {@code height x width x channels}), {@code
 * raw_float32} for normalized pixels ({@code image} then holds them as little-endian float32 bytes,
 * 4 per value, also when a {@code .npy} shard stored float16), else the encoding, and {@code text}
 * is null. A video clip row is a fixed-shape row whose {@link Clip} is set: {@code image} holds its
 * T frames back to back ({@code T x height x width x channels} values, time first), {@code height},
 * {@code width}, {@code channels} are a frame's, and {@link #frames()} is T. For a text row {@code
 * text} holds the text, {@code image} is null, {@code format} is {@value #TEXT} and {@code height},
 * {@code width}, {@code channels} are 0. For a feature row {@code features} holds the numeric
 * features (float32, NaN where missing), {@code categorical} the categorical ones (null where
 * missing), {@code format} is {@value #FEATURES}, {@code image} and {@code text} are null and the
 * sizes 0 (a series window likewise, {@code format} {@value #SERIES}, {@code features} its T x C
 * values, time first, and {@code horizon} its H x C forecast values, empty without a horizon);
 * other rows have a null {@code features}, an empty {@code categorical} and a null {@code horizon}.
 * {@code clip} is null except on clip rows. Arrays are compared by identity in {@code equals}.
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
    float[] horizon,
    Clip clip) {
  /** The {@code format} of a text row. */
  public static final String TEXT = "text";

  /** The {@code format} of a series window: {@code features} holds its T x C values, row-major. */
  public static final String SERIES = "series";

  /** The {@code format} of a feature row. */
  public static final String FEATURES = "features";

  /**
   * The video of a clip row and the presentation timestamps (microseconds) of its T frames, in the
   * order of the frames in {@code image}. The array is compared by identity in {@code equals}.
   */
  public record Clip(String videoId, long[] ptsMicros) {
    /** T, the number of frames. */
    public int frames() {
      return ptsMicros.length;
    }
  }

  /** T for a clip row, 0 for any other row. */
  public int frames() {
    return clip == null ? 0 : clip.frames();
  }
}
