package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.pipelines.config.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stable mode with folds through the whole image pipeline (leakage guard on), then a second run in
 * exact mode with another seed that freezes the first run's splits.parquet: nothing moves. Read
 * back with DuckDB.
 */
class SplitModesPipelineTest {
  private static final Path TREE = Path.of("../sample-data/fashion-mnist").toAbsolutePath();

  @TempDir Path tmp;

  private RunConfig config(String name, String split) throws Exception {
    Path cfg = tmp.resolve(name + ".yaml");
    Files.writeString(
        cfg,
        "name: "
            + name
            + "\nseed: 7\ninput: {root: \""
            + TREE
            + "\"}\nquality: {min_width: 16, min_height: 16, max_pixels: 50000000}\n"
            + "split: "
            + split
            + "\npreprocess: {resize: 32, crop: 28}\naugment: {copies: 1}\n"
            + "output: {shard_rows: 128}\n");
    return RunConfig.load(cfg).withOutputDir(tmp.resolve(name));
  }

  /** id -> "group|split|fold" from a splits.parquet. */
  private static Map<String, String> splits(Path file) throws Exception {
    return query(
        "SELECT id, \"group\" || '|' || split || '|' || fold FROM read_parquet('" + file + "')");
  }

  private static Map<String, String> query(String sql) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  @Test
  void stableFoldsThenFreezeFromKeepsEverySample() throws Exception {
    RunConfig first =
        config("first", "{mode: stable, folds: 3, train: 0.7, val: 0.15, test: 0.15}");
    dev.shardsmith.schemas.Manifest manifest = Runs.run(first, List.of("--runner=DirectRunner"));
    // the planner's report is in the manifest: mode, folds, and per-class fold counts
    assertEquals("stable", manifest.splitPlan().get("mode"));
    assertEquals(3, ((Number) manifest.splitPlan().get("folds")).intValue());
    assertTrue(
        manifest.splitPlan().toString().contains("fold_achieved"), manifest.splitPlan().toString());
    Path firstSplits = tmp.resolve("first/splits.parquet");
    Map<String, String> before = splits(firstSplits);
    assertEquals(271, before.size());
    Map<String, String> foldOfGroup = new TreeMap<>();
    int[] perFold = new int[3];
    for (String v : before.values()) {
      String[] f = v.split("\\|");
      int fold = Integer.parseInt(f[2]);
      if (f[1].equals("train")) {
        perFold[fold]++;
      } else {
        assertEquals(-1, fold, v);
      }
      String prev = foldOfGroup.put(f[0], f[1] + fold);
      assertTrue(prev == null || prev.equals(f[1] + fold), "group straddles: " + v);
    }
    assertTrue(perFold[0] > 0 && perFold[1] > 0 && perFold[2] > 0, List.of(perFold).toString());

    // The shard fold column agrees with splits.parquet, for originals and augmented copies.
    Map<String, String> shardFolds =
        query(
            "SELECT id, split || '|' || fold FROM read_parquet('"
                + tmp.resolve("first")
                + "/*/part-*.parquet')");
    assertTrue(shardFolds.size() > 271, "augmented copies are written too");
    shardFolds.forEach(
        (id, v) -> {
          String source = id.contains("#") ? id.substring(0, id.indexOf('#')) : id;
          String[] b = before.get(source).split("\\|");
          assertEquals(b[1] + "|" + b[2], v, id);
        });

    Files.copy(firstSplits, tmp.resolve("frozen.parquet"));
    RunConfig second =
        config(
            "second",
            "{mode: exact, folds: 3, train: 0.6, val: 0.2, test: 0.2, freeze_from: frozen.parquet}");
    Runs.run(second, List.of("--runner=DirectRunner"));
    assertEquals(before, splits(tmp.resolve("second/splits.parquet")));
  }
}
