package dev.shardsmith.transforms.kernels.shard;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.AbstractCompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;

/**
 * Arrow's {@code LZ4_FRAME} IPC buffer codec on lz4-java's block compressor, working on the
 * off-heap buffers directly. Each buffer becomes one LZ4 frame (format 1.6.x): independent blocks
 * of at most 4 MiB, no checksums beyond the header's, no content size; a block that does not shrink
 * is stored raw, as the format allows. Readers: Arrow C++/pyarrow, arrow-js with lz4js, Arrow
 * Java's own codec.
 *
 * <p><b>Deterministic:</b> lz4-java's pure-Java compressor ({@link
 * LZ4Factory#fastestJavaInstance()}), not the JNI one, so the bytes do not depend on whether the
 * native library loads on a platform. Decoding accepts any frame: independent blocks are decoded
 * here, linked blocks (the LZ4 library's default, as pyarrow writes) through Commons Compress.
 */
final class Lz4FrameCodec extends AbstractCompressionCodec {
  static final Lz4FrameCodec INSTANCE = new Lz4FrameCodec();

  private static final int MAGIC = 0x184D2204;
  private static final int BLOCK = 4 << 20;
  // FLG: version 01, independent blocks; BD: 4 MiB maximum block size.
  private static final byte FLG = 0x60;
  private static final byte BD = 0x70;
  private static final int PREFIX = (int) CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;

  private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestJavaInstance().fastCompressor();
  private static final LZ4SafeDecompressor DECOMPRESSOR =
      LZ4Factory.fastestJavaInstance().safeDecompressor();
  private static final XXHash32 XXHASH = XXHashFactory.fastestJavaInstance().hash32();
  private static final byte HEADER_CHECKSUM =
      (byte) ((XXHASH.hash(new byte[] {FLG, BD}, 0, 2, 0) >> 8) & 0xff);

  private Lz4FrameCodec() {}

  @Override
  public CompressionUtil.CodecType getCodecType() {
    return CompressionUtil.CodecType.LZ4_FRAME;
  }

  @Override
  protected ArrowBuf doCompress(BufferAllocator allocator, ArrowBuf uncompressed) {
    long length = uncompressed.writerIndex();
    if (length > Integer.MAX_VALUE - (1 << 24)) {
      throw new IllegalArgumentException("an LZ4 buffer holds under 2 GiB, not " + length);
    }
    int len = (int) length;
    int blocks = (len + BLOCK - 1) / BLOCK;
    long max = PREFIX + 7L + 4L + (long) blocks * 4 + COMPRESSOR.maxCompressedLength(len) + blocks;
    ArrowBuf out = allocator.buffer(max);
    try {
      ByteBuffer src = uncompressed.nioBuffer(0, len);
      ByteBuffer dst = out.nioBuffer(0, (int) max).order(ByteOrder.LITTLE_ENDIAN);
      int pos = PREFIX;
      dst.putInt(pos, MAGIC);
      dst.put(pos + 4, FLG);
      dst.put(pos + 5, BD);
      dst.put(pos + 6, HEADER_CHECKSUM);
      pos += 7;
      for (int off = 0; off < len; off += BLOCK) {
        int n = Math.min(BLOCK, len - off);
        int packed = COMPRESSOR.compress(src, off, n, dst, pos + 4, (int) max - pos - 4);
        if (packed < n) {
          dst.putInt(pos, packed);
          pos += 4 + packed;
        } else {
          // Incompressible: stored as is, flagged by the size's high bit.
          dst.putInt(pos, n | 0x80000000);
          dst.put(pos + 4, src, off, n);
          pos += 4 + n;
        }
      }
      dst.putInt(pos, 0);
      pos += 4;
      out.writerIndex(pos);
      return out;
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }

  @Override
  protected ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressed) {
    long decompressedLength = readUncompressedLength(compressed);
    int len = Math.toIntExact(decompressedLength);
    int size = Math.toIntExact(compressed.writerIndex() - PREFIX);
    ByteBuffer src = compressed.nioBuffer(PREFIX, size).order(ByteOrder.LITTLE_ENDIAN);
    if (size < 7 || src.getInt(0) != MAGIC) {
      throw new IllegalArgumentException("not an LZ4 frame: bad magic number");
    }
    int flg = src.get(4) & 0xff;
    if ((flg >> 6) != 1) {
      throw new IllegalArgumentException("unsupported LZ4 frame version " + (flg >> 6));
    }
    boolean independent = (flg & 0x20) != 0;
    boolean blockChecksums = (flg & 0x10) != 0;
    int pos = 6 + ((flg & 0x08) != 0 ? 8 : 0) + ((flg & 0x01) != 0 ? 4 : 0) + 1;
    ArrowBuf out = allocator.buffer(len);
    try {
      if (!independent) {
        decodeLinked(src, size, out, len);
        return out;
      }
      ByteBuffer dst = out.nioBuffer(0, len);
      int at = 0;
      while (true) {
        int word = src.getInt(pos);
        pos += 4;
        if (word == 0) {
          break;
        }
        int n = word & 0x7fffffff;
        if (word < 0) {
          dst.put(at, src, pos, n);
          at += n;
        } else {
          at += DECOMPRESSOR.decompress(src, pos, n, dst, at, len - at);
        }
        pos += n + (blockChecksums ? 4 : 0);
      }
      if (at != len) {
        throw new IllegalArgumentException(
            "LZ4 frame holds " + at + " bytes, its Arrow prefix says " + len);
      }
      out.writerIndex(len);
      return out;
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }

  /** Linked blocks need the previous block as a dictionary: Commons Compress decodes those. */
  private static void decodeLinked(ByteBuffer src, int size, ArrowBuf out, int len) {
    byte[] frame = new byte[size];
    src.get(0, frame);
    byte[] chunk = new byte[1 << 16];
    long at = 0;
    try (InputStream in = new FramedLZ4CompressorInputStream(new ByteArrayInputStream(frame))) {
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        if (at + n > len) {
          throw new IllegalArgumentException("LZ4 frame holds more than its Arrow prefix says");
        }
        out.setBytes(at, chunk, 0, n);
        at += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (at != len) {
      throw new IllegalArgumentException(
          "LZ4 frame holds " + at + " bytes, its Arrow prefix says " + len);
    }
    out.writerIndex(len);
  }
}
