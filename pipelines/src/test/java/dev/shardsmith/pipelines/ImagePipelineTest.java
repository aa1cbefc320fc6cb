package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.Counts;
import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.transforms.kernels.image.AugmentSpec;
import dev.shardsmith.transforms.kernels.image.ImageFusion;
import dev.shardsmith.transforms.kernels.image.ImageHeaders;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image pipeline end to end on the DirectRunner (its immutability and encodability checks on),
 * on the committed sample tree: 270 real Fashion-MNIST images, five damaged files and one exact
 * duplicate. Values are read back with DuckDB, an independent Parquet reader, and compared with
 * pixels rendered again from the source files.
 */
class ImagePipelineTest {
  private static final Path TREE = Path.of("../sample-data/fashion-mnist").toAbsolutePath();
  private static final List<String> DIRECT = List.of("--runner=DirectRunner");

  @TempDir static Path tmp;
  static Path out;
  static Manifest manifest;
  static RunConfig config;

  @BeforeAll
  static void runOnce() throws Exception {
    Path cfg = tmp.resolve("demo.yaml");
    Files.writeString(
        cfg,
        "name: sample\nseed: 7\ninput: {root: \""
            + TREE
            + "\"}\nquality: {min_width: 16, min_height: 16, max_pixels: 50000000}\n"
            + "split: {train: 0.7, val: 0.15, test: 0.15}\npreprocess: {resize: 32, crop: 28}\n"
            + "augment: {copies: 1, hflip: {p: 0.5}, rotate: {p: 0.5, limit: 10},"
            + " random_resized_crop: {p: 0.5, scale: [0.7, 1.0]},"
            + " ops: [{op: brightness_contrast, p: 0.5}, {op: gaussian_noise, p: 0.5, std: [2, 6]}]}"
            + "\noutput: {shard_rows: 64}\n");
    out = tmp.resolve("out");
    config = RunConfig.load(cfg).withOutputDir(out);
    manifest = Runs.run(config, DIRECT);
  }

  @Test
  void countsSatisfyBothLevelsOfInvariant3() {
    Counts c = manifest.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(276, c.sources().read());
    assertEquals(271, c.sources().ok());
    assertEquals(
        Map.of("empty", 1L, "too_large", 1L, "truncated", 2L, "unknown_format", 1L),
        c.sources().rejected());
    assertEquals(271, c.samples().extracted());
    assertEquals(271, c.samples().kept());
    long train = manifest.splits().get("train").count();
    assertEquals(train / 2, c.samples().derived().get("augmented"), "one copy per train original");
    assertEquals(271 + train / 2, c.samples().written());
  }

  @Test
  void damagedFilesAreRejectedWithStageAndReason() throws Exception {
    Map<String, String> reasons = new TreeMap<>();
    for (String line : Files.readAllLines(out.resolve("rejected/rejected.jsonl"))) {
      JsonNode n = new ObjectMapper().readTree(line);
      assertEquals("validate", n.get("stage").asText());
      assertEquals("source", n.get("level").asText());
      assertFalse(n.get("detail").asText().isBlank());
      reasons.put(n.get("source").asText(), n.get("reason").asText());
    }
    assertEquals(
        Map.of(
            "bag/damaged-empty.png", "empty",
            "bag/damaged-truncated.jpg", "truncated",
            "dress/damaged-truncated.png", "truncated",
            "sandal/damaged-bomb-60000x60000.png", "too_large",
            "shirt/damaged-notes.png", "unknown_format"),
        reasons);
  }

