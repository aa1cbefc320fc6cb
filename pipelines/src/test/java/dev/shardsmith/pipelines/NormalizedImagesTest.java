package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.transforms.kernels.shard.ParquetShardFile;
import dev.shardsmith.transforms.kernels.shard.ShardReader;
import dev.shardsmith.transforms.kernels.shard.ShardRow;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code normalize.image.apply: true} end to end on the sample Fashion-MNIST tree: the same config
 * runs without and with it, and every written row of every split and format (Parquet, Arrow, {@code
 * .npy}) must hold {@code (x - mean_c) / std_c} of the uint8 pixels of the same row of the plain
 * run, with the train originals' statistics. DuckDB and numpy read the float pixels back.
 */
class NormalizedImagesTest {
  private static final Path TREE = Path.of("../sample-data/fashion-mnist").toAbsolutePath();
  private static final List<String> DIRECT = List.of("--runner=DirectRunner");
  private static final String FORMATS = "output: {formats: [parquet, arrow, npy], shard_rows: 64";

  @TempDir static Path tmp;
  static Path plainOut;
  static Path normOut;
  static Manifest plain;
  static Manifest normalized;

  /** id -> uint8 pixels of the plain run (Parquet). */
  static Map<String, byte[]> uint8 = new HashMap<>();

  static double[] mean = new double[3];
  static double[] std = new double[3];

  @BeforeAll
  static void runTwice() throws Exception {
    plainOut = tmp.resolve("plain");
    normOut = tmp.resolve("normalized");
    plain = run("plain", "", FORMATS + "}", plainOut);
    normalized = run("norm", "normalize: {image: {apply: true}}\n", FORMATS + "}", normOut);
    for (Manifest.ShardEntry e : plain.shards()) {
      if (e.path().endsWith(".parquet")) {
        for (ShardRow r : ShardReader.read(plainOut.resolve(e.path()))) {
          assertEquals(ImagePayload.RAW, r.format());
          assertTrue(uint8.put(r.id(), r.image()) == null, "one row per id: " + r.id());
        }
      }
    }
    Map<?, ?> image = (Map<?, ?>) normalized.normalization().get("image");
    for (int c = 0; c < 3; c++) {
      mean[c] = ((Number) ((List<?>) image.get("mean")).get(c)).doubleValue();
      std[c] = ((Number) ((List<?>) image.get("std")).get(c)).doubleValue();
    }
  }

  static Manifest run(String name, String normalize, String output, Path out) throws Exception {
    Path cfg = tmp.resolve(name + ".yaml");
    Files.writeString(
        cfg,
        "name: "
            + name
            + "\nseed: 7\ninput: {root: \""
            + TREE
            + "\"}\nquality: {min_width: 16, min_height: 16, max_pixels: 50000000}\n"
            + "split: {train: 0.7, val: 0.15, test: 0.15}\npreprocess: {resize: 32, crop: 28}\n"
            + "augment: {copies: 1, hflip: {p: 0.5}, rotate: {p: 0.5, limit: 10},"
            + " ops: [{op: brightness_contrast, p: 0.5}]}\n"
            + normalize
            + output
            + "\n");
    return Runs.run(RunConfig.load(cfg).withOutputDir(out), DIRECT);
  }

