package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Counts;
import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.transforms.kernels.shard.ArrowShardFile;
import dev.shardsmith.transforms.kernels.shard.ShardRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text pipeline end to end on the DirectRunner, on the shipped fortune files (six categories,
 * 554 records): counts satisfy invariant 3, every written row reads back from Parquet (DuckDB) and
 * Arrow (Node's apache-arrow, and Arrow Java) with the text and label of its fortune record,
 * oversampling touches train only, two runs are byte-identical. Smaller runs cover damaged input,
 * multi-label CSV with a declared empty class, and train originals left out.
 */
class TextPipelineTest {
  private static final Path SAMPLE = Path.of("../sample-data").toAbsolutePath().normalize();
  private static final List<String> DIRECT = List.of("--runner=DirectRunner");

  /** The demo's input and cleanup, balanced by oversampling (no augmentation engine needed). */
  private static final String FORTUNES =
      "name: text-fortunes\nseed: 42\n"
          + "input: {kind: text, format: fortune, files: [text/fortunes/*], whitespace: collapse}\n"
          + "quality: {max_chars: 1000}\n"
          + "split: {mode: exact, train: 0.7, val: 0.15, test: 0.15}\n"
          + "balance: {strategy: oversample, target: max}\n"
          + "augment: {enabled: false}\n"
          + "output: {formats: [parquet, arrow], shard_rows: 200}\n";

  @TempDir static Path tmp;
  static Path out;
  static Manifest manifest;

  /** A config in {@code tmp/name} next to a copy of sample-data/text. */
  private static Path config(String name, String yaml) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    if (!Files.exists(dir.resolve("text"))) {
      try (var walk = Files.walk(SAMPLE.resolve("text"))) {
        for (Path p : walk.toList()) {
          Path to = dir.resolve(SAMPLE.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      }
    }
    return Files.writeString(dir.resolve(name + ".yaml"), yaml);
  }

  private static Manifest run(Path cfg, Path outDir) throws Exception {
    return Runs.run(RunConfig.load(cfg).withOutputDir(outDir), DIRECT);
  }

  @BeforeAll
  static void runOnce() throws Exception {
    out = tmp.resolve("fortunes-out");
    manifest = run(config("fortunes", FORTUNES), out);
  }

  /** Each fortune record as the reader should clean it: id -> text, computed here on its own. */
  private static Map<String, String> fortuneTexts() throws Exception {
    Map<String, String> texts = new TreeMap<>();
    try (var files = Files.list(SAMPLE.resolve("text/fortunes"))) {
      for (Path f : files.sorted().toList()) {
        String[] records = Files.readString(f, StandardCharsets.UTF_8).split("\n%\n", -1);
        for (int i = 0; i < records.length; i++) {
          String t = records[i].strip().replaceAll("(?U)\\s+", " ");
          if (!t.isEmpty() && t.codePointCount(0, t.length()) <= 1000) {
            texts.put("text/fortunes/" + f.getFileName() + "#" + (i + 1), t);
          }
        }
      }
    }
    return texts;
  }

  @Test
  void countsSatisfyInvariant3() throws Exception {
    Counts c = manifest.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(6, c.sources().read());
    assertEquals(6, c.sources().ok());
    assertEquals(198 + 147 + 74 + 53 + 52 + 30, c.samples().extracted());
    assertEquals(Map.of(), c.samples().rejected());
    Map<String, String> texts = fortuneTexts();
    assertEquals(texts.size(), c.samples().kept());
    long tooLong = c.samples().filtered().getOrDefault("too_long", 0L);
    assertEquals(7, tooLong, "fortunes over 1000 characters: " + c.samples().filtered());
    assertEquals(c.samples().extracted(), c.samples().kept() + tooLong);
    long oversampled = c.samples().derived().getOrDefault("oversampled", 0L);
    assertTrue(oversampled > 0);
    assertEquals(c.samples().kept() + oversampled, c.samples().written());
    assertEquals(List.of("food", "magic", "medicine", "news", "pets", "sports"), manifest.labels());
    assertNull(manifest.pixelFormat(), "text holds no pixels");
    // oversampling brings every train class to the largest; val and test keep their own counts
    Map<String, Long> train = manifest.splits().get("train").classes();
    assertEquals(1, train.values().stream().distinct().count(), "train classes " + train);
  }

  /** Rows of every Parquet shard, read by DuckDB: id -> [split, label_name, text, kind]. */
  private static Map<String, List<String>> duckDbRows(Path dir) throws Exception {
    Map<String, List<String>> rows = new TreeMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT id, split, label_name, text, derived_kind, labels FROM read_parquet('"
                    + dir
                    + "/*/*.parquet')")) {
      while (rs.next()) {
        Array labels = rs.getArray(6);
        List<String> row =
            new ArrayList<>(
                Arrays.asList(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
        row.add(Arrays.toString((Object[]) labels.getArray()));
        assertFalse(rows.containsKey(rs.getString(1)), "id written twice: " + rs.getString(1));
        rows.put(rs.getString(1), row);
      }
    }
    return rows;
  }

  @Test
  void duckDbReadsEveryRecordWithItsTextAndLabel() throws Exception {
    Map<String, String> texts = fortuneTexts();
    Map<String, List<String>> rows = duckDbRows(out);
    assertEquals(manifest.counts().samples().written(), rows.size());
    int originals = 0;
    for (Map.Entry<String, List<String>> r : rows.entrySet()) {
      String id = r.getKey();
      String source =
          id.contains("#oversampled") ? id.substring(0, id.indexOf("#oversampled")) : id;
      assertEquals(texts.get(source), r.getValue().get(2), id);
      String file = source.substring("text/fortunes/".length(), source.indexOf('#'));
      assertEquals(file, r.getValue().get(1), id);
      if (r.getValue().get(3) == null) {
        originals++;
      } else {
        assertEquals("oversampled", r.getValue().get(3));
        assertEquals("train", r.getValue().get(0), "only train is oversampled: " + id);
      }
    }
    assertEquals(texts.size(), originals);
  }

  @Test
  void arrowShardsHoldTheSameRowsAsParquet() throws Exception {
    Map<String, List<String>> parquet = duckDbRows(out);
    Path node = Path.of("../transforms/src/test/node").toAbsolutePath().normalize();
    boolean nodeReady = Files.exists(node.resolve("node_modules/apache-arrow/package.json"));
    int arrowRows = 0;
    for (Manifest.ShardEntry e : manifest.shards()) {
      if (!e.format().equals("arrow")) {
        continue;
      }
      Path file = out.resolve(e.path());
      List<ShardRow> rows = ArrowShardFile.read(file);
      for (ShardRow r : rows) {
        assertEquals(parquet.get(r.id()).get(2), r.text(), r.id());
        assertEquals(e.split(), r.split());
      }
      arrowRows += rows.size();
      if (nodeReady) {
        Process p =
            new ProcessBuilder("node", node.resolve("read-arrow.mjs").toString(), file.toString())
                .redirectErrorStream(true)
                .start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), json);
        JsonNode n = new ObjectMapper().readTree(json);
        assertEquals(rows.size(), n.get("numRows").asInt());
        JsonNode ids = n.get("columns").get("id");
        JsonNode text = n.get("columns").get("text");
        for (int i = 0; i < rows.size(); i++) {
          assertEquals(parquet.get(ids.get(i).asText()).get(2), text.get(i).asText());
        }
      }
    }
    assertEquals(parquet.size(), arrowRows);
    if (System.getenv("SHARDSMITH_REQUIRE_PEERS") != null) {
      assertTrue(nodeReady, "run npm ci in " + node);
    }
    Assumptions.assumeTrue(nodeReady, "apache-arrow is not installed in " + node);
  }

  @Test
  void inspectVerifiesTheDatasetAndShowsText() throws Exception {
    java.io.ByteArrayOutputStream shown = new java.io.ByteArrayOutputStream();
    assertTrue(Inspect.run(out, new java.io.PrintStream(shown, true, StandardCharsets.UTF_8)));
    String text = shown.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains(" text=\""), text);
    assertTrue(text.contains("inspect: ok"), text);
  }

  @Test
  void twoRunsAtTwoParallelismsWriteByteIdenticalShards() throws Exception {
    // one worker thread instead of the default: bundles and their order differ, the bytes do not
    Manifest again =
        Runs.run(
            RunConfig.load(config("fortunes", FORTUNES))
                .withOutputDir(tmp.resolve("fortunes-again")),
            List.of("--runner=DirectRunner", "--targetParallelism=1"));
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    manifest.shards().forEach(e -> first.add(e.path() + " " + e.sha256()));
    again.shards().forEach(e -> second.add(e.path() + " " + e.sha256()));
    assertFalse(first.isEmpty());
    assertEquals(first, second);
    assertEquals(manifest.counts(), again.counts());
  }

  @Test
  void damagedRecordsAreRejectedOrFilteredWithReasons() throws Exception {
    Path cfg =
        config(
            "damaged",
            "name: text-damaged\ninput: {kind: text, format: jsonl,"
                + " files: [text/damaged/damaged.jsonl, text/damaged/missing-*.jsonl,"
                + " text/tiny/quotes.jsonl], labels: [food, pets]}\n"
                + "quality: {max_chars: 1000}\n"
                + "split: {mode: exact, train: 0.5, val: 0.25, test: 0.25}\n"
                + "augment: {enabled: false}\noutput: {formats: [parquet]}\n");
    Files.write(
        cfg.resolveSibling("text/damaged/missing-text.jsonl"),
        "{\"body\": \"no text field\", \"label\": \"food\"}\n".getBytes(StandardCharsets.UTF_8));
    Path o = tmp.resolve("damaged-out");
    Manifest m = run(cfg, o);
    Counts c = m.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(3, c.sources().read());
    assertEquals(9 + 1 + 6, c.samples().extracted());
    assertEquals(Map.of("empty", 1L, "too_long", 1L), c.samples().filtered());
    assertEquals(
        Map.of(
            "invalid_utf8", 1L,
            "no_label", 1L,
            "no_text", 2L,
            "unknown_label", 1L,
            "bad_json", 1L),
        c.samples().rejected());
    assertEquals(2 + 6, c.samples().kept());
    assertEquals(8, c.samples().written());
    Map<String, String> reasons = new TreeMap<>();
    for (String line : Files.readAllLines(o.resolve("rejected/rejected.jsonl"))) {
      JsonNode n = new ObjectMapper().readTree(line);
      reasons.put(n.get("sample_id").asText(), n.get("reason").asText());
      assertFalse(n.get("detail").asText().isBlank());
    }
    assertEquals(
        Map.of(
            "text/damaged/damaged.jsonl#2", "invalid_utf8",
            "text/damaged/damaged.jsonl#5", "no_label",
            "text/damaged/damaged.jsonl#6", "no_text",
            "text/damaged/damaged.jsonl#7", "unknown_label",
            "text/damaged/damaged.jsonl#8", "bad_json",
            "text/damaged/missing-text.jsonl#1", "no_text"),
        reasons);
  }

  @Test
  void multiLabelCsvKeepsADeclaredEmptyClassAndReportsItMissing() throws Exception {
    Path cfg =
        config(
            "multi",
            "name: text-multi\ninput: {kind: text, format: csv, files: [text/tiny/quotes.csv],"
                + " labels_field: labels, id_field: id, group_field: group,"
                + " labels: [ghost, food, pets]}\n"
                + "split: {train: 0.5, val: 0.25, test: 0.25}\n"
                + "augment: {enabled: false}\noutput: {formats: [parquet, arrow]}\n");
    Path o = tmp.resolve("multi-out");
    Manifest m = run(cfg, o);
    assertEquals(List.of(), m.counts().violations());
    assertEquals(List.of("ghost", "food", "pets"), m.labels());
    for (String split : List.of("train", "val", "test")) {
      assertTrue(m.splits().get(split).missingClasses().contains("ghost"), split);
      assertEquals(0L, m.splits().get(split).classes().get("ghost"), split);
    }
    Map<String, List<String>> rows = duckDbRows(o);
    assertEquals(List.of("c1", "c2", "c3", "c4"), List.copyOf(rows.keySet()));
    assertEquals("[2, 1]", rows.get("c4").get(4), "c4 is pets|food: indices 2 and 1");
    assertEquals("[1]", rows.get("c3").get(4));
    assertEquals(
        "Cats, dogs and \"people\" will eat\nnearly anything you leave on the table.",
        rows.get("c4").get(2));
  }

  @Test
  void trainOriginalsLeftOutAreCounted() throws Exception {
    Path cfg =
        config(
            "omit",
            "name: text-omit\nseed: 3\ninput: {kind: text, format: folders, root: text/tiny/folders}\n"
                + "split: {mode: exact, train: 0.34, val: 0.33, test: 0.33}\n"
                + "augment: {enabled: true, copies: 0, include_original: false}\n"
                + "output: {formats: [parquet]}\n");
    Path o = tmp.resolve("omit-out");
    Manifest m = run(cfg, o);
    Counts c = m.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(3, c.samples().kept());
    // the split assigned these originals to train; none of them is written
    long train = Math.round(m.splits().get("train").achieved() * 3);
    assertTrue(train > 0, "the split puts some sample in train");
    assertEquals(0, m.splits().get("train").count());
    assertEquals(train, c.samples().originalsOmitted());
    assertEquals(3 - train, c.samples().written());
    Map<String, List<String>> rows = duckDbRows(o);
    assertEquals(3 - train, rows.size());
    rows.values().forEach(r -> assertFalse(r.get(0).equals("train"), r.toString()));
  }

  /**
   * The shipped demo with its text ops (synonym, EDA, paraphrase) and augment-to-target balancing.
   */
  @Test
  void theTextDemoRunsEndToEndWithAugmentation() throws Exception {
    Path o = tmp.resolve("demo-out");
    Manifest m = run(SAMPLE.resolve("text-demo.yaml"), o);
    Counts c = m.counts();
    assertEquals(List.of(), c.violations());
    long augmented = c.samples().derived().getOrDefault("augmented", 0L);
    assertTrue(augmented > 0, "augment-to-target makes copies of the smaller classes");
    Map<String, Long> train = m.splits().get("train").classes();
    long derivedFiltered =
        c.samples().derivedFiltered().values().stream().mapToLong(Long::longValue).sum();
    if (derivedFiltered == 0) {
      assertEquals(1, train.values().stream().distinct().count(), "train classes " + train);
    }
    Map<String, List<String>> rows = duckDbRows(o);
    Map<String, Integer> bySplit = new HashMap<>();
    for (Map.Entry<String, List<String>> r : rows.entrySet()) {
      if ("augmented".equals(r.getValue().get(3))) {
        assertEquals("train", r.getValue().get(0), r.getKey());
        bySplit.merge("augmented", 1, Integer::sum);
      }
    }
    assertEquals(augmented, (long) bySplit.get("augmented"));
  }
}
