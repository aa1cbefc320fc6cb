package dev.shardsmith.transforms.kernels.balance;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The candidate filter of {@link NearestNeighbors} over one product tile, on the JDK Vector API
 * ({@code jdk.incubator.vector}, used only when the JVM runs with {@code --add-modules
 * jdk.incubator.vector}; otherwise {@link NearestNeighbors} runs the same comparisons one float at
 * a time). The lanes whose filter value {@code ||x||^2 + p} is at most the query's threshold are
 * tested again one by one with the float comparison of the scalar loop and handed to the {@link
 * NearestNeighbors.Sink}, so both paths keep the same candidates.
 */
final class TileScan {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private TileScan() {}

  /** Rows of the tile as queries {@code q0 + i} against data rows {@code g0 + j}. */
  static void scanRows(
      float[] prod,
      int rows,
      int cols,
      int q0,
      int g0,
      float[] norm,
      float[] thr,
      NearestNeighbors.Sink sink) {
    int lanes = S.length();
    int bound = S.loopBound(cols);
    for (int i = 0; i < rows; i++) {
      int qi = q0 + i;
      int off = i * cols;
      float th = thr[qi];
      FloatVector thv = FloatVector.broadcast(S, th);
      int j = 0;
      for (; j < bound; j += lanes) {
        FloatVector p = FloatVector.fromArray(S, prod, off + j);
        VectorMask<Float> m =
            FloatVector.fromArray(S, norm, g0 + j).add(p).compare(VectorOperators.LE, thv);
        if (m.anyTrue()) {
          for (long bits = m.toLong(); bits != 0; bits &= bits - 1) {
            int l = j + Long.numberOfTrailingZeros(bits);
            float pl = prod[off + l];
            if (norm[g0 + l] + pl <= th) {
              sink.offer(qi, g0 + l, pl);
              th = thr[qi];
            }
          }
          thv = FloatVector.broadcast(S, th);
        }
      }
      for (; j < cols; j++) {
        float pl = prod[off + j];
        if (norm[g0 + j] + pl <= th) {
          sink.offer(qi, g0 + j, pl);
          th = thr[qi];
        }
      }
    }
  }

  /**
   * A self-search tile above the diagonal, read once both ways: row {@code i0 + i} as a query
   * against columns {@code j0 + j}, and each column as a query against the row.
   */
  static void scanBoth(
      float[] prod,
      int rows,
      int cols,
      int i0,
      int j0,
      float[] norm,
      float[] thr,
      NearestNeighbors.Sink sink) {
    int lanes = S.length();
    int bound = S.loopBound(cols);
    for (int i = 0; i < rows; i++) {
      int qi = i0 + i;
      int off = i * cols;
      float th = thr[qi];
      float rowNorm = norm[qi];
      FloatVector thv = FloatVector.broadcast(S, th);
      FloatVector rn = FloatVector.broadcast(S, rowNorm);
      int j = 0;
      for (; j < bound; j += lanes) {
        FloatVector p = FloatVector.fromArray(S, prod, off + j);
        VectorMask<Float> asRow =
            FloatVector.fromArray(S, norm, j0 + j).add(p).compare(VectorOperators.LE, thv);
        VectorMask<Float> asCol =
            rn.add(p).compare(VectorOperators.LE, FloatVector.fromArray(S, thr, j0 + j));
        if (asRow.or(asCol).anyTrue()) {
          // The lanes set, in order; the scalar test again, as the threshold may have dropped.
          for (long bits = asRow.toLong(); bits != 0; bits &= bits - 1) {
            int l = j + Long.numberOfTrailingZeros(bits);
            float pl = prod[off + l];
            if (norm[j0 + l] + pl <= th) {
              sink.offer(qi, j0 + l, pl);
              th = thr[qi];
            }
          }
          for (long bits = asCol.toLong(); bits != 0; bits &= bits - 1) {
            int l = j + Long.numberOfTrailingZeros(bits);
            float pl = prod[off + l];
            if (rowNorm + pl <= thr[j0 + l]) {
              sink.offer(j0 + l, qi, pl);
            }
          }
          thv = FloatVector.broadcast(S, th);
        }
      }
      for (; j < cols; j++) {
        float pl = prod[off + j];
        if (norm[j0 + j] + pl <= th) {
          sink.offer(qi, j0 + j, pl);
          th = thr[qi];
        }
        if (rowNorm + pl <= thr[j0 + j]) {
          sink.offer(j0 + j, qi, pl);
        }
      }
    }
  }
}
