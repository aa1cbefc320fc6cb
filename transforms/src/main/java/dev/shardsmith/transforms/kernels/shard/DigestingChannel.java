package dev.shardsmith.transforms.kernels.shard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;

/**
 * A {@link WritableByteChannel} that hashes what it writes, so an appending writer (Arrow's IPC
 * writer) gets the sha256 of its file without a second read. Read {@link #bytes()} and {@link
 * #sha256()} once the channel is closed.
 */
final class DigestingChannel implements WritableByteChannel {
  private final WritableByteChannel out;
  private final MessageDigest digest = Sha256Files.newDigest();
  private long bytes;
  private boolean closed;

  DigestingChannel(WritableByteChannel out) {
    this.out = out;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
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

  /** Hex sha256 of the bytes written; valid once, after closing. */
  String sha256() {
    checkClosed();
    return Sha256Files.hex(digest);
  }

  private void checkClosed() {
    if (!closed) {
      throw new IllegalStateException("the channel is not closed yet");
    }
  }
}
