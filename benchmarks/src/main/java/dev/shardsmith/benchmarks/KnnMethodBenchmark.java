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
 * BENCH_THREADS} threads; the figures choose {@code NearestNeighbors.KD_TREE_MAX_D}. Prints, per d,
 * the seconds of each method (median of the passes) and fails if their results differ.
 *
 * <pre>{@code
 * java --add-modules=jdk.incubator.vector --add-opens=java.base/java.nio=ALL-UNNAMED \
 *   -cp benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt) \
 *   dev.shardsmith.benchmarks.KnnMethodBenchmark benchmarks/work/tabular32 [ROWS [PASSES [DIMS]]]
 * }</pre>
 */
public final class KnnMethodBenchmark {
  private KnnMethodBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 4) {
      System.err.println("usage: KnnMethodBenchmark DIR [ROWS [PASSES [DIMS,...]]]");
      System.exit(2);
    }
    NpyShardFile.NpyArray xa = NpyShardFile.readNpy(Path.of(args[0]).resolve("x_100k.npy"));
    float[] x = xa.floats();
    int cols = Math.toIntExact(xa.shape()[1]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : Math.toIntExact(xa.shape()[0]);
    int passes = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int[] dims =
        args.length > 3
            ? Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray()
            : new int[] {2, 4, 8, 16, 32};
    int threads = BenchEnv.threads();
    System.out.printf("d\tbrute_s\tkdtree_s\tn=%d k=5 threads=%d%n", n, threads);
    for (int d : dims) {
      float[] data = new float[n * d];
      for (int i = 0; i < n; i++) {
        System.arraycopy(x, i * cols, data, i * d, d);
      }
      NearestNeighbors base = NearestNeighbors.of(5).withThreads(threads);
      Neighbors[] out = new Neighbors[2];
      double[] secs = new double[2];
      NearestNeighbors.Method[] methods = {
        NearestNeighbors.Method.BRUTE_FORCE, NearestNeighbors.Method.KD_TREE
      };
      for (int m = 0; m < 2; m++) {
        NearestNeighbors nn = base.withMethod(methods[m]);
        double[] t = new double[passes];
        for (int p = 0; p < passes; p++) {
          long start = System.nanoTime();
          out[m] = nn.searchSelf(data, n, d);
          t[p] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(t);
        secs[m] = t[passes / 2];
      }
      if (!Arrays.equals(out[0].indices(), out[1].indices())
          || !Arrays.equals(out[0].distances(), out[1].distances())) {
        throw new IllegalStateException("brute force and k-d tree differ at d = " + d);
      }
      System.out.printf("%d\t%.2f\t%.2f%n", d, secs[0], secs[1]);
      System.out.flush();
    }
  }
}
