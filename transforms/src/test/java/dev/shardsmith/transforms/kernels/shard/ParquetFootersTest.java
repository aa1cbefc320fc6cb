package dev.shardsmith.transforms.kernels.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet-Java orders each column's encodings by enum identity hash codes, which change from one
 * JVM to the next; our writer sorts them, so shards do not depend on the process that wrote them.
 */
class ParquetFootersTest {
  @TempDir Path tmp;

  private static FileMetaData footer(byte[] file) throws Exception {
    int len = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    return Util.readFileMetaData(new ByteArrayInputStream(file, file.length - 8 - len, len));
  }

  private static List<List<Integer>> encodings(FileMetaData meta) {
    List<List<Integer>> out = new ArrayList<>();
    for (RowGroup rg : meta.getRow_groups()) {
      for (ColumnChunk cc : rg.getColumns()) {
        out.add(cc.getMeta_data().getEncodings().stream().map(Encoding::getValue).toList());
      }
    }
    return out;
  }

  @Test
  void writtenFootersListEncodingsInValueOrder() throws Exception {
    Path file = tmp.resolve("splits.parquet");
    List<SplitRow> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(new SplitRow("id-" + i, "g" + (i % 7), i % 3 == 0 ? "val" : "train", -1));
    }
    SplitsFile.write(file, rows);
    List<List<Integer>> lists = encodings(footer(Files.readAllBytes(file)));
    assertEquals(4, lists.size());
    for (List<Integer> l : lists) {
      assertTrue(l.size() >= 2, "each column lists several encodings: " + l);
      List<Integer> sorted = new ArrayList<>(l);
      Collections.sort(sorted);
      assertEquals(sorted, l);
    }
    assertEquals(
        Sha256Files.of(file), SplitsFile.write(tmp.resolve("again.parquet"), rows).sha256());
  }

  @Test
  void aFooterOnDiskIsSortedInPlace() throws Exception {
    Path file = tmp.resolve("s.parquet");
    SplitsFile.write(file, List.of(new SplitRow("a", "g", "train", -1)));
    byte[] sorted = Files.readAllBytes(file);
    // Write the same footer with every encoding list reversed, as another JVM might have.
    FileMetaData meta = footer(sorted);
    for (RowGroup rg : meta.getRow_groups()) {
      for (ColumnChunk cc : rg.getColumns()) {
        List<Encoding> e = new ArrayList<>(cc.getMeta_data().getEncodings());
        Collections.reverse(e);
        cc.getMeta_data().setEncodings(e);
      }
    }
    ByteArrayOutputStream reversed = new ByteArrayOutputStream();
    Util.writeFileMetaData(meta, reversed);
    int len = reversed.size();
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(sorted.length - 8 - len);
      f.write(reversed.toByteArray());
    }
    assertTrue(!java.util.Arrays.equals(sorted, Files.readAllBytes(file)), "the footer changed");
    ParquetFooters.sortEncodingsOnDisk(file);
    assertEquals(
        java.util.HexFormat.of().formatHex(sorted),
        java.util.HexFormat.of().formatHex(Files.readAllBytes(file)));
  }
}
