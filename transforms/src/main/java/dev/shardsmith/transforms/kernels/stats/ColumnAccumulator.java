package dev.shardsmith.transforms.kernels.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statistics of one feature column, or the row header of a table: the unit a Beam combine
 * shuffles, one record per column, so a wide table never becomes one huge record (Flink's sort
 * buffer takes records up to about 1.3 MB). Mergeable in any order with bitwise-identical results:
 *
 * <ul>
 *   <li>{@link Kind#ROWS}: the row count and the numeric and categorical widths (every row of a
 *       table must have the same);
 *   <li>{@link Kind#NUMERIC}: rows seen, missing count (NaN or infinite), exact sum and sum of
 *       squares, min, max and a {@link Float32Histogram} for the median;
 *   <li>{@link Kind#CATEGORICAL}: rows seen, missing count (null) and the count of every value.
 * </ul>
 *
 * Encoded size ({@link #writeTo}): a numeric column about 70 bytes plus its histogram (6 to 8 bytes
 * a bucket; at most 65,536 buckets); a categorical column its distinct values and counts.
 *
 * <pre>{@code
 * ColumnAccumulator c = ColumnAccumulator.numeric();
 * c.add(1.5f); c.add(Float.NaN);
 * c.missing(); // 1
 * }</pre>
 */
public final class ColumnAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a column accumulator describes. */
  public enum Kind {
    ROWS,
    NUMERIC,
    CATEGORICAL
  }

  private final Kind kind;
  private long rows;
  private long missing;
  private int numericWidth;
  private int categoricalWidth;
  private ExactSum sum;
  private ExactSum sumSq;
  private float min = Float.POSITIVE_INFINITY;
  private float max = Float.NEGATIVE_INFINITY;
  private Float32Histogram histogram;
  private Map<String, Long> categories;

  private ColumnAccumulator(Kind kind) {
    this.kind = kind;
    if (kind == Kind.NUMERIC) {
      sum = new ExactSum();
      sumSq = new ExactSum();
      histogram = new Float32Histogram();
    } else if (kind == Kind.CATEGORICAL) {
      categories = new HashMap<>();
    }
  }

  /** The row header of a table with {@code f} numeric and {@code c} categorical columns. */
  public static ColumnAccumulator rows(int f, int c) {
    ColumnAccumulator a = new ColumnAccumulator(Kind.ROWS);
    a.numericWidth = f;
    a.categoricalWidth = c;
    return a;
  }

  public static ColumnAccumulator numeric() {
    return new ColumnAccumulator(Kind.NUMERIC);
  }

  public static ColumnAccumulator categorical() {
    return new ColumnAccumulator(Kind.CATEGORICAL);
  }

  public static boolean isMissing(float v) {
    return !Float.isFinite(v);
  }

  /** Counts one row ({@link Kind#ROWS}). */
  public void addRow() {
    require(Kind.ROWS);
    rows++;
  }

  /** Adds one value of a {@link Kind#NUMERIC} column; NaN and infinities count as missing. */
  public void add(float v) {
    require(Kind.NUMERIC);
    rows++;
    if (isMissing(v)) {
      missing++;
      return;
    }
    sum.add(v);
    // A float32 square is exact in double (48 significant bits).
    sumSq.add((double) v * v);
    min = Math.min(min, v);
    max = Math.max(max, v);
    histogram.add(v);
  }

  /** Adds one value of a {@link Kind#CATEGORICAL} column; null counts as missing. */
  public void add(String v) {
    require(Kind.CATEGORICAL);
    rows++;
    if (v == null) {
      missing++;
    } else {
      categories.merge(v, 1L, Long::sum);
    }
  }

  private void require(Kind k) {
    if (kind != k) {
      throw new IllegalStateException("a " + kind + " column accumulator, used as " + k);
    }
  }

  /** Adds {@code o} (same kind; for {@link Kind#ROWS}, the same widths) into this one. */
  public void merge(ColumnAccumulator o) {
    if (o.kind != kind) {
      throw new IllegalArgumentException("cannot merge a " + o.kind + " column into a " + kind);
    }
    if (kind == Kind.ROWS
        && (o.numericWidth != numericWidth || o.categoricalWidth != categoricalWidth)) {
      throw new IllegalArgumentException(
          "feature vectors differ in width: "
              + o.numericWidth
              + " numeric + "
              + o.categoricalWidth
              + " categorical, others "
              + numericWidth
              + " + "
              + categoricalWidth);
    }
    rows += o.rows;
    missing += o.missing;
    if (kind == Kind.NUMERIC) {
      sum.merge(o.sum);
      sumSq.merge(o.sumSq);
      min = Math.min(min, o.min);
      max = Math.max(max, o.max);
      histogram.merge(o.histogram);
    } else if (kind == Kind.CATEGORICAL) {
      o.categories.forEach((k, n) -> categories.merge(k, n, Long::sum));
    }
  }

  /** A copy that shares nothing with this one. */
  public ColumnAccumulator copy() {
    ColumnAccumulator c = new ColumnAccumulator(kind);
    c.numericWidth = numericWidth;
    c.categoricalWidth = categoricalWidth;
    c.merge(this);
    return c;
  }

  /** {@code a} merged with {@code b}, as a new accumulator: neither input changes. */
  public static ColumnAccumulator merged(ColumnAccumulator a, ColumnAccumulator b) {
    ColumnAccumulator c = a.copy();
    c.merge(b);
    return c;
  }

  /**
   * Writes the state canonically (equal accumulators give equal bytes, whatever the merge order):
   * exact sums and histogram in their canonical forms, categories sorted by value. {@link
   * #readFrom} restores it.
   */
  public void writeTo(DataOutput out) throws IOException {
    out.writeByte(kind.ordinal());
    out.writeLong(rows);
    out.writeLong(missing);
    switch (kind) {
      case ROWS -> {
        out.writeInt(numericWidth);
        out.writeInt(categoricalWidth);
      }
      case NUMERIC -> {
        sum.writeTo(out);
        sumSq.writeTo(out);
        out.writeFloat(min);
        out.writeFloat(max);
        histogram.writeTo(out);
      }
      case CATEGORICAL -> {
        Map<String, Long> sorted = new TreeMap<>(categories);
        out.writeInt(sorted.size());
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
          byte[] b = e.getKey().getBytes(StandardCharsets.UTF_8);
          out.writeInt(b.length);
          out.write(b);
          out.writeLong(e.getValue());
        }
      }
    }
  }

  /** Reads what {@link #writeTo} wrote. */
  public static ColumnAccumulator readFrom(DataInput in) throws IOException {
    int k = in.readUnsignedByte();
    if (k >= Kind.values().length) {
      throw new IOException("bad ColumnAccumulator kind " + k);
    }
    ColumnAccumulator a = new ColumnAccumulator(Kind.values()[k]);
    a.rows = in.readLong();
    a.missing = in.readLong();
    switch (a.kind) {
      case ROWS -> {
        a.numericWidth = in.readInt();
        a.categoricalWidth = in.readInt();
        if (a.numericWidth < 0 || a.categoricalWidth < 0) {
          throw new IOException(
              "bad ColumnAccumulator widths " + a.numericWidth + ", " + a.categoricalWidth);
        }
      }
      case NUMERIC -> {
        a.sum = ExactSum.readFrom(in);
        a.sumSq = ExactSum.readFrom(in);
        a.min = in.readFloat();
        a.max = in.readFloat();
        a.histogram = Float32Histogram.readFrom(in);
      }
      case CATEGORICAL -> {
        int n = in.readInt();
        if (n < 0) {
          throw new IOException("bad ColumnAccumulator category count " + n);
        }
        for (int i = 0; i < n; i++) {
          int len = in.readInt();
          if (len < 0) {
            throw new IOException("bad ColumnAccumulator category length " + len);
          }
          byte[] b = new byte[len];
          in.readFully(b);
          a.categories.put(new String(b, StandardCharsets.UTF_8), in.readLong());
        }
      }
    }
    return a;
  }

  public Kind kind() {
    return kind;
  }

  /** Rows seen: every row for {@link Kind#ROWS}, observed plus missing values for a column. */
  public long rows() {
    return rows;
  }

  public long missing() {
    return missing;
  }

  public int numericWidth() {
    return numericWidth;
  }

  public int categoricalWidth() {
    return categoricalWidth;
  }

  ExactSum sum() {
    return sum;
  }

  ExactSum sumSq() {
    return sumSq;
  }

  float min() {
    return min;
  }

  float max() {
    return max;
  }

  /** The median histogram of a numeric column. */
  public Float32Histogram histogram() {
    return histogram;
  }

  Map<String, Long> categories() {
    return categories;
  }
}
