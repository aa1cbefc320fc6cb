package dev.shardsmith.transforms.kernels.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SplittableRandom;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.junit.jupiter.api.Test;

class Lz4FrameCodecTest {
  private static final CompressionCodec CODEC =
      ShardCompressionFactory.INSTANCE.createCodec(CompressionUtil.CodecType.LZ4_FRAME);

  /** 9 MiB + 3: three 4 MiB blocks, the first compressible, the rest random (stored raw). */
  private static byte[] mixed() {
    byte[] b = new byte[(9 << 20) + 3];
    for (int i = 0; i < (4 << 20); i++) {
      b[i] = (byte) ((i / 97) % 13);
    }
    byte[] noise = new byte[b.length - (4 << 20)];
    new SplittableRandom(5).nextBytes(noise);
    System.arraycopy(noise, 0, b, 4 << 20, noise.length);
    return b;
  }

  private static ArrowBuf buffer(BufferAllocator a, byte[] bytes) {
    ArrowBuf b = a.buffer(Math.max(1, bytes.length));
    b.setBytes(0, bytes);
    b.writerIndex(bytes.length);
    return b;
  }

  private static byte[] bytes(ArrowBuf b) {
    byte[] out = new byte[(int) b.writerIndex()];
    b.getBytes(0, out);
    return out;
  }

  /** Our codec's frame (after Arrow's 8-byte length prefix) for {@code data}. */
  private static byte[] frame(BufferAllocator a, byte[] data) {
    try (ArrowBuf packed = CODEC.compress(a, buffer(a, data))) {
      byte[] all = bytes(packed);
      assertEquals(data.length, packed.getLong(0), "Arrow's uncompressed-length prefix");
      byte[] f = new byte[all.length - 8];
      System.arraycopy(all, 8, f, 0, f.length);
      return f;
    }
  }

  private static byte[] decode(BufferAllocator a, byte[] frame, long length) {
    ArrowBuf in = a.buffer(frame.length + 8);
    in.setLong(0, length);
    in.setBytes(8, frame);
    in.writerIndex(frame.length + 8);
    try (ArrowBuf out = CODEC.decompress(a, in)) {
      return bytes(out);
    }
  }

  @Test
  void roundTripsAndCommonsCompressReadsOurFrames() throws Exception {
    try (BufferAllocator a = new RootAllocator()) {
      byte[] hello = "hello ".repeat(100).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      for (byte[] data : new byte[][] {new byte[1000], hello, mixed()}) {
        byte[] f = frame(a, data);
        assertArrayEquals(data, decode(a, f, data.length), "length " + data.length);
        try (InputStream in = new FramedLZ4CompressorInputStream(new ByteArrayInputStream(f))) {
          assertArrayEquals(
              data, in.readAllBytes(), "Commons Compress reads length " + data.length);
        }
      }
      // The compressible block shrank; the random ones were stored, not grown much.
      byte[] data = mixed();
      int size = frame(a, data).length;
      assertTrue(size < data.length - (3 << 20), "size " + size);
    }
  }

  @Test
  void aBufferThatWouldGrowIsStoredRawByArrow() {
    try (BufferAllocator a = new RootAllocator();
        ArrowBuf packed = CODEC.compress(a, buffer(a, new byte[] {42}))) {
      assertEquals(CompressionUtil.NO_COMPRESSION_LENGTH, packed.getLong(0));
      assertEquals(9, packed.writerIndex());
    }
  }

  @Test
  void sameBytesGiveTheSameFrameAndAnEmptyBufferStaysEmpty() {
    try (BufferAllocator a = new RootAllocator()) {
      byte[] data = mixed();
      assertArrayEquals(frame(a, data), frame(a, data));
      try (ArrowBuf empty = CODEC.compress(a, a.getEmpty())) {
        assertEquals(8, empty.writerIndex());
        assertEquals(0, empty.getLong(0));
      }
    }
  }

  @Test
  void readsFramesOfOtherWritersWithChecksumsAndLinkedBlocks() throws Exception {
    byte[] data = mixed();
    FramedLZ4CompressorOutputStream.Parameters[] kinds = {
      // independent 4 MiB blocks with a content checksum (Commons Compress's default)
      FramedLZ4CompressorOutputStream.Parameters.DEFAULT,
      // linked 64 KiB blocks with block checksums, as the LZ4 library writes by default
      new FramedLZ4CompressorOutputStream.Parameters(
          FramedLZ4CompressorOutputStream.BlockSize.K64, true, true, true),
    };
    byte[] small = new byte[200_000];
    System.arraycopy(data, 0, small, 0, 100_000);
    System.arraycopy(data, 5 << 20, small, 100_000, 100_000);
    try (BufferAllocator a = new RootAllocator()) {
      for (FramedLZ4CompressorOutputStream.Parameters p : kinds) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new FramedLZ4CompressorOutputStream(bytes, p)) {
          out.write(small);
        }
        assertArrayEquals(small, decode(a, bytes.toByteArray(), small.length), p.toString());
      }
    }
  }
}
