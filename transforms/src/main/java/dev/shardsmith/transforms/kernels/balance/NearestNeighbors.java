package dev.shardsmith.transforms.kernels.balance;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * Exact k-nearest-neighbour search (Euclidean) over float32 rows, as a blocked brute force whose
 * distance block is a matrix product.
 *
 * <p>For a block of {@code bq} queries and a block of {@code bd} data rows, the squared distances
 * are {@code ||q||^2 + ||x||^2 - 2 q.x}, with the {@code bq x bd} block of {@code q.x} from
 * OpenBLAS {@code cblas_sgemm}. Each query keeps the {@code c = k + margin} smallest of these
 * approximate distances; the candidates are then re-ranked with exact distances in double precision
 * and ordered by (distance, row index). The result is exact, not approximate: the float error of
 * the product is bounded ({@code |fl(q.x) - q.x| <= gamma_d ||q|| ||x||}, {@code gamma_d ~ d
 * 2^-24}), and when that bound cannot prove that no row outside the candidates could be among the
 * {@code k} nearest (or tie with the {@code k}-th), that query is rescanned exactly in double
 * precision. Integer-valued features with many tied distances make such rescans more frequent,
 * never wrong. So the neighbours and their order do not depend on block sizes, thread counts or the
 * BLAS kernel: deterministic, ties broken by the smaller row index.
 *
 * <p>Memory, bounded by the block sizes and independent of {@code n}: native (off-heap) {@code 4 x
 * (bq x d + bd x d + bq x bd)} bytes for the two operand blocks and the product, plus on the heap
 * {@code 4 x bq x bd} bytes (a copy of the product) and {@code 12 x bq x (k + margin)} bytes of
 * candidates, plus the result {@code 12 x q x k} bytes and {@code 8 x n} bytes of row norms. With
 * the defaults ({@code bq = 1024, bd = 4096}) that is about 33 MB whatever the data size.
 *
 * <p>Threads: OpenBLAS's thread count is process-wide; {@link #withThreads} sets it (through {@code
 * openblas_set_num_threads}, via JavaCPP's {@code blas_set_num_threads}) at the start of each
 * search, and the candidate selection uses the same number of Java threads.
 *
 * <pre>{@code
 * Neighbors nn = NearestNeighbors.of(5).withThreads(2).searchSelf(x, n, d);
 * int nearest = nn.index(i, 0);
 * }</pre>
 */
public final class NearestNeighbors {
  public static final int DEFAULT_QUERY_BLOCK = 1024;
  public static final int DEFAULT_DATA_BLOCK = 4096;
  public static final int DEFAULT_MARGIN = 16;

  private final int k;
  private final int queryBlock;
  private final int dataBlock;
  private final int margin;
  private final int threads;

  private NearestNeighbors(int k, int queryBlock, int dataBlock, int margin, int threads) {
    this.k = k;
    this.queryBlock = queryBlock;
    this.dataBlock = dataBlock;
    this.margin = margin;
    this.threads = threads;
  }

