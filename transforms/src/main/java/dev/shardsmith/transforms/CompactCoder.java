package dev.shardsmith.transforms;

import dev.shardsmith.transforms.kernels.stats.ColumnAccumulator;
import dev.shardsmith.transforms.kernels.stats.CovarianceAccumulator;
import dev.shardsmith.transforms.kernels.stats.Float32Histogram;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Coders for the statistics accumulators that a combine shuffles, through their own canonical
 * {@code writeTo}/{@code readFrom} encodings (exact sums by their non-zero digits, histograms by
 * their used buckets, maps sorted): far smaller than Java serialization, which matters twice. A
 * runner may hold a record only up to a bound (Flink's sort buffer: about 1.3 MB at its default
 * memory), and the DirectRunner encodes and copies small partial accumulators many times. Equal
 * values give equal bytes, so the DirectRunner's mutation checks need no {@code equals}.
 */
final class CompactCoder<T> extends CustomCoder<T> {
  private static final long serialVersionUID = 1L;
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

  /** Writes a value. */
  interface Writer<T> extends Serializable {
    void write(T value, DataOutput out) throws IOException;
  }

  /** Reads what the {@link Writer} wrote. */
  interface Reader<T> extends Serializable {
    T read(DataInput in) throws IOException;
  }

  static final CompactCoder<ColumnAccumulator> COLUMN =
      new CompactCoder<>(
          "ColumnAccumulator", ColumnAccumulator::writeTo, ColumnAccumulator::readFrom);
  static final CompactCoder<Float32Histogram.ExactMedian> EXACT_MEDIAN =
      new CompactCoder<>(
          "ExactMedian",
          Float32Histogram.ExactMedian::writeTo,
          Float32Histogram.ExactMedian::readFrom);
  static final CompactCoder<CovarianceAccumulator> COVARIANCE =
      new CompactCoder<>(
          "CovarianceAccumulator", CovarianceAccumulator::writeTo, CovarianceAccumulator::readFrom);

  private final String name;
  private final Writer<T> writer;
  private final Reader<T> reader;

  private CompactCoder(String name, Writer<T> writer, Reader<T> reader) {
    this.name = name;
    this.writer = writer;
    this.reader = reader;
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (DataOutputStream o = new DataOutputStream(buf)) {
      writer.write(value, o);
    }
    BYTES.encode(buf.toByteArray(), out);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(new ByteArrayInputStream(BYTES.decode(in)));
    T value = reader.read(d);
    if (d.available() > 0) {
      throw new IOException(name + ": " + d.available() + " bytes left after decoding");
    }
    return value;
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean equals(Object o) {
    return o instanceof CompactCoder<?> c && c.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return "CompactCoder(" + name + ")";
  }
}
