package dev.shardsmith.transforms.kernels.series;

import static dev.shardsmith.transforms.kernels.series.KolmogorovSmirnov.assertFits;
import static dev.shardsmith.transforms.kernels.series.KolmogorovSmirnov.assertUniformIntegers;
import static dev.shardsmith.transforms.kernels.series.KolmogorovSmirnov.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.transforms.kernels.Seeds;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpawnerTest {
  private static final int T = 120;

  private static float[] sine(double phase) {
    float[] v = new float[T * 2];
    for (int i = 0; i < T; i++) {
      v[2 * i] = (float) Math.sin(2 * Math.PI * i / 40.0 + phase);
      v[2 * i + 1] = (float) (0.5 * Math.cos(2 * Math.PI * i / 40.0 + phase));
    }
    return v;
  }

  private static SortedMap<String, Object> params(double band, double sigma, int copy) {
    return Spawner.draw(Seeds.of(1, "a", "balance", 0, copy), T, band, sigma);
  }

  @Test
  void mixingAWindowWithItselfGivesItBack() {
    float[] a = sine(0);
    assertArrayEquals(a, Spawner.mix(a, a.clone(), new float[0], 2, params(0.1, 0, 0)));
  }

  @Test
  void alignmentKeepsTheAmplitudeThatAPointwiseAverageLoses() {
    // a quarter period apart: the pointwise average has amplitude cos(pi/4) = 0.71, the aligned
    // average keeps the shape (amplitude near 1)
    float[] a = sine(0);
    float[] b = sine(Math.PI / 2);
    float[] mixed = Spawner.mix(a, b, new float[0], 2, params(0.25, 0, 0));
    double peakMixed = 0;
    double peakPointwise = 0;
    for (int i = 10; i < T - 10; i++) { // away from the ends, which DTW pins together
      peakMixed = Math.max(peakMixed, Math.abs(mixed[2 * i]));
      peakPointwise = Math.max(peakPointwise, Math.abs(0.5 * (a[2 * i] + b[2 * i])));
    }
    assertTrue(peakPointwise < 0.72, "pointwise " + peakPointwise);
    assertTrue(peakMixed > 0.95, "aligned " + peakMixed);
  }

  @Test
  void replayIsExactAndDrawsFollowTheirDistributions() {
    float[] a = sine(0);
    float[] b = sine(1);
    SortedMap<String, Object> p = params(0.1, 0.05, 3);
    assertArrayEquals(
        Spawner.mix(a, b, new float[0], 2, p),
        Spawner.mix(a, b, new float[0], 2, params(0.1, 0.05, 3)));
    long[] splits = new long[4000];
    for (int copy = 0; copy < splits.length; copy++) {
      splits[copy] = (Long) params(0.1, 0.05, copy).get("split");
    }
    assertUniformIntegers("spawner split", splits, T / 4, 3 * T / 4);
    float[] big = new float[40_000]; // 2,000 steps x 20 channels of zeros
    SortedMap<String, Object> q = Spawner.draw(new SplittableRandom(9), 2000, 0.1, 0.5);
    float[] flat = Spawner.mix(big, big.clone(), new float[0], 20, q);
    double[] z = new double[flat.length];
    for (int i = 0; i < z.length; i++) {
      z[i] = flat[i];
    }
    assertFits("spawner noise", z, normal(0, 0.5));
  }

  @Test
  void badInputIsAClearError() {
    float[] a = sine(0);
    SortedMap<String, Object> p = params(0.1, 0, 0);
    assertMessage(
        "same-class mixing is for classification windows",
        () -> Spawner.mix(a, a, new float[2], 2, p));
    assertMessage(
        "the partner has 10 values", () -> Spawner.mix(a, new float[10], new float[0], 2, p));
    assertMessage(
        "spawner.band must be in [0, 1], but was 2",
        () -> Spawner.draw(new SplittableRandom(1), T, 2, 0));
    assertMessage(
        "spawner: needs a window of at least 4 steps",
        () -> Spawner.draw(new SplittableRandom(1), 3, 0.1, 0));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().contains(expected), ex.getMessage());
  }
}
