package dev.shardsmith.transforms.kernels.shard;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A local Parquet {@link OutputFile} that hashes the bytes as they are written, so the sha256 of a
 * shard needs no second read. Parquet's writer only appends, so the running digest is the digest of
 * the finished file. Read {@link #bytes()} and {@link #sha256()} after the writer is closed.
 */
final class DigestingOutputFile implements OutputFile {
  private static final int BUFFER = 1 << 16;

  private final Path file;
  private final MessageDigest digest = Sha256Files.newDigest();
  private Stream stream;

  DigestingOutputFile(Path file) {
    this.file = file;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return open(StandardOpenOption.CREATE_NEW);
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    return open(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private PositionOutputStream open(StandardOpenOption... options) throws IOException {
    if (stream != null) {
      throw new IllegalStateException(file + " was already opened for writing");
    }
    OutputStream out = Files.newOutputStream(file, withWrite(options));
    stream = new Stream(new DigestOutputStream(new BufferedOutputStream(out, BUFFER), digest));
    return stream;
  }

  private static StandardOpenOption[] withWrite(StandardOpenOption[] options) {
    StandardOpenOption[] all = java.util.Arrays.copyOf(options, options.length + 1);
    all[options.length] = StandardOpenOption.WRITE;
    return all;
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return file.toString();
  }

  /** Bytes written; valid once the writer is closed. */
  long bytes() {
    checkClosed();
    return stream.pos;
  }

  /** Hex sha256 of the bytes written; valid once, after the writer is closed. */
  String sha256() {
    checkClosed();
    return Sha256Files.hex(digest);
  }

  private void checkClosed() {
    if (stream == null || !stream.closed) {
      throw new IllegalStateException(file + " is not written and closed yet");
    }
  }

  private static final class Stream extends PositionOutputStream {
    private final OutputStream out;
    private long pos;
    private boolean closed;

    Stream(OutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      pos++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      pos += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        out.close();
        closed = true;
      }
    }
  }
}
