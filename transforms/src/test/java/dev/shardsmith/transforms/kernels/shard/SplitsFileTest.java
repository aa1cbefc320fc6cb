package dev.shardsmith.transforms.kernels.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitsFileTest {
  @TempDir Path dir;

  private static final List<SplitRow> UNSORTED =
      List.of(
          new SplitRow("dogs/2.jpg", "g1", "val", -1),
          new SplitRow("cats/1.jpg", "g1", "train", 2),
          new SplitRow("ü/3.jpg", "g9", "test", -1),
          new SplitRow("cats/0.jpg", "g0", "train", 0));

  @Test
  void roundTripThroughDuckDbSortedById() throws Exception {
    Path file = dir.resolve("splits.parquet");
    ShardFileResult r = SplitsFile.write(file, UNSORTED);
    assertEquals(4, r.rows());
    assertEquals(Files.size(file), r.bytes());
    assertEquals(Sha256Files.of(file), r.sha256());

    List<Map<String, Object>> got =
        DuckDb.query(
            "SELECT id, \"group\", split, fold FROM read_parquet('"
                + file
                + "', file_row_number=true) ORDER BY file_row_number");
    assertEquals(
        List.of("cats/0.jpg", "cats/1.jpg", "dogs/2.jpg", "ü/3.jpg"),
        got.stream().map(m -> m.get("id")).toList());
    assertEquals(List.of("g0", "g1", "g1", "g9"), got.stream().map(m -> m.get("group")).toList());
    assertEquals(
        List.of("train", "train", "val", "test"), got.stream().map(m -> m.get("split")).toList());
    assertEquals(List.of(0, 2, -1, -1), got.stream().map(m -> m.get("fold")).toList());

    List<SplitRow> back = SplitsFile.read(file);
    assertEquals(List.of(UNSORTED.get(3), UNSORTED.get(1), UNSORTED.get(0), UNSORTED.get(2)), back);
  }

  @Test
  void anyInputOrderGivesTheSameBytes() throws Exception {
    Path a = dir.resolve("a.parquet");
    Path b = dir.resolve("b.parquet");
    SplitsFile.write(a, UNSORTED);
    SplitsFile.write(
        b, List.of(UNSORTED.get(2), UNSORTED.get(0), UNSORTED.get(3), UNSORTED.get(1)));
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }

  @Test
  void duplicateIdIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SplitsFile.write(
                    dir.resolve("d.parquet"),
                    List.of(
                        new SplitRow("x", "g", "train", -1), new SplitRow("x", "g", "val", -1))));
    assertTrue(e.getMessage().contains("x"), e.getMessage());
  }
}
