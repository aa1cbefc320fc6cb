package dev.shardsmith.transforms.kernels.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * An exact sum of finite doubles: a fixed-point superaccumulator of 32-bit digits held in longs,
 * covering every double from the smallest subnormal to the largest finite value. Adding is exact,
 * so the sum does not depend on the order of additions or on how partial sums are merged; it is
 * rounded once, when read ({@link #value()}). Memory: 68 longs. Up to 2^30 additions are taken
 * between carry normalisations, so any number of values is safe.
 *
 * <pre>{@code
 * ExactSum s = new ExactSum();
 * s.add(1e16); s.add(1.0); s.add(-1e16);
 * s.value(); // 1.0, whatever the order
 * }</pre>
 */
public final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Exponent of the least significant bit of digit 0 (a multiple of 32 below 2^-1074). */
  static final int BASE_EXP = -1088;

  private static final int WORDS = 68;
  private static final long MASK = 0xFFFF_FFFFL;
  private static final int NORMALIZE_EVERY = 1 << 30;

  private final long[] digits = new long[WORDS];
  private int pending;

  /** Adds {@code x} exactly; throws on NaN or an infinity (callers treat those as missing). */
  public void add(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("ExactSum takes finite values only, got " + x);
    }
    long bits = Double.doubleToRawLongBits(x);
    int exp = (int) ((bits >>> 52) & 0x7FF);
    long m = bits & 0x000F_FFFF_FFFF_FFFFL;
    if (exp != 0) {
      m |= 1L << 52;
    }
    // Subnormals (exp 0) share the exponent of the smallest normal, without the implicit bit.
    int p = Math.max(exp, 1) - 1075 - BASE_EXP;
    int idx = p >>> 5;
    int shift = p & 31;
    long signed = bits < 0 ? -m : m;
    // signed * 2^shift = low + mid * 2^32 + high * 2^64, with arithmetic (floor) shifts.
    long t = signed >> (32 - shift);
    digits[idx] += (signed << shift) & MASK;
    digits[idx + 1] += t & MASK;
    digits[idx + 2] += t >> 32;
    if (++pending >= NORMALIZE_EVERY) {
      normalize();
    }
  }

  /**
   * Writes the exact value canonically (equal sums give equal bytes, whatever their history): the
   * normalised digits without their zero low end and sign-fill high end, as (index of the lowest
   * non-zero digit, count, 32-bit digits), then the signed top digit. A sum of float32-sized values
   * takes a few digits, so typically 20 to 30 bytes; at most 2 + 4 x 67 + 8 = 278. {@link
   * #readFrom} restores the same value.
   */
  public void writeTo(DataOutput out) throws IOException {
    long[] d = normalized(digits);
    long top = d[WORDS - 1];
    long fill = top < 0 ? MASK : 0;
    int lo = 0;
    while (lo < WORDS - 1 && d[lo] == 0) {
      lo++;
    }
    int hi = WORDS - 2;
    while (hi >= lo && d[hi] == fill) {
      hi--;
    }
    int n = hi - lo + 1;
    out.writeByte(lo);
    out.writeByte(n);
    for (int i = lo; i <= hi; i++) {
      out.writeInt((int) d[i]);
    }
    out.writeLong(top);
  }

  /** Reads what {@link #writeTo} wrote. */
  public static ExactSum readFrom(DataInput in) throws IOException {
    ExactSum s = new ExactSum();
    int lo = in.readUnsignedByte();
    int n = in.readUnsignedByte();
    if (lo + n > WORDS - 1) {
      throw new IOException(
          "ExactSum digits " + lo + ".." + (lo + n - 1) + " out of range 0.." + (WORDS - 2));
    }
    for (int i = lo; i < lo + n; i++) {
      s.digits[i] = in.readInt() & MASK;
    }
    long top = in.readLong();
    long fill = top < 0 ? MASK : 0;
    for (int i = lo + n; i < WORDS - 1; i++) {
      s.digits[i] = fill;
    }
    s.digits[WORDS - 1] = top;
    return s;
  }

  /** Adds another exact sum into this one (exactly); {@code other} is not changed. */
  public void merge(ExactSum other) {
    normalize(digits);
    long[] o = normalized(other.digits);
    for (int i = 0; i < WORDS; i++) {
      digits[i] += o[i];
    }
    pending = 1;
  }

  /** Carries so that every digit but the last lies in [0, 2^32); the last keeps the sign. */
  private static void normalize(long[] d) {
    for (int i = 0; i < WORDS - 1; i++) {
      long carry = d[i] >> 32;
      d[i] -= carry << 32;
      d[i + 1] += carry;
    }
  }

  private void normalize() {
    normalize(digits);
    pending = 0;
  }

  /** A normalised copy: reading never changes an accumulator (Beam checks its inputs). */
  private static long[] normalized(long[] d) {
    long[] c = d.clone();
    normalize(c);
    return c;
  }

  /** The exact sum as an integer {@code B}: the sum is {@code B * 2^BASE_EXP}. */
  public BigInteger scaled() {
    long[] d = normalized(digits);
    BigInteger r = BigInteger.valueOf(d[WORDS - 1]);
    for (int i = WORDS - 2; i >= 0; i--) {
      r = r.shiftLeft(32).add(BigInteger.valueOf(d[i]));
    }
    return r;
  }

  /** The sum, rounded once to the nearest double. */
  public double value() {
    return ratio(scaled(), BASE_EXP, BigInteger.ONE);
  }

  /**
   * {@code num * 2^exp2 / den} rounded once to a double ({@code den > 0}): the quotient is formed
   * with at least 62 significant bits and a sticky bit, then rounded to nearest (a result in the
   * subnormal range may be rounded twice; no statistic here gets there).
   */
  public static double ratio(BigInteger num, int exp2, BigInteger den) {
    if (den.signum() <= 0) {
      throw new IllegalArgumentException("den must be > 0, was " + den);
    }
    int sign = num.signum();
    if (sign == 0) {
      return 0.0;
    }
    BigInteger a = num.abs();
    boolean sticky = false;
    int s = 63 + den.bitLength() - a.bitLength();
    if (s > 0) {
      a = a.shiftLeft(s);
    } else if (s < 0) {
      sticky = a.getLowestSetBit() < -s;
      a = a.shiftRight(-s);
    }
    exp2 -= s;
    BigInteger[] qr = a.divideAndRemainder(den);
    BigInteger q = qr[0];
    if (sticky || qr[1].signum() != 0) {
      q = q.setBit(0);
    }
    double d = Math.scalb(q.doubleValue(), exp2);
    return sign < 0 ? -d : d;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExactSum e && Arrays.equals(normalized(digits), normalized(e.digits));
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(normalized(digits));
  }
}
