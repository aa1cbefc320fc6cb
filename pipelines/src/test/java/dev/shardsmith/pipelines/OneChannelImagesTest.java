package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.transforms.kernels.shard.ShardReader;
import dev.shardsmith.transforms.kernels.shard.ShardRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code preprocess.ops: [{op: grayscale}]} end to end: real 512x512 photos through the image
 * pipeline (DirectRunner) into Parquet, Arrow and .npy with one channel. DuckDB and numpy read the
 * shards back; numpy compares every row with Python OpenCV's own decode and {@code cvtColor} of the
 * same file (the preprocess scale is 1, so the crop and flip move whole pixels and the luma is all
 * that is computed).
 */
class OneChannelImagesTest {
  private static final Path PHOTOS = Path.of("../sample-data/photos").toAbsolutePath();
  private static final int SIDE = 448;
  private static final int OFFSET = (512 - SIDE) / 2;

  @TempDir static Path tmp;
  static Path data;
  static Path out;
  static Manifest manifest;

  @BeforeAll
  static void runOnce() throws Exception {
    data = tmp.resolve("data");
    for (String[] f :
        new String[][] {{"a", "apple.jpg"}, {"a", "orange.jpg"}, {"b", "baboon.jpg"}}) {
      Files.createDirectories(data.resolve(f[0]));
      Files.copy(PHOTOS.resolve(f[1]), data.resolve(f[0]).resolve(f[1]));
    }
    Files.writeString(
        tmp.resolve("gray.yaml"),
        "name: gray\nseed: 5\ninput: {root: data}\nsplit: {train: 1.0, val: 0.0, test: 0.0}\n"
            + "preprocess: {resize: 512, crop: "
            + SIDE
            + ", ops: [{op: grayscale}]}\n"
            + "augment: {copies: 1, hflip: {p: 1.0}}\n"
            + "output: {formats: [parquet, arrow, npy], shard_rows: 4}\n");
    out = tmp.resolve("out");
    manifest =
        Runs.run(
            RunConfig.load(tmp.resolve("gray.yaml")).withOutputDir(out),
            List.of("--runner=DirectRunner"));
  }

