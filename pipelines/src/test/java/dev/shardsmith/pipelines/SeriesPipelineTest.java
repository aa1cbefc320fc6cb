package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Counts;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The series pipeline end to end on the DirectRunner, on the shipped real series: the demo (daily
 * Seattle weather, one series, time split) and the five monthly stock series split by series id.
 * Counts satisfy invariant 3; Parquet read back by DuckDB, Arrow by Arrow Java's IPC reader and
 * {@code .npy} by numpy hold the same finite values; the time split keeps its gap; no stock series
 * straddles splits.
 */
class SeriesPipelineTest {
  private static final Path SAMPLE = Path.of("../sample-data").toAbsolutePath().normalize();
  private static final List<String> DIRECT = List.of("--runner=DirectRunner");

  @TempDir static Path tmp;
  static Path weatherOut;
  static Manifest weather;

  @BeforeAll
  static void runDemo() throws Exception {
    weatherOut = tmp.resolve("weather");
    weather =
        Runs.run(
            RunConfig.load(SAMPLE.resolve("series-demo.yaml")).withOutputDir(weatherOut), DIRECT);
  }

  /** Parquet rows read by DuckDB: id -> [split, series_id, start, label_name, x (as text)]. */
  private static Map<String, List<Object>> duckDb(Path dir) throws Exception {
    Map<String, List<Object>> rows = new TreeMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT id, split, series_id, start, label_name, x, horizon, len(x), len(horizon),"
                    + " list_sum(x) FROM read_parquet('"
                    + dir
                    + "/*/*.parquet')")) {
      while (rs.next()) {
        Object[] x = (Object[]) rs.getArray(6).getArray();
        float[] xs = new float[x.length];
        for (int i = 0; i < x.length; i++) {
          xs[i] = ((Number) x[i]).floatValue();
        }
        Object[] h = (Object[]) rs.getArray(7).getArray();
        float[] hs = new float[h.length];
        for (int i = 0; i < h.length; i++) {
          hs[i] = ((Number) h[i]).floatValue();
        }
        assertFalse(rows.containsKey(rs.getString(1)), "written twice: " + rs.getString(1));
        rows.put(
            rs.getString(1),
            List.of(
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                String.valueOf(rs.getString(5)),
                xs,
                rs.getInt(8),
                rs.getInt(9),
                hs));
      }
    }
    return rows;
  }

  @Test
  void demoCountsSatisfyInvariant3() {
    Counts c = weather.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(1, c.sources().ok());
    // 730 days, windows of 14 + 3 every 7 days: 102; 8 straddle a split boundary or its gap
    assertEquals(102, c.samples().extracted());
    assertEquals(Map.of("time_gap", 8L), c.samples().filtered());
    assertEquals(94, c.samples().kept());
    // balance.strategy augment brings train's classes to the largest with augmented copies
    long augmented = c.samples().derived().get("augmented");
    assertTrue(augmented > 0, "augmented copies");
    assertEquals(94 + augmented, c.samples().written());
    assertEquals(61 + augmented, weather.splits().get("train").count());
    Map<String, Long> train = weather.splits().get("train").classes();
    assertEquals(train.get("sun"), train.get("fog"), "train classes " + train);
    assertEquals(17, weather.splits().get("val").count());
    assertEquals(16, weather.splits().get("test").count());
  }

  @Test
  void timeSplitKeepsAGapOfWindowPlusHorizonBetweenSplits() throws Exception {
    int span = 14 + 3;
    int gap = 17;
    Map<String, List<Object>> rows = duckDb(weatherOut);
    assertEquals(weather.counts().samples().written(), rows.size());
    // augmented copies are train rows at their source's start, so the gap holds for them too
    assertTrue(rows.keySet().stream().anyMatch(id -> id.contains("#aug")));
    List<String> order = List.of("train", "val", "test");
    for (List<Object> a : rows.values()) {
      for (List<Object> b : rows.values()) {
        int sa = order.indexOf((String) a.get(0));
        int sb = order.indexOf((String) b.get(0));
        if (sa < sb) {
          long aEnd = (Long) a.get(2) + span; // the window with its horizon, exclusive
          long bStart = (Long) b.get(2);
          assertTrue(
              bStart >= aEnd + gap,
              a.get(0)
                  + " window at "
                  + a.get(2)
                  + " is within the gap of "
                  + b.get(0)
                  + " "
                  + bStart);
        }
      }
    }
    for (List<Object> r : rows.values()) {
      assertEquals(14 * 4, r.get(5));
      assertEquals(3 * 4, r.get(6));
      for (float v : (float[]) r.get(4)) {
        assertTrue(Float.isFinite(v));
      }
    }
  }

  @Test
  void arrowAndNpyHoldTheParquetValues() throws Exception {
    Map<String, List<Object>> parquet = duckDb(weatherOut);
    int arrowRows = 0;
    try (BufferAllocator alloc = new RootAllocator()) {
      for (String split : List.of("train", "val", "test")) {
        try (var ch =
                Files.newByteChannel(weatherOut.resolve(split + "/part-00000-of-00001.arrow"));
            ArrowFileReader r = new ArrowFileReader(ch, alloc)) {
          JsonNode shape =
              new ObjectMapper()
                  .readTree(
                      r.getVectorSchemaRoot()
                          .getSchema()
                          .getCustomMetadata()
                          .get("shardsmith.tensor.series"));
          assertEquals("[14,4]", shape.get("shape").toString());
          assertEquals("[3,4]", shape.get("horizon").get("shape").toString());
          while (r.loadNextBatch()) {
            VectorSchemaRoot root = r.getVectorSchemaRoot();
            VarCharVector id = (VarCharVector) root.getVector("id");
            FixedSizeListVector x = (FixedSizeListVector) root.getVector("x");
            Float4Vector xv = (Float4Vector) x.getDataVector();
            BigIntVector start = (BigIntVector) root.getVector("start");
            for (int i = 0; i < root.getRowCount(); i++) {
              List<Object> p = parquet.get(new String(id.get(i), StandardCharsets.UTF_8));
              assertEquals(p.get(2), start.get(i));
              float[] xs = new float[56];
              for (int k = 0; k < 56; k++) {
                xs[k] = xv.get(i * 56 + k);
              }
              assertArrayEquals((float[]) p.get(4), xs);
              arrowRows++;
            }
          }
        }
      }
    }
    assertEquals(parquet.size(), arrowRows);
    // our own readers (inspect) give the same rows from both formats
    for (Manifest.ShardEntry e : weather.shards()) {
      if (e.format().equals("arrow") || e.format().equals("parquet")) {
        for (ShardRow r : ShardReader.read(weatherOut.resolve(e.path()))) {
          assertEquals(ShardRow.SERIES, r.format());
          assertArrayEquals((float[]) parquet.get(r.id()).get(4), r.features(), r.id());
          // the horizon too: 3 steps x 4 channels, as DuckDB reads it
          assertEquals(3 * 4, r.horizon().length, r.id());
          assertArrayEquals((float[]) parquet.get(r.id()).get(7), r.horizon(), r.id());
        }
      }
    }
    // numpy: shapes, dtype, every value finite, and per split the sum of x equal to Parquet's
    Map<String, Double> sums = new HashMap<>();
    parquet
        .values()
        .forEach(
            r -> {
              double s = 0;
              for (float v : (float[]) r.get(4)) {
                s += v;
              }
              sums.merge((String) r.get(0), s, Double::sum);
            });
    for (String split : List.of("train", "val", "test")) {
      String script =
          "import numpy as np, json, sys\n"
              + "x = np.load(sys.argv[1] + '.x.npy'); h = np.load(sys.argv[1] + '.horizon.npy')\n"
              + "print(json.dumps({'x': list(x.shape), 'h': list(h.shape), 'dtype': str(x.dtype),"
              + " 'finite': bool(np.isfinite(x).all() and np.isfinite(h).all()),"
              + " 'sum': float(x.astype(np.float64).sum())}))\n";
      JsonNode n = python(script, weatherOut.resolve(split + "/part-00000-of-00001").toString());
      long rows = weather.splits().get(split).count();
      assertEquals("[" + rows + ",14,4]", n.get("x").toString());
      assertEquals("[" + rows + ",3,4]", n.get("h").toString());
      assertEquals("float32", n.get("dtype").asText());
      assertTrue(n.get("finite").asBoolean());
      assertEquals(sums.get(split), n.get("sum").asDouble(), 1e-6 * rows * 56 + 1e-3);
    }
  }

  @Test
  void trainChannelsAreZScoredOnTrainOnly() throws Exception {
    String script =
        "import numpy as np, json, sys\n"
            + "meta = json.load(open(sys.argv[1] + '.meta.json'))\n"
            + "orig = [k is None for k in meta['derived_kind']]\n"
            + "x = np.load(sys.argv[1] + '.x.npy').astype(np.float64)[orig].reshape(-1, 4)\n"
            + "print(json.dumps({'mean': x.mean(0).tolist(), 'std': x.std(0).tolist()}))\n";
    JsonNode n = python(script, weatherOut.resolve("train/part-00000-of-00001").toString());
    for (int c = 0; c < 4; c++) {
      assertEquals(0, n.get("mean").get(c).asDouble(), 1e-4);
      assertEquals(1, n.get("std").get(c).asDouble(), 1e-4);
    }
  }

  @Test
  void stocksSplitBySeriesNeverStraddleAndNpyIsFloat16() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("stocks"));
    // one class ("stock", a column added here), so the exact split spreads the 5 series 3/1/1
    List<String> lines = Files.readAllLines(SAMPLE.resolve("series/stocks.csv"));
    StringBuilder csv = new StringBuilder(lines.get(0) + ",kind\n");
    lines.subList(1, lines.size()).forEach(l -> csv.append(l).append(",stock\n"));
    Files.writeString(dir.resolve("stocks.csv"), csv);
    Path cfg =
        Files.writeString(
            dir.resolve("stocks.yaml"),
            "name: stocks\nseed: 7\n"
                + "input: {kind: series, files: [stocks.csv], series: symbol, time: date,"
                + " channels: [price], label: kind, window: {length: 12, stride: 6, horizon: 1},"
                + " missing: forward_fill}\n"
                + "split: {mode: exact, train: 0.6, val: 0.2, test: 0.2}\n"
                + "output: {formats: [npy, parquet], npy: {float_dtype: float16}}\n");
    Path out = tmp.resolve("stocks-out");
    Manifest m = Runs.run(RunConfig.load(cfg).withOutputDir(out), DIRECT);
    assertEquals(List.of(), m.counts().violations());
    // 4 series of 123 months: 19 windows each; GOOG, 68 months: 10
    assertEquals(4 * 19 + 10, m.counts().samples().extracted());
    assertEquals(4 * 19 + 10, m.counts().samples().written());
    Map<String, List<Object>> rows = duckDb(out);
    Map<String, String> splitOf = new HashMap<>();
    for (List<Object> r : rows.values()) {
      String prev = splitOf.putIfAbsent((String) r.get(1), (String) r.get(0));
      assertTrue(
          prev == null || prev.equals(r.get(0)), r.get(1) + " is in " + prev + " and " + r.get(0));
      assertEquals("stock", r.get(3));
    }
    assertEquals(5, splitOf.size());
    assertEquals(
        3, new java.util.TreeSet<>(splitOf.values()).size(), "train, val and test: " + splitOf);
    for (String split : new java.util.TreeSet<>(splitOf.values())) {
      JsonNode n =
          python(
              "import numpy as np, json, sys\nx = np.load(sys.argv[1] + '.x.npy')\n"
                  + "print(json.dumps({'dtype': str(x.dtype), 'shape': list(x.shape)}))\n",
              out.resolve(split + "/part-00000-of-00001").toString());
      assertEquals("float16", n.get("dtype").asText());
      assertEquals(12, n.get("shape").get(1).asInt());
      assertEquals(1, n.get("shape").get(2).asInt());
    }
  }

  private static JsonNode python(String script, String arg) throws Exception {
    Process p = new ProcessBuilder("python3", "-c", script, arg).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), text);
    return new ObjectMapper().readTree(text);
  }

  @Test
  void badRowsAndMissingValuesAreCountedAndParquetInputReads() throws Exception {
    // long form in a Parquet file (written by DuckDB) plus a CSV with bad rows; window 3, stride 1
    Path dir = Files.createDirectories(tmp.resolve("bad"));
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement()) {
      st.execute(
          "COPY (SELECT 'p' AS id, i AS t, CASE WHEN i = 4 THEN NULL ELSE CAST(i * 1.5 AS DOUBLE) END AS v,"
              + " 'A' AS y FROM range(0, 8) r(i)) TO '"
              + dir.resolve("p.parquet")
              + "' (FORMAT parquet)");
    }
    Files.writeString(
        dir.resolve("c.csv"),
        "id,t,v,y\n"
            + "c,2020-01-01,1,B\n"
            + "c,2020-01-02,,B\n" // missing: the window is filtered (missing: filter)
            + "c,2020-01-03,3,B\n"
            + "c,not a date,3,B\n" // bad_timestamp
            + "c,2020-01-03,9,B\n" // duplicate_timestamp
            + "c,2020-01-04,x,B\n" // bad_value
            + "c,2020-01-05,5,\n" // no_label
            + "c,2020-01-06,6,B\n"
            + "c,2020-01-07,7,B\n"
            + "c,2020-01-08,8,B\n");
    Path cfg =
        Files.writeString(
            dir.resolve("bad.yaml"),
            "name: bad\n"
                + "input: {kind: series, files: [p.parquet, c.csv], series: id, time: t,"
                + " channels: [v], label: y, window: {length: 3}, missing: filter}\n"
                + "split: {mode: stable, train: 1, val: 0, test: 0}\n"
                + "output: {formats: [parquet]}\n");
    Manifest m = Runs.run(RunConfig.load(cfg).withOutputDir(tmp.resolve("bad-out")), DIRECT);
    Counts c = m.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(2, c.sources().ok());
    assertEquals(
        Map.of("bad_timestamp", 1L, "duplicate_timestamp", 1L, "bad_value", 1L, "no_label", 1L),
        c.samples().rejected());
    // p: 8 steps, windows at 0, 3 (6 needs 9 steps); the one holding step 4 is filtered.
    // c: kept steps 01, 02 (missing), 03, 06, 07, 08: windows at 0 (missing) and 3
    assertEquals(Map.of("missing", 2L), c.samples().filtered());
    assertEquals(4 + 4, c.samples().extracted());
    assertEquals(2, c.samples().written());
    Map<String, List<Object>> rows = duckDb(tmp.resolve("bad-out"));
    assertEquals(List.of("c@3", "p@0"), new ArrayList<>(rows.keySet()));
    assertArrayEquals(new float[] {0f, 1.5f, 3f}, (float[]) rows.get("p@0").get(4));
    assertArrayEquals(new float[] {6f, 7f, 8f}, (float[]) rows.get("c@3").get(4));
  }

  @Test
  void spawnerMixesTrainWindowsWithPartnersOfTheirClass() throws Exception {
    // the demo as a classification run (no horizon), same-class mixing before the other ops
    Path dir = Files.createDirectories(tmp.resolve("spawn"));
    Files.createDirectories(dir.resolve("series"));
    Files.copy(
        SAMPLE.resolve("series/seattle-weather.csv"), dir.resolve("series/seattle-weather.csv"));
    String yaml =
        Files.readString(SAMPLE.resolve("series-demo.yaml"))
            .replace("horizon: 3}", "horizon: 0}")
            .replace(
                "  ops:                         # each copy, in order; every draw recorded with the"
                    + " row\n",
                "  ops:\n    - {op: spawner, p: 1, band: 0.1, sigma: 0.02}\n");
    assertTrue(yaml.contains("op: spawner"), yaml);
    Path cfg = Files.writeString(dir.resolve("spawn.yaml"), yaml);
    Path out = tmp.resolve("spawn-out");
    // the leakage check (both parents in the copy's split and fold) runs before shards are written
    Manifest m = Runs.run(RunConfig.load(cfg).withOutputDir(out), DIRECT);
    assertEquals(List.of(), m.counts().violations());
    Map<String, ShardRow> rows = new TreeMap<>();
    for (Manifest.ShardEntry e : m.shards()) {
      if (e.format().equals("parquet")) {
        for (ShardRow r : ShardReader.read(out.resolve(e.path()))) {
          rows.put(r.id(), r);
          assertEquals(0, r.horizon().length, r.id());
        }
      }
    }
    int mixed = 0;
    for (ShardRow r : rows.values()) {
      JsonNode applied = new ObjectMapper().readTree(r.applied());
      for (JsonNode op : applied.path("ops")) {
        if (op.path("op").asText().equals("spawner")) {
          mixed++;
          String partner = op.path("params").path("partner").asText();
          ShardRow mate = rows.get(partner);
          assertTrue(mate != null, r.id() + ": partner " + partner + " is not written");
          assertEquals("train", r.split());
          assertEquals("train", mate.split(), partner);
          assertEquals(r.labelName(), mate.labelName(), r.id() + " and " + partner);
          assertEquals(r.fold(), mate.fold());
          assertFalse(partner.contains("#"), "a partner is an original: " + partner);
          assertFalse(r.id().startsWith(partner + "#"), "never its own source");
        }
      }
    }
    assertTrue(mixed > 0, "p = 1: every copy with a partner is mixed");
    assertEquals(m.counts().samples().derived().get("augmented").intValue(), mixed);
  }

  @Test
  void oversamplingDuplicatesTrainWindowsOnly() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("os"));
    Files.createDirectories(dir.resolve("series"));
    Files.copy(
        SAMPLE.resolve("series/seattle-weather.csv"), dir.resolve("series/seattle-weather.csv"));
    String yaml =
        Files.readString(SAMPLE.resolve("series-demo.yaml"))
            .replace("strategy: augment", "strategy: oversample")
            .replaceAll("(?s)augment:\\n  ops:.*?\\noutput:", "output:");
    Path cfg = Files.writeString(dir.resolve("os.yaml"), yaml);
    Manifest m = Runs.run(RunConfig.load(cfg).withOutputDir(tmp.resolve("os-out")), DIRECT);
    assertEquals(List.of(), m.counts().violations());
    long oversampled = m.counts().samples().derived().get("oversampled");
    assertTrue(oversampled > 0);
    assertEquals(94 + oversampled, m.counts().samples().written());
    // train: fog and sun brought to the largest class; val and test as in the plain demo
    Map<String, Long> train = m.splits().get("train").classes();
    assertEquals(train.get("sun"), train.get("fog"), "train classes " + train);
    assertEquals(17, m.splits().get("val").count());
    assertEquals(16, m.splits().get("test").count());
  }
}
