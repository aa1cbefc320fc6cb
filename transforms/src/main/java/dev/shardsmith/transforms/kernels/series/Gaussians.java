package dev.shardsmith.transforms.kernels.series;

import java.util.SplittableRandom;

/**
 * Counter-based standard normal values: value {@code i} of stream {@code seed} depends only on
 * {@code (seed, i)}, so a window's noise is the same whatever order, chunking or vector width
 * produced it, and a record needs to hold only the 64-bit seed. Value {@code i} hashes the counter
 * with two rounds of a 32-bit avalanche mix ({@code lowbias32}, keyed by the two halves of the
 * SplitMix64-mixed seed) and feeds the 32 bits to a 256-layer ziggurat (Marsaglia and Tsang 2000;
 * {@code r = 3.6541528853610088}, the layer layout numpy's {@code Generator.standard_normal} uses):
 * 8 bits pick the layer, 1 the sign, 23 the position, the resolution float32 noise needs. The value
 * is a float: {@code position * width[layer]} in float arithmetic. About 99 % of values take this
 * fast path, which {@link GaussianLanes} runs on SIMD lanes (with {@code --add-modules
 * jdk.incubator.vector}; the scalar loop gives the same bits). The rare wedge and tail cases draw
 * from a SplitMix64 stream keyed on {@code (seed, i)}. Tables are built once with {@link
 * StrictMath}, so the values are the same bits on every JVM.
 *
 * <pre>{@code
 * double z = Gaussians.standard(noiseSeed, i); // N(0, 1)
 * Gaussians.addScaled(window, 0.05f, noiseSeed); // window[i] += 0.05f * standard(noiseSeed, i)
 * }</pre>
 */
public final class Gaussians {
  private Gaussians() {}

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  static final int PHI = 0x9E3779B9;
  private static final double R = 3.6541528853610088;
  private static final double INV_R = 1 / R;
  private static final double AREA = 0.00492867323399;
  private static final double M23 = 0x1.0p23;
  static final int[] K = new int[256];
  static final float[] W = new float[256];
  private static final double[] F = new double[256];

  /** Whether this JVM resolved {@code jdk.incubator.vector} ({@code --add-modules}). */
  static final boolean VECTOR_API =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  static {
    double[] w = new double[256];
    double dn = R;
    double tn = dn;
    double q = AREA / StrictMath.exp(-0.5 * dn * dn);
    K[0] = (int) ((dn / q) * M23);
    K[1] = 0;
    w[0] = q / M23;
    w[255] = dn / M23;
    F[0] = 1.0;
    F[255] = StrictMath.exp(-0.5 * dn * dn);
    for (int i = 254; i >= 1; i--) {
      dn = StrictMath.sqrt(-2.0 * StrictMath.log(AREA / dn + StrictMath.exp(-0.5 * dn * dn)));
      K[i + 1] = (int) ((dn / tn) * M23);
      tn = dn;
      F[i] = StrictMath.exp(-0.5 * dn * dn);
      w[i] = dn / M23;
    }
    for (int i = 0; i < 256; i++) {
      W[i] = (float) w[i];
    }
  }

  /** Standard normal value {@code i} (a counter below 2^32) of stream {@code seed}. */
  public static double standard(long seed, long i) {
    long k = mix(seed);
    return standard((int) k, (int) (k >>> 32), (int) i);
  }

  /**
   * {@code v[i] = v[i] + sigma * (float) standard(seed, i)} in float arithmetic for every {@code
   * i}, on SIMD lanes where the JVM has the Vector API.
   */
  public static void addScaled(float[] v, float sigma, long seed) {
    long k = mix(seed);
    int k1 = (int) k;
    int k2 = (int) (k >>> 32);
    int done = VECTOR_API ? GaussianLanes.addScaled(v, sigma, k1, k2) : 0;
    addScaledScalar(v, done, sigma, k1, k2);
  }

  /** The scalar loop of {@link #addScaled} from index {@code from}. */
  static void addScaledScalar(float[] v, int from, float sigma, int k1, int k2) {
    for (int i = from; i < v.length; i++) {
      v[i] = v[i] + sigma * standard(k1, k2, i);
    }
  }

  /** Value {@code i} of the stream keyed {@code (k1, k2)}. */
  static float standard(int k1, int k2, int i) {
    int b = hash(k1, k2, i);
    int idx = b & 0xFF;
    int rabs = b >>> 9;
    // the sign bit moved to bit 31: a branch on a random sign would mispredict half the time
    float x = Float.intBitsToFloat(Float.floatToRawIntBits(rabs * W[idx]) ^ ((b & 0x100) << 23));
    if (rabs < K[idx]) {
      return x;
    }
    return slow(k1, k2, i, idx, Math.abs(x), (b & 0x100) != 0);
  }

  /** The 32 random bits of counter {@code i}: two keyed rounds of {@code lowbias32}. */
  static int hash(int k1, int k2, int i) {
    return avalanche(avalanche(k1 + i * PHI) ^ k2);
  }

  /** Chris Wellons' {@code lowbias32}, a bijective 32-bit mix. */
  static int avalanche(int x) {
    x ^= x >>> 16;
    x *= 0x7feb352d;
    x ^= x >>> 15;
    x *= 0x846ca68b;
    x ^= x >>> 16;
    return x;
  }

  /**
   * A candidate outside its layer's inner rectangle (about 1 %): the wedge test, or the tail for
   * the base layer; a rejected candidate restarts the ziggurat on a stream keyed on (seed, i).
   */
  static float slow(int k1, int k2, int i, int idx, float candidate, boolean negative) {
    long key = ((long) k2 << 32) | (k1 & 0xFFFFFFFFL);
    SplittableRandom more = new SplittableRandom(mix(key ^ mix(i + 0x632BE59BD9B4E019L)));
    double x = candidate;
    while (true) {
      if (idx == 0) {
        while (true) {
          double xx = -INV_R * StrictMath.log1p(-more.nextDouble());
          double yy = -StrictMath.log1p(-more.nextDouble());
          if (yy + yy > xx * xx) {
            return (float) (negative ? -(R + xx) : R + xx);
          }
        }
      }
      if ((F[idx - 1] - F[idx]) * more.nextDouble() + F[idx] < StrictMath.exp(-0.5 * x * x)) {
        return (float) (negative ? -x : x);
      }
      int b = more.nextInt();
      idx = b & 0xFF;
      int rabs = b >>> 9;
      x = rabs * W[idx];
      negative = (b & 0x100) != 0;
      if (rabs < K[idx]) {
        return (float) (negative ? -x : x);
      }
    }
  }

  /** A normal value from a sequential stream: one {@code nextLong()} names a counter stream. */
  public static double next(SplittableRandom rng) {
    return standard(rng.nextLong(), 0);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
