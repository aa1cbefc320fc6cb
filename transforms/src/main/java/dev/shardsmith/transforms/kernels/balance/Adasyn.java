package dev.shardsmith.transforms.kernels.balance;

import java.util.List;
import java.util.Map;

/**
 * ADASYN (He et al. 2008) with imbalanced-learn's semantics: for a class that needs {@code G}
 * synthetic rows, row {@code i} of the class gets {@code g_i = rint(G r_i / sum r)} of them, where
 * {@code r_i} is the number of its {@code k} nearest neighbours over all classes (itself excluded)
 * that belong to another class (one-vs-rest, as imbalanced-learn). {@code rint} rounds half to
 * even, computed exactly on integers; so the class total may differ from {@code G} by rounding,
 * exactly as in imbalanced-learn. Each copy interpolates towards one of the row's {@code k} nearest
 * neighbours within the class; draws come from {@code Seeds.of(seed, row id, "adasyn", 0, copy)}.
 *
 * <p>A class whose rows have no neighbour of another class is an {@link IllegalStateException}
 * (imbalanced-learn raises too). Memory: as {@link BorderlineSmote}, with {@code k} for {@code m}.
 *
 * <pre>{@code
 * SyntheticRows s = Adasyn.resample(rows, SmoteParams.defaults(seed));
 * }</pre>
 */
public final class Adasyn {
  private Adasyn() {}

  public static final String STAGE = "adasyn";

  public static SyntheticRows resample(LabeledRows rows, SmoteParams params) {
    List<Interpolation.ClassPlan> plans = Interpolation.newPlans();
    for (Map.Entry<Integer, Integer> e : params.strategy().toGenerate(rows.y()).entrySet()) {
      int label = e.getKey();
      int[] classRows = Interpolation.rowsOf(rows.y(), label);
      int k = params.kFor(STAGE, label, classRows.length);
      Neighbors all =
          NearestNeighbors.of(k)
              .withThreads(params.threads())
              .searchRows(rows.x(), rows.n(), rows.d(), classRows);
      long[] other = new long[classRows.length];
      long sum = 0;
      for (int i = 0; i < classRows.length; i++) {
        for (int j = 0; j < k; j++) {
          if (rows.y()[all.index(i, j)] != label) {
            other[i]++;
          }
        }
        sum += other[i];
      }
      if (sum == 0) {
        throw new IllegalStateException(
            STAGE
                + ": no neighbour of class "
                + label
                + " belongs to another class; ADASYN cannot weight it (use SMOTE)");
      }
      long g = e.getValue();
      int[] copies = new int[classRows.length];
      for (int i = 0; i < classRows.length; i++) {
        copies[i] = (int) roundHalfEven(other[i] * g, sum);
      }
      Neighbors nn = Interpolation.classNeighbors(rows, classRows, classRows, k, params.threads());
      plans.add(new Interpolation.ClassPlan(label, classRows, classRows, copies, nn));
    }
    return Interpolation.run(rows, plans, params.seed(), STAGE);
  }

  /** {@code num / den} rounded half to even, exactly ({@code num >= 0, den > 0}). */
  static long roundHalfEven(long num, long den) {
    long q = num / den;
    long twiceRem = 2 * (num % den);
    if (twiceRem > den || (twiceRem == den && (q & 1) == 1)) {
      q++;
    }
    return q;
  }
}