  /** A search for the {@code k >= 1} nearest neighbours, default blocks, margin and one thread. */
  public static NearestNeighbors of(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, but was " + k);
    }
    return new NearestNeighbors(k, DEFAULT_QUERY_BLOCK, DEFAULT_DATA_BLOCK, DEFAULT_MARGIN, 1);
  }

  /** Query and data block rows ({@code bq}, {@code bd} in the memory formula); both >= 1. */
  public NearestNeighbors withBlocks(int queryRows, int dataRows) {
    if (queryRows < 1 || dataRows < 1) {
      throw new IllegalArgumentException(
          "withBlocks: block rows must be >= 1, but were " + queryRows + ", " + dataRows);
    }
    return new NearestNeighbors(k, queryRows, dataRows, margin, threads);
  }

  /** Extra candidates kept beyond {@code k} before the exact re-rank; >= 0, default 16. */
  public NearestNeighbors withMargin(int extra) {
    if (extra < 0) {
      throw new IllegalArgumentException("withMargin: must be >= 0, but was " + extra);
    }
    return new NearestNeighbors(k, queryBlock, dataBlock, extra, threads);
  }

  /** OpenBLAS and selection threads; >= 1, default 1. */
  public NearestNeighbors withThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("withThreads: must be >= 1, but was " + n);
    }
    return new NearestNeighbors(k, queryBlock, dataBlock, margin, n);
  }

  public int k() {
    return k;
  }

  /** Every row of {@code data} ({@code n x d}, row-major) against all others, self excluded. */
  public Neighbors searchSelf(float[] data, int n, int d) {
    int[] exclude = new int[n];
    for (int i = 0; i < n; i++) {
      exclude[i] = i;
    }
    return search(data, n, d, data, n, exclude);
  }

  /**
   * The rows {@code queryRows} of {@code data} as queries against all of {@code data}, self
   * excluded.
   */
  public Neighbors searchRows(float[] data, int n, int d, int[] queryRows) {
    float[] queries = new float[queryRows.length * d];
    for (int i = 0; i < queryRows.length; i++) {
      System.arraycopy(data, queryRows[i] * d, queries, i * d, d);
    }
    return search(data, n, d, queries, queryRows.length, queryRows);
  }

  /**
   * Searches {@code q} queries ({@code q x d}) in {@code data} ({@code n x d}). If {@code exclude}
   * is not null, query {@code i} never matches data row {@code exclude[i]} (use -1 for none).
   */
  public Neighbors search(float[] data, int n, int d, float[] queries, int q, int[] exclude) {
    checkShapes(data, n, d, queries, q, exclude, k);
    double[] dataNorm = new double[n];
    double maxNormAcc = 0;
    for (int j = 0; j < n; j++) {
      dataNorm[j] = dot(data, j * d, data, j * d, d);
      maxNormAcc = Math.max(maxNormAcc, dataNorm[j]);
    }
    final double maxNorm = maxNormAcc;
    // gamma_d (with a safety factor 2) bounds the relative float error of an sgemm dot product.
    double u = Math.scalb(1.0, -24);
    double gamma = 2 * (d + 2) * u / (1 - (d + 2) * u);
    int c = k + margin;
    int[] resultIdx = new int[q * k];
    double[] resultDist = new double[q * k];
    int bq = Math.min(queryBlock, q);
    int bd = Math.min(dataBlock, n);
    openblas.blas_set_num_threads(threads);
    ForkJoinPool pool = threads > 1 ? new ForkJoinPool(threads) : null;
    try (FloatPointer qPtr = new FloatPointer((long) bq * d);
        FloatPointer xPtr = new FloatPointer((long) bd * d);
        FloatPointer prodPtr = new FloatPointer((long) bq * bd)) {
      float[] prod = new float[bq * bd];
      double[] candKey = new double[bq * c];
      int[] candIdx = new int[bq * c];
      int[] candSize = new int[bq];
      double[] queryNorm = new double[bq];
      for (int qs = 0; qs < q; qs += bq) {
        final int qStart = qs;
        final int qRows = Math.min(bq, q - qs);
        qPtr.put(queries, qs * d, qRows * d);
        for (int i = 0; i < qRows; i++) {
          queryNorm[i] = dot(queries, (qs + i) * d, queries, (qs + i) * d, d);
          candSize[i] = 0;
        }
        for (int ds = 0; ds < n; ds += bd) {
          final int dStart = ds;
          final int dRows = Math.min(bd, n - ds);
          xPtr.put(data, ds * d, dRows * d);
          openblas.cblas_sgemm(
              openblas.CblasRowMajor,
              openblas.CblasNoTrans,
              openblas.CblasTrans,
              qRows,
              dRows,
              d,
              1f,
              qPtr,
              d,
              xPtr,
              d,
              0f,
              prodPtr,
              dRows);
          prodPtr.get(prod, 0, qRows * dRows);
          parallel(
              pool,
              qRows,
              (from, to) -> {
                for (int i = from; i < to; i++) {
                  int ex = exclude == null ? -1 : exclude[qStart + i];
                  select(
                      prod,
                      i * dRows,
                      dRows,
                      dStart,
                      queryNorm[i],
                      dataNorm,
                      ex,
                      candKey,
                      candIdx,
                      candSize,
                      i,
                      c);
                }
              });
        }
        parallel(
            pool,
            qRows,
            (from, to) -> {
              for (int i = from; i < to; i++) {
                int qi = qStart + i;
                int ex = exclude == null ? -1 : exclude[qi];
                int available = n - (ex >= 0 && ex < n ? 1 : 0);
                double errBound = 2 * gamma * Math.sqrt(queryNorm[i] * maxNorm);
                finish(
                    data,
                    n,
                    d,
                    queries,
                    qi,
                    ex,
                    candKey,
                    candIdx,
                    candSize[i],
                    i * c,
                    candSize[i] < available,
                    errBound,
                    resultIdx,
                    resultDist);
              }
            });
      }
    } finally {
      if (pool != null) {
        pool.shutdown();
      }
    }
    return new Neighbors(q, k, resultIdx, resultDist);
  }

  /** Keeps the {@code c} smallest (approximate distance, index) pairs of one product row. */
  private static void select(
      float[] prod,
      int off,
      int dRows,
      int dStart,
      double qNorm,
      double[] dataNorm,
      int ex,
      double[] key,
      int[] idx,
      int[] size,
      int row,
      int c) {
    int base = row * c;
    int s = size[row];
    for (int j = 0; j < dRows; j++) {
      int g = dStart + j;
      if (g == ex) {
        continue;
      }
      double a = qNorm + dataNorm[g] - 2.0 * prod[off + j];
      if (s < c) {
        key[base + s] = a;
        idx[base + s] = g;
        s++;
        siftUp(key, idx, base, s - 1);
      } else if (a < key[base] || (a == key[base] && g < idx[base])) {
        key[base] = a;
        idx[base] = g;
        siftDown(key, idx, base, c, 0);
      }
    }
    size[row] = s;
  }

  /**
   * Re-ranks one query's candidates exactly; rescans all rows exactly if the error bound cannot
   * prove that the candidates hold the true {@code k} nearest.
   */
  private void finish(
      float[] data,
      int n,
      int d,
      float[] queries,
      int qi,
      int ex,
      double[] key,
      int[] idx,
      int s,
      int base,
      boolean allCandidates,
      double errBound,
      int[] resultIdx,
      double[] resultDist) {
    double[] exact = new double[s];
    int[] cand = new int[s];
    for (int t = 0; t < s; t++) {
      cand[t] = idx[base + t];
      exact[t] = squaredDistance(queries, qi * d, data, cand[t] * d, d);
    }
    sortByDistanceThenIndex(exact, cand, s);
    double kth = exact[k - 1];
    // key[base] is the largest kept approximate distance: every other row is at least that far,
    // approximately, so at least key[base] - errBound exactly. Strict: a tie must be ruled out too.
    boolean proven = allCandidates || key[base] - errBound > kth;
    if (proven) {
      for (int t = 0; t < k; t++) {
        resultIdx[qi * k + t] = cand[t];
        resultDist[qi * k + t] = Math.sqrt(exact[t]);
      }
    } else {
      exactScan(data, n, d, queries, qi, ex, k, resultIdx, resultDist, qi * k);
    }
  }

  /**
   * The reference: plain double-precision brute force, {@code O(q x n x d)} time and {@code O(k)}
   * extra memory per query; same (distance, index) order as {@link #search}. For tests and small n.
   */
  public static Neighbors bruteForce(
      float[] data, int n, int d, float[] queries, int q, int k, int[] exclude) {
    checkShapes(data, n, d, queries, q, exclude, k);
    int[] idx = new int[q * k];
    double[] dist = new double[q * k];
    for (int i = 0; i < q; i++) {
      exactScan(data, n, d, queries, i, exclude == null ? -1 : exclude[i], k, idx, dist, i * k);
    }
    return new Neighbors(q, k, idx, dist);
  }

  private static void exactScan(
      float[] data,
      int n,
      int d,
      float[] queries,
      int qi,
      int ex,
      int k,
      int[] outIdx,
      double[] outDist,
      int outOff) {
    double[] key = new double[k];
    int[] idx = new int[k];
    int s = 0;
    for (int j = 0; j < n; j++) {
      if (j == ex) {
        continue;
      }
      double a = squaredDistance(queries, qi * d, data, j * d, d);
      if (s < k) {
        key[s] = a;
        idx[s] = j;
        s++;
        siftUp(key, idx, 0, s - 1);
      } else if (a < key[0]) { // j grows, so an equal distance never displaces a smaller index
        key[0] = a;
        idx[0] = j;
        siftDown(key, idx, 0, k, 0);
      }
    }
    sortByDistanceThenIndex(key, idx, s);
    for (int t = 0; t < k; t++) {
      outIdx[outOff + t] = idx[t];
      outDist[outOff + t] = Math.sqrt(key[t]);
    }
  }

  /** The exact squared distance, summed in double in column order (the one definition used). */
  static double squaredDistance(float[] a, int ao, float[] b, int bo, int d) {
    double s = 0;
    for (int t = 0; t < d; t++) {
      double diff = (double) a[ao + t] - b[bo + t];
      s += diff * diff;
    }
    return s;
  }

  private static double dot(float[] a, int ao, float[] b, int bo, int d) {
    double s = 0;
    for (int t = 0; t < d; t++) {
      s += (double) a[ao + t] * b[bo + t];
    }
    return s;
  }

  private static boolean greater(double ka, int ia, double kb, int ib) {
    return ka > kb || (ka == kb && ia > ib);
  }

  private static void siftUp(double[] key, int[] idx, int base, int pos) {
    while (pos > 0) {
      int parent = (pos - 1) >>> 1;
      if (!greater(key[base + pos], idx[base + pos], key[base + parent], idx[base + parent])) {
        return;
      }
      swap(key, idx, base + pos, base + parent);
      pos = parent;
    }
  }

  private static void siftDown(double[] key, int[] idx, int base, int size, int pos) {
    while (true) {
      int l = 2 * pos + 1;
      if (l >= size) {
        return;
      }
      int big = l;
      int r = l + 1;
      if (r < size && greater(key[base + r], idx[base + r], key[base + l], idx[base + l])) {
        big = r;
      }
      if (!greater(key[base + big], idx[base + big], key[base + pos], idx[base + pos])) {
        return;
      }
      swap(key, idx, base + pos, base + big);
      pos = big;
    }
  }

  private static void swap(double[] key, int[] idx, int a, int b) {
    double tk = key[a];
    key[a] = key[b];
    key[b] = tk;
    int ti = idx[a];
    idx[a] = idx[b];
    idx[b] = ti;
  }

  /** Insertion sort by (distance, index): candidate lists are short (k + margin). */
  private static void sortByDistanceThenIndex(double[] key, int[] idx, int s) {
    for (int i = 1; i < s; i++) {
      double kk = key[i];
      int ii = idx[i];
      int j = i - 1;
      while (j >= 0 && greater(key[j], idx[j], kk, ii)) {
        key[j + 1] = key[j];
        idx[j + 1] = idx[j];
        j--;
      }
      key[j + 1] = kk;
      idx[j + 1] = ii;
    }
  }

  private interface RangeTask {
    void run(int from, int to);
  }

  /**
   * Runs {@code task} over [0, rows) in equal slices; each row is independent, so order is free.
   */
  private static void parallel(ForkJoinPool pool, int rows, RangeTask task) {
    if (pool == null || rows < 64) {
      task.run(0, rows);
      return;
    }
    int parts = pool.getParallelism();
    Future<?>[] futures = new Future<?>[parts];
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) rows * p / parts);
      int to = (int) ((long) rows * (p + 1) / parts);
      futures[p] = pool.submit(() -> task.run(from, to));
    }
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("neighbour search interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("neighbour search failed", e.getCause());
    }
  }

  private static void checkShapes(
      float[] data, int n, int d, float[] queries, int q, int[] exclude, int k) {
    if (n < 0 || d < 1 || q < 0) {
      throw new IllegalArgumentException(
          "need n >= 0, d >= 1, q >= 0; got " + n + ", " + d + ", " + q);
    }
    if (data.length < (long) n * d || queries.length < (long) q * d) {
      throw new IllegalArgumentException(
          "data must hold n x d = " + n + " x " + d + " and queries q x d = " + q + " x " + d);
    }
    if (exclude != null && exclude.length < q) {
      throw new IllegalArgumentException("exclude must hold one entry per query (" + q + ")");
    }
    int minAvailable = n - (exclude == null ? 0 : 1);
    if (q > 0 && k > minAvailable) {
      throw new IllegalArgumentException(
          "k = "
              + k
              + " neighbours requested, but only "
              + minAvailable
              + " data rows are available to each query (n = "
              + n
              + ")");
    }
  }
}
