package dev.shardsmith.transforms.kernels.stats;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-channel statistics of 8-bit interleaved pixels: integer sums of values and of their squares,
 * so the result is exact and independent of order. Mean and population std are computed from the
 * exact integers and rounded once. A long holds the sums of 2^47 pixels per channel.
 */
public final class ChannelAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  private int channels = -1;
  private long pixels;
  private long images;
  private long[] sum;
  private long[] sumSq;

  /** Adds {@code height x width x channels} interleaved uint8 pixels. */
  public void add(byte[] pixelBytes, int channelCount) {
    if (channels < 0) {
      channels = channelCount;
      sum = new long[channels];
      sumSq = new long[channels];
    } else if (channelCount != channels) {
      throw new IllegalArgumentException(
          "images differ in channels: " + channelCount + ", earlier " + channels);
    }
    if (pixelBytes.length % channels != 0) {
      throw new IllegalArgumentException(
          pixelBytes.length + " bytes is not a multiple of " + channels + " channels");
    }
    long[] s = new long[channels];
    long[] q = new long[channels];
    for (int i = 0; i < pixelBytes.length; i += channels) {
      for (int c = 0; c < channels; c++) {
        int v = pixelBytes[i + c] & 0xFF;
        s[c] += v;
        q[c] += v * v;
      }
    }
    for (int c = 0; c < channels; c++) {
      sum[c] += s[c];
      sumSq[c] += q[c];
    }
    pixels += pixelBytes.length / channels;
    images++;
  }

  public void merge(ChannelAccumulator o) {
    if (o.channels < 0) {
      return;
    }
    if (channels < 0) {
      channels = o.channels;
      sum = new long[channels];
      sumSq = new long[channels];
    } else if (o.channels != channels) {
      throw new IllegalArgumentException(
          "images differ in channels: " + o.channels + ", earlier " + channels);
    }
    for (int c = 0; c < channels; c++) {
      sum[c] += o.sum[c];
      sumSq[c] += o.sumSq[c];
    }
    pixels += o.pixels;
    images += o.images;
  }

  public int channels() {
    return Math.max(channels, 0);
  }

  public long pixels() {
    return pixels;
  }

  public long images() {
    return images;
  }

  public long sum(int c) {
    return sum[c];
  }

  public long sumOfSquares(int c) {
    return sumSq[c];
  }

  public double mean(int c) {
    return pixels == 0
        ? 0
        : ExactSum.ratio(BigInteger.valueOf(sum[c]), 0, BigInteger.valueOf(pixels));
  }

  /** Population std: sqrt((n * sum(x^2) - sum(x)^2) / n^2), the inner ratio exact. */
  public double std(int c) {
    if (pixels == 0) {
      return 0;
    }
    BigInteger n = BigInteger.valueOf(pixels);
    BigInteger s = BigInteger.valueOf(sum[c]);
    BigInteger num = n.multiply(BigInteger.valueOf(sumSq[c])).subtract(s.multiply(s));
    return Math.sqrt(ExactSum.ratio(num, 0, n.multiply(n)));
  }

  /**
   * Interleaved uint8 pixels normalised with these statistics: {@code (x - mean[c]) / std[c]} per
   * channel, computed in double and rounded to float32 (0 where a channel's std is 0). For a writer
   * of float32 image shards; this version writes uint8 shards only.
   */
  public float[] normalize(byte[] pixelBytes) {
    int ch = channels();
    double[] mean = new double[ch];
    double[] std = new double[ch];
    for (int c = 0; c < ch; c++) {
      mean[c] = mean(c);
      std[c] = std(c);
    }
    float[] out = new float[pixelBytes.length];
    for (int i = 0; i < out.length; i++) {
      int c = i % ch;
      out[i] = std[c] == 0 ? 0f : (float) (((pixelBytes[i] & 0xFF) - mean[c]) / std[c]);
    }
    return out;
  }

  /** Manifest view: per-channel mean and std on the 0..255 scale, plus the exact integers. */
  public Map<String, Object> toManifest() {
    Map<String, Object> m = new LinkedHashMap<>();
    int ch = channels();
    double[] means = new double[ch];
    double[] stds = new double[ch];
    long[] sums = new long[ch];
    long[] squares = new long[ch];
    for (int c = 0; c < ch; c++) {
      means[c] = mean(c);
      stds[c] = std(c);
      sums[c] = sum[c];
      squares[c] = sumSq[c];
    }
    m.put("fitted_on", "train originals after preprocess");
    m.put("images", images);
    m.put("pixels_per_channel", pixels);
    m.put("mean", means);
    m.put("std", stds);
    m.put("sum", sums);
    m.put("sum_of_squares", squares);
    return m;
  }
}
