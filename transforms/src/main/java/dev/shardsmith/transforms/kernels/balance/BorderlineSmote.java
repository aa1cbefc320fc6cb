package dev.shardsmith.transforms.kernels.balance;

import java.util.List;
import java.util.Map;

/**
 * Borderline-SMOTE, kind borderline-1 (Han et al. 2005), with imbalanced-learn's semantics: a row
 * of a class to oversample is "in danger" when, among its {@code m} nearest neighbours over all
 * classes (itself excluded; {@code m_neighbors}, default 10), at least half but not all belong to
 * another class. Only rows in danger seed synthetic rows, interpolated towards one of their {@code
 * k} nearest neighbours within their class, as in {@link Smote}. A class with no row in danger gets
 * no synthetic rows (as in imbalanced-learn). Seeds are spread evenly, as in {@link Smote}; draws
 * come from {@code Seeds.of(seed, row id, "borderline-smote", 0, copy)}.
 *
 * <p>Memory per oversampled class of {@code n_c} rows among {@code n}, with {@code T} threads and
 * {@code c = m + 16}: the cross-class search holds its {@code n_c} queries twice ({@code 4 n_c d}
 * on the heap, gathered, and native), {@code 12 n_c m} bytes of neighbours, {@code n_c (12 c + 8) +
 * 16 n_c} of candidates and norms and {@code 12 n} of data norms, plus per worker a data block and
 * a product tile ({@code 4 bd d + 8 bq bd}, {@code bq = 512, bd = 1024}); the data itself is read
 * in place (see {@link NearestNeighbors}). Then the class search: the same cross-search formula
 * with the {@code q} rows in danger as queries among the class's {@code n_c} rows (the self-search
 * of {@link Smote} when every row is in danger).
 *
 * <pre>{@code
 * SyntheticRows s = BorderlineSmote.resample(rows, SmoteParams.defaults(seed), 10);
 * }</pre>
 */
public final class BorderlineSmote {
  private BorderlineSmote() {}

  public static final String STAGE = "borderline-smote";
  public static final int DEFAULT_M = 10;

  public static SyntheticRows resample(LabeledRows rows, SmoteParams params) {
    return resample(rows, params, DEFAULT_M);
  }

  public static SyntheticRows resample(LabeledRows rows, SmoteParams params, int m) {
    if (m < 1) {
      throw new IllegalArgumentException("m_neighbors must be >= 1, but was " + m);
    }
    List<Interpolation.ClassPlan> plans = Interpolation.newPlans();
    for (Map.Entry<Integer, Integer> e : params.strategy().toGenerate(rows.y()).entrySet()) {
      int label = e.getKey();
      int[] classRows = Interpolation.rowsOf(rows.y(), label);
      int k = params.kFor(STAGE, label, classRows.length);
      if (rows.n() - 1 < m) {
        throw new IllegalArgumentException(
            STAGE
                + ": m_neighbors="
                + m
                + " needs at least "
                + (m + 1)
                + " rows, but there are "
                + rows.n());
      }
      int[] danger = inDanger(rows, classRows, label, m, params.threads());
      if (danger.length == 0) {
        continue;
      }
      Neighbors nn = Interpolation.classNeighbors(rows, classRows, danger, k, params.threads());
      int[] copies = Interpolation.spread(rows, danger, e.getValue(), params.seed(), STAGE);
      plans.add(new Interpolation.ClassPlan(label, classRows, danger, copies, nn));
    }
    return Interpolation.run(rows, plans, params.seed(), STAGE);
  }

  /** The rows of {@code classRows} in danger: {@code m/2 <= other-class neighbours < m}. */
  static int[] inDanger(LabeledRows rows, int[] classRows, int label, int m, int threads) {
    Neighbors all =
        NearestNeighbors.of(m)
            .withThreads(threads)
            .searchRows(rows.x(), rows.n(), rows.d(), classRows);
    int[] keep = new int[classRows.length];
    int count = 0;
    for (int i = 0; i < classRows.length; i++) {
      int other = 0;
      for (int j = 0; j < m; j++) {
        if (rows.y()[all.index(i, j)] != label) {
          other++;
        }
      }
      if (2 * other >= m && other < m) {
        keep[count++] = classRows[i];
      }
    }
    return java.util.Arrays.copyOf(keep, count);
  }
}