  @Test
  void splitsAreExactPerClassAndDuplicatesShareASplit() throws Exception {
    Map<String, String[]> splits = new HashMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT id, \"group\", split, fold FROM read_parquet('"
                    + out.resolve("splits.parquet")
                    + "') ORDER BY id")) {
      while (rs.next()) {
        assertEquals(-1, rs.getInt(4));
        splits.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
      }
    }
    assertEquals(271, splits.size());
    String[] original = splits.get("coat/00006.png");
    String[] copy = splits.get("coat/duplicate-of-00006.png");
    assertEquals(original[1], copy[1], "exact duplicates land in one split");
    assertEquals(original[0], copy[0], "and in one group");
    assertTrue(original[0].startsWith("sha256:"));
    for (Manifest.SplitSummary s : manifest.splits().values()) {
      assertTrue(s.maxClassError() <= 1.0, "per-class error within one sample: " + s);
      assertEquals(List.of(), s.missingClasses());
    }
    assertEquals(
        List.of(
            "ankle_boot",
            "bag",
            "coat",
            "dress",
            "pullover",
            "sandal",
            "shirt",
            "sneaker",
            "t-shirt_top",
            "trouser"),
        manifest.labels(),
        "without declared labels the label map is the sorted set of labels");
  }

  @Test
  void duckDbReadsBackTheRowsAndPixelsThatWereWritten() throws Exception {
    PreprocessSpec pre = new PreprocessSpec(32, 28, 28);
    Set<String> ids = new HashSet<>();
    Map<String, Long> rowsPerShard = new TreeMap<>();
    int checkedOriginals = 0;
    int replayedCopies = 0;
    Set<String> pixelOpsSeen = new java.util.TreeSet<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT id, label, label_name, split, image, applied, derived_kind, source_ids,"
                    + " filename FROM read_parquet('"
                    + out
                    + "/*/part-*.parquet', filename = true)")) {
      while (rs.next()) {
        String id = rs.getString(1);
        assertTrue(ids.add(id), "ids are unique: " + id);
        assertEquals(manifest.labels().indexOf(rs.getString(3)), rs.getInt(2));
        String file = Path.of(rs.getString(9)).getFileName().toString();
        rowsPerShard.merge(rs.getString(4) + "/" + file, 1L, Long::sum);
        byte[] pixels = rs.getBytes(5);
        assertEquals(28 * 28 * 3, pixels.length);
        Applied applied = Applied.fromJson(rs.getString(6));
        String source = id.contains("#") ? id.substring(0, id.indexOf('#')) : id;
        byte[] encoded = Files.readAllBytes(TREE.resolve(source));
        var header = ImageHeaders.read(encoded, 50_000_000L);
        if (rs.getString(7) == null) {
          if (checkedOriginals++ < 40) {
            ImageFusion.Rendered expected =
                ImageFusion.render(encoded, header, pre, AugmentSpec.none(), 7, id, -1);
            assertArrayEquals(expected.rgb(), pixels, id);
          }
        } else {
          assertEquals("augmented", rs.getString(7));
          assertEquals("train", rs.getString(4), "only train rows are augmented");
          assertTrue(rs.getString(8).contains(source), "a copy records its source");
          if (replayedCopies++ < 40) {
            assertArrayEquals(
                ImageFusion.replay(encoded, header, pre, applied, config.augment().ops()).rgb(),
                pixels,
                id);
            for (Applied.Op op : applied.ops()) {
              if (op.position() >= ImageFusion.FIRST_PIXEL_POSITION) {
                pixelOpsSeen.add(op.op());
              }
            }
          }
        }
      }
    }
    assertEquals(manifest.counts().samples().written(), ids.size());
    for (Manifest.ShardEntry e : manifest.shards()) {
      assertEquals(e.rows(), rowsPerShard.get(e.path()), e.path());
    }
    assertTrue(checkedOriginals > 100 && replayedCopies > 100);
    assertEquals(
        Set.of("brightness_contrast", "gaussian_noise"),
        pixelOpsSeen,
        "the configured pixel ops fired on copies and replay byte for byte");
  }

  @Test
  void manifestRecordsExactChannelStatisticsOfTrainOriginalsOnly() throws Exception {
    // Pixels of the written train originals (no copies, no val/test), read back by DuckDB.
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    long[] sum = new long[3];
    long[] sq = new long[3];
    int images = 0;
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT image FROM read_parquet('"
                    + out
                    + "/train/part-*.parquet') WHERE derived_kind IS NULL ORDER BY id")) {
      while (rs.next()) {
        byte[] px = rs.getBytes(1);
        all.write(px);
        images++;
        for (int i = 0; i < px.length; i++) {
          int v = px[i] & 0xFF;
          sum[i % 3] += v;
          sq[i % 3] += v * v;
        }
      }
    }
    Map<?, ?> norm = manifest.normalization();
    assertEquals(false, norm.get("applied"));
    Map<?, ?> image = (Map<?, ?>) norm.get("image");
    assertEquals(images, ((Number) image.get("images")).intValue());
    assertTrue(images > 100);
    for (int c = 0; c < 3; c++) {
      assertEquals(sum[c], ((Number) ((List<?>) image.get("sum")).get(c)).longValue());
      assertEquals(sq[c], ((Number) ((List<?>) image.get("sum_of_squares")).get(c)).longValue());
    }
    // numpy's float64 mean and std over the same pixels.
    Path raw = tmp.resolve("train-originals.u8");
    Files.write(raw, all.toByteArray());
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-c",
                "import sys, numpy as np\n"
                    + "x = np.fromfile(sys.argv[1], dtype=np.uint8).reshape(-1, 3).astype(np.float64)\n"
                    + "print(' '.join(repr(float(v)) for v in list(x.mean(0)) + list(x.std(0))))",
                raw.toString())
            .redirectErrorStream(true)
            .start();
    String[] ref = new String(p.getInputStream().readAllBytes()).trim().split(" ");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        p.waitFor() == 0, "numpy: " + String.join(" ", ref));
    for (int c = 0; c < 3; c++) {
      double mean = ((Number) ((List<?>) image.get("mean")).get(c)).doubleValue();
      double std = ((Number) ((List<?>) image.get("std")).get(c)).doubleValue();
      assertEquals(Double.parseDouble(ref[c]), mean, 1e-12 * mean, "mean " + c);
      assertEquals(Double.parseDouble(ref[3 + c]), std, 1e-12 * std, "std " + c);
    }
  }

  @Test
  void manifestIsCompleteAndFilesMatchIt() throws Exception {
    assertTrue(Inspect.run(out, new java.io.PrintStream(java.io.OutputStream.nullOutputStream())));
    assertEquals(config.sha256(), manifest.configSha256());
    assertEquals("cpu", manifest.backend());
    assertEquals("DirectRunner", manifest.runner());
    assertNotNull(manifest.config().get("augment"));
    Map<String, List<Long>> rowsBySplit = new TreeMap<>();
    for (Manifest.ShardEntry e : manifest.shards()) {
      rowsBySplit.computeIfAbsent(e.split(), k -> new ArrayList<>()).add(e.rows());
      assertTrue(e.path().matches("(train|val|test)/part-\\d{5}-of-\\d{5}\\.parquet"), e.path());
    }
    rowsBySplit.forEach(
        (split, rows) -> {
          for (int i = 0; i + 1 < rows.size(); i++) {
            assertEquals(rows.get(0), rows.get(i), split + ": equal rows but the last");
          }
          assertTrue(rows.get(rows.size() - 1) <= rows.get(0));
        });
    try (var s = Files.list(out)) {
      assertEquals(
          Set.of("manifest.json", "train", "val", "test", "rejected", "splits.parquet"),
          s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
          "no staging folder is left behind");
    }
  }

  @Test
  void unknownLabelWithFailStopsTheRunAndLeavesNoManifest() throws Exception {
    Path cfg = tmp.resolve("strict.yaml");
    Files.writeString(
        cfg,
        "name: strict\ninput: {root: \""
            + TREE
            + "\", labels: [bag, coat], unknown_label: fail}\npreprocess: {resize: 28}\n");
    Path strictOut = tmp.resolve("strict-out");
    Exception e =
        assertThrows(
            Exception.class, () -> Runs.run(RunConfig.load(cfg).withOutputDir(strictOut), DIRECT));
    String all = String.valueOf(e.getMessage()) + " " + e.getCause();
    assertTrue(all.contains("is not in input.labels [bag, coat]"), all);
    assertFalse(Files.exists(strictOut.resolve("manifest.json")));
    try (var s = Files.list(strictOut)) {
      assertEquals(0, s.count(), "the failed run's staging folder is removed");
    }
  }
}
