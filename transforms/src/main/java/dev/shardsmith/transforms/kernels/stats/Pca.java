package dev.shardsmith.transforms.kernels.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.math.la.DenseMatrix;

/**
 * Principal components of a covariance matrix, from Tribuo's symmetric eigendecomposition.
 * Deterministic: components are ordered by eigenvalue (descending, ties by index) and each is
 * sign-normalised so that its largest-magnitude entry (the first such, on ties) is positive. {@link
 * #project} centres by the fitted mean and returns float32 scores.
 */
public final class Pca implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] mean;
  private final double[][] components;
  private final double[] explainedVariance;
  private final double[] explainedVarianceRatio;
  private final double totalVariance;

  private Pca(double[] mean, double[][] components, double[] ev, double[] ratio, double total) {
    this.mean = mean;
    this.components = components;
    this.explainedVariance = ev;
    this.explainedVarianceRatio = ratio;
    this.totalVariance = total;
  }

  /**
   * Fits from a covariance: keeps {@code components} components, or (when that is 0) the fewest
   * whose explained variance ratio sums to at least {@code varianceFraction}.
   */
  public static Pca fit(double[] mean, double[][] cov, int components, double varianceFraction) {
    int d = mean.length;
    if (components > d) {
      throw new IllegalArgumentException(
          "normalize.pca.components = " + components + " exceeds the " + d + " numeric features");
    }
    DenseMatrix.EigenDecomposition eig =
        DenseMatrix.createDenseMatrix(cov)
            .eigenDecomposition()
            .orElseThrow(() -> new IllegalStateException("the covariance is not symmetric"));
    double[] values = eig.eigenvalues().toArray();
    DenseMatrix vectors = eig.eigenvectors();
    Integer[] order = new Integer[d];
    for (int i = 0; i < d; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -values[i]).thenComparing(i -> i));
    double total = 0;
    for (double v : values) {
      total += Math.max(v, 0);
    }
    int k = components;
    if (k == 0) {
      double acc = 0;
      k = d;
      for (int i = 0; i < d; i++) {
        acc += Math.max(values[order[i]], 0);
        if (total == 0 || acc / total >= varianceFraction - 1e-12) {
          k = i + 1;
          break;
        }
      }
    }
    double[][] comps = new double[k][d];
    double[] ev = new double[k];
    double[] ratio = new double[k];
    for (int c = 0; c < k; c++) {
      int col = order[c];
      int arg = 0;
      for (int i = 0; i < d; i++) {
        comps[c][i] = vectors.get(i, col);
        if (Math.abs(comps[c][i]) > Math.abs(comps[c][arg])) {
          arg = i;
        }
      }
      if (comps[c][arg] < 0) {
        for (int i = 0; i < d; i++) {
          comps[c][i] = -comps[c][i];
        }
      }
      ev[c] = Math.max(values[col], 0);
      ratio[c] = total == 0 ? 0 : ev[c] / total;
    }
    return new Pca(mean.clone(), comps, ev, ratio, total);
  }

  public int components() {
    return components.length;
  }

  public double[] component(int c) {
    return components[c].clone();
  }

  public double[] explainedVariance() {
    return explainedVariance.clone();
  }

  public double[] explainedVarianceRatio() {
    return explainedVarianceRatio.clone();
  }

  public float[] project(float[] x) {
    float[] out = new float[components.length];
    for (int c = 0; c < components.length; c++) {
      double s = 0;
      for (int i = 0; i < x.length; i++) {
        s += (x[i] - mean[i]) * components[c][i];
      }
      out[c] = FittedFeatures.saturate(s);
    }
    return out;
  }

  public Map<String, Object> toManifest() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("components", components.length);
    m.put("mean", mean);
    List<double[]> rows = new ArrayList<>(Arrays.asList(components));
    m.put("vectors", rows);
    m.put("explained_variance", explainedVariance);
    m.put("explained_variance_ratio", explainedVarianceRatio);
    m.put("total_variance", totalVariance);
    return m;
  }
}
