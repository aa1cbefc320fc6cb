package dev.shardsmith.transforms.kernels.series;

/**
 * The smooth curves and resampling the warps share: a natural cubic spline through evenly spaced
 * knots, and linear interpolation of a window at fractional times.
 */
final class Curves {
  private Curves() {}

  /**
   * Evaluates, at {@code t = 0, 1, ..., n - 1}, the natural cubic spline (second derivative 0 at
   * both ends) through {@code y.length} knots evenly spaced over {@code [0, span]}.
   */
  static double[] spline(double[] y, double span, int n) {
    int k = y.length;
    double h = span / (k - 1);
    // second derivatives m[i]: tridiagonal system (Thomas algorithm), m[0] = m[k-1] = 0
    double[] m = new double[k];
    double[] c = new double[k];
    double[] d = new double[k];
    for (int i = 1; i < k - 1; i++) {
      double rhs = 6 * (y[i + 1] - 2 * y[i] + y[i - 1]) / (h * h);
      double denom = 4 - (i > 1 ? c[i - 1] : 0);
      c[i] = 1 / denom;
      d[i] = (rhs - (i > 1 ? d[i - 1] : 0)) / denom;
    }
    for (int i = k - 2; i >= 1; i--) {
      m[i] = d[i] - c[i] * m[i + 1];
    }
    double[] out = new double[n];
    for (int t = 0; t < n; t++) {
      int i = Math.min((int) (t / h), k - 2);
      double a = (i + 1) * h - t;
      double b = t - i * h;
      out[t] =
          (m[i] * a * a * a + m[i + 1] * b * b * b) / (6 * h)
              + (y[i] / h - m[i] * h / 6) * a
              + (y[i + 1] / h - m[i + 1] * h / 6) * b;
    }
    return out;
  }

  /**
   * Linear interpolation of {@code src} ({@code T x channels}) at the fractional times {@code at}
   * (clamped to {@code [0, T - 1]}), into {@code dst} ({@code at.length x channels}).
   */
  static void resample(float[] src, int channels, double[] at, float[] dst) {
    int last = src.length / channels - 1;
    for (int t = 0; t < at.length; t++) {
      double x = Math.max(0, Math.min(last, at[t]));
      int i = Math.min((int) x, Math.max(last - 1, 0));
      double f = x - i;
      int j = Math.min(i + 1, last);
      for (int c = 0; c < channels; c++) {
        dst[t * channels + c] =
            (float) ((1 - f) * src[i * channels + c] + f * src[j * channels + c]);
      }
    }
  }

  /** {@code n} times evenly spread from {@code from} to {@code to}, both included. */
  static double[] linspace(double from, double to, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = n == 1 ? from : from + (to - from) * i / (n - 1);
    }
    return a;
  }
}
