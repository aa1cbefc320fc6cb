package dev.shardsmith.transforms.kernels.shard;

/**
 * IEEE 754 binary16 conversions for Java 17 ({@code Float.floatToFloat16} is Java 20+). The
 * float-to-half direction rounds to nearest, ties to even, and follows NumPy's {@code
 * npy_floatbits_to_halfbits} bit for bit: overflow gives a signed infinity, tiny values a signed
 * zero or a subnormal, and a NaN keeps its sign and top 10 payload bits (never becoming infinity).
 */
final class Float16 {
  private Float16() {}

  /** The binary16 bits nearest to {@code f} (ties to even), as NumPy's {@code astype(float16)}. */
  static short fromFloat(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = bits & 0x7f800000;
    int sig;
    if (exp >= 0x47800000) {
      if (exp == 0x7f800000) {
        sig = bits & 0x007fffff;
        if (sig != 0) {
          int nan = 0x7c00 + (sig >>> 13);
          // A payload only in the low 13 bits would read as infinity: keep it a NaN.
          return (short) (sign + (nan == 0x7c00 ? nan + 1 : nan));
        }
      }
      return (short) (sign + 0x7c00);
    }
    if (exp <= 0x38000000) {
      if (exp < 0x33000000) {
        return (short) sign;
      }
      int e = exp >>> 23;
      sig = 0x00800000 + (bits & 0x007fffff);
      sig >>>= (113 - e);
      // Ties to even: the shift above may have dropped up to 11 set bits, which break the tie.
      if ((sig & 0x00003fff) != 0x00001000 || (bits & 0x000007ff) != 0) {
        sig += 0x00001000;
      }
      return (short) (sign + (sig >>> 13));
    }
    int halfExp = (exp - 0x38000000) >>> 13;
    sig = bits & 0x007fffff;
    if ((sig & 0x00003fff) != 0x00001000) {
      sig += 0x00001000;
    }
    // A carry out of the significand bumps the exponent, up to infinity: that is the right result.
    return (short) (sign + (sig >>> 13) + halfExp);
  }

  /** The float value of binary16 {@code bits} (exact: every half is a float). */
  static float toFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int sig = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (sig << 13));
    }
    if (exp == 0) {
      float v = sig * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (sig << 13));
  }
}
