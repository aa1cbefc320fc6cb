package dev.shardsmith.benchmarks;

import dev.shardsmith.transforms.kernels.balance.LabeledRows;
import dev.shardsmith.transforms.kernels.balance.Smote;
import dev.shardsmith.transforms.kernels.balance.SmoteParams;
import dev.shardsmith.transforms.kernels.balance.SyntheticRows;
import dev.shardsmith.transforms.kernels.shard.NpyShardFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code benchmarks/run smote}, our side: the SMOTE kernel ({@link Smote#resample}: the in-class
 * neighbour search of {@code NearestNeighbors} plus the interpolation), k = 5, seed 0, on float32
 * rows held in memory, with {@code BENCH_THREADS} threads (default 1) for OpenBLAS and the
 * candidate selection. Rows {@code smote_<size>_<pct>}: {@code x_<size>.npy} with the labels {@code
 * y_<size>_<pct>.npy} of {@code benchmarks/data/tabular32.py} (10% or 1% minority). Value: rows of
 * input per second, median of the timed passes. {@code CHECK}: rows after resampling (input +
 * synthetic), as imbalanced-learn's {@code fit_resample} returns.
 *
 * <p>{@code BENCH_ROWS=smote_1m_10pct java -cp ... dev.shardsmith.benchmarks.SmoteBenchmark DIR 0
 * 1}
 */
public final class SmoteBenchmark {
  private static final List<String> ROWS =
      List.of("100k_10pct", "100k_1pct", "1m_10pct", "1m_1pct");

  private SmoteBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1 && args.length != 3) {
      System.err.println("usage: SmoteBenchmark DIR [WARMUP_PASSES PASSES]");
      System.exit(2);
    }
    int warmup = args.length == 3 ? Integer.parseInt(args[1]) : 1;
    int passes = args.length == 3 ? Integer.parseInt(args[2]) : 3;
    Path dir = Path.of(args[0]);
    int threads = BenchEnv.threads();
    List<String> only = BenchEnv.rows();
    SmoteParams params = SmoteParams.defaults(0).withK(5).withThreads(threads);
    for (String name : ROWS) {
      String row = "smote_" + name;
      if (!only.isEmpty() && !only.contains(row)) {
        continue;
      }
      String size = name.substring(0, name.indexOf('_'));
      NpyShardFile.NpyArray xa = NpyShardFile.readNpy(dir.resolve("x_" + size + ".npy"));
      float[] x = xa.floats();
      int[] y = NpyShardFile.readNpy(dir.resolve("y_" + name + ".npy")).ints();
      int n = y.length;
      int d = Math.toIntExact(xa.shape()[1]);
      LabeledRows rows = LabeledRows.of(x, n, d, y);
      long[] out = new long[1];
      double rate =
          PassTimer.medianRate(
              warmup,
              passes,
              n,
              () -> {
                SyntheticRows s = Smote.resample(rows, params);
                out[0] = n + (long) s.m();
                return s.m() + Float.floatToIntBits(s.x()[s.x().length - 1]);
              });
      System.out.println(ResultLine.check(row, out[0]));
      System.out.println(
          ResultLine.result(
              row,
              threads,
              "rows/s",
              rate,
              "Smote.resample (NearestNeighbors on OpenBLAS sgemm + interpolation), k=5, "
                  + n
                  + " x "
                  + d
                  + " float32 "
                  + Arrays.toString(counts(y))));
      System.out.flush();
    }
  }

  private static int[] counts(int[] y) {
    int[] c = new int[2];
    for (int v : y) {
      c[v]++;
    }
    return c;
  }
}