  /** Every row's pixels as DuckDB reads them from the Parquet shards, by id. */
  private static Map<String, byte[]> viaDuckDb() throws Exception {
    Map<String, byte[]> rows = new TreeMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement()) {
      try (ResultSet rs =
          st.executeQuery("SELECT id, image FROM read_parquet('" + out + "/train/*.parquet')")) {
        while (rs.next()) {
          rows.put(rs.getString(1), rs.getBytes(2));
        }
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT DISTINCT decode(value) FROM parquet_kv_metadata('"
                  + out
                  + "/train/*.parquet') WHERE decode(key) = 'shardsmith.tensor.image'")) {
        assertTrue(rs.next());
        String tensor = rs.getString(1);
        assertTrue(tensor.contains("\"shape\":[" + SIDE + "," + SIDE + ",1]"), tensor);
        assertTrue(!rs.next(), "one image shape in every shard");
      }
    }
    return rows;
  }

  @Test
  void everyFormatHoldsOneChannelRows() throws Exception {
    assertEquals(List.of(), manifest.counts().violations());
    assertEquals(6, manifest.counts().samples().written(), "3 originals + 3 flipped copies");
    Map<String, byte[]> duck = viaDuckDb();
    assertEquals(6, duck.size());
    for (byte[] px : duck.values()) {
      assertEquals(SIDE * SIDE, px.length, "H x W x 1 bytes");
    }
    // the Arrow and .npy shards hold the same bytes (read in Java here; numpy below)
    int checked = 0;
    for (Manifest.ShardEntry e : manifest.shards()) {
      if (!ShardReader.readable(e.path()) || e.path().endsWith(".parquet")) {
        continue;
      }
      for (ShardRow r : ShardReader.read(out.resolve(e.path()))) {
        assertEquals(1, r.channels(), e.path());
        assertEquals(SIDE, r.height());
        assertArrayEquals(duck.get(r.id()), r.image(), e.path() + " " + r.id());
        checked++;
      }
    }
    assertEquals(12, checked, "6 rows in Arrow and in .npy");
  }

  @Test
  void numpyReadsShapeNx448x448x1MatchingOpenCvsCvtColor() throws Exception {
    boolean numpy =
        Files.isExecutable(Path.of("/usr/bin/python3"))
            && new ProcessBuilder("/usr/bin/python3", "-c", "import numpy, cv2").start().waitFor()
                == 0;
    if (System.getenv("SHARDSMITH_REQUIRE_PEERS") != null) {
      assertTrue(numpy, "/usr/bin/python3 with numpy and cv2 (python3-opencv) needed");
    }
    Assumptions.assumeTrue(numpy, "/usr/bin/python3 with numpy and cv2 needed: skipped");
    List<String> metas = new ArrayList<>();
    for (Manifest.ShardEntry e : manifest.shards()) {
      if (e.path().endsWith(".meta.json")) {
        metas.add(out.resolve(e.path()).toString());
      }
    }
    String script =
        """
        import sys, json, numpy as np, cv2
        data, side, off = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        for meta in sys.argv[4:]:
            m = json.load(open(meta))
            x = np.load(meta.replace('.meta.json', '.x.npy'))
            diffs, sums = [], []
            for i, id in enumerate(m['ids']):
                src = id.split('#')[0]
                gray = cv2.cvtColor(cv2.imread(data + '/' + src, cv2.IMREAD_COLOR), cv2.COLOR_BGR2GRAY)
                want = gray[off:off + side, off:off + side]
                if '#aug' in id:
                    want = want[:, ::-1]
                got = x[i, :, :, 0]
                diffs.append(int(np.abs(got.astype(int) - want.astype(int)).max()))
                sums.append(int(x[i].astype(np.int64).sum()))
            print(json.dumps({'dtype': x.dtype.str, 'shape': list(x.shape), 'ids': m['ids'],
                              'max_diff': diffs, 'sum': sums}))
        """;
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/usr/bin/python3",
                "-c",
                script,
                data.toString(),
                String.valueOf(SIDE),
                String.valueOf(OFFSET)));
    cmd.addAll(metas);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), text);
    Map<String, byte[]> duck = viaDuckDb();
    int rows = 0;
    for (String line : text.strip().split("\n")) {
      JsonNode n = new ObjectMapper().readTree(line);
      assertEquals("|u1", n.get("dtype").asText());
      int count = n.get("ids").size();
      assertEquals("[" + count + "," + SIDE + "," + SIDE + ",1]", n.get("shape").toString());
      for (int r = 0; r < count; r++) {
        String id = n.get("ids").get(r).asText();
        // Python OpenCV 4.6 (Debian's libjpeg-turbo) decodes these JPEGs to the same pixels, and
        // the whole-pixel crop and flip add nothing: the luma matches exactly
        assertEquals(0, n.get("max_diff").get(r).asInt(), id + ": " + line);
        long sum = 0;
        for (byte b : duck.get(id)) {
          sum += b & 0xFF;
        }
        assertEquals(sum, n.get("sum").get(r).asLong(), id + ": DuckDB and numpy agree");
        rows++;
      }
    }
    assertEquals(6, rows);
  }

  @Test
  void arrowJsReadsTheOneChannelTensor() throws Exception {
    Path node = Path.of("../transforms/src/test/node").toAbsolutePath().normalize();
    boolean ready = Files.exists(node.resolve("node_modules/apache-arrow/package.json"));
    if (System.getenv("SHARDSMITH_REQUIRE_PEERS") != null) {
      assertTrue(ready, "run npm ci in " + node);
    }
    Assumptions.assumeTrue(ready, "apache-arrow is not installed in " + node + ": skipped");
    Map<String, byte[]> duck = viaDuckDb();
    int files = 0;
    for (Manifest.ShardEntry e : manifest.shards()) {
      if (!e.format().equals("arrow")) {
        continue;
      }
      Process p =
          new ProcessBuilder(
                  "node",
                  node.resolve("consume-arrow.mjs").toString(),
                  out.resolve(e.path()).toString())
              .redirectErrorStream(true)
              .start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), text);
      JsonNode n = new ObjectMapper().readTree(text);
      assertEquals("arrow.fixed_shape_tensor", n.get("extension").asText());
      assertEquals("[" + SIDE + "," + SIDE + ",1]", n.get("shape").toString());
      byte[] first = duck.get(n.get("firstId").asText());
      long sum = 0;
      for (byte b : first) {
        sum += b & 0xFF;
      }
      assertEquals((double) sum / first.length, n.get("firstMean").asDouble(), 1e-9, text);
      files++;
    }
    assertTrue(files > 0);
  }
}
