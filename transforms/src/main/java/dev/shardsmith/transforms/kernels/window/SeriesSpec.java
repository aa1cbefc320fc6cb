package dev.shardsmith.transforms.kernels.window;

import java.io.Serializable;
import java.util.List;

/**
 * How a series input becomes windows.
 *
 * <ul>
 *   <li>{@code form}: {@link Form#LONG} (one row per time step: {@code seriesColumn}, {@code
 *       timeColumn}, the {@code channels}, {@code labelColumn}) or {@link Form#WIDE} (one row per
 *       series: {@code seriesColumn}, {@code labelColumn}, and the {@code channels} list the
 *       time-step columns in time order; one channel).
 *   <li>{@code length} T, {@code stride} and {@code horizon} H (0 = none): a window covers steps
 *       {@code [s, s+T)} and its horizon {@code [s+T, s+T+H)}, for {@code s = 0, stride, ...} while
 *       {@code s+T+H <= n}.
 *   <li>{@code labelFrom}: {@link LabelFrom#SERIES} (the label of the series' first step; every
 *       window of a series has it) or {@link LabelFrom#LAST} (the label at the window's last step).
 *   <li>{@code missing}: how NaN (missing or infinite cells) is handled, {@code constant} its fill
 *       value for {@link Missing#CONSTANT}.
 *   <li>{@code timeSplit}: null, or train/val/test fractions and a gap for {@code split.mode:
 *       time}.
 * </ul>
 */
public record SeriesSpec(
    Form form,
    String seriesColumn,
    String timeColumn,
    List<String> channels,
    String labelColumn,
    int length,
    int stride,
    int horizon,
    LabelFrom labelFrom,
    Missing missing,
    float constant,
    TimeSplit timeSplit)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public enum Form {
    LONG,
    WIDE
  }

  public enum LabelFrom {
    SERIES,
    LAST
  }

  /** Missing-value handling inside a window (and its horizon). */
  public enum Missing {
    /** The window is filtered ({@code samples.filtered.missing}). */
    FILTER,
    /** The last earlier value of the window; leading gaps take the first value. */
    FORWARD_FILL,
    /** Linear between the nearest values before and after; the ends take the nearest value. */
    LINEAR,
    /** The channel's mean over the window's (and horizon's) present values. */
    MEAN,
    /** {@code constant}. */
    CONSTANT
  }

  /**
   * Time split: each series' steps {@code [0, n)} are cut at {@code b1 = floor(n * train)} and
   * {@code b2 = floor(n * (train + val))}; a window (with its horizon) lies in train when it ends
   * at or before {@code b1}, in val when it starts at or after {@code b1 + gap} and ends at or
   * before {@code b2}, in test when it starts at or after {@code b2 + gap}; any other window is
   * filtered ({@code time_gap}). So a train window and a val or test window are at least {@code
   * gap} steps apart, and {@code gap >= length + horizon}.
   */
  public record TimeSplit(double train, double val, double test, int gap) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  public SeriesSpec {
    channels = List.copyOf(channels);
    if (length < 1 || stride < 1 || horizon < 0) {
      throw new IllegalArgumentException("length and stride must be >= 1, horizon >= 0");
    }
    if (timeSplit != null && timeSplit.gap() < length + horizon) {
      throw new IllegalArgumentException(
          "the time-split gap " + timeSplit.gap() + " is below length + horizon");
    }
  }

  /** Values per step: the channel count ({@code 1} in wide form). */
  public int channelCount() {
    return form == Form.WIDE ? 1 : channels.size();
  }
}
