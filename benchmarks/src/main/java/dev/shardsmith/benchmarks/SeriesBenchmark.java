package dev.shardsmith.benchmarks;

import dev.shardsmith.transforms.kernels.series.Jitter;
import dev.shardsmith.transforms.kernels.series.Scaling;
import dev.shardsmith.transforms.kernels.series.SeriesOp;
import dev.shardsmith.transforms.kernels.series.SeriesOps;
import dev.shardsmith.transforms.kernels.shard.NpyShardFile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code benchmarks/run series}, our side: scaling ({@code N(1, 0.1)} per window and channel) then
 * jitter ({@code sigma = 0.05}) on every window of {@code x.npy} of {@code
 * benchmarks/data/series.py} (2,048 x 256 x 4 float32), through the product path: per window a copy
 * into an output buffer (allocated once, so the timing does not measure the garbage collector; the
 * peer's expression allocates its output), {@link SeriesOps#apply} with the window's own {@code
 * Seeds} streams and its applied-parameters records, the normals from {@code Gaussians}'
 * counter-based ziggurat (on SIMD lanes: the launcher adds {@code jdk.incubator.vector}). One
 * thread. Before the harness's warm-up passes, untimed passes for 2 s of this thread's CPU time let
 * the JIT compile the loop (counted in CPU time: on a loaded machine 2 s of wall time was not
 * enough, and C2 was still compiling during the timed passes). Row {@code jitter_scaling}: values
 * per second of wall time, median of the timed passes. Row {@code jitter_scaling_cpu}: the same
 * work timed by the thread's CPU time (a loaded machine shares its cores; the GC's own threads are
 * not counted). {@code CHECK jitter_scaling}: the standard deviation of the added noise, which
 * should be 0.05 on both sides.
 *
 * <p>{@code java -cp ... dev.shardsmith.benchmarks.SeriesBenchmark DIR [WARMUP_PASSES PASSES]}
 */
public final class SeriesBenchmark {
  private static final List<SeriesOp> OPS = List.of(new Scaling(1, 0.1), new Jitter(1, 0.05, 0.05));

  private static final long JIT_WARMUP_NANOS = 2_000_000_000L;

  private SeriesBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1 && args.length != 3) {
      System.err.println("usage: SeriesBenchmark DIR [WARMUP_PASSES PASSES]");
      System.exit(2);
    }
    int warmup = args.length == 3 ? Integer.parseInt(args[1]) : 1;
    int passes = args.length == 3 ? Integer.parseInt(args[2]) : 5;
    NpyShardFile.NpyArray x = NpyShardFile.readNpy(Path.of(args[0]).resolve("x.npy"));
    long[] shape = x.shape();
    int n = (int) shape[0];
    int channels = (int) shape[2];
    int size = (int) (shape[1] * shape[2]);
    float[] all = x.floats();
    float[][] windows = new float[n][];
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      windows[i] = Arrays.copyOfRange(all, i * size, (i + 1) * size);
      ids[i] = "series@" + (i * shape[1]);
    }
    float[] empty = new float[0];
    float[][] out = new float[n][size]; // output buffers, reused: the copy is timed, not the GC
    int[] pass = {0};
    PassTimer.Pass work =
        () -> {
          long fired = 0;
          for (int i = 0; i < n; i++) {
            System.arraycopy(windows[i], 0, out[i], 0, size);
            fired += SeriesOps.apply(out[i], empty, channels, OPS, pass[0], ids[i], 0, 0).size();
          }
          pass[0]++;
          return fired;
        };
    // JIT warm-up, untimed, counted in this thread's CPU time: a pass takes milliseconds, so the
    // harness's warm-up passes can end before C2 has compiled the loop (the peer's numpy is
    // compiled C), and on a loaded machine wall time says little about how much work was done.
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    long until = bean.getCurrentThreadCpuTime() + JIT_WARMUP_NANOS;
    while (bean.getCurrentThreadCpuTime() < until) {
      work.run();
    }
    double rate = PassTimer.medianRate(warmup, passes, n * size, work);
    double cpuRate = medianCpuRate(passes, n * size, work);
    System.out.println(ResultLine.check("jitter_scaling", noiseSd(windows, out, channels)));
    System.out.println(
        ResultLine.result(
            "jitter_scaling",
            1,
            "values/s",
            rate,
            "SeriesOps.apply(Scaling N(1,0.1), Jitter 0.05) per window, Seeds streams + counter"
                + " ziggurat, records kept"));
    System.out.println(
        ResultLine.result(
            "jitter_scaling_cpu",
            1,
            "values/cpu-s",
            cpuRate,
            "the same passes timed by this thread's CPU time (ThreadMXBean), not wall time"));
  }

  /**
   * Median over {@code passes} of values per second of this thread's CPU time: on a shared machine
   * the wall-clock rate measures the other processes too (both sides measure their thread's CPU
   * time for the {@code _cpu} row; the GC's own threads are not counted here).
   */
  private static double medianCpuRate(int passes, int values, PassTimer.Pass work) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    double[] rates = new double[passes];
    long sink = 0;
    for (int p = 0; p < passes; p++) {
      long start = bean.getCurrentThreadCpuTime();
      sink += work.run();
      rates[p] = values / ((bean.getCurrentThreadCpuTime() - start) / 1e9);
    }
    Arrays.sort(rates);
    return sink == Long.MIN_VALUE ? 0 : rates[passes / 2];
  }

  /** The std of out - x * s, with each window's per-channel scale re-estimated as out/x means. */
  private static double noiseSd(float[][] x, float[][] out, int channels) {
    // s is known from the records, but recomputing them keeps this independent of the product:
    // least squares s = sum(x * out) / sum(x * x) per window and channel.
    double sum = 0;
    double sumSq = 0;
    long count = 0;
    for (int i = 0; i < x.length; i++) {
      for (int c = 0; c < channels; c++) {
        double xo = 0;
        double xx = 0;
        for (int k = c; k < x[i].length; k += channels) {
          xo += (double) x[i][k] * out[i][k];
          xx += (double) x[i][k] * x[i][k];
        }
        double s = xo / xx;
        for (int k = c; k < x[i].length; k += channels) {
          double e = out[i][k] - s * x[i][k];
          sum += e;
          sumSq += e * e;
          count++;
        }
      }
    }
    double mean = sum / count;
    return Math.sqrt(sumSq / count - mean * mean);
  }
}
