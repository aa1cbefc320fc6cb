package dev.shardsmith.transforms.kernels.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussiansTest {
  @Test
  void counterValuesAreStandardNormal() {
    double[] z = new double[200_000];
    for (int i = 0; i < z.length; i++) {
      z[i] = Gaussians.standard(42, i);
    }
    KolmogorovSmirnov.assertFits("Gaussians.standard", z, KolmogorovSmirnov.normal(0, 1));
  }

  @Test
  void valuesAcrossSeedsAreStandardNormal() {
    // the first counter of many seeds: what Gaussians.next gives scaling and knot draws
    SplittableRandom rng = new SplittableRandom(7);
    double[] z = new double[50_000];
    for (int i = 0; i < z.length; i++) {
      z[i] = Gaussians.next(rng);
    }
    KolmogorovSmirnov.assertFits("Gaussians.next", z, KolmogorovSmirnov.normal(0, 1));
  }

  @Test
  void tailBeyondTheBaseStripHasTheNormalFrequency() {
    // KS barely sees the tails; the tail path (|z| > r = 3.654) has its own check: expected
    // 2 * (1 - Phi(3.6541528853610088)) = 2.580e-4 of all values, a binomial count.
    int n = 4_000_000;
    int tail = 0;
    int beyond4 = 0;
    for (int i = 0; i < n; i++) {
      double z = Math.abs(Gaussians.standard(-99, i));
      tail += z > 3.6541528853610088 ? 1 : 0;
      beyond4 += z > 4 ? 1 : 0;
    }
    double expected = n * KolmogorovSmirnov.erfc(3.6541528853610088 / Math.sqrt(2));
    assertTrue(
        Math.abs(tail - expected) < 5 * Math.sqrt(expected), "tail " + tail + " vs " + expected);
    double expected4 = n * KolmogorovSmirnov.erfc(4 / Math.sqrt(2));
    assertTrue(
        Math.abs(beyond4 - expected4) < 5 * Math.sqrt(expected4),
        "beyond 4: " + beyond4 + " vs " + expected4);
  }

  @Test
  void valueDependsOnlyOnSeedAndCounter() {
    double forward = Gaussians.standard(5, 1234);
    for (int i = 2000; i >= 0; i--) {
      Gaussians.standard(5, i);
    }
    assertEquals(
        Double.doubleToRawLongBits(forward),
        Double.doubleToRawLongBits(Gaussians.standard(5, 1234)));
    assertNotEquals(Gaussians.standard(5, 1234), Gaussians.standard(6, 1234));
    assertNotEquals(Gaussians.standard(5, 1234), Gaussians.standard(5, 1235));
  }

  @Test
  void bulkNoiseIsThePerValueNoise() {
    float[] v = new float[10_001]; // not a multiple of any vector width: a scalar tail
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 0.5f;
    }
    Gaussians.addScaled(v, 0.25f, -17);
    for (int i = 0; i < v.length; i++) {
      assertEquals(i * 0.5f + 0.25f * (float) Gaussians.standard(-17, i), v[i], "value " + i);
    }
  }

  @Test
  void simdLanesGiveTheScalarBits() {
    // surefire runs with --add-modules jdk.incubator.vector, so addScaled takes the lanes here
    assertTrue(Gaussians.VECTOR_API, "the vector path is not under test");
    for (long seed = 0; seed < 50; seed++) {
      float[] lanes = new float[4099];
      float[] scalar = new float[lanes.length];
      for (int i = 0; i < lanes.length; i++) {
        lanes[i] = scalar[i] = (float) Math.sin(i);
      }
      Gaussians.addScaled(lanes, 1.5f, seed);
      long k = Gaussians.mix(seed);
      Gaussians.addScaledScalar(scalar, 0, 1.5f, (int) k, (int) (k >>> 32));
      assertArrayEquals(scalar, lanes, "seed " + seed); // 4099 x 50 values: ~2,000 slow lanes
    }
  }

  @Test
  void theGuardFailsOnCheaperNoise() {
    // uniform noise with the same variance, and a triangular sum of two uniforms, must not pass
    SplittableRandom rng = new SplittableRandom(3);
    int n = 200_000;
    double[] uniform = new double[n];
    double[] triangular = new double[n];
    for (int i = 0; i < n; i++) {
      uniform[i] = (rng.nextDouble() * 2 - 1) * Math.sqrt(3);
      triangular[i] = (rng.nextDouble() + rng.nextDouble() - 1) * Math.sqrt(6);
    }
    assertThrows(
        AssertionError.class,
        () -> KolmogorovSmirnov.assertFits("uniform", uniform, KolmogorovSmirnov.normal(0, 1)));
    assertThrows(
        AssertionError.class,
        () ->
            KolmogorovSmirnov.assertFits("triangular", triangular, KolmogorovSmirnov.normal(0, 1)));
    // and the wrong sigma: N(0, 1.05^2) is not N(0, 1) (D about 0.012, critical 0.0044)
    double[] wide = new double[n];
    for (int i = 0; i < n; i++) {
      wide[i] = 1.05 * Gaussians.standard(11, i);
    }
    assertThrows(
        AssertionError.class,
        () -> KolmogorovSmirnov.assertFits("wide", wide, KolmogorovSmirnov.normal(0, 1)));
  }

  @Test
  void theGuardFailsOnSkewedIntegers() {
    // integers 0..9 where 9 never comes: the uniform-integer check must fail
    long[] draws = new long[5000];
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < draws.length; i++) {
      draws[i] = rng.nextInt(9);
    }
    assertThrows(
        AssertionError.class, () -> KolmogorovSmirnov.assertUniformIntegers("skewed", draws, 0, 9));
  }
}
