package dev.shardsmith.transforms.kernels.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Statistics fitted on the train split and the transform they define, applied to one feature vector
 * of any split: impute missing values (NaN/Inf numeric, null categorical), scale each numeric
 * column ({@code (x - center) / scale}; a column with scale 0, a constant one, becomes 0), then
 * optionally project onto the PCA components. Outputs are float32 and always finite: a value beyond
 * the float32 range after scaling (an extreme val/test outlier) saturates at {@code
 * +-Float.MAX_VALUE}.
 */
public final class FittedFeatures implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One numeric column: fitted on its observed (non-missing) train values. */
  public record Column(
      long count,
      long missing,
      double mean,
      double std,
      double min,
      double max,
      double median,
      boolean medianExact,
      double imputeValue,
      double center,
      double scale)
      implements Serializable {}

  /** One categorical column: missing count, distinct values, the most frequent and its count. */
  public record Category(
      long missing, int distinct, String mostFrequent, long mostFrequentCount, String imputeValue)
      implements Serializable {}

  private final NormalizeSpec spec;
  private final long rows;
  private final Column[] columns;
  private final Category[] categories;
  private final Pca pca;

  public FittedFeatures(
      NormalizeSpec spec, long rows, Column[] columns, Category[] categories, Pca pca) {
    this.spec = spec;
    this.rows = rows;
    this.columns = columns;
    this.categories = categories;
    this.pca = pca;
  }

  public FittedFeatures withPca(Pca p) {
    return new FittedFeatures(spec, rows, columns, categories, p);
  }

  public NormalizeSpec spec() {
    return spec;
  }

  public long rows() {
    return rows;
  }

  public Column column(int j) {
    return columns[j];
  }

  public int numericWidth() {
    return columns.length;
  }

  public Category category(int j) {
    return categories[j];
  }

  public Pca pca() {
    return pca;
  }

  /** Imputes and scales, without PCA; {@code previous[j]}, when not NaN, fills column j first. */
  public float[] scale(float[] numeric, float[] previous) {
    if (rows == 0) {
      throw new IllegalStateException(
          "normalize: the statistics were fitted on 0 train samples (split.train is 0, or"
              + " quality.max_missing filtered every train sample), so there is nothing to impute"
              + " or scale val/test rows with: raise split.train, or raise quality.max_missing");
    }
    if (numeric.length != columns.length) {
      throw new IllegalArgumentException(
          "expected " + columns.length + " numeric features, got " + numeric.length);
    }
    float[] out = new float[numeric.length];
    for (int j = 0; j < numeric.length; j++) {
      Column c = columns[j];
      double v = numeric[j];
      if (FeatureAccumulator.isMissing(numeric[j])) {
        v = previous != null && !Float.isNaN(previous[j]) ? previous[j] : c.imputeValue();
      }
      double s = c.scale() == 0 ? 0.0 : (v - c.center()) / c.scale();
      out[j] = saturate(s);
    }
    return out;
  }

  /** The categorical values with missing ones imputed. */
  public String[] impute(String[] categorical) {
    if (categorical.length != categories.length) {
      throw new IllegalArgumentException(
          "expected " + categories.length + " categorical features, got " + categorical.length);
    }
    String[] out = categorical.clone();
    for (int j = 0; j < out.length; j++) {
      if (out[j] == null) {
        out[j] = categories[j].imputeValue();
      }
    }
    return out;
  }

  /** The full numeric transform: impute, scale, then PCA when fitted. */
  public float[] apply(float[] numeric, float[] previous) {
    float[] scaled = scale(numeric, previous);
    return pca == null ? scaled : pca.project(scaled);
  }

  static float saturate(double s) {
    if (s > Float.MAX_VALUE) {
      return Float.MAX_VALUE;
    }
    if (s < -Float.MAX_VALUE) {
      return -Float.MAX_VALUE;
    }
    return (float) s;
  }

  /** The manifest's view: every fitted value per column, and the PCA when fitted. */
  public Map<String, Object> toManifest() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("impute", spec.impute());
    if ("constant".equals(spec.impute())) {
      m.put("fill_value", spec.fillValue());
    }
    m.put("categorical_impute", spec.categoricalImpute());
    m.put("scale", spec.scale());
    m.put("median", spec.exactMedian() ? "exact" : "approximate");
    m.put("train_rows", rows);
    List<Map<String, Object>> cols = new ArrayList<>();
    for (int j = 0; j < columns.length; j++) {
      Column c = columns[j];
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("index", j);
      x.put("count", c.count());
      x.put("missing", c.missing());
      x.put("mean", c.mean());
      x.put("std", c.std());
      x.put("min", c.min());
      x.put("max", c.max());
      x.put("median", c.median());
      x.put("median_exact", c.medianExact());
      x.put("impute_value", c.imputeValue());
      x.put("center", c.center());
      x.put("scale", c.scale());
      cols.add(x);
    }
    m.put("numeric", cols);
    List<Map<String, Object>> cats = new ArrayList<>();
    for (int j = 0; j < categories.length; j++) {
      Category c = categories[j];
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("index", j);
      x.put("missing", c.missing());
      x.put("distinct", c.distinct());
      x.put("most_frequent", c.mostFrequent());
      x.put("most_frequent_count", c.mostFrequentCount());
      x.put("impute_value", c.imputeValue());
      cats.add(x);
    }
    m.put("categorical", cats);
    if (pca != null) {
      m.put("pca", pca.toManifest());
    }
    return m;
  }
}
