package dev.shardsmith.transforms.kernels.series;

import static dev.shardsmith.transforms.kernels.series.KolmogorovSmirnov.assertFits;
import static dev.shardsmith.transforms.kernels.series.KolmogorovSmirnov.assertUniformIntegers;
import static dev.shardsmith.transforms.kernels.series.KolmogorovSmirnov.normal;
import static dev.shardsmith.transforms.kernels.series.KolmogorovSmirnov.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import java.util.List;
import java.util.SortedMap;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Every random draw of every series op against its documented distribution (Kolmogorov-Smirnov,
 * alpha 0.001), through the real key path: {@code SeriesOps.draw} over many copy indices of one
 * sample, so the stream derivation from {@code Seeds} is part of what is tested. {@code
 * GaussiansTest} shows the guard fails on cheaper noise.
 */
class SeriesDistributionTest {
  private static final int COPIES = 4000;
  private static final int T = 200;
  private static final int C = 2;

  /** The parameters of {@code op} drawn for {@link #COPIES} copies of one sample. */
  private static List<SortedMap<String, Object>> draws(SeriesOp op) {
    List<SeriesOp> ops = List.of(op);
    return java.util.stream.IntStream.range(0, COPIES)
        .mapToObj(copy -> SeriesOps.draw(ops, 77, "co2@0", 0, copy, T, C, 10))
        .map(fired -> fired.get(0).params())
        .toList();
  }

  private static double[] values(
      List<SortedMap<String, Object>> draws, ToDoubleFunction<SortedMap<String, Object>> f) {
    return draws.stream().mapToDouble(f).toArray();
  }

  private static long[] integers(List<SortedMap<String, Object>> draws, String key) {
    return draws.stream().mapToLong(m -> (Long) m.get(key)).toArray();
  }

  @Test
  void firingIsBernoulliP() {
    int n = 40_000;
    int fired = 0;
    for (int copy = 0; copy < n; copy++) {
      List<Applied.Op> r =
          SeriesOps.draw(List.of(new Jitter(0.3, 0.1, 0.1)), 77, "s", 0, copy, T, C, 0);
      fired += r.size();
    }
    double sd = Math.sqrt(n * 0.3 * 0.7);
    assertTrue(Math.abs(fired - 0.3 * n) < 5 * sd, "fired " + fired + " of " + n);
  }

  @Test
  void jitterNoiseIsNormalWithSigma() {
    float[] v = new float[50_000 * C];
    List<Applied.Op> r =
        SeriesOps.apply(v, new float[0], C, List.of(new Jitter(1, 0.5, 0.5)), 77, "s", 0, 0);
    assertEquals(0.5, r.get(0).number("sigma", 0));
    double[] z = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      z[i] = v[i];
    }
    assertFits("jitter noise", z, normal(0, 0.5));
  }

  @Test
  void jitterSigmaIsUniform() {
    assertFits(
        "jitter sigma",
        values(draws(new Jitter(1, 0.05, 0.2)), m -> (Double) m.get("sigma")),
        uniform(0.05, 0.2));
  }

  @Test
  void scalingFactorsAreNormalAroundOne() {
    List<SortedMap<String, Object>> d = draws(new Scaling(1, 0.2));
    assertFits("scaling factor_0", values(d, m -> (Double) m.get("factor_0")), normal(1, 0.2));
    assertFits("scaling factor_1", values(d, m -> (Double) m.get("factor_1")), normal(1, 0.2));
  }

  @Test
  void magnitudeWarpKnotsAreNormalAroundOne() {
    double[] knots =
        draws(new MagnitudeWarp(1, 0.3, 4)).stream()
            .flatMapToDouble(
                m ->
                    java.util.Arrays.stream(MagnitudeWarp.knotValues(m, C))
                        .flatMapToDouble(java.util.Arrays::stream))
            .toArray();
    assertEquals(COPIES * C * 6, knots.length);
    assertFits("magnitude_warp knots", knots, normal(1, 0.3));
  }

  @Test
  void timeWarpKnotsAreNormalAroundOne() {
    double[] knots =
        draws(new TimeWarp(1, 0.25, 4)).stream()
            .flatMapToDouble(m -> java.util.Arrays.stream(TimeWarp.knotValues(m)))
            .toArray();
    assertFits("time_warp knots", knots, normal(1, 0.25));
  }

  @Test
  void windowSliceRatioAndStartAreUniform() {
    assertFits(
        "window_slice ratio",
        values(draws(new WindowSlice(1, 0.6, 0.9)), m -> (Double) m.get("ratio")),
        uniform(0.6, 0.9));
    List<SortedMap<String, Object>> fixed = draws(new WindowSlice(1, 0.8, 0.8));
    assertEquals(160L, fixed.get(0).get("size"));
    assertUniformIntegers("window_slice start", integers(fixed, "start"), 0, T - 160);
  }

  @Test
  void windowWarpStartAndScaleAreUniform() {
    List<SortedMap<String, Object>> d = draws(new WindowWarp(1, 0.1, 0.5, 2.0));
    assertUniformIntegers("window_warp start", integers(d, "start"), 0, T - 20);
    assertFits("window_warp scale", values(d, m -> (Double) m.get("scale")), uniform(0.5, 2.0));
  }

  @Test
  void shiftIsUniformInItsRange() {
    assertUniformIntegers(
        "shift", integers(draws(new Shift(1, -10, 10, "edge")), "shift"), -10, 10);
  }

  @Test
  void driftMaxIsUniformAndStepsAreNormal() {
    List<SortedMap<String, Object>> d = draws(new Drift(1, 0.2, 0.5, 5));
    assertFits("drift max", values(d, m -> (Double) m.get("max")), uniform(0.2, 0.5));
    double[] steps = new double[COPIES * 5 * C];
    int k = 0;
    for (SortedMap<String, Object> m : d) {
      long seed = (Long) m.get("walk_seed");
      for (int j = 1; j <= 5; j++) {
        for (int c = 0; c < C; c++) {
          steps[k++] = Drift.step(seed, j, c, C);
        }
      }
    }
    assertFits("drift steps", steps, normal(0, 1));
  }

  @Test
  void dropoutStartsAreUniform() {
    long[] starts =
        draws(new Dropout(1, 0.1, 4, "zero")).stream()
            .flatMapToInt(m -> java.util.Arrays.stream(Dropout.starts(m, T)))
            .asLongStream()
            .toArray();
    assertEquals(COPIES * 5, starts.length); // round(0.1 * 200 / 4) segments per copy
    assertUniformIntegers("dropout starts", starts, 0, T - 4);
  }

  @Test
  void permutationCountAndOrderAreUniform() {
    assertUniformIntegers(
        "permutation segments", integers(draws(new Permutation(1, 2, 7)), "segments"), 2, 7);
    List<SortedMap<String, Object>> d = draws(new Permutation(1, 6, 6));
    long[] firstSource = new long[COPIES];
    long[] whereZeroGoes = new long[COPIES];
    for (int i = 0; i < COPIES; i++) {
      int[] order = Permutation.order(d.get(i), 6);
      firstSource[i] = order[0];
      for (int p = 0; p < 6; p++) {
        if (order[p] == 0) {
          whereZeroGoes[i] = p;
        }
      }
    }
    assertUniformIntegers("permutation order[0]", firstSource, 0, 5);
    assertUniformIntegers("permutation position of segment 0", whereZeroGoes, 0, 5);
  }
}
