package dev.shardsmith.transforms.kernels.balance;

import com.oracle.labs.mlrg.olcut.util.Pair;
import java.util.List;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.SGDVector;
import org.tribuo.math.neighbour.NeighboursQuery;
import org.tribuo.math.neighbour.kdtree.KDTreeFactory;

/**
 * The low-dimension path of {@link NearestNeighbors}: Tribuo's k-d tree ({@code
 * org.tribuo.math.neighbour.kdtree.KDTree}, Euclidean, exact up to ties) proposes {@code c = k +
 * margin} candidates per query (one more when the query excludes a row), which are re-ranked with
 * {@link NearestNeighbors#squaredDistance} and ordered by (distance, row index), as the brute force
 * does. The tree returns the {@code c} rows nearest by its own double-precision distance, so every
 * other row is at least as far as its farthest candidate {@code D}; when the {@code k}-th exact
 * distance is below {@code D} (with a relative slack of {@code 1e-9} for the two summations), the
 * {@code k} nearest are among the candidates; otherwise (ties across the cut) that query is
 * rescanned exactly. So the result is the brute force's, bit for bit.
 *
 * <p>Memory: the tree holds each data row as a {@code double[d]} vector plus a node (about {@code 8
 * n d + 100 n} bytes), and queries run in batches of {@value #BATCH}, whose boxed results take
 * about {@code 60 c} bytes per query.
 */
final class KdTreeSearch {
  static final int BATCH = 4096;

  private KdTreeSearch() {}

  static Neighbors search(
      float[] data,
      int n,
      int d,
      float[] queries,
      int q,
      int[] exclude,
      int k,
      int margin,
      int threads) {
    DenseVector[] points = vectors(data, n, d);
    NeighboursQuery tree =
        new KDTreeFactory(new L2Distance(), threads).createNeighboursQuery(points);
    int c = Math.min(n, k + margin + (exclude == null ? 0 : 1));
    int[] resultIdx = new int[q * k];
    double[] resultDist = new double[q * k];
    for (int from = 0; from < q; from += BATCH) {
      int to = Math.min(q, from + BATCH);
      SGDVector[] batch = new SGDVector[to - from];
      for (int i = from; i < to; i++) {
        batch[i - from] = queries == data ? points[i] : vector(queries, i, d);
      }
      List<List<Pair<Integer, Double>>> found = tree.query(batch, c);
      for (int i = from; i < to; i++) {
        rerank(data, n, d, queries, i, exclude, k, c, found.get(i - from), resultIdx, resultDist);
      }
    }
    return new Neighbors(q, k, resultIdx, resultDist);
  }

  private static void rerank(
      float[] data,
      int n,
      int d,
      float[] queries,
      int qi,
      int[] exclude,
      int k,
      int c,
      List<Pair<Integer, Double>> found,
      int[] resultIdx,
      double[] resultDist) {
    int ex = exclude == null ? -1 : exclude[qi];
    double[] exact = new double[found.size()];
    int[] cand = new int[found.size()];
    int s = 0;
    double farthest = 0;
    for (Pair<Integer, Double> p : found) {
      farthest = Math.max(farthest, p.getB());
      int g = p.getA();
      if (g == ex) {
        continue;
      }
      cand[s] = g;
      exact[s] = NearestNeighbors.squaredDistance(queries, qi * d, data, g * d, d);
      s++;
    }
    NearestNeighbors.sortByDistanceThenIndex(exact, cand, s);
    boolean proven =
        c == n || (s >= k && Math.sqrt(exact[k - 1]) < farthest * (1 - 1e-9) - Double.MIN_VALUE);
    if (proven) {
      for (int t = 0; t < k; t++) {
        resultIdx[qi * k + t] = cand[t];
        resultDist[qi * k + t] = Math.sqrt(exact[t]);
      }
    } else {
      NearestNeighbors.exactScan(data, n, d, queries, qi, ex, k, resultIdx, resultDist, qi * k);
    }
  }

  private static DenseVector[] vectors(float[] x, int n, int d) {
    DenseVector[] v = new DenseVector[n];
    for (int i = 0; i < n; i++) {
      v[i] = vector(x, i, d);
    }
    return v;
  }

  private static DenseVector vector(float[] x, int row, int d) {
    double[] v = new double[d];
    for (int t = 0; t < d; t++) {
      v[t] = x[row * d + t];
    }
    return DenseVector.createDenseVector(v);
  }
}
