package dev.shardsmith.transforms.kernels.shard;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Makes a Parquet footer canonical: every column chunk's list of encodings sorted by value. The
 * rewritten footer has exactly the length of the original (the same thrift values in another
 * order), so it can replace it in place. See {@link DigestingOutputFile} for why.
 */
final class ParquetFooters {
  private ParquetFooters() {}

  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  /**
   * Sorts the encodings of the footer at the end of {@code buf[0, len)}; false when the footer does
   * not fit in the buffer (nothing is changed then).
   */
  static boolean sortEncodings(byte[] buf, int len) throws IOException {
    if (len < 8 || !endsWithMagic(buf, len)) {
      throw new IOException("not the end of a Parquet file: no PAR1 magic");
    }
    int footerLen = ByteBuffer.wrap(buf, len - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int start = len - 8 - footerLen;
    if (footerLen < 0 || start < 0) {
      return false;
    }
    byte[] fixed = canonical(buf, start, footerLen);
    System.arraycopy(fixed, 0, buf, start, footerLen);
    return true;
  }

  /** The same for a file on disk, for a footer larger than the writer's held-back tail. */
  static void sortEncodingsOnDisk(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long size = f.length();
      byte[] end = new byte[8];
      f.seek(size - 8);
      f.readFully(end);
      int footerLen = ByteBuffer.wrap(end, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      byte[] footer = new byte[footerLen];
      f.seek(size - 8 - footerLen);
      f.readFully(footer);
      byte[] fixed = canonical(footer, 0, footerLen);
      f.seek(size - 8 - footerLen);
      f.write(fixed);
    }
  }

  private static byte[] canonical(byte[] buf, int start, int len) throws IOException {
    FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(buf, start, len));
    for (RowGroup rg : meta.getRow_groups()) {
      for (ColumnChunk cc : rg.getColumns()) {
        if (cc.isSetMeta_data()) {
          List<Encoding> encodings = new ArrayList<>(cc.getMeta_data().getEncodings());
          encodings.sort(Comparator.comparingInt(Encoding::getValue));
          cc.getMeta_data().setEncodings(encodings);
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(len);
    Util.writeFileMetaData(meta, out);
    if (out.size() != len) {
      throw new IOException(
          "the canonical Parquet footer is " + out.size() + " bytes, the original " + len);
    }
    return out.toByteArray();
  }

  private static boolean endsWithMagic(byte[] buf, int len) {
    for (int i = 0; i < 4; i++) {
      if (buf[len - 4 + i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }
}
