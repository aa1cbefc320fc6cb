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
 * shard needs no second read, and makes the footer canonical so the file does not depend on the JVM
 * it was written in.
 *
 * <p>Parquet-Java collects each column chunk's encodings in a {@code HashSet<Encoding>}, whose
 * iteration order follows enum identity hash codes, which differ from one JVM to the next: two
 * processes writing the same rows produced footers that differ only in the order of those lists. So
 * the stream holds back its last {@link #TAIL} bytes; at close, the footer found there is rewritten
 * with every encoding list sorted (same thrift values, so the same length), then written and
 * hashed. A footer larger than the tail is fixed in place on disk and the file hashed again. Read
 * {@link #bytes()} and {@link #sha256()} after the writer is closed. Made with {@code sha256}
 * false, it hashes nothing ({@link #sha256()} is null), holds nothing back (one copy of every byte
 * less) and canonicalizes the footer on disk at close: the same bytes.
 */
final class DigestingOutputFile implements OutputFile {
  private static final int BUFFER = 1 << 16;

  /** Bytes held back for the footer. */
  static final int TAIL = 1 << 20;

  private final Path file;
  private final MessageDigest digest;
  private Stream stream;

  DigestingOutputFile(Path file) {
    this(file, true);
  }

  DigestingOutputFile(Path file, boolean sha256) {
    this.file = file;
    this.digest = sha256 ? Sha256Files.newDigest() : null;
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
    OutputStream buffered = new BufferedOutputStream(out, BUFFER);
    stream =
        digest == null
            ? new Stream(buffered, false)
            : new Stream(new DigestOutputStream(buffered, digest), true);
    stream.file = file;
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

  /** Hex sha256 of the bytes written (null when not hashing); valid once, after closing. */
  String sha256() throws IOException {
    checkClosed();
    if (digest == null) {
      return null;
    }
    return stream.rehash ? Sha256Files.of(file) : Sha256Files.hex(digest);
  }

  private void checkClosed() {
    if (stream == null || !stream.closed) {
      throw new IllegalStateException(file + " is not written and closed yet");
    }
  }

  private static final class Stream extends PositionOutputStream {
    private final OutputStream out;
    private final byte[] tail;
    private int held;
    private long pos;
    private boolean closed;
    private boolean rehash;
    private Path file;

    /** With {@code holdTail} false, every byte passes straight through. */
    Stream(OutputStream out, boolean holdTail) {
      this.out = out;
      this.tail = holdTail ? new byte[2 * TAIL] : null;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void write(int b) throws IOException {
      if (tail == null) {
        pos++;
        out.write(b);
        return;
      }
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      pos += len;
      if (tail == null) {
        out.write(b, off, len);
        return;
      }
      if (len >= TAIL) {
        // a large page: pass all held bytes and the head of this write through
        out.write(tail, 0, held);
        out.write(b, off, len - TAIL);
        System.arraycopy(b, off + len - TAIL, tail, 0, TAIL);
        held = TAIL;
        return;
      }
      if (held + len > tail.length) {
        int release = held + len - TAIL;
        out.write(tail, 0, release);
        System.arraycopy(tail, release, tail, 0, held - release);
        held -= release;
      }
      System.arraycopy(b, off, tail, held, len);
      held += len;
    }

    @Override
    public void flush() {
      // held bytes stay held until close; Parquet only flushes before closing
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      if (tail == null) {
        out.close();
        closed = true;
        ParquetFooters.sortEncodingsOnDisk(file);
        return;
      }
      boolean fixed = ParquetFooters.sortEncodings(tail, held);
      out.write(tail, 0, held);
      out.close();
      closed = true;
      if (!fixed) {
        ParquetFooters.sortEncodingsOnDisk(file);
        rehash = true;
      }
    }
  }
}
