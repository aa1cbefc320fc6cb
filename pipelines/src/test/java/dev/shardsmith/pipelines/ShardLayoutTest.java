package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.transforms.kernels.shard.ArrowShardFile;
import dev.shardsmith.transforms.kernels.shard.NpyShardFile;
import dev.shardsmith.transforms.kernels.shard.ShardRow;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run writing all three formats with a byte target, padding and two workers, on the real sample
 * tree: every format of a shard holds the same rows in the same order (Parquet read by DuckDB, .npy
 * by numpy, Arrow by our reader), shards of a split are equal, and the manifest says which shards
 * each worker reads.
 */
class ShardLayoutTest {
  private static final Path TREE = Path.of("../sample-data/fashion-mnist").toAbsolutePath();
  private static final long ROW_BYTES = 20 * 20 * 3;

  @TempDir static Path tmp;
  static Path out;
  static Manifest manifest;

  @BeforeAll
  static void run() throws Exception {
    Path cfg = tmp.resolve("layout.yaml");
    Files.writeString(
        cfg,
        "name: layout\nseed: 3\ninput: {root: \""
            + TREE
            + "\"}\npreprocess: {resize: 20}\naugment: {enabled: false}\n"
            + "output: {formats: [parquet, arrow, npy], shard_rows: 0, shard_bytes: "
            + (45 * ROW_BYTES)
            + ", equal_shards: pad, workers: 2}\n");
    out = tmp.resolve("out");
    manifest = Runs.run(RunConfig.load(cfg).withOutputDir(out), List.of("--runner=DirectRunner"));
  }

  private static Map<String, List<Manifest.ShardEntry>> byShard() {
    Map<String, List<Manifest.ShardEntry>> m = new TreeMap<>();
    for (Manifest.ShardEntry e : manifest.shards()) {
      m.computeIfAbsent(e.split() + "/" + e.shard(), k -> new ArrayList<>()).add(e);
    }
    return m;
  }

  @Test
  void shardsAreEqualPaddedAndAMultipleOfTheWorkers() {
    assertEquals(List.of(), manifest.counts().violations());
    for (Manifest.SplitSummary s : manifest.splits().values()) {
      assertTrue(s.count() > 0);
    }
    Map<String, Long> rowsPerShard = new TreeMap<>();
    Map<String, Integer> shardsPerSplit = new TreeMap<>();
    byShard()
        .forEach(
            (key, files) -> {
              assertEquals(
                  Set.of("parquet", "arrow", "npy", "json"),
                  new HashSet<>(files.stream().map(Manifest.ShardEntry::format).toList()),
                  key);
              files.forEach(f -> assertEquals(files.get(0).rows(), f.rows(), f.path()));
              rowsPerShard.put(key, files.get(0).rows());
              shardsPerSplit.merge(key.substring(0, key.indexOf('/')), 1, Integer::sum);
            });
    for (Map.Entry<String, Integer> e : shardsPerSplit.entrySet()) {
      String split = e.getKey();
      int shards = e.getValue();
      assertEquals(0, shards % 2, split + ": a multiple of the two workers");
      long per = rowsPerShard.get(split + "/0");
      assertTrue(per <= 45, "the byte target caps a shard at 45 rows of 20x20x3: " + per);
      for (int i = 0; i < shards; i++) {
        assertEquals(per, rowsPerShard.get(split + "/" + i), split + " shard " + i);
      }
      assertEquals(per * shards, manifest.splits().get(split).count(), split + " rows, padded");
    }
    assertEquals(
        manifest.counts().samples().shardPadding(),
        rowsPerShard.values().stream().mapToLong(Long::longValue).sum()
            - manifest.counts().samples().kept());
    assertEquals(2, manifest.workers().count());
    for (String split : shardsPerSplit.keySet()) {
      List<Integer> all = new ArrayList<>();
      manifest.workers().ranks().forEach(r -> all.addAll(r.get(split)));
      all.sort(null);
      assertEquals(shardsPerSplit.get(split), all.size());
      for (int i = 0; i < all.size(); i++) {
        assertEquals(i, all.get(i), "every shard goes to exactly one rank");
      }
      assertEquals(
          manifest.workers().ranks().get(0).get(split).size(),
          manifest.workers().ranks().get(1).get(split).size(),
          "ranks read equal shard counts");
    }
  }

