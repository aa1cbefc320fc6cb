package dev.shardsmith.transforms.kernels.series;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * The one-sample Kolmogorov-Smirnov test the distribution tests use: the statistic {@code D = sup
 * |F_n(x) - F(x)|} against a continuous CDF, and the critical value at {@code alpha = 0.001}
 * (asymptotic {@code sqrt(-ln(alpha / 2) / 2)} with Stephens' small-sample correction). Integer
 * draws are tested as continuous ones by adding an independent {@code U[0, 1)}: the sum is uniform
 * on {@code [lo, hi + 1)} exactly when the integers are uniform on {@code lo .. hi}.
 */
final class KolmogorovSmirnov {
  private KolmogorovSmirnov() {}

  static final double ALPHA = 0.001;

  static double statistic(double[] sample, DoubleUnaryOperator cdf) {
    double[] x = sample.clone();
    Arrays.sort(x);
    int n = x.length;
    double d = 0;
    for (int i = 0; i < n; i++) {
      double f = cdf.applyAsDouble(x[i]);
      d = Math.max(d, Math.max((i + 1) / (double) n - f, f - i / (double) n));
    }
    return d;
  }

  static double critical(int n) {
    double c = Math.sqrt(-0.5 * Math.log(ALPHA / 2));
    double s = Math.sqrt(n);
    return c / (s + 0.12 + 0.11 / s);
  }

  /**
   * Fails with the statistic and the critical value when {@code sample} does not fit {@code cdf}.
   */
  static void assertFits(String what, double[] sample, DoubleUnaryOperator cdf) {
    if (sample.length < 100) {
      throw new AssertionError(what + ": too few draws for a KS test: " + sample.length);
    }
    double d = statistic(sample, cdf);
    double crit = critical(sample.length);
    if (!(d <= crit)) {
      throw new AssertionError(
          String.format(
              "%s: KS D = %.5f > %.5f (alpha %s, n = %d): not the documented distribution",
              what, d, crit, ALPHA, sample.length));
    }
  }

  static DoubleUnaryOperator normal(double mean, double sd) {
    return x -> 0.5 * erfc(-(x - mean) / (sd * Math.sqrt(2)));
  }

  static DoubleUnaryOperator uniform(double lo, double hi) {
    return x -> x <= lo ? 0 : x >= hi ? 1 : (x - lo) / (hi - lo);
  }

  /** Integers meant to be uniform on {@code lo .. hi}, made continuous (see the class doc). */
  static void assertUniformIntegers(String what, long[] draws, long lo, long hi) {
    SplittableRandom u = new SplittableRandom(12345);
    double[] x = new double[draws.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = draws[i] + u.nextDouble();
    }
    assertFits(what, x, uniform(lo, hi + 1));
  }

  /** erfc with fractional error below 1.2e-7 (Numerical Recipes' Chebyshev fit). */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r =
        t
            * Math.exp(
                -z * z
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
}
