package dev.shardsmith.transforms.kernels.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mergeable, bounded-memory histogram of float32 values for medians. A value's bucket is the top
 * 16 bits of its order-preserving int encoding (sign, exponent and the top 7 mantissa bits), so a
 * bucket spans a relative width of at most 2^-7; each bucket keeps its count and the smallest and
 * largest value seen. Counts are integers and min/max are order-free, so any partition and merge
 * order gives the same histogram. Memory: at most 65,536 buckets, in practice the number of
 * distinct (sign, exponent, 7-bit mantissa) prefixes of the data.
 *
 * <p>{@link #median()} is exact when each middle rank falls in a bucket that holds one distinct
 * value (integer-valued or coarse data) or on its bucket's smallest or largest value; otherwise the
 * rank is estimated by its bucket's [min, max] midpoint, within 2^-8 of the true value relatively
 * (absolute 2^-134 near zero). {@link #exactCounter} gives the exact median with a second pass over
 * the data.
 */
public final class Float32Histogram implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Open-addressing map from bucket to (count, min key, max key); EMPTY marks a free slot. */
  private static final int EMPTY = Integer.MIN_VALUE;

  private int[] slots = newSlots(16);
  private long[] counts = new long[16];
  private int[] mins = new int[16];
  private int[] maxs = new int[16];
  private int used;

  private long count;

  private static int[] newSlots(int n) {
    int[] a = new int[n];
    java.util.Arrays.fill(a, EMPTY);
    return a;
  }

  /** The order-preserving int encoding: {@code a < b} (as floats) iff {@code key(a) < key(b)}. */
  public static int key(float f) {
    int bits = Float.floatToRawIntBits(f == 0f ? 0f : f); // -0.0 and 0.0 share a key
    return bits ^ ((bits >> 31) & 0x7FFF_FFFF);
  }

  static float fromKey(int k) {
    return Float.intBitsToFloat(k ^ ((k >> 31) & 0x7FFF_FFFF));
  }

  /** Adds a finite value. */
  public void add(float f) {
    int k = key(f);
    put(k >> 16, 1, k, k);
    count++;
  }

  private void put(int bucket, long n, int lo, int hi) {
    int mask = slots.length - 1;
    int i = (bucket * 0x9E3779B9) >>> 7 & mask;
    while (slots[i] != EMPTY && slots[i] != bucket) {
      i = (i + 1) & mask;
    }
    if (slots[i] == EMPTY) {
      slots[i] = bucket;
      counts[i] = n;
      mins[i] = lo;
      maxs[i] = hi;
      if (++used * 2 > slots.length) {
        grow();
      }
    } else {
      counts[i] += n;
      mins[i] = Math.min(mins[i], lo);
      maxs[i] = Math.max(maxs[i], hi);
    }
  }

  private void grow() {
    int[] os = slots;
    long[] oc = counts;
    int[] olo = mins;
    int[] ohi = maxs;
    slots = newSlots(os.length * 2);
    counts = new long[os.length * 2];
    mins = new int[os.length * 2];
    maxs = new int[os.length * 2];
    used = 0;
    for (int i = 0; i < os.length; i++) {
      if (os[i] != EMPTY) {
        put(os[i], oc[i], olo[i], ohi[i]);
      }
    }
  }

  /**
   * Writes the exact state canonically (equal histograms give equal bytes, whatever their merge
   * order or table layout): the count, the bucket count, then the buckets in key order as (bucket
   * delta, count as varints; low 16 bits of the min and max key). About 6 to 8 bytes a bucket, so
   * at most about 0.6 MB for the 65,536 possible buckets. {@link #readFrom} restores it.
   */
  public void writeTo(DataOutput out) throws IOException {
    out.writeLong(count);
    out.writeInt(used);
    int previous = Integer.MIN_VALUE;
    for (Map.Entry<Integer, long[]> e : sorted().entrySet()) {
      int bucket = e.getKey();
      long[] b = e.getValue();
      writeVarLong(out, previous == Integer.MIN_VALUE ? bucket + 0x8000L : bucket - previous);
      writeVarLong(out, b[0]);
      out.writeShort((int) b[1]);
      out.writeShort((int) b[2]);
      previous = bucket;
    }
  }

  /** Reads what {@link #writeTo} wrote. */
  public static Float32Histogram readFrom(DataInput in) throws IOException {
    Float32Histogram h = new Float32Histogram();
    long count = in.readLong();
    int used = in.readInt();
    if (used < 0 || used > 1 << 16 || count < 0) {
      throw new IOException("bad Float32Histogram: " + used + " buckets, count " + count);
    }
    long bucket = -0x8000L;
    long total = 0;
    for (int k = 0; k < used; k++) {
      bucket += readVarLong(in);
      long n = readVarLong(in);
      if (bucket > 0x7FFF || n <= 0) {
        throw new IOException("bad Float32Histogram bucket " + bucket + " with count " + n);
      }
      int b = (int) bucket;
      h.put(b, n, (b << 16) | in.readUnsignedShort(), (b << 16) | in.readUnsignedShort());
      total += n;
    }
    if (total != count) {
      throw new IOException("Float32Histogram buckets hold " + total + " values, not " + count);
    }
    h.count = count;
    return h;
  }

  static void writeVarLong(DataOutput out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  static long readVarLong(DataInput in) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("varint longer than 10 bytes");
  }

  public void merge(Float32Histogram other) {
    for (int i = 0; i < other.slots.length; i++) {
      if (other.slots[i] != EMPTY) {
        put(other.slots[i], other.counts[i], other.mins[i], other.maxs[i]);
      }
    }
    count += other.count;
  }

  /** Buckets in key order: bucket to (count, min key, max key). */
  private TreeMap<Integer, long[]> sorted() {
    TreeMap<Integer, long[]> out = new TreeMap<>();
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] != EMPTY) {
        out.put(slots[i], new long[] {counts[i], mins[i], maxs[i]});
      }
    }
    return out;
  }

  public long count() {
    return count;
  }

  public int bucketCount() {
    return used;
  }

  /** The two middle ranks (0-based; equal when the count is odd). */
  private long[] middleRanks() {
    return new long[] {(count - 1) / 2, count / 2};
  }

  /** The median as numpy defines it (mean of the two middle values); 0 when empty. */
  public double median() {
    if (count == 0) {
      return 0.0;
    }
    long[] ranks = middleRanks();
    return (rankValue(ranks[0]) + rankValue(ranks[1])) / 2;
  }

  private double rankValue(long rank) {
    long seen = 0;
    for (long[] b : sorted().values()) {
      if (rank < seen + b[0]) {
        if (rank == seen) {
          return fromKey((int) b[1]);
        }
        if (rank == seen + b[0] - 1) {
          return fromKey((int) b[2]);
        }
        return ((double) fromKey((int) b[1]) + fromKey((int) b[2])) / 2;
      }
      seen += b[0];
    }
    throw new IllegalStateException("rank " + rank + " beyond count " + count);
  }

  /**
   * Whether {@link #median()} is exact: each middle rank falls in a bucket of one distinct value or
   * on its bucket's min or max.
   */
  public boolean medianIsExact() {
    if (count == 0) {
      return true;
    }
    for (long rank : middleRanks()) {
      long seen = 0;
      for (long[] b : sorted().values()) {
        if (rank < seen + b[0]) {
          if (b[1] != b[2] && rank != seen && rank != seen + b[0] - 1) {
            return false;
          }
          break;
        }
        seen += b[0];
      }
    }
    return true;
  }

  /**
   * A second-pass counter for the exact median: it counts every value of the buckets that hold a
   * middle rank, at full precision (at most 2 x 65,536 distinct keys).
   */
  public ExactMedian exactCounter() {
    long[] ranks = middleRanks();
    TreeMap<Integer, long[]> sorted = sorted();
    long seen = 0;
    int[] bucketOf = new int[2];
    long[] before = new long[2];
    for (int r = 0; r < 2; r++) {
      seen = 0;
      for (Map.Entry<Integer, long[]> e : sorted.entrySet()) {
        if (ranks[r] < seen + e.getValue()[0]) {
          bucketOf[r] = e.getKey();
          before[r] = seen;
          break;
        }
        seen += e.getValue()[0];
      }
    }
    return new ExactMedian(count, ranks, bucketOf, before);
  }

  /** Counts full keys inside the median buckets; {@link #median()} is then exact. */
  public static final class ExactMedian implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long count;
    private final long[] ranks;
    private final int[] bucketOf;
    private final long[] before;
    private final Map<Integer, Long> keys = new HashMap<>();

    ExactMedian(long count, long[] ranks, int[] bucketOf, long[] before) {
      this.count = count;
      this.ranks = ranks;
      this.bucketOf = bucketOf;
      this.before = before;
    }

    /** Adds a finite value of the same data (values outside the median buckets are ignored). */
    public void add(float f) {
      int k = key(f);
      if (count > 0 && ((k >> 16) == bucketOf[0] || (k >> 16) == bucketOf[1])) {
        keys.merge(k, 1L, Long::sum);
      }
    }

    public void merge(ExactMedian other) {
      other.keys.forEach((k, n) -> keys.merge(k, n, Long::sum));
    }

    /** {@code a} merged with {@code b}, as a new counter: neither input changes. */
    public static ExactMedian merged(ExactMedian a, ExactMedian b) {
      ExactMedian c = new ExactMedian(a.count, a.ranks, a.bucketOf, a.before);
      c.merge(a);
      c.merge(b);
      return c;
    }

    public double median() {
      if (count == 0) {
        return 0.0;
      }
      return ((double) value(0) + value(1)) / 2;
    }

    /**
     * Writes the state canonically: the first pass's ranks and buckets, then the counted keys in
     * order as (key delta, count) varints: 2 to 6 bytes for each of the at most 2 x 65,536 keys two
     * median buckets can hold. {@link #readFrom} restores it.
     */
    public void writeTo(DataOutput out) throws IOException {
      out.writeLong(count);
      for (int r = 0; r < 2; r++) {
        out.writeLong(ranks[r]);
        out.writeInt(bucketOf[r]);
        out.writeLong(before[r]);
      }
      out.writeInt(keys.size());
      long previous = Integer.MIN_VALUE;
      for (Map.Entry<Integer, Long> e : new TreeMap<>(keys).entrySet()) {
        writeVarLong(out, e.getKey() - previous);
        writeVarLong(out, e.getValue());
        previous = e.getKey();
      }
    }

    /** Reads what {@link #writeTo} wrote. */
    public static ExactMedian readFrom(DataInput in) throws IOException {
      long count = in.readLong();
      long[] ranks = new long[2];
      int[] bucketOf = new int[2];
      long[] before = new long[2];
      for (int r = 0; r < 2; r++) {
        ranks[r] = in.readLong();
        bucketOf[r] = in.readInt();
        before[r] = in.readLong();
      }
      ExactMedian m = new ExactMedian(count, ranks, bucketOf, before);
      int n = in.readInt();
      if (n < 0 || n > 2 << 16) {
        throw new IOException("bad Float32Histogram.ExactMedian key count " + n);
      }
      long key = Integer.MIN_VALUE;
      for (int k = 0; k < n; k++) {
        key += readVarLong(in);
        if (key > Integer.MAX_VALUE) {
          throw new IOException("Float32Histogram.ExactMedian key " + key + " out of int range");
        }
        m.keys.put((int) key, readVarLong(in));
      }
      return m;
    }

    private float value(int r) {
      long seen = before[r];
      for (Map.Entry<Integer, Long> e : new TreeMap<>(keys).entrySet()) {
        if ((e.getKey() >> 16) != bucketOf[r]) {
          continue;
        }
        seen += e.getValue();
        if (ranks[r] < seen) {
          return fromKey(e.getKey());
        }
      }
      throw new IllegalStateException(
          "the second pass saw fewer values than the first (the data changed between passes)");
    }
  }
}
