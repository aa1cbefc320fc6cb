package dev.shardsmith.transforms.kernels.image;

import java.util.Arrays;

/**
 * An immutable plane map in continuous pixel coordinates: affine {@code (x, y) -> (a x + b y + c, d
 * x + e y + f)} or, once a perspective op joins, projective (a 3x3 homography {@code [a b c; d e f;
 * g h 1]}, dividing by {@code g x + h y + 1}). Pixel {@code i} covers {@code [i, i + 1)}, so an
 * image of width {@code w} spans {@code [0, w]} and scaling by 2 maps it exactly onto {@code [0,
 * 2w]}. Maps compose with {@link #then}, so a whole chain of geometric ops becomes one matrix and
 * one warp ({@code warpAffine}, or {@code warpPerspective} when {@link #isAffine} is false). {@link
 * ImageOps#warp} converts to OpenCV's pixel-centre convention.
 *
 * <pre>{@code
 * Affine m = Affine.scale(0.5, 0.5).then(Affine.hflip(128)).then(Affine.rotateDegrees(15, 64, 64));
 * double[] p = m.apply(10, 20);
 * }</pre>
 */
public final class Affine {
  private static final Affine IDENTITY = new Affine(1, 0, 0, 0, 1, 0);

  private final double a;
  private final double b;
  private final double c;
  private final double d;
  private final double e;
  private final double f;
  private final double g;
  private final double h;
  private final double i;

  private Affine(double a, double b, double c, double d, double e, double f) {
    this(a, b, c, d, e, f, 0, 0, 1);
  }

  private Affine(
      double a, double b, double c, double d, double e, double f, double g, double h, double i) {
    // normalise so that i == 1 where possible: equal maps compare equal
    double n = Math.abs(i) > 1e-300 ? i : 1;
    this.a = a / n;
    this.b = b / n;
    this.c = c / n;
    this.d = d / n;
    this.e = e / n;
    this.f = f / n;
    this.g = g / n;
    this.h = h / n;
    this.i = i / n;
  }

  /** The map with row-major coefficients {@code {a, b, c, d, e, f}}. */
  public static Affine of(double[] m) {
    if (m.length != 6) {
      throw new IllegalArgumentException("an affine map has 6 coefficients, got " + m.length);
    }
    return new Affine(m[0], m[1], m[2], m[3], m[4], m[5]);
  }

