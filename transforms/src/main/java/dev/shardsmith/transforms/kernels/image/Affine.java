package dev.shardsmith.transforms.kernels.image;

import java.util.Arrays;

/**
 * An immutable 2x3 affine map {@code (x, y) -> (a x + b y + c, d x + e y + f)} in continuous pixel
 * coordinates: pixel {@code i} covers {@code [i, i + 1)}, so an image of width {@code w} spans
 * {@code [0, w]} and scaling by 2 maps it exactly onto {@code [0, 2w]}. Maps compose with {@link
 * #then}, so a whole chain of geometric ops becomes one matrix and one warp. {@link ImageOps#warp}
 * converts to OpenCV's pixel-centre convention.
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

  private Affine(double a, double b, double c, double d, double e, double f) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    this.e = e;
    this.f = f;
  }

  /** The map with row-major coefficients {@code {a, b, c, d, e, f}}. */
  public static Affine of(double[] m) {
    if (m.length != 6) {
      throw new IllegalArgumentException("an affine map has 6 coefficients, got " + m.length);
    }
    return new Affine(m[0], m[1], m[2], m[3], m[4], m[5]);
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
    return new Affine(
        next.a * a + next.b * d,
        next.a * b + next.b * e,
        next.a * c + next.b * f + next.c,
        next.d * a + next.e * d,
        next.d * b + next.e * e,
        next.d * c + next.e * f + next.f);
  }

  /** The inverse map; throws when this one is singular. */
  public Affine inverse() {
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
    return new double[] {a * x + b * y + c, d * x + e * y + f};
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

  /** The coefficients {@code {a, b, c, d, e, f}}, a fresh array. */
  public double[] toArray() {
    return new double[] {a, b, c, d, e, f};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Affine m && Arrays.equals(toArray(), m.toArray());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toArray());
  }

  @Override
  public String toString() {
    return "Affine" + Arrays.toString(toArray());
  }
}
