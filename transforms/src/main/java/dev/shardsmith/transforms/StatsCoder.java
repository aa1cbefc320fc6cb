package dev.shardsmith.transforms;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Coder for the small statistics objects of the {@code normalize} stage (accumulators, fitted
 * models: kilobytes, never pixels or rows). Java serialization, but compared by encoded bytes, so
 * the DirectRunner's mutation checks work without an {@code equals} on every accumulator.
 */
final class StatsCoder<T extends Serializable> extends CustomCoder<T> {
  private static final long serialVersionUID = 1L;
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();
  private final Class<T> type;

  private StatsCoder(Class<T> type) {
    this.type = type;
  }

  static <T extends Serializable> StatsCoder<T> of(Class<T> type) {
    return new StatsCoder<>(type);
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(buf)) {
      o.writeObject(value);
    }
    BYTES.encode(buf.toByteArray(), out);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    try (ObjectInputStream o = new ObjectInputStream(new ByteArrayInputStream(BYTES.decode(in)))) {
      return type.cast(o.readObject());
    } catch (ClassNotFoundException e) {
      throw new CoderException("cannot decode a " + type.getSimpleName(), e);
    }
  }
}
