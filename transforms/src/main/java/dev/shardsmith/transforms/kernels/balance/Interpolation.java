package dev.shardsmith.transforms.kernels.balance;

import dev.shardsmith.transforms.kernels.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/** The interpolation step shared by the SMOTE family, and the per-class plans it runs. */
final class Interpolation {
  private Interpolation() {}

  /**
   * One class's plan: seed rows (global indices) with their copy counts, and each seed's {@code k}
   * nearest neighbours within the class ({@code nn} indices are positions in {@code classRows}).
   */
  record ClassPlan(int label, int[] classRows, int[] seedRows, int[] copies, Neighbors nn) {
    int total() {
      int t = 0;
      for (int c : copies) {
        t += c;
      }
      return t;
    }
  }

  /** The rows of class {@code label}, ascending. */
  static int[] rowsOf(int[] y, int label) {
    int count = 0;
    for (int v : y) {
      if (v == label) {
        count++;
      }
    }
    int[] rows = new int[count];
    int i = 0;
    for (int r = 0; r < y.length; r++) {
      if (y[r] == label) {
        rows[i++] = r;
      }
    }
    return rows;
  }

  /** Positions of {@code seedRows} within the ascending {@code classRows}. */
  static int[] positions(int[] classRows, int[] seedRows) {
    int[] pos = new int[seedRows.length];
    for (int i = 0; i < seedRows.length; i++) {
      pos[i] = Arrays.binarySearch(classRows, seedRows[i]);
    }
    return pos;
  }

  /** Each seed's k nearest neighbours among the class rows, itself excluded. */
  static Neighbors classNeighbors(
      LabeledRows rows, int[] classRows, int[] seedRows, int k, int threads) {
    float[] classX = rows.gather(classRows);
    int[] seedPos = positions(classRows, seedRows);
    return NearestNeighbors.of(k)
        .withThreads(threads)
        .searchRows(classX, classRows.length, rows.d(), seedPos);
  }

  /**
   * Spreads {@code total} copies over the seeds as evenly as possible: each gets {@code total /
   * seeds}, and the first {@code total % seeds} in the order of {@code hash(seed, stage, id)} one
   * more. (imbalanced-learn draws the seeds with replacement; the expected counts are the same.)
   */
  static int[] spread(LabeledRows rows, int[] seedRows, int total, long seed, String stage) {
    int ns = seedRows.length;
    int[] copies = new int[ns];
    if (ns == 0) {
      return copies;
    }
    Arrays.fill(copies, total / ns);
    int rem = total % ns;
    Integer[] order = new Integer[ns];
    long[] h = new long[ns];
    for (int i = 0; i < ns; i++) {
      order[i] = i;
      h[i] = Seeds.hash(seed, stage, rows.id(seedRows[i]));
    }
    Arrays.sort(
        order, Comparator.<Integer>comparingLong(i -> h[i]).thenComparingInt(i -> seedRows[i]));
    for (int i = 0; i < rem; i++) {
      copies[order[i]]++;
    }
    return copies;
  }

  /**
   * Runs the plans in order (class, then seed, then copy). Copy {@code c} of seed {@code p} draws
   * from {@code Seeds.of(seed, id(p), stage, 0, c)}: a neighbour {@code q} uniformly among its
   * {@code k}, then {@code u} uniform in [0, 1); the row is {@code x_p + u (x_q - x_p)}, computed
   * in double and rounded once to float.
   */
  static SyntheticRows run(LabeledRows rows, List<ClassPlan> plans, long seed, String stage) {
    int d = rows.d();
    int m = 0;
    for (ClassPlan p : plans) {
      m += p.total();
    }
    float[] out = new float[m * d];
    int[] y = new int[m];
    int[] parent = new int[m];
    int[] neighbor = new int[m];
    double[] u = new double[m];
    float[] x = rows.x();
    int r = 0;
    for (ClassPlan plan : plans) {
      int k = plan.nn().k();
      for (int s = 0; s < plan.seedRows().length; s++) {
        int p = plan.seedRows()[s];
        for (int c = 0; c < plan.copies()[s]; c++) {
          SplittableRandom rng = Seeds.of(seed, rows.id(p), stage, 0, c);
          int q = plan.classRows()[plan.nn().index(s, rng.nextInt(k))];
          double step = rng.nextDouble();
          for (int t = 0; t < d; t++) {
            double a = x[p * d + t];
            out[r * d + t] = (float) (a + step * (x[q * d + t] - a));
          }
          y[r] = plan.label();
          parent[r] = p;
          neighbor[r] = q;
          u[r] = step;
          r++;
        }
      }
    }
    return new SyntheticRows(out, m, d, y, parent, neighbor, u, null, 0);
  }

  static List<ClassPlan> newPlans() {
    return new ArrayList<>();
  }
}
