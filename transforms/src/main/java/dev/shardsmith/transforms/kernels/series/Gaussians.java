package dev.shardsmith.transforms.kernels.series;

import java.util.SplittableRandom;

/**
 * Counter-based standard normal values: value {@code i} of stream {@code seed} depends only on
 * {@code (seed, i)}, so a window's noise is the same whatever order or chunking produced it, and a
 * record needs to hold only the 64-bit seed. Each value is one SplitMix64 output of the counter fed
 * to the 256-layer ziggurat of Marsaglia and Tsang (2000) with the layout numpy's {@code
 * Generator.standard_normal} uses ({@code r = 3.6541528853610088}, 8 bits pick the layer, 1 the
 * sign, 52 the position): about 99 % of values cost one hash, two table reads and a multiply. The
 * rare wedge and tail cases draw from a SplitMix64 stream keyed on {@code (seed, i)}. Tables are
 * built once with {@link StrictMath}, and the fast path is exact arithmetic on them, so the values
 * are the same bits on every JVM.
 *
 * <pre>{@code
 * double z = Gaussians.standard(noiseSeed, i); // N(0, 1)
 * }</pre>
 */
public final class Gaussians {
  private Gaussians() {}

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final double R = 3.6541528853610088;
  private static final double INV_R = 1 / R;
  private static final double AREA = 0.00492867323399;
  private static final double M52 = 0x1.0p52;
  private static final long[] K = new long[256];
  private static final double[] W = new double[256];
  private static final double[] F = new double[256];

  static {
    double dn = R;
    double tn = dn;
    double q = AREA / StrictMath.exp(-0.5 * dn * dn);
    K[0] = (long) ((dn / q) * M52);
    K[1] = 0;
    W[0] = q / M52;
    W[255] = dn / M52;
    F[0] = 1.0;
    F[255] = StrictMath.exp(-0.5 * dn * dn);
    for (int i = 254; i >= 1; i--) {
      dn = StrictMath.sqrt(-2.0 * StrictMath.log(AREA / dn + StrictMath.exp(-0.5 * dn * dn)));
      K[i + 1] = (long) ((dn / tn) * M52);
      tn = dn;
      F[i] = StrictMath.exp(-0.5 * dn * dn);
      W[i] = dn / M52;
    }
  }

  /** Standard normal value {@code i} of stream {@code seed}. */
  public static double standard(long seed, long i) {
    long r = bits(seed, i);
    int idx = (int) r & 0xFF;
    long rabs = (r >>> 9) & 0x000F_FFFF_FFFF_FFFFL;
    double x = rabs * W[idx];
    if ((r & 0x100) != 0) {
      x = -x;
    }
    if (rabs < K[idx]) {
      return x;
    }
    return slow(seed, i, r, idx, x);
  }

  /** Wedges and the tail (about 1 % of values), with their own stream keyed on (seed, i). */
  private static double slow(long seed, long i, long r, int idx, double x) {
    SplittableRandom more = new SplittableRandom(mix(seed ^ mix(i + 0x632BE59BD9B4E019L)));
    for (int tries = 0; ; tries++) {
      if (tries > 0) {
        r = more.nextLong();
        idx = (int) r & 0xFF;
        long rabs = (r >>> 9) & 0x000F_FFFF_FFFF_FFFFL;
        x = rabs * W[idx];
        if ((r & 0x100) != 0) {
          x = -x;
        }
        if (rabs < K[idx]) {
          return x;
        }
      }
      if (idx == 0) {
        while (true) {
          double xx = -INV_R * StrictMath.log1p(-more.nextDouble());
          double yy = -StrictMath.log1p(-more.nextDouble());
          if (yy + yy > xx * xx) {
            return (r & 0x100) != 0 ? -(R + xx) : R + xx;
          }
        }
      }
      if ((F[idx - 1] - F[idx]) * more.nextDouble() + F[idx] < StrictMath.exp(-0.5 * x * x)) {
        return x;
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