  /** The projective map with row-major coefficients {@code {a, b, c, d, e, f, g, h, i}}. */
  public static Affine ofProjective(double[] m) {
    if (m.length != 9) {
      throw new IllegalArgumentException("a projective map has 9 coefficients, got " + m.length);
    }
    return new Affine(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]);
  }

  /**
   * The homography that maps the four points {@code from} onto {@code to} (each {@code {x0, y0, x1,
   * y1, x2, y2, x3, y3}}), as OpenCV's {@code getPerspectiveTransform}.
   */
  public static Affine quadToQuad(double[] from, double[] to) {
    if (from.length != 8 || to.length != 8) {
      throw new IllegalArgumentException("quadToQuad needs 4 points (8 numbers) on each side");
    }
    double[][] m = new double[8][9];
    for (int k = 0; k < 4; k++) {
      double x = from[2 * k];
      double y = from[2 * k + 1];
      double u = to[2 * k];
      double v = to[2 * k + 1];
      m[2 * k] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
      m[2 * k + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
    }
    double[] s = solve(m);
    return new Affine(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], 1);
  }

  /** Gaussian elimination with partial pivoting of an n x (n + 1) augmented system. */
  private static double[] solve(double[][] m) {
    int n = m.length;
    for (int col = 0; col < n; col++) {
      int best = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[best][col])) {
          best = r;
        }
      }
      if (Math.abs(m[best][col]) < 1e-12) {
        throw new IllegalArgumentException("degenerate quadrilateral: three points on a line");
      }
      double[] t = m[col];
      m[col] = m[best];
      m[best] = t;
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double k = m[r][col] / m[col][col];
          for (int j = col; j <= n; j++) {
            m[r][j] -= k * m[col][j];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int r = 0; r < n; r++) {
      x[r] = m[r][n] / m[r][r];
    }
    return x;
  }

  /**
   * Shear by {@code shx} degrees along x and {@code shy} degrees along y about {@code (cx, cy)}:
   * {@code x' = x + tan(shx) (y - cy)}, {@code y' = y + tan(shy) (x - cx)}.
   */
  public static Affine shearDegrees(double shx, double shy, double cx, double cy) {
    double tx = Math.tan(Math.toRadians(shx));
    double ty = Math.tan(Math.toRadians(shy));
    return new Affine(1, tx, -tx * cy, ty, 1, -ty * cx);
  }

  public static Affine identity() {
    return IDENTITY;
  }

  public static Affine scale(double sx, double sy) {
    return new Affine(sx, 0, 0, 0, sy, 0);
  }

  public static Affine translate(double tx, double ty) {
    return new Affine(1, 0, tx, 0, 1, ty);
  }

  /**
   * Rotation by {@code deg} degrees about {@code (cx, cy)}; positive turns the image
   * counter-clockwise as displayed (y points down), as OpenCV's {@code getRotationMatrix2D}.
   */
  public static Affine rotateDegrees(double deg, double cx, double cy) {
    double r = Math.toRadians(deg);
    double cos = Math.cos(r);
    double sin = Math.sin(r);
    // OpenCV: [cos sin; -sin cos] about the centre
    return new Affine(cos, sin, cx - cos * cx - sin * cy, -sin, cos, cy + sin * cx - cos * cy);
  }

  /** Mirror left-right within an image of the given width: {@code x -> width - x}. */
  public static Affine hflip(double width) {
    return new Affine(-1, 0, width, 0, 1, 0);
  }

  /** Mirror top-bottom within an image of the given height: {@code y -> height - y}. */
  public static Affine vflip(double height) {
    return new Affine(1, 0, 0, 0, -1, height);
  }

  /** Applies this map, then {@code next}. */
  public Affine then(Affine next) {
    double[] n = next.toArray9();
    double[] t = toArray9();
    double[] r = new double[9];
    for (int row = 0; row < 3; row++) {
      for (int col = 0; col < 3; col++) {
        r[row * 3 + col] =
            n[row * 3] * t[col] + n[row * 3 + 1] * t[3 + col] + n[row * 3 + 2] * t[6 + col];
      }
    }
    return new Affine(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]);
  }

  /** True when this map is affine (no perspective row), so one {@code warpAffine} applies it. */
  public boolean isAffine() {
    return g == 0 && h == 0;
  }

  /**
   * True when this map mirrors the image (its determinant is negative): a flip, a transpose, a
   * rotation composed with one flip. Two flips (or a flip and its undo) do not mirror. For a
   * projective map ({@code i} normalised to 1) the sign is that of its 3x3 determinant, which is
   * the local orientation wherever the map keeps points in front ({@code w > 0}).
   */
  public boolean mirrors() {
    return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g) < 0;
  }

  /** The inverse map; throws when this one is singular. */
  public Affine inverse() {
    if (!isAffine()) {
      double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
      if (Math.abs(det) < 1e-12) {
        throw new IllegalStateException("singular projective map: " + this);
      }
      return new Affine(
          (e * i - f * h) / det,
          (c * h - b * i) / det,
          (b * f - c * e) / det,
          (f * g - d * i) / det,
          (a * i - c * g) / det,
          (c * d - a * f) / det,
          (d * h - e * g) / det,
          (b * g - a * h) / det,
          (a * e - b * d) / det);
    }
    double det = a * e - b * d;
    if (Math.abs(det) < 1e-12) {
      throw new IllegalStateException("singular affine map: " + this);
    }
    double ia = e / det;
    double ib = -b / det;
    double id = -d / det;
    double ie = a / det;
    return new Affine(ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f));
  }

  public double[] apply(double x, double y) {
    if (isAffine()) {
      return new double[] {a * x + b * y + c, d * x + e * y + f};
    }
    double w = g * x + h * y + i;
    return new double[] {(a * x + b * y + c) / w, (d * x + e * y + f) / w};
  }

  /**
   * The largest local stretch over the rectangle {@code [0, w] x [0, h]}: the largest singular
   * value of the Jacobian at its corners and centre (for an affine map, {@link #maxScale}).
   */
  public double maxScaleOver(double w, double h) {
    if (isAffine()) {
      return maxScale();
    }
    double best = 0;
    double[][] pts = {{0, 0}, {w, 0}, {0, h}, {w, h}, {w / 2, h / 2}};
    for (double[] p : pts) {
      best = Math.max(best, jacobianAt(p[0], p[1]).maxScale());
    }
    return best;
  }

  /** The local linear part at {@code (x, y)}, as an affine map with no translation. */
  private Affine jacobianAt(double x, double y) {
    double w = g * x + h * y + i;
    double u = a * x + b * y + c;
    double v = d * x + e * y + f;
    return new Affine(
        (a * w - u * g) / (w * w),
        (b * w - u * h) / (w * w),
        0,
        (d * w - v * g) / (w * w),
        (e * w - v * h) / (w * w),
        0);
  }

  /** The smallest singular value of the linear part: the strongest shrink (0.25 = 4x smaller). */
  public double minScale() {
    return singular()[1];
  }

  /** The largest singular value of the linear part: the weakest shrink (or strongest stretch). */
  public double maxScale() {
    return singular()[0];
  }

  private double[] singular() {
    // singular values of [[a b][d e]]: sqrt of the eigenvalues of its Gram matrix
    double p = a * a + b * b + d * d + e * e;
    double det = a * e - b * d;
    double disc = Math.sqrt(Math.max(0, p * p - 4 * det * det));
    return new double[] {Math.sqrt((p + disc) / 2), Math.sqrt(Math.max(0, (p - disc) / 2))};
  }

  /**
   * The affine coefficients {@code {a, b, c, d, e, f}}, a fresh array; throws for a projective map
   * (use {@link #toArray9}).
   */
  public double[] toArray() {
    if (!isAffine()) {
      throw new IllegalStateException("a projective map has 9 coefficients: use toArray9()");
    }
    return new double[] {a, b, c, d, e, f};
  }

  /** The 3x3 coefficients {@code {a, b, c, d, e, f, g, h, 1}}, row-major, a fresh array. */
  public double[] toArray9() {
    return new double[] {a, b, c, d, e, f, g, h, i};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Affine m && Arrays.equals(toArray9(), m.toArray9());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toArray9());
  }

  @Override
  public String toString() {
    return (isAffine() ? "Affine" + Arrays.toString(toArray()) : "Homography")
        + (isAffine() ? "" : Arrays.toString(toArray9()));
  }
}
