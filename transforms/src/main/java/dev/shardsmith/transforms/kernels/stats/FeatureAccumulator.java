package dev.shardsmith.transforms.kernels.stats;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Per-column statistics of feature vectors ({@link ColumnAccumulator}s: a row header, then one per
 * numeric and one per categorical column), mergeable in any order with bitwise-identical results. A
 * numeric value is missing when it is NaN or infinite; a categorical one when it is null. {@link
 * #parts()} splits it into per-column records keyed by {@link #key column key}, so a Beam combine
 * shuffles one column at a time, and {@link #of(Map)} puts merged parts back together. Memory: per
 * numeric column at most 65,536 histogram buckets; per categorical column one entry per distinct
 * value.
 *
 * <pre>{@code
 * FeatureAccumulator a = new FeatureAccumulator();
 * a.add(new float[] {1f, Float.NaN}, new String[] {"red"});
 * FittedFeatures fit = FeatureAccumulator.of(a.parts()).fit(NormalizeSpec.DEFAULT, null);
 * }</pre>
 */
public final class FeatureAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The key of the row header in {@link #parts()}. */
  public static final int ROWS_KEY = -1;

  private ColumnAccumulator header;
  private ColumnAccumulator[] numeric = new ColumnAccumulator[0];
  private ColumnAccumulator[] categorical = new ColumnAccumulator[0];

  public static boolean isMissing(float v) {
    return ColumnAccumulator.isMissing(v);
  }

  private void init(int f, int c) {
    header = ColumnAccumulator.rows(f, c);
    numeric = new ColumnAccumulator[f];
    categorical = new ColumnAccumulator[c];
    for (int j = 0; j < f; j++) {
      numeric[j] = ColumnAccumulator.numeric();
    }
    for (int j = 0; j < c; j++) {
      categorical[j] = ColumnAccumulator.categorical();
    }
  }

  public void add(float[] x, String[] categories) {
    if (header == null) {
      init(x.length, categories.length);
    } else if (x.length != numeric.length || categories.length != categorical.length) {
      throw new IllegalArgumentException(
          "feature vectors differ in width: "
              + x.length
              + " numeric + "
              + categories.length
              + " categorical, earlier ones "
              + numeric.length
              + " + "
              + categorical.length);
    }
    header.addRow();
    for (int j = 0; j < x.length; j++) {
      numeric[j].add(x[j]);
    }
    for (int j = 0; j < categories.length; j++) {
      categorical[j].add(categories[j]);
    }
  }

  public void merge(FeatureAccumulator o) {
    if (o.header == null) {
      return;
    }
    if (header == null) {
      init(o.header.numericWidth(), o.header.categoricalWidth());
    }
    header.merge(o.header);
    for (int j = 0; j < numeric.length; j++) {
      numeric[j].merge(o.numeric[j]);
    }
    for (int j = 0; j < categorical.length; j++) {
      categorical[j].merge(o.categorical[j]);
    }
  }

  /**
   * The key of a column in {@link #parts()}: numeric column {@code j} is {@code j}, categorical
   * column {@code j} is {@code numericWidth + j}; the row header is {@link #ROWS_KEY}.
   */
  public static int key(boolean isNumeric, int j, int numericWidth) {
    return isNumeric ? j : numericWidth + j;
  }

  /** The accumulator as per-column parts (live, not copies); empty when no row was added. */
  public SortedMap<Integer, ColumnAccumulator> parts() {
    SortedMap<Integer, ColumnAccumulator> out = new TreeMap<>();
    if (header == null) {
      return out;
    }
    out.put(ROWS_KEY, header);
    for (int j = 0; j < numeric.length; j++) {
      out.put(key(true, j, numeric.length), numeric[j]);
    }
    for (int j = 0; j < categorical.length; j++) {
      out.put(key(false, j, numeric.length), categorical[j]);
    }
    return out;
  }

  /**
   * Reassembles merged {@link #parts()}: empty parts give an empty accumulator; otherwise every
   * column the header announces must be there, with its kind.
   */
  public static FeatureAccumulator of(Map<Integer, ColumnAccumulator> parts) {
    FeatureAccumulator a = new FeatureAccumulator();
    if (parts.isEmpty()) {
      return a;
    }
    ColumnAccumulator h = part(parts, ROWS_KEY, ColumnAccumulator.Kind.ROWS);
    int f = h.numericWidth();
    int c = h.categoricalWidth();
    if (parts.size() != 1 + f + c) {
      throw new IllegalStateException(
          "expected the row header and " + (f + c) + " column parts, got keys " + parts.keySet());
    }
    a.header = h;
    a.numeric = new ColumnAccumulator[f];
    a.categorical = new ColumnAccumulator[c];
    for (int j = 0; j < f; j++) {
      a.numeric[j] = part(parts, key(true, j, f), ColumnAccumulator.Kind.NUMERIC);
    }
    for (int j = 0; j < c; j++) {
      a.categorical[j] = part(parts, key(false, j, f), ColumnAccumulator.Kind.CATEGORICAL);
    }
    return a;
  }

  private static ColumnAccumulator part(
      Map<Integer, ColumnAccumulator> parts, int key, ColumnAccumulator.Kind kind) {
    ColumnAccumulator p = parts.get(key);
    if (p == null || p.kind() != kind) {
      throw new IllegalStateException(
          "column part " + key + " should be " + kind + ", got " + (p == null ? "none" : p.kind()));
    }
    return p;
  }

  public long rows() {
    return header == null ? 0 : header.rows();
  }

  public int numericWidth() {
    return numeric.length;
  }

  /** The second-pass counters for exact medians, one per numeric column. */
  public Float32Histogram.ExactMedian[] exactMedianCounters() {
    Float32Histogram.ExactMedian[] out = new Float32Histogram.ExactMedian[numeric.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = numeric[j].histogram().exactCounter();
    }
    return out;
  }

  /**
   * The fitted per-column values. A column with no observed value gets mean, std, min, max and
   * median 0 (and is scaled to 0); {@code exactMedians}, when given, replace the histogram medians.
   */
  public FittedFeatures fit(NormalizeSpec spec, double[] exactMedians) {
    long rows = rows();
    int f = numeric.length;
    int c = categorical.length;
    FittedFeatures.Column[] cols = new FittedFeatures.Column[f];
    for (int j = 0; j < f; j++) {
      ColumnAccumulator col = numeric[j];
      long n = col.rows() - col.missing();
      double mean = 0;
      double std = 0;
      double lo = 0;
      double hi = 0;
      double median = 0;
      boolean medianExact = true;
      if (n > 0) {
        BigInteger s1 = col.sum().scaled();
        BigInteger s2 = col.sumSq().scaled();
        BigInteger bn = BigInteger.valueOf(n);
        mean = ExactSum.ratio(s1, ExactSum.BASE_EXP, bn);
        // n * S2 - S1^2, exactly, over n^2: the population variance, rounded once.
        BigInteger num = bn.multiply(s2).shiftLeft(-ExactSum.BASE_EXP).subtract(s1.multiply(s1));
        std =
            Math.sqrt(
                ExactSum.ratio(num.max(BigInteger.ZERO), 2 * ExactSum.BASE_EXP, bn.multiply(bn)));
        lo = col.min();
        hi = col.max();
        if (exactMedians != null) {
          median = exactMedians[j];
        } else {
          median = col.histogram().median();
          medianExact = col.histogram().medianIsExact();
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
              n, col.missing(), mean, std, lo, hi, median, medianExact, imputeValue, center, scale);
    }
    FittedFeatures.Category[] cats = new FittedFeatures.Category[c];
    for (int j = 0; j < c; j++) {
      String best = null;
      long bestN = 0;
      Map<String, Long> counts = categorical[j].categories();
      for (Map.Entry<String, Long> e : counts.entrySet()) {
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
          new FittedFeatures.Category(categorical[j].missing(), counts.size(), best, bestN, impute);
    }
    return new FittedFeatures(spec, rows, cols, cats, null);
  }
}
