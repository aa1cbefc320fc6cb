package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.pipelines.config.ConfigException;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Counts;
import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.transforms.kernels.shard.ShardReader;
import dev.shardsmith.transforms.kernels.shard.ShardRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tabular pipeline end to end on the DirectRunner, on the shipped {@code
 * sample-data/letters.yaml} (2000 UCI letter rows, 16 integer features, 21 exact duplicate rows):
 * counts satisfy invariant 3, every split's rows read back from Parquet, Arrow and .npy with the
 * label and features of their CSV row, duplicates share a split. A second, messy run mixes CSV,
 * Parquet and broken files.
 */
class TabularPipelineTest {
  private static final Path LETTERS = Path.of("../sample-data/letters.yaml").toAbsolutePath();
  private static final Path CSV = Path.of("../sample-data/letters/letters.csv").toAbsolutePath();
  private static final List<String> DIRECT = List.of("--runner=DirectRunner");

  @TempDir static Path tmp;
  static Path out;
  static Manifest manifest;

  @BeforeAll
  static void runOnce() throws Exception {
    out = tmp.resolve("letters");
    manifest = Runs.run(RunConfig.load(LETTERS).withOutputDir(out), DIRECT);
  }

  /** CSV row number (from 1) -> its fields, label first. */
  private static Map<Long, String[]> csvRows() throws Exception {
    List<String> lines = Files.readAllLines(CSV);
    Map<Long, String[]> rows = new HashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      rows.put((long) i, lines.get(i).split(","));
    }
    return rows;
  }

  @Test
  void countsSatisfyInvariant3AndEveryRowIsWrittenOnce() {
    Counts c = manifest.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(1, c.sources().read());
    assertEquals(1, c.sources().ok());
    assertEquals(2000, c.samples().extracted());
    assertEquals(2000, c.samples().kept());
    assertEquals(Map.of(), c.samples().rejected());
    assertEquals(2000, c.samples().written());
    long total = 0;
    for (Manifest.SplitSummary s : manifest.splits().values()) {
      total += s.count();
    }
    assertEquals(2000, total);
    assertEquals(26, manifest.labels().size());
    assertNull(manifest.pixelFormat(), "feature rows have no pixel format");
  }

  @Test
  void everyFormatReadsBackTheLabelAndFeaturesOfItsCsvRow() throws Exception {
    Map<Long, String[]> csv = csvRows();
    for (String ext : List.of(".parquet", ".arrow", ".meta.json")) {
      Map<String, Long> perSplit = new TreeMap<>();
      for (Manifest.ShardEntry e : manifest.shards()) {
        if (!e.path().endsWith(ext)) {
          continue;
        }
        for (ShardRow r : ShardReader.read(out.resolve(e.path()))) {
          assertEquals(e.split(), r.split());
          assertTrue(r.id().startsWith("letters/letters.csv#"), r.id());
          String[] want = csv.get(Long.parseLong(r.id().substring(r.id().indexOf('#') + 1)));
          assertEquals(want[0], r.labelName(), r.id());
          assertEquals(manifest.labels().indexOf(want[0]), r.label(), r.id());
          float[] x = new float[16];
          for (int k = 0; k < 16; k++) {
            x[k] = Float.parseFloat(want[k + 1]);
          }
          assertArrayEquals(x, r.features(), ext + " " + r.id());
          perSplit.merge(r.split(), 1L, Long::sum);
        }
      }
      for (Map.Entry<String, Long> s : perSplit.entrySet()) {
        assertEquals(manifest.splits().get(s.getKey()).count(), s.getValue(), ext + " " + s);
      }
      assertEquals(2000, perSplit.values().stream().mapToLong(Long::longValue).sum(), ext);
    }
  }

  @Test
  void duckDbReadsFeatureNamesAndExactDuplicatesShareASplit() throws Exception {
    Path anyParquet =
        out.resolve(
            manifest.shards().stream()
                .filter(e -> e.path().endsWith(".parquet"))
                .findFirst()
                .orElseThrow()
                .path());
    Map<String, String> splitOf = new HashMap<>();
    Map<String, String> hashSplit = new HashMap<>();
    int duplicates = 0;
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement()) {
      try (ResultSet rs =
          st.executeQuery(
              "SELECT decode(value) FROM parquet_kv_metadata('"
                  + anyParquet
                  + "') WHERE decode(key) = 'shardsmith.features'")) {
        assertTrue(rs.next());
        JsonNode f = new ObjectMapper().readTree(rs.getString(1));
        assertEquals(16, f.get("names").size());
        assertEquals("x-box", f.get("names").get(0).asText());
        assertEquals("yegvx", f.get("names").get(15).asText());
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT id, split, payload_sha256, len(features) FROM read_parquet('"
                  + out
                  + "/*/*.parquet')")) {
        while (rs.next()) {
          assertEquals(16, rs.getInt(4));
          splitOf.put(rs.getString(1), rs.getString(2));
          String before = hashSplit.putIfAbsent(rs.getString(3), rs.getString(2));
          if (before != null) {
            duplicates++;
            assertEquals(before, rs.getString(2), "duplicate rows of " + rs.getString(1));
          }
        }
      }
    }
    assertEquals(2000, splitOf.size());
    assertTrue(duplicates >= 21, "the CSV holds 21 exact duplicate rows, saw " + duplicates);
  }

  /** Two CSV files (one lacking a column), a file that is not Parquet, and their config. */
  private static Path messyConfig() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("messy"));
    Files.writeString(
        dir.resolve("a.csv"),
        "kind,x,y,colour\n"
            + "cat,1,2,red\n"
            + "dog,NA,inf,\"dark, blue\"\n"
            + "cat,one,2,red\n"
            + "dog,1,2,red,extra\n"
            + ",1,2,red\n"
            + "dog,3,4,\n");
    Files.writeString(dir.resolve("b.csv"), "kind,x,colour\ncat,1,red\n");
    Files.write(dir.resolve("c.parquet"), "not a parquet file".getBytes());
    Path cfg = dir.resolve("messy.yaml");
    Files.writeString(
        cfg,
        "name: messy\nseed: 3\ninput: {kind: tabular, files: ['*.csv', c.parquet], label: kind,"
            + " features: [x, y], categorical: [colour]}\n"
            + "split: {train: 0.5, val: 0.25, test: 0.25}\noutput: {formats: [parquet, npy]}\n");
    return cfg;
  }

  @Test
  void messyFilesAreRejectedRowByRowOrWholeAndStillCountUp() throws Exception {
    Path cfg = messyConfig();
    Path messyOut = tmp.resolve("messy-out");
    Manifest m = Runs.run(RunConfig.load(cfg).withOutputDir(messyOut), DIRECT);
    Counts c = m.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(3, c.sources().read());
    assertEquals(1, c.sources().ok());
    assertEquals(Map.of("missing_column", 1L, "parquet", 1L), c.sources().rejected());
    assertEquals(6, c.samples().extracted());
    assertEquals(Map.of("bad_value", 1L, "bad_row", 1L, "no_label", 1L), c.samples().rejected());
    assertEquals(3, c.samples().written());
    Map<String, String> reasons = new TreeMap<>();
    for (String line : Files.readAllLines(messyOut.resolve("rejected/rejected.jsonl"))) {
      JsonNode n = new ObjectMapper().readTree(line);
      reasons.put(
          n.get("sample_id").asText(), n.get("level").asText() + " " + n.get("reason").asText());
      assertFalse(n.get("detail").asText().isBlank());
    }
    assertEquals(
        Map.of(
            "a.csv#3", "sample bad_value",
            "a.csv#4", "sample bad_row",
            "a.csv#5", "sample no_label",
            "b.csv", "source missing_column",
            "c.parquet", "source parquet"),
        reasons);
    Map<String, ShardRow> rows = new TreeMap<>();
    for (Manifest.ShardEntry e : m.shards()) {
      if (ShardReader.readable(e.path())) {
        for (ShardRow r : ShardReader.read(messyOut.resolve(e.path()))) {
          rows.putIfAbsent(r.id(), r);
        }
      }
    }
    assertEquals(List.of("a.csv#1", "a.csv#2", "a.csv#6"), List.copyOf(rows.keySet()));
    // Missing values are never written (invariant 4): the default normalize step imputes the
    // train mean (numeric) and the most frequent train value (categorical).
    JsonNode fitted = new ObjectMapper().valueToTree(m.normalization()).get("features");
    ShardRow missing = rows.get("a.csv#2");
    for (int k = 0; k < 2; k++) {
      float want = (float) fitted.get("numeric").get(k).get("impute_value").asDouble();
      assertEquals(want, missing.features()[k], "imputed feature " + k);
    }
    assertEquals(List.of("dark, blue"), missing.categorical());
    assertEquals(
        List.of(fitted.get("categorical").get(0).get("impute_value").asText()),
        rows.get("a.csv#6").categorical());
  }

  @Test
  void twoRunsWriteByteIdenticalShards() throws Exception {
    Path cfg = messyConfig();
    List<String> first = new java.util.ArrayList<>();
    List<String> second = new java.util.ArrayList<>();
    for (Manifest.ShardEntry e :
        Runs.run(RunConfig.load(cfg).withOutputDir(tmp.resolve("det-1")), DIRECT).shards()) {
      first.add(e.path() + " " + e.sha256());
    }
    for (Manifest.ShardEntry e :
        Runs.run(RunConfig.load(cfg).withOutputDir(tmp.resolve("det-2")), DIRECT).shards()) {
      second.add(e.path() + " " + e.sha256());
    }
    assertFalse(first.isEmpty());
    assertEquals(first, second);
  }

  @Test
  void aColumnMissingFromTheFirstHeaderFailsBeforeTheOutputIsTouched() throws Exception {
    Path cfg = tmp.resolve("bad.yaml");
    Files.writeString(
        cfg,
        "name: bad\ninput: {kind: tabular, files: ['"
            + CSV
            + "'], label: lettr}\noutput: {dir: never}\n");
    ConfigException e =
        assertThrows(ConfigException.class, () -> Runs.run(RunConfig.load(cfg), DIRECT));
    assertTrue(e.getMessage().contains("\"lettr\" is not in the header"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("never")));
  }
}
