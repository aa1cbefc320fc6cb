package dev.shardsmith.transforms.kernels.window;

import dev.shardsmith.schemas.Split;

/**
 * Cuts one series, its steps already in time order, into windows ({@link SeriesSpec}): imputes or
 * filters missing values inside each window and its horizon (never from outside it, so no window
 * sees values beyond its own range), and with a time split assigns each window its split or filters
 * it ({@code time_gap}). No NaN or infinite value leaves this class.
 *
 * <pre>{@code
 * SeriesWindows.cut(steps, labels, spec, visitor);
 * }</pre>
 */
public final class SeriesWindows {
  private SeriesWindows() {}

  /** Receives each window of a series, or the reason it was filtered. */
  public interface Visitor {
    /**
     * A window starting at step {@code start}: {@code values} T x C and {@code horizon} H x C,
     * row-major, every value finite; {@code split} null unless the spec has a time split.
     */
    void window(int start, float[] values, float[] horizon, String label, Split split);

    /** A window filtered: {@code missing} or {@code time_gap}. */
    void filtered(int start, String reason, String detail);
  }

  /**
   * Cuts {@code steps} (n x C, NaN where missing) with the step labels {@code labels} (length n).
   */
  public static void cut(float[][] steps, String[] labels, SeriesSpec spec, Visitor visitor) {
    int n = steps.length;
    int t = spec.length();
    int h = spec.horizon();
    int c = spec.channelCount();
    SeriesSpec.TimeSplit ts = spec.timeSplit();
    long b1 = ts == null ? 0 : (long) Math.floor(n * ts.train());
    long b2 = ts == null ? 0 : (long) Math.floor(n * (ts.train() + ts.val()));
    for (int s = 0; (long) s + t + h <= n; s += spec.stride()) {
      long end = (long) s + t + h;
      Split split = null;
      if (ts != null) {
        if (end <= b1) {
          split = Split.TRAIN;
        } else if (s >= b1 + ts.gap() && end <= b2) {
          split = Split.VAL;
        } else if (s >= b2 + ts.gap()) {
          split = Split.TEST;
        } else {
          visitor.filtered(
              s,
              "time_gap",
              "steps ["
                  + s
                  + ", "
                  + end
                  + ") straddle a split boundary (train ends at "
                  + b1
                  + ", val at "
                  + b2
                  + ", gap "
                  + ts.gap()
                  + ")");
          continue;
        }
      }
      int w = t + h;
      float[] all = new float[w * c];
      for (int i = 0; i < w; i++) {
        System.arraycopy(steps[s + i], 0, all, i * c, c);
      }
      String problem = impute(all, w, c, spec);
      if (problem != null) {
        visitor.filtered(s, "missing", problem);
        continue;
      }
      float[] values = new float[t * c];
      float[] horizon = new float[h * c];
      System.arraycopy(all, 0, values, 0, t * c);
      System.arraycopy(all, t * c, horizon, 0, h * c);
      String label =
          spec.labelFrom() == SeriesSpec.LabelFrom.SERIES ? labels[0] : labels[s + t - 1];
      visitor.window(s, values, horizon, label, split);
    }
  }

  /**
   * Fills the NaNs of {@code x} (w steps x c channels) in place; returns null, or why the window
   * must be filtered.
   */
  static String impute(float[] x, int w, int c, SeriesSpec spec) {
    int missing = 0;
    for (float v : x) {
      if (Float.isNaN(v)) {
        missing++;
      }
    }
    if (missing == 0) {
      return null;
    }
    SeriesSpec.Missing m = spec.missing();
    if (m == SeriesSpec.Missing.FILTER) {
      return missing + " missing value(s) and input.missing = filter";
    }
    for (int ch = 0; ch < c; ch++) {
      if (m == SeriesSpec.Missing.CONSTANT) {
        for (int i = 0; i < w; i++) {
          if (Float.isNaN(x[i * c + ch])) {
            x[i * c + ch] = spec.constant();
          }
        }
        continue;
      }
      int first = -1;
      double sum = 0;
      int present = 0;
      for (int i = 0; i < w; i++) {
        float v = x[i * c + ch];
        if (!Float.isNaN(v)) {
          first = first < 0 ? i : first;
          sum += v;
          present++;
        }
      }
      if (present == 0) {
        return "channel " + ch + " has no value in the window, nothing to impute from";
      }
      float mean = (float) (sum / present);
      int last = -1; // the last present step before i
      for (int i = 0; i < w; i++) {
        float v = x[i * c + ch];
        if (!Float.isNaN(v)) {
          last = i;
          continue;
        }
        if (m == SeriesSpec.Missing.MEAN) {
          x[i * c + ch] = mean;
        } else if (last < 0) {
          x[i * c + ch] = x[first * c + ch];
        } else if (m == SeriesSpec.Missing.FORWARD_FILL) {
          x[i * c + ch] = x[last * c + ch];
        } else {
          int next = i + 1;
          while (next < w && Float.isNaN(x[next * c + ch])) {
            next++;
          }
          float a = x[last * c + ch];
          if (next == w) {
            x[i * c + ch] = a;
          } else {
            float b = x[next * c + ch];
            x[i * c + ch] = (float) (a + (b - a) * (double) (i - last) / (next - last));
          }
        }
      }
    }
    return null;
  }
}
