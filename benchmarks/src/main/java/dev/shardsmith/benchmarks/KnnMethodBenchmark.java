package dev.shardsmith.benchmarks;

import dev.shardsmith.transforms.kernels.balance.NearestNeighbors;
import dev.shardsmith.transforms.kernels.balance.Neighbors;
import dev.shardsmith.transforms.kernels.shard.NpyShardFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * For information (no peer): the k-nearest-neighbour self-search of {@code NearestNeighbors}, k =
 * 5, by blocked sgemm brute force against Tribuo's k-d tree, on the first {@code d} columns of
 * {@code tabular32}'s {@code x_100k.npy} (N(0,1) float32) for d = 2, 4, 8, 16, 32, with {@code
 * BENCH_THREADS} threads; the figures choose {@code NearestNeighbors.KD_TREE_MAX_D}. Per d: the
 * seconds of the brute-force self-search of all {@code ROWS} rows, and of the k-d tree (build plus
 * queries) for the first {@code TREE_QUERIES} rows as queries against all rows, with that time
 * scaled to all rows ({@code x ROWS / TREE_QUERIES}; Tribuo's tree is too slow to run every query
 * on a shared machine). Fails if the two methods differ on the common queries.
 *
 * <pre>{@code
 * java --add-modules=jdk.incubator.vector --add-opens=java.base/java.nio=ALL-UNNAMED \
 *   -cp benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt) \
 *   dev.shardsmith.benchmarks.KnnMethodBenchmark benchmarks/work/tabular32 [ROWS [TREE_QUERIES [DIMS]]]
 * }</pre>
 */
public final class KnnMethodBenchmark {
  private KnnMethodBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 4) {
      System.err.println("usage: KnnMethodBenchmark DIR [ROWS [TREE_QUERIES [DIMS,...]]]");
      System.exit(2);
    }
    NpyShardFile.NpyArray xa = NpyShardFile.readNpy(Path.of(args[0]).resolve("x_100k.npy"));
    float[] x = xa.floats();
    int cols = Math.toIntExact(xa.shape()[1]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : Math.toIntExact(xa.shape()[0]);
    int tq = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    int[] dims =
        args.length > 3
            ? Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray()
            : new int[] {2, 4, 8, 16, 32};
    int threads = BenchEnv.threads();
    System.out.printf(
        "d\tbrute_s\tkdtree_%d_queries_s\tkdtree_scaled_s\tn=%d k=5 threads=%d%n", tq, n, threads);
    for (int d : dims) {
      float[] data = new float[n * d];
      for (int i = 0; i < n; i++) {
        System.arraycopy(x, i * cols, data, i * d, d);
      }
      NearestNeighbors base = NearestNeighbors.of(5).withThreads(threads);
      long start = System.nanoTime();
      Neighbors brute = base.withMethod(NearestNeighbors.Method.BRUTE_FORCE).searchSelf(data, n, d);
      double bruteS = (System.nanoTime() - start) / 1e9;
      int[] some = new int[tq];
      for (int i = 0; i < tq; i++) {
        some[i] = i;
      }
      start = System.nanoTime();
      Neighbors tree =
          base.withMethod(NearestNeighbors.Method.KD_TREE).searchRows(data, n, d, some);
      double treeS = (System.nanoTime() - start) / 1e9;
      int kk = 5 * tq;
      if (!Arrays.equals(Arrays.copyOf(brute.indices(), kk), tree.indices())
          || !Arrays.equals(Arrays.copyOf(brute.distances(), kk), tree.distances())) {
        throw new IllegalStateException("brute force and k-d tree differ at d = " + d);
      }
      System.out.printf("%d\t%.2f\t%.2f\t%.1f%n", d, bruteS, treeS, treeS * n / tq);
      System.out.flush();
    }
  }
}
