package dev.shardsmith.transforms.kernels.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-column statistics of feature vectors, mergeable in any order with bitwise-identical results:
 * per numeric column the observed count, missing count, exact sum and sum of squares, min, max and
 * a {@link Float32Histogram}; per categorical column the missing count and value counts. A numeric
 * value is missing when it is NaN or infinite; a categorical one when it is null. Memory: per
 * numeric column at most 65,536 histogram buckets; per categorical column one entry per distinct
 * value.
 */
public final class FeatureAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  private int numericWidth = -1;
  private int categoricalWidth = -1;
  private long rows;
  private long[] missing;
  private ExactSum[] sum;
  private ExactSum[] sumSq;
  private float[] min;
  private float[] max;
  private Float32Histogram[] hist;
  private long[] categoricalMissing;
  private Map<String, Long>[] categories;

  public static boolean isMissing(float v) {
    return !Float.isFinite(v);
  }

  private void init(int f, int c) {
    initArrays(f, c);
    for (int j = 0; j < f; j++) {
      sum[j] = new ExactSum();
      sumSq[j] = new ExactSum();
      min[j] = Float.POSITIVE_INFINITY;
      max[j] = Float.NEGATIVE_INFINITY;
      hist[j] = new Float32Histogram();
    }
  }

  /** The arrays, with empty category maps; the numeric columns' sums and histograms unset. */
  @SuppressWarnings("unchecked")
  private void initArrays(int f, int c) {
    numericWidth = f;
    categoricalWidth = c;
    missing = new long[f];
    sum = new ExactSum[f];
    sumSq = new ExactSum[f];
    min = new float[f];
    max = new float[f];
    hist = new Float32Histogram[f];
    categoricalMissing = new long[c];
    categories = new Map[c];
    for (int j = 0; j < c; j++) {
      categories[j] = new HashMap<>();
    }
  }

  private void checkWidth(int f, int c) {
    if (numericWidth < 0) {
      init(f, c);
    } else if (f != numericWidth || c != categoricalWidth) {
      throw new IllegalArgumentException(
          "feature vectors differ in width: "
              + f
              + " numeric + "
              + c
              + " categorical, earlier ones "
              + numericWidth
              + " + "
              + categoricalWidth);
    }
  }

  public void add(float[] numeric, String[] categorical) {
    checkWidth(numeric.length, categorical.length);
    rows++;
    for (int j = 0; j < numeric.length; j++) {
      float v = numeric[j];
      if (isMissing(v)) {
        missing[j]++;
        continue;
      }
      sum[j].add(v);
      // A float32 square is exact in double (48 significant bits).
      sumSq[j].add((double) v * v);
      min[j] = Math.min(min[j], v);
      max[j] = Math.max(max[j], v);
      hist[j].add(v);
    }
    for (int j = 0; j < categorical.length; j++) {
      if (categorical[j] == null) {
        categoricalMissing[j]++;
      } else {
        categories[j].merge(categorical[j], 1L, Long::sum);
      }
    }
  }

  public void merge(FeatureAccumulator o) {
    if (o.numericWidth < 0) {
      return;
    }
    checkWidth(o.numericWidth, o.categoricalWidth);
    rows += o.rows;
    for (int j = 0; j < numericWidth; j++) {
      missing[j] += o.missing[j];
      sum[j].merge(o.sum[j]);
      sumSq[j].merge(o.sumSq[j]);
      min[j] = Math.min(min[j], o.min[j]);
      max[j] = Math.max(max[j], o.max[j]);
      hist[j].merge(o.hist[j]);
    }
    for (int j = 0; j < categoricalWidth; j++) {
      categoricalMissing[j] += o.categoricalMissing[j];
      Map<String, Long> mine = categories[j];
      o.categories[j].forEach((k, n) -> mine.merge(k, n, Long::sum));
    }
  }

  /**
   * Writes the exact state compactly (sparse exact sums, used histogram buckets, categories sorted
   * by value), for a coder: a Beam combine may encode and copy many small accumulators, and Java
   * serialization of 68-word sums per column made that the run's main cost. {@link #readFrom}
   * restores the same state.
   */
  public void writeTo(DataOutput out) throws IOException {
    out.writeInt(numericWidth);
    out.writeInt(categoricalWidth);
    out.writeLong(rows);
    for (int j = 0; j < numericWidth; j++) {
      out.writeLong(missing[j]);
      sum[j].writeTo(out);
      sumSq[j].writeTo(out);
      out.writeFloat(min[j]);
      out.writeFloat(max[j]);
      hist[j].writeTo(out);
    }
    for (int j = 0; j < categoricalWidth; j++) {
      out.writeLong(categoricalMissing[j]);
      Map<String, Long> sorted = new TreeMap<>(categories[j]);
      out.writeInt(sorted.size());
      for (Map.Entry<String, Long> e : sorted.entrySet()) {
        byte[] b = e.getKey().getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
        out.writeLong(e.getValue());
      }
    }
  }

  /** Reads what {@link #writeTo} wrote. */
  public static FeatureAccumulator readFrom(DataInput in) throws IOException {
    FeatureAccumulator a = new FeatureAccumulator();
    int f = in.readInt();
    int c = in.readInt();
    a.rows = in.readLong();
    if (f < 0) {
      return a;
    }
    if (c < 0) {
      throw new IOException(
          "bad FeatureAccumulator widths: " + f + " numeric, " + c + " categorical");
    }
    a.initArrays(f, c);
    for (int j = 0; j < f; j++) {
      a.missing[j] = in.readLong();
      a.sum[j] = ExactSum.readFrom(in);
      a.sumSq[j] = ExactSum.readFrom(in);
      a.min[j] = in.readFloat();
      a.max[j] = in.readFloat();
      a.hist[j] = Float32Histogram.readFrom(in);
    }
    for (int j = 0; j < c; j++) {
      a.categoricalMissing[j] = in.readLong();
      int n = in.readInt();
      for (int k = 0; k < n; k++) {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        String key = new String(b, StandardCharsets.UTF_8);
        a.categories[j].put(key, in.readLong());
      }
    }
    return a;
  }

  public long rows() {
    return rows;
  }

  public int numericWidth() {
    return Math.max(numericWidth, 0);
  }

  /** The second-pass counters for exact medians, one per numeric column. */
  public Float32Histogram.ExactMedian[] exactMedianCounters() {
    Float32Histogram.ExactMedian[] out = new Float32Histogram.ExactMedian[numericWidth()];
    for (int j = 0; j < out.length; j++) {
      out[j] = hist[j].exactCounter();
    }
    return out;
  }

  /**
   * The fitted per-column values. A column with no observed value gets mean, std, min, max and
   * median 0 (and is scaled to 0); {@code exactMedians}, when given, replace the histogram medians.
   */
  public FittedFeatures fit(NormalizeSpec spec, double[] exactMedians) {
    int f = numericWidth();
    int c = Math.max(categoricalWidth, 0);
    FittedFeatures.Column[] cols = new FittedFeatures.Column[f];
    for (int j = 0; j < f; j++) {
      long n = rows - missing[j];
      double mean = 0;
      double std = 0;
      double lo = 0;
      double hi = 0;
      double median = 0;
      boolean medianExact = true;
      if (n > 0) {
        BigInteger s1 = sum[j].scaled();
        BigInteger s2 = sumSq[j].scaled();
        BigInteger bn = BigInteger.valueOf(n);
        mean = ExactSum.ratio(s1, ExactSum.BASE_EXP, bn);
        // n * S2 - S1^2, exactly, over n^2: the population variance, rounded once.
        BigInteger num = bn.multiply(s2).shiftLeft(-ExactSum.BASE_EXP).subtract(s1.multiply(s1));
        std =
            Math.sqrt(
                ExactSum.ratio(num.max(BigInteger.ZERO), 2 * ExactSum.BASE_EXP, bn.multiply(bn)));
        lo = min[j];
        hi = max[j];
        if (exactMedians != null) {
          median = exactMedians[j];
        } else {
          median = hist[j].median();
          medianExact = hist[j].medianIsExact();
        }
      }
      double imputeValue =
          switch (spec.impute()) {
            case "median" -> median;
            case "constant" -> spec.fillValue();
            default -> mean; // mean, and forward_fill's fallback
          };
      double center;
      double scale;
      switch (spec.scale()) {
        case "zscore" -> {
          center = mean;
          scale = std;
        }
        case "minmax" -> {
          center = lo;
          scale = hi - lo;
        }
        default -> {
          center = 0;
          scale = 1;
        }
      }
      cols[j] =
          new FittedFeatures.Column(
              n, missing[j], mean, std, lo, hi, median, medianExact, imputeValue, center, scale);
    }
    FittedFeatures.Category[] cats = new FittedFeatures.Category[c];
    for (int j = 0; j < c; j++) {
      String best = null;
      long bestN = 0;
      for (Map.Entry<String, Long> e : categories[j].entrySet()) {
        long n = e.getValue();
        if (n > bestN || (n == bestN && e.getKey().compareTo(best) < 0)) {
          best = e.getKey();
          bestN = n;
        }
      }
      String impute =
          "constant".equals(spec.categoricalImpute()) || best == null
              ? spec.categoricalFill()
              : best;
      cats[j] =
          new FittedFeatures.Category(
              categoricalMissing[j], categories[j].size(), best, bestN, impute);
    }
    return new FittedFeatures(spec, rows, cols, cats, null);
  }
}
