package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Counts;
import dev.shardsmith.schemas.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image pipeline with {@code balance} on the committed, imbalanced Fashion-MNIST tree (8 to 60
 * images per class): train classes reach the target, validation and test keep exactly the samples
 * {@code splits.parquet} assigns them, and the counts of invariant 3 hold. Rows are read back with
 * DuckDB.
 */
class BalancedImagePipelineTest {
  private static final Path TREE = Path.of("../sample-data/fashion-mnist").toAbsolutePath();

  @TempDir Path tmp;

  private Manifest run(String name, String balanceAndAugment) throws Exception {
    Path cfg = tmp.resolve(name + ".yaml");
    Files.writeString(
        cfg,
        "name: "
            + name
            + "\nseed: 7\ninput: {root: \""
            + TREE
            + "\"}\nquality: {min_width: 16, min_height: 16, max_pixels: 50000000}\n"
            + "split: {train: 0.7, val: 0.15, test: 0.15}\npreprocess: {resize: 16, crop: 16}\n"
            + balanceAndAugment
            + "\noutput: {shard_rows: 256}\n");
    return Runs.run(
        RunConfig.load(cfg).withOutputDir(tmp.resolve(name)), List.of("--runner=DirectRunner"));
  }

  /** Per split, per class: the samples splits.parquet assigns (the class is the first folder). */
  private static Map<String, Map<String, Long>> assigned(Path out) throws Exception {
    Map<String, Map<String, Long>> m = new TreeMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT split, split_part(id, '/', 1), count(*) FROM read_parquet('"
                    + out.resolve("splits.parquet")
                    + "') GROUP BY ALL")) {
      while (rs.next()) {
        m.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
            .put(rs.getString(2), rs.getLong(3));
      }
    }
    return m;
  }

  @Test
  void oversampleBringsEveryTrainClassToTheLargestAndLeavesValAndTestAlone() throws Exception {
    Manifest m = run("over", "balance: {strategy: oversample}\naugment: {enabled: false}");
    Path out = tmp.resolve("over");
    Map<String, Map<String, Long>> split = assigned(out);
    long max = split.get("train").values().stream().mapToLong(Long::longValue).max().orElseThrow();
    long duplicates = 0;
    for (Map.Entry<String, Long> e : split.get("train").entrySet()) {
      assertEquals(max, m.splits().get("train").classes().get(e.getKey()), e.getKey());
      duplicates += max - e.getValue();
    }
    assertEquals(42, max, "t-shirt_top: 70 % of 60");
    assertEquals(split.get("val"), m.splits().get("val").classes());
    assertEquals(split.get("test"), m.splits().get("test").classes());
    Counts c = m.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(duplicates, c.samples().derived().get("oversampled"));
    assertEquals(0L, c.samples().derived().get("augmented"));
    assertEquals(0L, c.samples().droppedByBalance());
    assertEquals(271 + duplicates, c.samples().written(), "kept + duplicates, nothing padded");

    // every duplicate: train only, its source's pixels and group, a copy index of its own
    Set<String> seen = new HashSet<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT d.id, d.split, d.copy_index, d.source_ids[1], d.image = o.image,"
                    + " d.\"group\" = o.\"group\" FROM read_parquet('"
                    + out
                    + "/*/*.parquet') d JOIN read_parquet('"
                    + out
                    + "/*/*.parquet') o ON o.id = d.source_ids[1]"
                    + " WHERE d.derived_kind = 'oversampled'")) {
      while (rs.next()) {
        assertEquals("train", rs.getString(2), rs.getString(1));
        assertEquals(rs.getString(4) + "#oversampled" + rs.getInt(3), rs.getString(1));
        assertTrue(rs.getBoolean(5), "a duplicate has its source's pixels: " + rs.getString(1));
        assertTrue(rs.getBoolean(6), "and its group");
        assertTrue(seen.add(rs.getString(4) + "#" + rs.getInt(3)));
      }
    }
    assertEquals(duplicates, seen.size());
  }

  @Test
  void undersampleWithAugmentCopiesCountsTheDroppedAndBalancesTheRows() throws Exception {
    Manifest m =
        run("under", "balance: {strategy: undersample}\naugment: {copies: 1, hflip: {p: 0.5}}");
    Map<String, Map<String, Long>> split = assigned(tmp.resolve("under"));
    long min = split.get("train").values().stream().mapToLong(Long::longValue).min().orElseThrow();
    long dropped = 0;
    for (Map.Entry<String, Long> e : split.get("train").entrySet()) {
      // each kept sample is written with its one augmented copy
      assertEquals(2 * min, m.splits().get("train").classes().get(e.getKey()), e.getKey());
      dropped += e.getValue() - min;
    }
    assertEquals(split.get("val"), m.splits().get("val").classes());
    Counts c = m.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(dropped, c.samples().droppedByBalance());
    assertEquals(271, c.samples().kept());
    assertEquals(10 * min, c.samples().derived().get("augmented"));
  }
}