  @Test
  void everyFormatHoldsTheSameRowsInTheSameOrder() throws Exception {
    requireNumpy();
    for (List<Manifest.ShardEntry> files : byShard().values()) {
      Path parquet = null;
      Path arrow = null;
      Path meta = null;
      Path x = null;
      for (Manifest.ShardEntry e : files) {
        Path f = out.resolve(e.path());
        String n = f.getFileName().toString();
        if (n.endsWith(".parquet")) {
          parquet = f;
        } else if (n.endsWith(".arrow")) {
          arrow = f;
        } else if (n.endsWith(".meta.json")) {
          meta = f;
        } else if (n.endsWith(".x.npy")) {
          x = f;
        }
      }
      List<String> ids = new ArrayList<>();
      ByteArrayOutputStream pixels = new ByteArrayOutputStream();
      try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = db.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT id, image FROM read_parquet('"
                      + parquet
                      + "', file_row_number = true)"
                      + " ORDER BY file_row_number")) {
        while (rs.next()) {
          ids.add(rs.getString(1));
          pixels.write(rs.getBytes(2));
        }
      }
      String parquetSha = sha(pixels.toByteArray());
      List<ShardRow> arrowRows = ArrowShardFile.read(arrow);
      assertEquals(ids, arrowRows.stream().map(ShardRow::id).toList(), arrow.toString());
      ByteArrayOutputStream arrowPixels = new ByteArrayOutputStream();
      for (ShardRow r : arrowRows) {
        arrowPixels.write(r.image());
      }
      assertEquals(parquetSha, sha(arrowPixels.toByteArray()), arrow.toString());
      assertEquals(ids, NpyShardFile.read(meta).stream().map(ShardRow::id).toList());
      {
        String r =
            python(
                "import numpy as np, hashlib, sys\n"
                    + "x = np.load(sys.argv[1], allow_pickle=False)\n"
                    + "assert x.dtype == np.uint8 and x.shape[1:] == (20, 20, 3), x.shape\n"
                    + "print('ok', x.shape[0], hashlib.sha256(x.tobytes()).hexdigest())\n",
                x.toString());
        assertEquals("ok " + ids.size() + " " + parquetSha, r.trim(), x.toString());
      }
    }
  }

  @Test
  void thePythonExampleReadsEachRanksShards() throws Exception {
    requireNumpy();
    long total = 0;
    for (int rank = 0; rank < 2; rank++) {
      long expected = 0;
      for (int shard : manifest.workers().ranks().get(rank).get("train")) {
        expected += byShard().get("train/" + shard).get(0).rows();
      }
      String json =
          python(
              Files.readString(Path.of("../docs/examples/shardsmith_numpy.py")),
              out.toString(),
              "train",
              String.valueOf(rank),
              "2");
      var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
      assertEquals(expected, n.get("rows").asLong(), json);
      assertEquals("[20,20,3]", n.get("x_shape").toString());
      assertEquals("uint8", n.get("x_dtype").asText());
      total += n.get("rows").asLong();
    }
    assertEquals(manifest.splits().get("train").count(), total, "the ranks split the rows");
  }

  @Test
  void theDocsShowTheTestedJavaScriptExampleVerbatim() throws Exception {
    String js = Files.readString(Path.of("../transforms/src/test/node/consume-arrow.mjs"));
    assertTrue(
        Files.readString(Path.of("../docs/consuming.md")).contains("```javascript\n" + js + "```"),
        "docs/consuming.md must show consume-arrow.mjs as it is");
  }

  @Test
  void theJavaScriptExampleReadsAnArrowShard() throws Exception {
    Path node = Path.of("../transforms/src/test/node").toAbsolutePath().normalize();
    boolean ready = Files.exists(node.resolve("node_modules/apache-arrow/package.json"));
    if (System.getenv("SHARDSMITH_REQUIRE_PEERS") != null) {
      assertTrue(ready, "run npm ci in " + node);
    }
    Assumptions.assumeTrue(ready, "apache-arrow is not installed in " + node + ": skipped");
    Path arrow =
        out.resolve(
            "train/"
                + manifest.shards().stream()
                    .filter(
                        e ->
                            e.split().equals("train")
                                && e.shard() == 0
                                && e.format().equals("arrow"))
                    .findFirst()
                    .orElseThrow()
                    .path()
                    .substring("train/".length()));
    Process p =
        new ProcessBuilder("node", node.resolve("consume-arrow.mjs").toString(), arrow.toString())
            .redirectErrorStream(true)
            .start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), text);
    var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    List<ShardRow> rows = ArrowShardFile.read(arrow);
    ShardRow first = rows.get(0);
    assertEquals(rows.size(), n.get("rows").asInt());
    assertEquals("arrow.fixed_shape_tensor", n.get("extension").asText());
    assertEquals("[20,20,3]", n.get("shape").toString());
    assertEquals(first.id(), n.get("firstId").asText());
    assertEquals(first.labelName(), n.get("firstLabel").asText());
    double sum = 0;
    for (byte b : first.image()) {
      sum += b & 0xFF;
    }
    assertEquals(sum / first.image().length, n.get("firstMean").asDouble(), 1e-9);
  }

  /** numpy is an independent reader: skipped without it, except where CI requires it. */
  private static void requireNumpy() throws Exception {
    boolean numpy = python("import numpy").startsWith("ok");
    if (System.getenv("SHARDSMITH_REQUIRE_PEERS") != null) {
      assertTrue(numpy, "/usr/bin/python3 has no numpy");
    }
    Assumptions.assumeTrue(numpy, "/usr/bin/python3 has no numpy: skipped");
  }

  private static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** Runs Debian's python3 on a script; its stdout, or the error. */
  private static String python(String script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-c", script));
    cmd.addAll(List.of(args));
    if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
      return "no python3";
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor() == 0 ? (text.isEmpty() ? "ok" : text) : "error " + text;
  }
}
