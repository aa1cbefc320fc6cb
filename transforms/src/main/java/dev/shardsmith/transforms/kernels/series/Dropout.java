package dev.shardsmith.transforms.kernels.series;

import dev.shardsmith.transforms.kernels.Params;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Blanks out time steps ({@code dropout}): {@code round(rate * T / size)} segments of {@code size}
 * steps (1: single points), each at a start uniform in {@code 0 .. T - size} (segments may
 * overlap), have every channel set to the fill: {@code zero} writes 0; {@code previous} repeats the
 * last kept value before the segment (a forward fill), and a segment at the very start takes the
 * first kept value after it (a window with nothing kept becomes 0). Segment starts come from a
 * stream seeded with {@code drop_seed}; the record holds {@code rate}, {@code size}, {@code fill}
 * and {@code drop_seed}. <b>Horizon:</b> unchanged (missing readings are an input corruption).
 *
 * <pre>{@code
 * new Dropout(0.5, 0.05, 4, "previous")
 * }</pre>
 */
public record Dropout(double p, double rate, int size, String fill) implements SeriesOp {
  public static final String NAME = "dropout";

  /** The allowed {@code fill} values. */
  public static final List<String> FILLS = List.of("zero", "previous");

  public Dropout {
    Params.probability(NAME, p);
    Params.value(NAME, "rate", rate, 0, 1);
    Params.value(NAME, "size", size, 1, Integer.MAX_VALUE);
    fill(fill);
  }

  private static String fill(String fill) {
    if (!FILLS.contains(fill)) {
      throw new IllegalArgumentException(
          "dropout.fill must be one of " + FILLS + ", but was " + fill);
    }
    return fill;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(
      SplittableRandom rng, int length, int channels, int horizon) {
    SeriesParams.length(NAME, length, channels, size);
    SortedMap<String, Object> m = Params.params();
    m.put("rate", rate);
    m.put("size", (long) size);
    m.put("fill", fill);
    m.put("drop_seed", rng.nextLong());
    return m;
  }

  @Override
  public void apply(
      float[] values, float[] horizon, int channels, SortedMap<String, Object> params) {
    int t = SeriesParams.length(NAME, values, horizon, channels, 1);
    String fill = fill(Params.string(NAME, params, "fill"));
    boolean[] dropped = dropped(params, t);
    if (fill.equals("zero")) {
      for (int i = 0; i < t; i++) {
        if (dropped[i]) {
          java.util.Arrays.fill(values, i * channels, (i + 1) * channels, 0f);
        }
      }
      return;
    }
    int firstKept = 0;
    while (firstKept < t && dropped[firstKept]) {
      firstKept++;
    }
    for (int i = 0; i < t; i++) {
      if (!dropped[i]) {
        continue;
      }
      if (i < firstKept) {
        if (firstKept == t) {
          java.util.Arrays.fill(values, i * channels, (i + 1) * channels, 0f);
        } else {
          System.arraycopy(values, firstKept * channels, values, i * channels, channels);
        }
      } else {
        System.arraycopy(values, (i - 1) * channels, values, i * channels, channels);
      }
    }
  }

  /** The dropped steps of a window of {@code t} steps. */
  static boolean[] dropped(SortedMap<String, Object> params, int t) {
    double rate = Params.number(NAME, params, "rate", 0, 1);
    int size = (int) Params.integer(NAME, params, "size", 1, t);
    long seed = Params.seed(NAME, params, "drop_seed");
    boolean[] dropped = new boolean[t];
    SplittableRandom starts = new SplittableRandom(seed);
    long n = Math.round(rate * t / size);
    for (long k = 0; k < n; k++) {
      int start = starts.nextInt(t - size + 1);
      java.util.Arrays.fill(dropped, start, start + size, true);
    }
    return dropped;
  }

  /** The segment starts {@link #dropped} draws, in order (for the distribution test). */
  static int[] starts(SortedMap<String, Object> params, int t) {
    double rate = Params.number(NAME, params, "rate", 0, 1);
    int size = (int) Params.integer(NAME, params, "size", 1, t);
    SplittableRandom starts = new SplittableRandom(Params.seed(NAME, params, "drop_seed"));
    int[] out = new int[(int) Math.round(rate * t / size)];
    for (int k = 0; k < out.length; k++) {
      out[k] = starts.nextInt(t - size + 1);
    }
    return out;
  }
}
