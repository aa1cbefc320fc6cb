package dev.shardsmith.transforms.kernels.series;

import java.util.SplittableRandom;

/**
 * Counter-based standard normal values: value {@code i} of stream {@code seed} depends only on
 * {@code (seed, i)}, so a window's noise is the same whatever order or chunking produced it, and a
 * record needs to hold only the 64-bit seed. Values {@code 2k} and {@code 2k + 1} take the low and
 * high 32 bits of one SplitMix64 output of counter {@code k}, each fed to a 256-layer ziggurat
 * (Marsaglia and Tsang 2000; {@code r = 3.6541528853610088}, the layer layout numpy's {@code
 * Generator.standard_normal} uses): 8 bits pick the layer, 1 the sign, 23 the position, which is
 * the resolution float32 noise needs. About 99 % of values cost half a hash, two table reads and a
 * multiply; the rare wedge and tail cases draw from a SplitMix64 stream keyed on {@code (seed, i)}.
 * Tables are built once with {@link StrictMath} and the fast path is exact arithmetic on them, so
 * the values are the same bits on every JVM.
 *
 * <pre>{@code
 * double z = Gaussians.standard(noiseSeed, i); // N(0, 1)
 * Gaussians.addScaled(window, 0.05, noiseSeed); // window[i] += 0.05 * standard(noiseSeed, i)
 * }</pre>
 */
public final class Gaussians {
  private Gaussians() {}

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final double R = 3.6541528853610088;
  private static final double INV_R = 1 / R;
  private static final double AREA = 0.00492867323399;
  private static final double M23 = 0x1.0p23;
  private static final int[] K = new int[256];
  private static final double[] W = new double[256];
  private static final double[] F = new double[256];

  static {
    double dn = R;
    double tn = dn;
    double q = AREA / StrictMath.exp(-0.5 * dn * dn);
    K[0] = (int) ((dn / q) * M23);
    K[1] = 0;
    W[0] = q / M23;
    W[255] = dn / M23;
    F[0] = 1.0;
    F[255] = StrictMath.exp(-0.5 * dn * dn);
    for (int i = 254; i >= 1; i--) {
      dn = StrictMath.sqrt(-2.0 * StrictMath.log(AREA / dn + StrictMath.exp(-0.5 * dn * dn)));
      K[i + 1] = (int) ((dn / tn) * M23);
      tn = dn;
      F[i] = StrictMath.exp(-0.5 * dn * dn);
      W[i] = dn / M23;
    }
  }

  /** Standard normal value {@code i >= 0} of stream {@code seed}. */
  public static double standard(long seed, long i) {
    long r = bits(seed, i >>> 1);
    return fromBits((int) ((i & 1) == 0 ? r : r >>> 32), seed, i);
  }

  /**
   * {@code v[i] = (float) (v[i] + sigma * standard(seed, i))} for every {@code i}: the same values
   * as {@link #standard}, one hash per pair.
   */
  public static void addScaled(float[] v, double sigma, long seed) {
    int n = v.length;
    int i = 0;
    for (; i + 1 < n; i += 2) {
      long r = bits(seed, i >>> 1);
      v[i] = (float) (v[i] + sigma * fromBits((int) r, seed, i));
      v[i + 1] = (float) (v[i + 1] + sigma * fromBits((int) (r >>> 32), seed, i + 1));
    }
    if (i < n) {
      v[i] = (float) (v[i] + sigma * standard(seed, i));
    }
  }

  private static double fromBits(int b, long seed, long i) {
    int idx = b & 0xFF;
    int rabs = b >>> 9;
    // the sign bit moved to bit 63: a branch on a random sign would mispredict half the time
    double x =
        Double.longBitsToDouble(
            Double.doubleToRawLongBits(rabs * W[idx]) ^ ((long) (b & 0x100) << 55));
    if (rabs < K[idx]) {
      return x;
    }
    return slow(seed, i, idx, Math.abs(x), (b & 0x100) != 0);
  }

  /**
   * A candidate outside its layer's inner rectangle (about 1 %): the wedge test, or the tail for
   * the base layer; a rejected candidate restarts the ziggurat on a stream keyed on (seed, i).
   */
  private static double slow(long seed, long i, int idx, double x, boolean negative) {
    SplittableRandom more = new SplittableRandom(mix(seed ^ mix(i + 0x632BE59BD9B4E019L)));
    while (true) {
      if (idx == 0) {
        while (true) {
          double xx = -INV_R * StrictMath.log1p(-more.nextDouble());
          double yy = -StrictMath.log1p(-more.nextDouble());
          if (yy + yy > xx * xx) {
            return negative ? -(R + xx) : R + xx;
          }
        }
      }
      if ((F[idx - 1] - F[idx]) * more.nextDouble() + F[idx] < StrictMath.exp(-0.5 * x * x)) {
        return negative ? -x : x;
      }
      int b = more.nextInt();
      idx = b & 0xFF;
      int rabs = b >>> 9;
      x = rabs * W[idx];
      negative = (b & 0x100) != 0;
      if (rabs < K[idx]) {
        return negative ? -x : x;
      }
    }
  }

  /** A normal value from a sequential stream: one {@code nextLong()} names a counter stream. */
  public static double next(SplittableRandom rng) {
    return standard(rng.nextLong(), 0);
  }

  /** The {@code counter}-th output of a SplitMix64 stream seeded with {@code seed}. */
  static long bits(long seed, long counter) {
    return mix(seed + (counter + 1) * GOLDEN);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
