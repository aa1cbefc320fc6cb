package dev.shardsmith.transforms.kernels.stats;

import java.io.Serializable;
import java.util.List;

/**
 * What the {@code normalize} stage fits and applies, as plain values (the config parses into this).
 *
 * @param impute numeric imputation: {@code mean}, {@code median}, {@code constant} or {@code
 *     forward_fill} (previous observed value of the column in sample-id order within the sample's
 *     group; the fitted mean when there is none)
 * @param fillValue the value for {@code impute: constant}
 * @param categoricalImpute {@code most_frequent} (ties broken by the smallest value) or {@code
 *     constant}
 * @param categoricalFill the value for {@code categorical_impute: constant}
 * @param scale {@code zscore}, {@code minmax} or {@code none}
 * @param exactMedian whether medians take a second pass to be exact
 * @param maxMissing a sample with more than this fraction of its features missing is filtered
 * @param pcaComponents PCA output dimensions, or 0
 * @param pcaVariance keep the fewest components explaining at least this variance fraction, or 0
 * @param imageApply whether image channel statistics are applied (they are always recorded)
 */
public record NormalizeSpec(
    String impute,
    double fillValue,
    String categoricalImpute,
    String categoricalFill,
    String scale,
    boolean exactMedian,
    double maxMissing,
    int pcaComponents,
    double pcaVariance,
    boolean imageApply)
    implements Serializable {

  public static final List<String> IMPUTE = List.of("mean", "median", "constant", "forward_fill");
  public static final List<String> CATEGORICAL_IMPUTE = List.of("most_frequent", "constant");
  public static final List<String> SCALE = List.of("zscore", "minmax", "none");

  /** Defaults: mean / most-frequent imputation, no scaling, approximate medians, no filter. */
  public static final NormalizeSpec DEFAULT =
      new NormalizeSpec("mean", 0.0, "most_frequent", "missing", "none", false, 1.0, 0, 0.0, false);

  public NormalizeSpec {
    check(IMPUTE.contains(impute), "impute", impute, IMPUTE);
    check(
        CATEGORICAL_IMPUTE.contains(categoricalImpute),
        "categorical_impute",
        categoricalImpute,
        CATEGORICAL_IMPUTE);
    check(SCALE.contains(scale), "scale", scale, SCALE);
    if (!Double.isFinite(fillValue)) {
      throw new IllegalArgumentException("fill_value must be finite, was " + fillValue);
    }
    if (!(maxMissing >= 0 && maxMissing <= 1)) {
      throw new IllegalArgumentException("max_missing must be in [0, 1], was " + maxMissing);
    }
    if (pcaComponents < 0
        || !(pcaVariance >= 0 && pcaVariance <= 1)
        || (pcaComponents > 0 && pcaVariance > 0)) {
      throw new IllegalArgumentException(
          "pca: give components > 0 or a variance in (0, 1], not both; was "
              + pcaComponents
              + ", "
              + pcaVariance);
    }
  }

  private static void check(boolean ok, String key, String value, List<String> allowed) {
    if (!ok) {
      throw new IllegalArgumentException(key + " = " + value + ": use one of " + allowed);
    }
  }

  public boolean pca() {
    return pcaComponents > 0 || pcaVariance > 0;
  }

  public NormalizeSpec withScale(String s) {
    return new NormalizeSpec(
        impute,
        fillValue,
        categoricalImpute,
        categoricalFill,
        s,
        exactMedian,
        maxMissing,
        pcaComponents,
        pcaVariance,
        imageApply);
  }

  public NormalizeSpec withImpute(String i, double fill) {
    return new NormalizeSpec(
        i,
        fill,
        categoricalImpute,
        categoricalFill,
        scale,
        exactMedian,
        maxMissing,
        pcaComponents,
        pcaVariance,
        imageApply);
  }

  public NormalizeSpec withExactMedian(boolean exact) {
    return new NormalizeSpec(
        impute,
        fillValue,
        categoricalImpute,
        categoricalFill,
        scale,
        exact,
        maxMissing,
        pcaComponents,
        pcaVariance,
        imageApply);
  }

  public NormalizeSpec withMaxMissing(double m) {
    return new NormalizeSpec(
        impute,
        fillValue,
        categoricalImpute,
        categoricalFill,
        scale,
        exactMedian,
        m,
        pcaComponents,
        pcaVariance,
        imageApply);
  }

  public NormalizeSpec withPca(int components, double variance) {
    return new NormalizeSpec(
        impute,
        fillValue,
        categoricalImpute,
        categoricalFill,
        scale,
        exactMedian,
        maxMissing,
        components,
        variance,
        imageApply);
  }

  public NormalizeSpec withCategorical(String how, String fill) {
    return new NormalizeSpec(
        impute,
        fillValue,
        how,
        fill,
        scale,
        exactMedian,
        maxMissing,
        pcaComponents,
        pcaVariance,
        imageApply);
  }
}
