package dev.shardsmith.transforms.kernels.balance;

import java.util.List;
import java.util.Map;

/**
 * SMOTE (Chawla et al. 2002) with imbalanced-learn's semantics: for each class to oversample, each
 * synthetic row interpolates between a row of the class and one of that row's {@code k} nearest
 * neighbours within the class: {@code x + u (nn - x)}, {@code u} uniform in [0, 1).
 *
 * <p>Differences from imbalanced-learn, on purpose: seeds are not drawn with replacement but spread
 * evenly (each class row gets {@code floor} or {@code ceil} of {@code n_new / n_class} copies, the
 * extra ones in a seeded hash order), and every draw comes from {@code Seeds.of(seed, row id,
 * "smote", 0, copy)}, so a row's synthetic children do not depend on other rows. Class counts after
 * resampling equal imbalanced-learn's exactly. Deterministic in (seed, ids, data).
 *
 * <p>Memory per oversampled class of {@code n_c} rows, with {@code T} threads, {@code c = k + 16}
 * and tile side {@code b = 512}: {@code 4 n_c d} bytes for its gathered rows and {@code 12 n_c k}
 * of neighbours, plus the self-search of {@link NearestNeighbors}: native {@code 4 n_c d + 4 T
 * b^2}, heap {@code 4 T b^2 + T n_c (12 c + 8) + 24 n_c} bytes (about 77 MB for {@code n_c =
 * 100,000}, d = 32, k = 5, T = 2); the output holds {@code 4 m d + 24 m} bytes for {@code m}
 * synthetic rows.
 *
 * <pre>{@code
 * SyntheticRows s = Smote.resample(LabeledRows.of(x, n, d, y), SmoteParams.defaults(seed));
 * }</pre>
 */
public final class Smote {
  private Smote() {}

  public static final String STAGE = "smote";

  public static SyntheticRows resample(LabeledRows rows, SmoteParams params) {
    List<Interpolation.ClassPlan> plans = plans(rows, params, STAGE);
    return Interpolation.run(rows, plans, params.seed(), STAGE);
  }

  static List<Interpolation.ClassPlan> plans(LabeledRows rows, SmoteParams params, String stage) {
    List<Interpolation.ClassPlan> plans = Interpolation.newPlans();
    for (Map.Entry<Integer, Integer> e : params.strategy().toGenerate(rows.y()).entrySet()) {
      int label = e.getKey();
      int[] classRows = Interpolation.rowsOf(rows.y(), label);
      int k = params.kFor(stage, label, classRows.length);
      Neighbors nn = Interpolation.classNeighbors(rows, classRows, classRows, k, params.threads());
      int[] copies = Interpolation.spread(rows, classRows, e.getValue(), params.seed(), stage);
      plans.add(new Interpolation.ClassPlan(label, classRows, classRows, copies, nn));
    }
    return plans;
  }
}
