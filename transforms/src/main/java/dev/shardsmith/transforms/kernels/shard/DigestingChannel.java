package dev.shardsmith.transforms.kernels.shard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;

/**
 * A {@link WritableByteChannel} that counts and (unless made with {@code sha256} false) hashes what
 * it writes, so an appending writer (Arrow's IPC writer) gets the sha256 of its file without a
 * second read. Read {@link #bytes()} and {@link #sha256()} (null when not hashing) once the channel
 * is closed.
 */
final class DigestingChannel implements WritableByteChannel {
  private final WritableByteChannel out;
  private final MessageDigest digest;
  private long bytes;
  private boolean closed;

  DigestingChannel(WritableByteChannel out) {
    this(out, true);
  }

  DigestingChannel(WritableByteChannel out, boolean sha256) {
    this.out = out;
    this.digest = sha256 ? Sha256Files.newDigest() : null;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (digest == null) {
      int n = out.write(src);
      bytes += n;
      return n;
    }
    ByteBuffer written = src.duplicate();
    int n = out.write(src);
    // Hash exactly the bytes the channel took, even on a partial write.
    written.limit(written.position() + n);
    digest.update(written);
    bytes += n;
    return n;
  }

  @Override
  public boolean isOpen() {
    return !closed;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }

  /** Bytes written; valid once closed. */
  long bytes() {
    checkClosed();
    return bytes;
  }

  /** Hex sha256 of the bytes written (null when not hashing); valid once, after closing. */
  String sha256() {
    checkClosed();
    return digest == null ? null : Sha256Files.hex(digest);
  }

  private void checkClosed() {
    if (!closed) {
      throw new IllegalStateException("the channel is not closed yet");
    }
  }
}
