package dev.shardsmith.transforms.kernels.series;

import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.XOR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast path of {@link Gaussians#addScaled} on SIMD lanes (JDK Vector API, loaded only when the
 * JVM has {@code jdk.incubator.vector}): the counter hash, the ziggurat's layer lookups (gathers)
 * and the scaled add, each lane with the same float operations as the scalar loop, so the results
 * are the same bits at any vector width. Lanes that miss their layer's inner rectangle (about 1 %)
 * are redone by the scalar slow path.
 */
final class GaussianLanes {
  private GaussianLanes() {}

  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  private static final int[] IOTA = new int[INTS.length()];

  static {
    for (int i = 0; i < IOTA.length; i++) {
      IOTA[i] = i;
    }
  }

  /** Adds the noise to the whole vectors of {@code v}; returns how many values it did. */
  static int addScaled(float[] v, float sigma, int k1, int k2) {
    int lanes = INTS.length();
    if (FLOATS.length() != lanes) {
      return 0;
    }
    int[] layers = new int[lanes];
    float[] before = new float[lanes];
    long laneBits = lanes == 64 ? -1L : (1L << lanes) - 1;
    IntVector iota = IntVector.fromArray(INTS, IOTA, 0);
    int i = 0;
    for (; i <= v.length - lanes; i += lanes) {
      IntVector x = avalanche(avalanche(iota.add(i).mul(Gaussians.PHI).add(k1)).lanewise(XOR, k2));
      IntVector layer = x.and(0xFF);
      IntVector position = x.lanewise(LSHR, 9);
      layer.intoArray(layers, 0);
      FloatVector width = FloatVector.fromArray(FLOATS, Gaussians.W, 0, layers, 0);
      IntVector inner = IntVector.fromArray(INTS, Gaussians.K, 0, layers, 0);
      FloatVector z =
          ((FloatVector) position.convert(I2F, 0))
              .mul(width)
              .reinterpretAsInts()
              .lanewise(XOR, x.and(0x100).lanewise(LSHL, 23))
              .reinterpretAsFloats();
      FloatVector in = FloatVector.fromArray(FLOATS, v, i);
      VectorMask<Integer> fast = position.compare(LT, inner);
      if (!fast.allTrue()) {
        in.intoArray(before, 0);
      }
      in.add(z.mul(sigma)).intoArray(v, i);
      if (!fast.allTrue()) {
        long slow = ~fast.toLong() & laneBits;
        while (slow != 0) {
          int j = Long.numberOfTrailingZeros(slow);
          slow &= slow - 1;
          v[i + j] = before[j] + sigma * Gaussians.standard(k1, k2, i + j);
        }
      }
    }
    return i;
  }

  private static IntVector avalanche(IntVector x) {
    x = x.lanewise(XOR, x.lanewise(LSHR, 16)).mul(0x7feb352d);
    x = x.lanewise(XOR, x.lanewise(LSHR, 15)).mul(0x846ca68b);
    return x.lanewise(XOR, x.lanewise(LSHR, 16));
  }
}
