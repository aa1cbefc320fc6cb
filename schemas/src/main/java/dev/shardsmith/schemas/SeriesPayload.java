package dev.shardsmith.schemas;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Objects;

/**
 * A window of a time series: {@code length x channels} float32 values, row-major (time first), and
 * an optional forecast horizon of {@code horizonLength x channels}. {@code start} is the window's
 * offset in its series.
 */
public final class SeriesPayload implements Payload {
  private final String seriesId;
  private final long start;
  private final int length;
  private final int channels;
  private final float[] values;
  private final float[] horizon;

  public SeriesPayload(
      String seriesId, long start, int length, int channels, float[] values, float[] horizon) {
    this.seriesId = requireNonNull(seriesId, "seriesId");
    this.start = start;
    this.length = length;
    this.channels = channels;
    this.values = requireNonNull(values, "values");
    this.horizon = horizon == null ? new float[0] : horizon;
    if ((long) length * channels != values.length || this.horizon.length % channels != 0) {
      throw new IllegalArgumentException("values must be length x channels, horizon h x channels");
    }
  }

  public String seriesId() {
    return seriesId;
  }

  public long start() {
    return start;
  }

  public int length() {
    return length;
  }

  public int channels() {
    return channels;
  }

  public float[] values() {
    return values;
  }

  public float[] horizon() {
    return horizon;
  }

  @Override
  public Modality modality() {
    return Modality.SERIES;
  }

  @Override
  public long payloadBytes() {
    return 4L * (values.length + horizon.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeriesPayload p
        && seriesId.equals(p.seriesId)
        && start == p.start
        && length == p.length
        && channels == p.channels
        && Arrays.equals(values, p.values)
        && Arrays.equals(horizon, p.horizon);
  }

  @Override
  public int hashCode() {
    return Objects.hash(seriesId, start, Arrays.hashCode(values));
  }
}