  /** What a normalized pixel must be: the kernel's double arithmetic, rounded to float32. */
  static float[] expected(byte[] u8) {
    float[] f = new float[u8.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) (((u8[i] & 0xFF) - mean[i % 3]) / std[i % 3]);
    }
    return f;
  }

  static float[] floats(byte[] littleEndian) {
    float[] f = new float[littleEndian.length / 4];
    ByteBuffer.wrap(littleEndian).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  @Test
  void everyRowOfEveryFormatAndSplitIsTheUint8RowStandardizedWithTrainStatistics()
      throws Exception {
    assertEquals(List.of(), normalized.counts().violations());
    assertEquals(plain.counts().samples().written(), normalized.counts().samples().written());
    assertEquals(plain.normalization().get("image"), normalized.normalization().get("image"));
    assertEquals(false, plain.normalization().get("applied"));
    assertEquals(true, normalized.normalization().get("applied"));
    Map<String, Integer> perFormat = new HashMap<>();
    Map<String, Integer> perSplit = new HashMap<>();
    for (Manifest.ShardEntry e : normalized.shards()) {
      if (!ShardReader.readable(e.path())) {
        continue;
      }
      for (ShardRow r : ShardReader.read(normOut.resolve(e.path()))) {
        assertEquals(ImagePayload.RAW_FLOAT32, r.format(), e.path());
        assertEquals(28 * 28 * 3 * 4, r.image().length, e.path());
        byte[] u8 = uint8.get(r.id());
        assertTrue(u8 != null, "row " + r.id() + " is in the plain run too");
        float[] want = expected(u8);
        float[] got = floats(r.image());
        for (int i = 0; i < want.length; i++) {
          if (want[i] != got[i]) {
            assertEquals(want[i], got[i], e.path() + " " + r.id() + " value " + i);
          }
        }
        String format = e.path().endsWith(".meta.json") ? "npy" : e.path().replaceAll(".*\\.", "");
        perFormat.merge(format, 1, Integer::sum);
        perSplit.merge(r.split(), 1, Integer::sum);
      }
    }
    int rows = uint8.size();
    assertEquals(Map.of("parquet", rows, "arrow", rows, "npy", rows), perFormat);
    assertTrue(perSplit.get("val") > 0 && perSplit.get("test") > 0, perSplit.toString());
  }

  @Test
  void manifestAndParquetKeyDeclareFloat32() throws Exception {
    assertTrue(
        Inspect.run(normOut, new java.io.PrintStream(java.io.OutputStream.nullOutputStream())));
    assertEquals("float32", normalized.pixelFormat().dtype());
    assertEquals(Manifest.PixelFormat.STANDARDIZED, normalized.pixelFormat().values());
    assertEquals("uint8", plain.pixelFormat().dtype());
    assertEquals(Manifest.PixelFormat.INTENSITY, plain.pixelFormat().values());
    Manifest.ShardEntry parquet =
        normalized.shards().stream()
            .filter(e -> e.format().equals("parquet"))
            .findFirst()
            .orElseThrow();
    JsonNode tensor =
        new ObjectMapper()
            .readTree(
                ParquetShardFile.readMetadata(normOut.resolve(parquet.path()))
                    .get(ParquetShardFile.TENSOR_KEY));
    assertEquals("float32", tensor.get("dtype").asText());
    assertEquals("[28,28,3]", tensor.get("shape").toString());
  }

  @Test
  void duckDbSeesTrainOriginalsWithMeanZeroAndStdOne() throws Exception {
    double[] sum = new double[3];
    double[] sq = new double[3];
    long n = 0;
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT image FROM read_parquet('"
                    + normOut
                    + "/train/part-*.parquet') WHERE derived_kind IS NULL")) {
      while (rs.next()) {
        float[] px = floats(rs.getBytes(1));
        for (int i = 0; i < px.length; i++) {
          sum[i % 3] += px[i];
          sq[i % 3] += (double) px[i] * px[i];
        }
        n += px.length / 3;
      }
    }
    assertEquals(
        28L
            * 28
            * ((Number) ((Map<?, ?>) normalized.normalization().get("image")).get("images"))
                .longValue(),
        n,
        "the statistics cover exactly the written train originals");
    for (int c = 0; c < 3; c++) {
      double m = sum[c] / n;
      assertEquals(0, m, 1e-5, "mean of channel " + c);
      assertEquals(1, Math.sqrt(sq[c] / n - m * m), 1e-5, "std of channel " + c);
    }
  }

  @Test
  void numpyReadsTheFloat32ArraysAndFloat16WhenConfigured() throws Exception {
    requireNumpy();
    Path half = tmp.resolve("half");
    Manifest f16 =
        run(
            "half",
            "normalize: {image: {apply: true}}\n",
            "output: {formats: [npy], shard_rows: 64, npy: {float_dtype: float16}}",
            half);
    String script =
        "import sys, json, numpy as np\n"
            + "for meta in sys.argv[1:]:\n"
            + "  m = json.load(open(meta))\n"
            + "  x = np.load(meta.replace('.meta.json', '.x.npy'))\n"
            + "  print(json.dumps({'ids': m['ids'], 'dtype': x.dtype.str, 'shape': list(x.shape),"
            + " 'x': x.astype(np.float64).ravel().tolist()}))\n";
    for (Object[] run : new Object[][] {{normalized, normOut, "<f4"}, {f16, half, "<f2"}}) {
      Manifest m = (Manifest) run[0];
      Path out = (Path) run[1];
      List<String> metas = new ArrayList<>();
      for (Manifest.ShardEntry e : m.shards()) {
        if (e.path().endsWith(".meta.json")) {
          metas.add(out.resolve(e.path()).toString());
        }
      }
      String[] lines = python(script, metas.toArray(new String[0])).split("\n");
      assertEquals(metas.size(), lines.length, String.join("\n", lines));
      int rows = 0;
      for (String line : lines) {
        JsonNode n = new ObjectMapper().readTree(line);
        assertEquals(run[2], n.get("dtype").asText());
        int count = n.get("ids").size();
        assertEquals("[" + count + ",28,28,3]", n.get("shape").toString());
        for (int r = 0; r < count; r++) {
          float[] want = expected(uint8.get(n.get("ids").get(r).asText()));
          for (int i = 0; i < want.length; i++) {
            double got = n.get("x").get(r * want.length + i).asDouble();
            // float16 keeps 11 significant bits: relative error <= 2^-11
            double tol = run[2].equals("<f4") ? 0 : Math.abs(want[i]) / 2048 + 1e-7;
            if (Math.abs(want[i] - got) > tol) {
              assertEquals(want[i], got, tol, "row " + r + " value " + i + " of " + line);
            }
          }
        }
        rows += count;
      }
      assertEquals(uint8.size(), rows);
    }
  }

  @Test
  void arrowJsReadsTheFloat32Tensor() throws Exception {
    Path node = Path.of("../transforms/src/test/node").toAbsolutePath().normalize();
    boolean ready = Files.exists(node.resolve("node_modules/apache-arrow/package.json"));
    if (System.getenv("SHARDSMITH_REQUIRE_PEERS") != null) {
      assertTrue(ready, "run npm ci in " + node);
    }
    Assumptions.assumeTrue(ready, "apache-arrow is not installed in " + node + ": skipped");
    Manifest.ShardEntry arrow =
        normalized.shards().stream()
            .filter(e -> e.format().equals("arrow"))
            .findFirst()
            .orElseThrow();
    Process p =
        new ProcessBuilder(
                "node",
                node.resolve("consume-arrow.mjs").toString(),
                normOut.resolve(arrow.path()).toString())
            .redirectErrorStream(true)
            .start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), text);
    JsonNode n = new ObjectMapper().readTree(text);
    assertEquals("arrow.fixed_shape_tensor", n.get("extension").asText());
    assertEquals("[28,28,3]", n.get("shape").toString());
    float[] want = expected(uint8.get(n.get("firstId").asText()));
    double sum = 0;
    for (float v : want) {
      sum += v;
    }
    // float32 values (negative, fractional): a uint8 reading could not give this mean
    assertEquals(sum / want.length, n.get("firstMean").asDouble(), 1e-9);
  }

  /** numpy is an independent reader: skipped without it, except where CI requires it. */
  private static void requireNumpy() throws Exception {
    boolean numpy = python("import numpy").startsWith("ok");
    if (System.getenv("SHARDSMITH_REQUIRE_PEERS") != null) {
      assertTrue(numpy, "/usr/bin/python3 has no numpy");
    }
    Assumptions.assumeTrue(numpy, "/usr/bin/python3 has no numpy: skipped");
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
