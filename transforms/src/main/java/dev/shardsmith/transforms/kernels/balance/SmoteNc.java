package dev.shardsmith.transforms.kernels.balance;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * SMOTE-NC (Chawla et al. 2002, section 6.1) for rows with numeric and categorical columns, with
 * imbalanced-learn's semantics. Distances use the numeric columns plus, for each categorical
 * column, a one-hot encoding whose entries are {@code med / 2}, where {@code med} is the median
 * over numeric columns of the (population) standard deviation within the smallest class (ties: the
 * class seen first); so each categorical mismatch adds {@code med^2 / 2} to the squared distance,
 * exactly as imbalanced-learn 0.10 builds it. Numeric columns are interpolated as in {@link Smote}
 * (same seeds, same even spread; stage {@code "smote-nc"}); each categorical column of a synthetic
 * row takes the most frequent category among the parent's {@code k} nearest neighbours within the
 * class. Ties are broken deterministically by the nearest neighbour that holds one of the tied
 * categories (imbalanced-learn breaks them at random).
 *
 * <p>Memory: as {@link Smote}, on {@code d + sum(categories)} encoded columns per row, plus the
 * encoded copy of the data ({@code 4 n (d + sum(categories))} bytes).
 *
 * <pre>{@code
 * SyntheticRows s = SmoteNc.resample(LabeledRows.of(num, n, d, y), cats, 2, SmoteParams.defaults(seed));
 * int[] codes = s.categories(); // m x 2
 * }</pre>
 */
public final class SmoteNc {
  private SmoteNc() {}

  public static final String STAGE = "smote-nc";

  /**
   * Oversamples {@code numeric} (its {@code d} numeric columns) whose rows also carry {@code c}
   * categorical codes in {@code categorical} ({@code n x c}, row-major, any int values).
   */
  public static SyntheticRows resample(
      LabeledRows numeric, int[] categorical, int c, SmoteParams params) {
    int n = numeric.n();
    int d = numeric.d();
    if (c < 1 || categorical.length != (long) n * c) {
      throw new IllegalArgumentException(
          "categorical must hold n x c = " + n + " x " + c + " codes with c >= 1");
    }
    double med = medianStdOfSmallestClass(numeric);
    float half = (float) (med / 2);
    // One-hot layout: each categorical column's sorted distinct codes.
    int[][] codes = new int[c][];
    int[] offset = new int[c + 1];
    offset[0] = d;
    for (int j = 0; j < c; j++) {
      TreeSet<Integer> distinct = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        distinct.add(categorical[i * c + j]);
      }
      codes[j] = distinct.stream().mapToInt(Integer::intValue).toArray();
      offset[j + 1] = offset[j] + codes[j].length;
    }
    int width = offset[c];
    float[] enc = new float[n * width];
    for (int i = 0; i < n; i++) {
      System.arraycopy(numeric.x(), i * d, enc, i * width, d);
      for (int j = 0; j < c; j++) {
        int pos = Arrays.binarySearch(codes[j], categorical[i * c + j]);
        enc[i * width + offset[j] + pos] = half;
      }
    }
    LabeledRows encoded = new LabeledRows(enc, n, width, numeric.y(), numeric.ids());
    List<Interpolation.ClassPlan> plans = Smote.plans(encoded, params, STAGE);
    SyntheticRows num = Interpolation.run(numeric, plans, params.seed(), STAGE);
    int[] cats = new int[num.m() * c];
    int r = 0;
    for (Interpolation.ClassPlan plan : plans) {
      int k = plan.nn().k();
      for (int s = 0; s < plan.seedRows().length; s++) {
        if (plan.copies()[s] == 0) {
          continue;
        }
        int[] mode = new int[c];
        for (int j = 0; j < c; j++) {
          Map<Integer, Integer> freq = new HashMap<>();
          int best = 0;
          for (int t = 0; t < k; t++) {
            int code = categorical[plan.classRows()[plan.nn().index(s, t)] * c + j];
            best = Math.max(best, freq.merge(code, 1, Integer::sum));
          }
          for (int t = 0; t < k; t++) { // nearest neighbour first: the tie-break
            int code = categorical[plan.classRows()[plan.nn().index(s, t)] * c + j];
            if (freq.get(code) == best) {
              mode[j] = code;
              break;
            }
          }
        }
        for (int copy = 0; copy < plan.copies()[s]; copy++) {
          System.arraycopy(mode, 0, cats, r * c, c);
          r++;
        }
      }
    }
    return new SyntheticRows(
        num.x(), num.m(), d, num.y(), num.parent(), num.neighbor(), num.u(), cats, c);
  }

  /**
   * The median over columns of the population standard deviation within the smallest class (ties:
   * the class whose first row comes first), as imbalanced-learn's {@code median_std_}.
   */
  static double medianStdOfSmallestClass(LabeledRows rows) {
    Map<Integer, Integer> counts = new LinkedHashMap<>();
    for (int label : rows.y()) {
      counts.merge(label, 1, Integer::sum);
    }
    int minority = 0;
    int least = Integer.MAX_VALUE;
    for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
      if (e.getValue() < least) {
        least = e.getValue();
        minority = e.getKey();
      }
    }
    int[] cls = Interpolation.rowsOf(rows.y(), minority);
    int d = rows.d();
    double[] std = new double[d];
    for (int t = 0; t < d; t++) {
      double mean = 0;
      for (int r : cls) {
        mean += rows.x()[r * d + t];
      }
      mean /= cls.length;
      double var = 0;
      for (int r : cls) {
        double diff = rows.x()[r * d + t] - mean;
        var += diff * diff;
      }
      std[t] = Math.sqrt(var / cls.length);
    }
    Arrays.sort(std);
    return d % 2 == 1 ? std[d / 2] : (std[d / 2 - 1] + std[d / 2]) / 2;
  }
}
