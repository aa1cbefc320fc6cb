package dev.shardsmith.transforms.kernels.balance;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * Exact k-nearest-neighbour search (Euclidean) over float32 rows: a blocked brute force whose
 * distance tiles are matrix products, or Tribuo's k-d tree ({@link KdTreeSearch}, on request:
 * measured slower at every dimension, see {@link #KD_TREE_MAX_D}); both give the same result.
 *
 * <p>Brute force. For a tile of {@code bq} queries and {@code bd} data rows, OpenBLAS {@code
 * cblas_sgemm} computes {@code p = fl(-2 q.x)}, and the squared distance is approximated by the key
 * {@code ||q||^2 + ||x||^2 + p} in double. Each query keeps the {@code c = k + margin} smallest
 * (key, row) pairs in a heap; the candidates are then re-ranked with exact distances in double
 * precision and ordered by (distance, row index). The result is exact, not approximate: the float
 * error of the product is bounded ({@code |fl(q.x) - q.x| <= gamma_d ||q|| ||x||}, {@code gamma_d ~
 * d 2^-24}), and when that bound cannot prove that no row outside the candidates could be among the
 * {@code k} nearest (or tie with the {@code k}-th), that query is rescanned exactly in double
 * precision. Integer-valued features with many tied distances make such rescans more frequent,
 * never wrong. So the neighbours and their order do not depend on tiles, thread counts, the BLAS
 * kernel or the method: deterministic, ties broken by the smaller row index.
 *
 * <p>Speed. The scan of a tile compares, per element, the float {@code fl(||x||^2 + p)} with the
 * query's threshold (its worst kept key less {@code ||q||^2}, plus a slack that bounds the float
 * error, so no row that could enter the heap is skipped); only the few rows that pass compute the
 * double key and touch the heap. With {@code --add-modules jdk.incubator.vector} the comparison
 * runs on the JDK Vector API ({@link TileScan}), else one float at a time. A self-search ({@link
 * #searchSelf}, or {@link #searchRows} over every row in order, as SMOTE's class search) computes
 * each pair once: square {@code b x b} tiles ({@code b = bq}) on and above the diagonal, each read
 * both ways (rows as queries against columns, columns against rows). Workers ({@link #withThreads})
 * take tiles in turn, each with its own buffers, its own candidate heaps (merged at the end) and
 * single-threaded sgemm; other searches give each worker its own query blocks.
 *
 * <p>Memory, with {@code T} threads, {@code c = k + margin}: a self-search of {@code n} rows holds
 * native {@code 4 n d} (the rows, copied once) {@code + 4 T b^2} (a product tile per worker) bytes,
 * and on the heap {@code 4 T b^2} (the tiles' copies) {@code + T n (12 c + 8)} (each worker's
 * candidates and thresholds) {@code + 24 n} (norms, slack, the self-exclusion list) {@code + 12 n
 * k} (the result) bytes. A search of {@code q} queries among {@code n} rows (the cross-class search
 * of Borderline-SMOTE and ADASYN: a class's rows among all rows) holds native {@code 4 q d + T (4
 * bd d + 4 bq bd)} bytes, and on the heap {@code 4 T bq bd + q (12 c + 8) + 12 n + 16 q + 12 q k}
 * bytes ({@link #searchRows} adds its {@code 4 q d} bytes of gathered queries). Example: SMOTE's
 * search of a 100,000-row class, d = 32, k = 5, 2 threads, defaults: 12.8 MB native rows + 2 x 1 MB
 * tiles, 2 x 1 MB copies, 2 x 26 MB candidates, 2.4 MB norms and lists, 6 MB result: about 77 MB.
 * The k-d tree's memory is in {@link KdTreeSearch}.
 *
 * <p>Threads: OpenBLAS runs with one thread ({@code openblas_set_num_threads(1)}, process-wide, set
 * at the start of each search); the {@code T} Java workers call it concurrently.
 *
 * <pre>{@code
 * Neighbors nn = NearestNeighbors.of(5).withThreads(2).searchSelf(x, n, d);
 * int nearest = nn.index(i, 0);
 * }</pre>
 */
public final class NearestNeighbors {
  public static final int DEFAULT_QUERY_BLOCK = 512;
  public static final int DEFAULT_DATA_BLOCK = 1024;
  public static final int DEFAULT_MARGIN = 16;

  private final int k;
  private final int queryBlock;
  private final int dataBlock;
  private final int margin;
  private final int threads;
  private final boolean vectorScan;
  private final Method method;

  /** How {@link #search} finds candidates; every method gives the same result. */
  public enum Method {
    /** {@link #KD_TREE} for {@code d <= KD_TREE_MAX_D} (now: never), else {@link #BRUTE_FORCE}. */
    AUTO,
    /** The blocked sgemm brute force. */
    BRUTE_FORCE,
    /** Tribuo's k-d tree ({@link KdTreeSearch}). */
    KD_TREE
  }

  /**
   * {@link Method#AUTO} takes the k-d tree up to this many features: 0, never. Measured on 100k
   * N(0,1) rows, k = 5, two threads (docs/benchmarks.md, "k-d tree against brute force"), Tribuo
   * 4.3.2's tree was 24x or more slower than the brute force at every d from 2 to 32 (about 2 ms of
   * CPU per query even at d = 2). Raise it only with a figure that shows the tree ahead.
   */
  public static final int KD_TREE_MAX_D = 0;

  /** Whether this JVM resolved {@code jdk.incubator.vector} ({@code --add-modules}). */
  static final boolean VECTOR_API =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private NearestNeighbors(
      int k,
      int queryBlock,
      int dataBlock,
      int margin,
      int threads,
      boolean vectorScan,
      Method method) {
    this.k = k;
    this.method = method;
    this.vectorScan = vectorScan;
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
    return new NearestNeighbors(
        k, DEFAULT_QUERY_BLOCK, DEFAULT_DATA_BLOCK, DEFAULT_MARGIN, 1, VECTOR_API, Method.AUTO);
  }

  /**
   * Query and data block rows ({@code bq}, {@code bd} in the memory formula; a self-search uses
   * square tiles of {@code bq}); both >= 1, defaults 512 and 1024.
   */
  public NearestNeighbors withBlocks(int queryRows, int dataRows) {
    if (queryRows < 1 || dataRows < 1) {
      throw new IllegalArgumentException(
          "withBlocks: block rows must be >= 1, but were " + queryRows + ", " + dataRows);
    }
    return new NearestNeighbors(k, queryRows, dataRows, margin, threads, vectorScan, method);
  }

  /** Extra candidates kept beyond {@code k} before the exact re-rank; >= 0, default 16. */
  public NearestNeighbors withMargin(int extra) {
    if (extra < 0) {
      throw new IllegalArgumentException("withMargin: must be >= 0, but was " + extra);
    }
    return new NearestNeighbors(k, queryBlock, dataBlock, extra, threads, vectorScan, method);
  }

  /** Worker threads (each calls single-threaded sgemm and scans); >= 1, default 1. */
  public NearestNeighbors withThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("withThreads: must be >= 1, but was " + n);
    }
    return new NearestNeighbors(k, queryBlock, dataBlock, margin, n, vectorScan, method);
  }

  /** Tests: the tile filter on the Vector API (needs the module) or one float at a time. */
  NearestNeighbors withVectorScan(boolean on) {
    if (on && !VECTOR_API) {
      throw new IllegalStateException(
          "withVectorScan: run with --add-modules jdk.incubator.vector");
    }
    return new NearestNeighbors(k, queryBlock, dataBlock, margin, threads, on, method);
  }

  /** The candidate search: {@link Method#AUTO} (default), brute force or k-d tree. */
  public NearestNeighbors withMethod(Method m) {
    if (m == null) {
      throw new IllegalArgumentException("withMethod: method must not be null");
    }
    return new NearestNeighbors(k, queryBlock, dataBlock, margin, threads, vectorScan, m);
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
    if (queryRows.length == n && isIdentity(queryRows, n)) {
      return search(data, n, d, data, n, queryRows); // every row: the symmetric self-search
    }
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
    if (q > 0 && (method == Method.KD_TREE || (method == Method.AUTO && d <= KD_TREE_MAX_D))) {
      return KdTreeSearch.search(data, n, d, queries, q, exclude, k, margin, threads);
    }
    boolean self = queries == data && q == n && isIdentity(exclude, n);
    return new Run(data, n, d, queries, q, exclude, self).go();
  }

  private static boolean isIdentity(int[] exclude, int n) {
    if (exclude == null) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (exclude[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** One search: the inputs, the row norms and the error bounds shared by its workers. */
  private final class Run {
    final float[] data;
    final int n;
    final int d;
    final float[] queries;
    final int q;
    final int[] exclude;
    final boolean self;
    final int c;
    final double[] dataNorm;
    final float[] dataNormF;
    final double[] queryNorm;
    final double maxNorm;
    final double gamma;
    final double[] slack;
    final int workers;

    Run(float[] data, int n, int d, float[] queries, int q, int[] exclude, boolean self) {
      this.data = data;
      this.n = n;
      this.d = d;
      this.queries = queries;
      this.q = q;
      this.exclude = exclude;
      this.self = self;
      this.c = Math.min(k + margin, Math.max(k, n));
      dataNorm = new double[n];
      dataNormF = new float[n];
      double max = 0;
      for (int j = 0; j < n; j++) {
        dataNorm[j] = dot(data, j * d, data, j * d, d);
        dataNormF[j] = (float) dataNorm[j];
        max = Math.max(max, dataNorm[j]);
      }
      maxNorm = max;
      if (self) {
        queryNorm = dataNorm;
      } else {
        queryNorm = new double[q];
        for (int i = 0; i < q; i++) {
          queryNorm[i] = dot(queries, i * d, queries, i * d, d);
        }
      }
      slack = new double[q];
      for (int i = 0; i < q; i++) {
        slack[i] = 8 * Math.scalb(1.0, -24) * (maxNorm + Math.sqrt(queryNorm[i] * maxNorm));
      }
      // gamma_d (with a safety factor 2) bounds the relative float error of an sgemm dot product.
      double u = Math.scalb(1.0, -24);
      gamma = 2 * (d + 2) * u / (1 - (d + 2) * u);
      workers = Math.max(1, Math.min(threads, q));
    }

    Neighbors go() {
      int[] resultIdx = new int[q * k];
      double[] resultDist = new double[q * k];
      if (q == 0) {
        return new Neighbors(0, k, resultIdx, resultDist);
      }
      openblas.blas_set_num_threads(1);
      ExecutorService pool = workers > 1 ? Executors.newFixedThreadPool(workers, DAEMON) : null;
      try {
        Candidates[] perWorker = new Candidates[self ? workers : 1];
        for (int w = 0; w < perWorker.length; w++) {
          Candidates cs = new Candidates(q, c);
          cs.sink = (qi, g, p) -> offer(cs, qi, g, p);
          perWorker[w] = cs;
        }
        if (self) {
          int b = Math.min(queryBlock, n);
          int nb = (n + b - 1) / b;
          AtomicInteger next = new AtomicInteger();
          try (FloatPointer all = new FloatPointer((long) n * d)) {
            all.put(data, 0, n * d);
            runWorkers(pool, w -> selfTiles(all, b, nb, next, perWorker[w]));
          }
        } else {
          try (FloatPointer all = new FloatPointer((long) q * d)) {
            all.put(queries, 0, q * d);
            runWorkers(pool, w -> crossBlocks(all, w, perWorker[0]));
          }
        }
        Candidates cs = perWorker[0];
        runWorkers(
            pool,
            w -> {
              for (int qi = (int) ((long) q * w / workers);
                  qi < (int) ((long) q * (w + 1) / workers);
                  qi++) {
                for (int o = 1; o < perWorker.length; o++) {
                  cs.mergeFrom(perWorker[o], qi);
                }
                finish(cs, qi, resultIdx, resultDist);
              }
            });
      } finally {
        if (pool != null) {
          pool.shutdown();
        }
      }
      return new Neighbors(q, k, resultIdx, resultDist);
    }

    /**
     * Self-search: the {@code b x b} tiles on and above the diagonal, by block row {@code i} taken
     * in turn from {@code next} (the longest rows first, so the workers finish together): tile
     * {@code (i, i)} first, whose rows are then near-random candidates that tighten the thresholds,
     * then {@code (i, j)} for {@code j > i}. Each tile's product feeds its rows' candidates and,
     * off the diagonal, its columns'.
     */
    void selfTiles(FloatPointer all, int b, int nb, AtomicInteger next, Candidates cs) {
      FloatPointer aView = new View(all);
      FloatPointer bView = new View(all);
      try (FloatPointer prodPtr = new FloatPointer((long) b * b)) {
        float[] prod = new float[b * b];
        for (int bi = next.getAndIncrement(); bi < nb; bi = next.getAndIncrement()) {
          for (int bj = bi; bj < nb; bj++) {
            int i0 = bi * b;
            int j0 = bj * b;
            int rows = Math.min(b, n - i0);
            int cols = Math.min(b, n - j0);
            product(
                aView.position((long) i0 * d), rows, bView.position((long) j0 * d), cols, prodPtr);
            prodPtr.get(prod, 0, rows * cols);
            if (i0 == j0) {
              scanRows(prod, rows, cols, i0, j0, cs);
            } else if (vectorScan) {
              TileScan.scanBoth(prod, rows, cols, i0, j0, dataNormF, cs.thr, cs.sink);
            } else {
              NearestNeighbors.scanBoth(prod, rows, cols, i0, j0, dataNormF, cs.thr, cs.sink);
            }
          }
        }
      }
    }

    /**
     * Query block against data block: worker {@code w} owns query blocks {@code w, w + workers,
     * ...} and streams the data blocks through them, so no two workers touch one query.
     */
    void crossBlocks(FloatPointer allQueries, int w, Candidates cs) {
      int bq = Math.min(queryBlock, q);
      int bd = Math.min(dataBlock, n);
      int nqb = (q + bq - 1) / bq;
      if (w >= nqb) {
        return;
      }
      FloatPointer qView = new View(allQueries);
      try (FloatPointer xPtr = new FloatPointer((long) bd * d);
          FloatPointer prodPtr = new FloatPointer((long) bq * bd)) {
        float[] prod = new float[bq * bd];
        for (int ds = 0; ds < n; ds += bd) {
          int cols = Math.min(bd, n - ds);
          xPtr.position(0).put(data, ds * d, cols * d);
          for (int qb = w; qb < nqb; qb += workers) {
            int qs = qb * bq;
            int rows = Math.min(bq, q - qs);
            product(qView.position((long) qs * d), rows, xPtr, cols, prodPtr);
            prodPtr.get(prod, 0, rows * cols);
            scanRows(prod, rows, cols, qs, ds, cs);
          }
        }
      }
    }

    /** {@code prod = -2 a b^T} for {@code rows} rows at {@code a} and {@code cols} at {@code b}. */
    void product(FloatPointer a, int rows, FloatPointer b, int cols, FloatPointer prod) {
      openblas.cblas_sgemm(
          openblas.CblasRowMajor,
          openblas.CblasNoTrans,
          openblas.CblasTrans,
          rows,
          cols,
          d,
          -2f,
          a,
          d,
          b,
          d,
          0f,
          prod,
          cols);
    }

    void scanRows(float[] prod, int rows, int cols, int q0, int g0, Candidates cs) {
      if (vectorScan) {
        TileScan.scanRows(prod, rows, cols, q0, g0, dataNormF, cs.thr, cs.sink);
      } else {
        NearestNeighbors.scanRows(prod, rows, cols, q0, g0, dataNormF, cs.thr, cs.sink);
      }
    }

    /** Query {@code qi} meets data row {@code g}, with {@code p = fl(-2 q.x)} from sgemm. */
    void offer(Candidates cs, int qi, int g, float p) {
      if (exclude != null && exclude[qi] == g) {
        return;
      }
      double a = queryNorm[qi] + dataNorm[g] + (double) p;
      if (cs.offer(qi, a, g)) {
        cs.thr[qi] = threshold(qi, cs.key[qi * c]);
      }
    }

    /**
     * The float filter for query {@code qi} once its worst kept key is {@code worst}: a row with
     * {@code fl(fl(||x||^2) + p) > threshold} has approximate key {@code ||q||^2 + ||x||^2 + p >
     * worst}, so it cannot displace a candidate. The float sum errs by at most {@code 2^-24 (2
     * ||x||^2 + |p|)} and {@code |p| <= 2 (1 + gamma) ||q|| ||x||}; the slack is twice that bound,
     * which also covers the double rounding of the key.
     */
    float threshold(int qi, double worst) {
      double th = worst - queryNorm[qi] + slack[qi];
      float f = (float) th;
      return f < th ? Math.nextUp(f) : f;
    }

    /**
     * Re-ranks one query's candidates exactly; rescans all rows exactly if the error bound cannot
     * prove that the candidates hold the true {@code k} nearest.
     */
    void finish(Candidates cs, int qi, int[] resultIdx, double[] resultDist) {
      int s = cs.size[qi];
      int base = qi * c;
      int ex = exclude == null ? -1 : exclude[qi];
      int available = n - (ex >= 0 && ex < n ? 1 : 0);
      double errBound = 2 * gamma * Math.sqrt(queryNorm[qi] * maxNorm);
      double[] exact = new double[s];
      int[] cand = new int[s];
      for (int t = 0; t < s; t++) {
        cand[t] = cs.idx[base + t];
        exact[t] = squaredDistance(queries, qi * d, data, cand[t] * d, d);
      }
      sortByDistanceThenIndex(exact, cand, s);
      double kth = exact[k - 1];
      // key[base] is the largest kept approximate distance: every other row is at least that far,
      // approximately, so at least key[base] - errBound exactly. Strict: a tie must be ruled out.
      boolean proven = s == available || cs.key[base] - errBound > kth;
      if (proven) {
        for (int t = 0; t < k; t++) {
          resultIdx[qi * k + t] = cand[t];
          resultDist[qi * k + t] = Math.sqrt(exact[t]);
        }
      } else {
        exactScan(data, n, d, queries, qi, ex, k, resultIdx, resultDist, qi * k);
      }
    }

    void runWorkers(ExecutorService pool, IntConsumer task) {
      if (pool == null) {
        task.accept(0);
        return;
      }
      Future<?>[] futures = new Future<?>[workers];
      for (int w = 0; w < workers; w++) {
        int id = w;
        futures[w] = pool.submit(() -> task.accept(id));
      }
      // Every worker is awaited before anything is thrown: they read native buffers that the
      // caller frees as soon as this returns.
      Throwable failure = null;
      boolean interrupted = false;
      for (Future<?> f : futures) {
        while (true) {
          try {
            f.get();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          } catch (ExecutionException e) {
            failure = failure == null ? e.getCause() : failure;
            break;
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        throw new IllegalStateException("neighbour search failed", failure);
      }
    }
  }

  /**
   * A worker's own cursor into a shared native array: it does not own the memory (closing or
   * collecting it frees nothing, unlike JavaCPP's cast constructor, which releases the original).
   */
  private static final class View extends FloatPointer {
    View(FloatPointer of) {
      address = of.address();
      capacity = of.capacity();
      limit = of.capacity();
    }
  }

  private static final ThreadFactory DAEMON =
      r -> {
        Thread t = new Thread(r, "nearest-neighbors");
        t.setDaemon(true);
        return t;
      };

  /**
   * The {@code c} smallest (approximate key, row) pairs per query, as max-heaps by (key, row), and
   * each query's float filter threshold ({@code +inf} until its heap is full). The kept set is the
   * {@code c} smallest in that total order whatever the order rows are offered in.
   */
  private static final class Candidates {
    final int c;
    final double[] key;
    final int[] idx;
    final int[] size;
    final float[] thr;
    Sink sink;

    Candidates(int q, int c) {
      this.c = c;
      key = new double[q * c];
      idx = new int[q * c];
      size = new int[q];
      thr = new float[q];
      Arrays.fill(thr, Float.POSITIVE_INFINITY);
    }

    /** Offers (a, g) to query qi; true if the heap is full and its worst entry changed. */
    boolean offer(int qi, double a, int g) {
      int base = qi * c;
      int s = size[qi];
      if (s < c) {
        key[base + s] = a;
        idx[base + s] = g;
        siftUp(key, idx, base, s);
        size[qi] = s + 1;
        return s + 1 == c;
      }
      if (a < key[base] || (a == key[base] && g < idx[base])) {
        key[base] = a;
        idx[base] = g;
        siftDown(key, idx, base, c, 0);
        return true;
      }
      return false;
    }

    void mergeFrom(Candidates other, int qi) {
      int base = qi * c;
      for (int t = 0; t < other.size[qi]; t++) {
        offer(qi, other.key[base + t], other.idx[base + t]);
      }
    }
  }

  /** Receives the rows that pass the float filter: query {@code qi}, data row {@code g}, p. */
  interface Sink {
    void offer(int qi, int g, float p);
  }

  /**
   * Rows of a product block as queries {@code q0 + i} against data rows {@code g0 + j}. A row whose
   * float filter value exceeds the query's threshold cannot enter its candidates (see {@code
   * Run#threshold}), so the loop touches the heap only for the few that pass.
   */
  static void scanRows(
      float[] prod, int rows, int cols, int q0, int g0, float[] norm, float[] thr, Sink sink) {
    for (int i = 0; i < rows; i++) {
      int qi = q0 + i;
      int off = i * cols;
      float th = thr[qi];
      for (int j = 0; j < cols; j++) {
        float p = prod[off + j];
        if (norm[g0 + j] + p <= th) {
          sink.offer(qi, g0 + j, p);
          th = thr[qi];
        }
      }
    }
  }

  /**
   * A tile above the diagonal of a self-search, read once both ways: row {@code i0 + i} as a query
   * against columns {@code j0 + j}, and each column as a query against the row.
   */
  static void scanBoth(
      float[] prod, int rows, int cols, int i0, int j0, float[] norm, float[] thr, Sink sink) {
    for (int i = 0; i < rows; i++) {
      int qi = i0 + i;
      int off = i * cols;
      float th = thr[qi];
      float rowNorm = norm[qi];
      for (int j = 0; j < cols; j++) {
        float p = prod[off + j];
        if (norm[j0 + j] + p <= th) {
          sink.offer(qi, j0 + j, p);
          th = thr[qi];
        }
        if (rowNorm + p <= thr[j0 + j]) {
          sink.offer(j0 + j, qi, p);
        }
      }
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

  static void exactScan(
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
  static void sortByDistanceThenIndex(double[] key, int[] idx, int s) {
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
