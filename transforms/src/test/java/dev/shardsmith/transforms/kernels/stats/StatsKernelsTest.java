package dev.shardsmith.transforms.kernels.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsKernelsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Splits {@code values} (shuffled by {@code seed}) into 1..8 random partitions, accumulates each
   * and merges them in a shuffled order: the way Beam may combine.
   */
  static <T, A> A partitioned(
      List<T> values, long seed, Supplier<A> make, BiConsumer<A, T> add, BiConsumer<A, A> merge) {
    List<T> shuffled = new ArrayList<>(values);
    Random rng = new Random(seed);
    Collections.shuffle(shuffled, rng);
    int parts = 1 + rng.nextInt(8);
    List<A> accs = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      accs.add(make.get());
    }
    for (T v : shuffled) {
      add.accept(accs.get(rng.nextInt(parts)), v);
    }
    Collections.shuffle(accs, rng);
    A total = make.get();
    for (A a : accs) {
      merge.accept(total, a);
    }
    return total;
  }

  @Test
  void exactSumIsBitwiseTheSameForAnyPartitionAndOrder() {
    SplittableRandom r = new SplittableRandom(7);
    List<Double> xs = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      // Wide exponents, both signs, plus cancelling giants and subnormals.
      xs.add((r.nextBoolean() ? 1 : -1) * r.nextDouble() * Math.pow(2, r.nextInt(-60, 60)));
    }
    xs.addAll(List.of(1e300, -1e300, 1.0, Double.MIN_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE));
    BigDecimal exact = BigDecimal.ZERO;
    for (double x : xs) {
      exact = exact.add(new BigDecimal(x));
    }
    double first = Double.NaN;
    ExactSum reference = null;
    for (long seed = 0; seed < 20; seed++) {
      ExactSum s = partitioned(xs, seed, ExactSum::new, ExactSum::add, ExactSum::merge);
      if (reference == null) {
        reference = s;
        first = s.value();
      }
      assertEquals(reference, s, "seed " + seed);
      assertEquals(Double.doubleToRawLongBits(first), Double.doubleToRawLongBits(s.value()));
    }
    // Rounded once: the nearest double to the exact sum.
    double want = exact.round(MathContext.DECIMAL128).doubleValue();
    assertEquals(want, first, Math.ulp(want));
    // A naive double sum in two orders differs, which is why this exists.
    double forward = 0;
    double backward = 0;
    for (int i = 0; i < xs.size(); i++) {
      forward += xs.get(i);
      backward += xs.get(xs.size() - 1 - i);
    }
    assertTrue(forward != backward || forward != first, "the data should defeat a naive sum");
  }

  @Test
  void exactSumCancelsAndRejectsNonFinite() {
    ExactSum s = new ExactSum();
    s.add(1e16);
    s.add(1.0);
    s.add(-1e16);
    assertEquals(1.0, s.value());
    assertThrows(IllegalArgumentException.class, () -> s.add(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> s.add(Double.POSITIVE_INFINITY));
    assertEquals(0.0, new ExactSum().value());
  }

  @Test
  void featureStatisticsOnLettersEqualNumpyAndAreOrderIndependent() throws Exception {
    List<float[]> rows = StatsReference.letters("letters-2000.data");
    List<double[]> ref =
        StatsReference.run(
            "features", StatsReference.resource("letters/letters-2000.data").toString());
    NormalizeSpec spec = NormalizeSpec.DEFAULT.withScale("zscore").withImpute("median", 0);
    String first = null;
    for (long seed = 0; seed < 10; seed++) {
      FeatureAccumulator acc =
          partitioned(
              rows,
              seed,
              FeatureAccumulator::new,
              (a, x) -> a.add(x, new String[0]),
              FeatureAccumulator::merge);
      FittedFeatures fit = acc.fit(spec, null);
      String manifest = JSON.writeValueAsString(fit.toManifest());
      if (first == null) {
        first = manifest;
        for (int j = 0; j < 16; j++) {
          FittedFeatures.Column c = fit.column(j);
          // Exact sums rounded once: numpy's pairwise float64 sums agree here to the last bits.
          assertEquals(ref.get(j)[0], c.mean(), 1e-15 * Math.abs(ref.get(j)[0]), "mean " + j);
          assertEquals(ref.get(j)[1], c.std(), 1e-13 * ref.get(j)[1], "std " + j);
          assertEquals(ref.get(j)[2], c.min(), "min " + j);
          assertEquals(ref.get(j)[3], c.max(), "max " + j);
          // Integer data: one value per bucket, so the histogram median is exact.
          assertEquals(ref.get(j)[4], c.median(), "median " + j);
          assertTrue(c.medianExact());
          assertEquals(c.median(), c.imputeValue());
          assertEquals(2000, c.count());
        }
      }
      assertEquals(first, manifest, "seed " + seed);
    }
  }

  @Test
  void histogramMedianIsWithinItsBoundAndTheSecondPassIsExact() {
    SplittableRandom r = new SplittableRandom(3);
    List<Float> xs = new ArrayList<>();
    for (int i = 0; i < 10_001; i++) {
      xs.add((float) (r.nextGaussian() * 1000 + 5));
    }
    float[] sorted = new float[xs.size()];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = xs.get(i);
    }
    Arrays.sort(sorted);
    double truth = sorted[sorted.length / 2];
    Float32Histogram h =
        partitioned(xs, 1, Float32Histogram::new, Float32Histogram::add, Float32Histogram::merge);
    assertEquals(xs.size(), h.count());
    assertTrue(Math.abs(h.median() - truth) <= Math.abs(truth) * 0x1p-8, h.median() + " " + truth);
    Float32Histogram.ExactMedian exact =
        partitioned(
            xs,
            2,
            h::exactCounter,
            Float32Histogram.ExactMedian::add,
            Float32Histogram.ExactMedian::merge);
    assertEquals(truth, exact.median());
    // Even count: the mean of the two middle values, as numpy.
    xs.remove(0);
    sorted = new float[xs.size()];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = xs.get(i);
    }
    Arrays.sort(sorted);
    Float32Histogram h2 = new Float32Histogram();
    xs.forEach(h2::add);
    Float32Histogram.ExactMedian e2 = h2.exactCounter();
    xs.forEach(e2::add);
    assertEquals(((double) sorted[4999] + sorted[5000]) / 2, e2.median());
  }

  @Test
  void missingValuesAreCountedAndImputedAndCategoriesTieByValue() {
    FeatureAccumulator acc = new FeatureAccumulator();
    acc.add(new float[] {1f, Float.NaN}, new String[] {"b", null});
    acc.add(new float[] {3f, Float.POSITIVE_INFINITY}, new String[] {"a", null});
    acc.add(new float[] {Float.NaN, Float.NEGATIVE_INFINITY}, new String[] {"c", null});
    acc.add(new float[] {5f, Float.NaN}, new String[] {"b", null});
    acc.add(new float[] {7f, Float.NaN}, new String[] {"a", null});
    FittedFeatures fit = acc.fit(NormalizeSpec.DEFAULT.withScale("minmax"), null);
    assertEquals(1, fit.column(0).missing());
    assertEquals(4.0, fit.column(0).mean());
    assertEquals(4.0, fit.column(0).median());
    assertEquals(5, fit.column(1).missing());
    assertEquals(0, fit.column(1).count());
    assertEquals("a", fit.category(0).mostFrequent(), "a and b tie at 2: the smaller wins");
    assertEquals(2, fit.category(0).mostFrequentCount());
    assertEquals(null, fit.category(1).mostFrequent());
    assertEquals("missing", fit.category(1).imputeValue());
    // minmax over [1, 7]; the missing value is the mean 4; an all-missing column becomes 0.
    assertArrayEquals(new float[] {0.5f, 0f}, fit.apply(new float[] {Float.NaN, Float.NaN}, null));
    assertArrayEquals(new float[] {1f, 0f}, fit.apply(new float[] {7f, 12f}, null));
    assertArrayEquals(new String[] {"x", "missing"}, fit.impute(new String[] {"x", null}));
    assertThrows(
        IllegalArgumentException.class, () -> acc.add(new float[] {1f}, new String[] {"a", "b"}));
  }

  @Test
  void nothingToFitOnIsAClearError() {
    FittedFeatures fit = new FeatureAccumulator().fit(NormalizeSpec.DEFAULT, null);
    assertEquals(0, fit.rows());
    assertTrue(
        assertThrows(IllegalStateException.class, () -> fit.apply(new float[] {1f}, null))
            .getMessage()
            .contains("0 train samples"));
  }

  @Test
  void scalingNeverWritesNanOrInfinity() {
    FeatureAccumulator acc = new FeatureAccumulator();
    acc.add(new float[] {1f, 2f}, new String[0]);
    acc.add(new float[] {1f, 2.0000002f}, new String[0]);
    FittedFeatures fit = acc.fit(NormalizeSpec.DEFAULT.withScale("zscore"), null);
    assertEquals(0.0, fit.column(0).std(), "a constant column");
    float[] out = fit.apply(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE}, null);
    assertEquals(0f, out[0], "std 0 scales to 0");
    assertEquals(-Float.MAX_VALUE, out[1], "beyond float32 saturates");
    for (float v : fit.apply(new float[] {Float.NaN, Float.NEGATIVE_INFINITY}, null)) {
      assertTrue(Float.isFinite(v));
    }
  }

  @Test
  void pcaExplainedVarianceEqualsScikitLearn() throws Exception {
    List<float[]> rows = StatsReference.letters("letters-2000.data");
    List<double[]> ref =
        StatsReference.run(
            "pca", StatsReference.resource("letters/letters-2000.data").toString(), "4");
    FeatureAccumulator acc = new FeatureAccumulator();
    rows.forEach(x -> acc.add(x, new String[0]));
    FittedFeatures fit = acc.fit(NormalizeSpec.DEFAULT.withScale("zscore"), null);
    String first = null;
    for (long seed = 0; seed < 5; seed++) {
      CovarianceAccumulator cov =
          partitioned(
              rows,
              seed,
              CovarianceAccumulator::new,
              (a, x) -> a.add(fit.scale(x, null)),
              CovarianceAccumulator::merge);
      Pca pca = Pca.fit(cov.mean(), cov.covariance(), 4, 0);
      String m =
          JSON.writeValueAsString(pca.toManifest())
              + Arrays.deepToString(
                  new Object[] {
                    pca.explainedVariance(), pca.explainedVarianceRatio(), pca.component(3)
                  });
      if (first == null) {
        first = m;
        for (int c = 0; c < 4; c++) {
          assertEquals(ref.get(0)[c], pca.explainedVariance()[c], 1e-9, "variance " + c);
          assertEquals(ref.get(1)[c], pca.explainedVarianceRatio()[c], 1e-9, "ratio " + c);
          double[] v = pca.component(c);
          double[] w = ref.get(2 + c);
          double dot = 0;
          for (int i = 0; i < v.length; i++) {
            dot += v[i] * w[i];
          }
          assertEquals(1.0, Math.abs(dot), 1e-9, "component " + c + " up to sign");
        }
      }
      assertEquals(first, m, "seed " + seed);
    }
    Pca byVariance =
        Pca.fit(new double[16], new CovarianceAccumulatorProbe(rows, fit).covariance(), 0, 0.5);
    double sum = 0;
    for (double v : byVariance.explainedVarianceRatio()) {
      sum += v;
    }
    assertTrue(
        sum >= 0.5 && sum - byVariance.explainedVarianceRatio()[byVariance.components() - 1] < 0.5);
  }

  /** The covariance of scaled rows, for the variance-fraction check. */
  private record CovarianceAccumulatorProbe(List<float[]> rows, FittedFeatures fit) {
    double[][] covariance() {
      CovarianceAccumulator c = new CovarianceAccumulator();
      rows.forEach(x -> c.add(fit.scale(x, null)));
      return c.covariance();
    }
  }

  @Test
  void channelStatisticsAreExactAgainstNumpy(@TempDir Path dir) throws Exception {
    SplittableRandom r = new SplittableRandom(11);
    List<byte[]> images = new ArrayList<>();
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 40; i++) {
      byte[] px = new byte[17 * 13 * 3];
      for (int k = 0; k < px.length; k++) {
        px[k] = (byte) (k % 3 == 0 ? r.nextInt(256) : r.nextInt(40) + 200);
      }
      images.add(px);
      all.write(px);
    }
    Path file = dir.resolve("pixels.u8");
    Files.write(file, all.toByteArray());
    List<double[]> ref = StatsReference.run("channels", file.toString(), "3");
    String first = null;
    for (long seed = 0; seed < 5; seed++) {
      ChannelAccumulator acc =
          partitioned(
              images,
              seed,
              ChannelAccumulator::new,
              (a, px) -> a.add(px, 3),
              ChannelAccumulator::merge);
      String m = JSON.writeValueAsString(acc.toManifest());
      if (first == null) {
        first = m;
        assertEquals(40 * 17 * 13, acc.pixels());
        for (int c = 0; c < 3; c++) {
          assertEquals(ref.get(c)[0], acc.mean(c), Math.ulp(ref.get(c)[0]), "mean " + c);
          assertEquals(ref.get(c)[1], acc.std(c), 4 * Math.ulp(ref.get(c)[1]), "std " + c);
        }
      }
      assertEquals(first, m);
    }
    assertFalse(first.isEmpty());
    // Applied (for float32 image shards): the same float32 bytes as numpy's.
    ChannelAccumulator acc = new ChannelAccumulator();
    images.forEach(px -> acc.add(px, 3));
    java.nio.ByteBuffer buf =
        java.nio.ByteBuffer.allocate(4 * all.size()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float v : acc.normalize(all.toByteArray())) {
      buf.putFloat(v);
    }
    String sha =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(buf.array()));
    String want =
        new String(
                new ProcessBuilder(
                        StatsReference.PYTHON,
                        StatsReference.resource("stats/reference.py").toString(),
                        "channels_apply",
                        file.toString(),
                        "3")
                    .start()
                    .getInputStream()
                    .readAllBytes())
            .trim();
    assertEquals(want, sha);
  }
}
