package dev.shardsmith.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.pipelines.Runs;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.transforms.kernels.shard.ShardReader;
import dev.shardsmith.transforms.kernels.shard.ShardRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tabular runs with real-valued features on the embedded Flink runner. 20,000 rows x 32 float
 * columns is a size at which the statistics used to fail on Flink ("Record too large": one combine
 * record held every column's median histogram); now every row reads back from Parquet and .npy
 * imputed and z-scored with the fitted train statistics. A small run with exact medians, folds and
 * PCA writes byte-identical files on the DirectRunner and on Flink.
 */
class TabularFlinkTest {
  private static final List<String> FLINK = List.of("--runner=FlinkRunner", "--parallelism=2");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;

  /**
   * {@code rows} x {@code d} N(0, 1) float32 values (about 1 % of cells empty, so missing) and a
   * label {@code a} or {@code b} (about 10 % {@code b}), as CSV rows keyed by their row number.
   */
  private static Map<Long, String[]> writeCsv(Path file, int rows, int d, long seed)
      throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder csv = new StringBuilder("label");
    for (int j = 0; j < d; j++) {
      csv.append(",f").append(j);
    }
    csv.append('\n');
    Map<Long, String[]> byRow = new HashMap<>();
    for (int i = 1; i <= rows; i++) {
      String[] f = new String[d + 1];
      f[0] = r.nextInt(10) == 0 ? "b" : "a";
      for (int j = 0; j < d; j++) {
        f[j + 1] = r.nextInt(100) == 0 ? "" : Float.toString((float) r.nextGaussian());
      }
      csv.append(String.join(",", f)).append('\n');
      byRow.put((long) i, f);
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, csv);
    return byRow;
  }

  private static RunConfig config(Path dir, String name, String normalize, String split)
      throws IOException {
    Path yaml = dir.resolve(name + ".yaml");
    Files.writeString(
        yaml,
        String.join(
            "\n",
            "name: " + name,
            "seed: 11",
            "input: {kind: tabular, files: [rows.csv], label: label}",
            "split: " + split,
            "normalize: " + normalize,
            "output: {formats: [parquet, npy], shard_rows: 4000}",
            ""));
    return RunConfig.load(yaml);
  }

  @Test
  void twentyThousandRealValuedRowsRunOnFlinkAndReadBackScaled() throws Exception {
    Path dir = tmp.resolve("wide");
    int d = 32;
    Map<Long, String[]> csv = writeCsv(dir.resolve("rows.csv"), 20_000, d, 1);
    Path out = dir.resolve("out");
    Manifest m =
        Runs.run(
            config(
                    dir,
                    "wide",
                    "{impute: median, scale: zscore}",
                    "{mode: exact, train: 0.8, val: 0.1, test: 0.1}")
                .withOutputDir(out),
            FLINK);
    assertEquals(20_000, m.counts().samples().written());
    JsonNode numeric = JSON.valueToTree(m.normalization()).get("features").get("numeric");
    assertEquals(d, numeric.size());

    // Every row, from both formats: its split's rows, its label, its scaled CSV values.
    Map<String, List<double[]>> trainValues = new HashMap<>();
    Map<String, Integer> seen = new HashMap<>();
    for (Manifest.ShardEntry e : m.shards()) {
      if (!e.path().endsWith(".parquet") && !e.path().endsWith(".meta.json")) {
        continue;
      }
      String format = e.path().endsWith(".parquet") ? "parquet" : "npy";
      for (ShardRow r : ShardReader.read(out.resolve(e.path()))) {
        assertEquals(e.split(), r.split());
        String[] want = csv.get(Long.parseLong(r.id().substring(r.id().indexOf('#') + 1)));
        assertEquals(want[0], r.labelName(), r.id());
        for (int j = 0; j < d; j++) {
          JsonNode c = numeric.get(j);
          double v =
              want[j + 1].isEmpty()
                  ? c.get("impute_value").asDouble()
                  : Float.parseFloat(want[j + 1]);
          float scaled = (float) ((v - c.get("center").asDouble()) / c.get("scale").asDouble());
          assertEquals(scaled, r.features()[j], format + " " + r.id() + " column " + j);
        }
        seen.merge(format, 1, Integer::sum);
        if (format.equals("parquet") && r.split().equals("train")) {
          trainValues.computeIfAbsent("train", k -> new ArrayList<>()).add(parse(want, d));
        }
      }
    }
    assertEquals(Map.of("parquet", 20_000, "npy", 20_000), seen);

    // The fitted statistics are those of the observed train values.
    List<double[]> train = trainValues.get("train");
    assertEquals(m.splits().get("train").count(), train.size());
    for (int j = 0; j < d; j++) {
      double[] col = observed(train, j);
      double mean = Arrays.stream(col).sum() / col.length;
      double var = Arrays.stream(col).map(x -> (x - mean) * (x - mean)).sum() / col.length;
      JsonNode c = numeric.get(j);
      assertEquals(col.length, c.get("count").asLong(), "count " + j);
      assertEquals(mean, c.get("mean").asDouble(), 1e-12, "mean " + j);
      assertEquals(Math.sqrt(var), c.get("std").asDouble(), 1e-12, "std " + j);
      Arrays.sort(col);
      double median = (col[(col.length - 1) / 2] + col[col.length / 2]) / 2;
      double got = c.get("median").asDouble();
      assertTrue(
          Math.abs(got - median) <= Math.abs(median) * 0x1p-8 + 1e-30,
          "median " + j + ": " + got + " vs " + median);
      assertEquals(got, c.get("impute_value").asDouble());
    }
  }

  private static double[] parse(String[] row, int d) {
    double[] x = new double[d];
    for (int j = 0; j < d; j++) {
      x[j] = row[j + 1].isEmpty() ? Double.NaN : Float.parseFloat(row[j + 1]);
    }
    return x;
  }

  private static double[] observed(List<double[]> rows, int j) {
    return rows.stream().mapToDouble(x -> x[j]).filter(v -> !Double.isNaN(v)).toArray();
  }

  @Test
  void exactMediansFoldsAndPcaWriteTheSameBytesOnDirectAndFlink() throws Exception {
    Path dir = tmp.resolve("small");
    writeCsv(dir.resolve("rows.csv"), 240, 8, 2);
    RunConfig c =
        config(
            dir,
            "small",
            "{impute: median, median: exact, scale: zscore, pca: {components: 3}}",
            "{mode: exact, train: 0.8, val: 0.1, test: 0.1, folds: 3}");
    Path direct = dir.resolve("direct");
    Path flink = dir.resolve("flink");
    Manifest m = Runs.run(c.withOutputDir(direct), List.of("--runner=DirectRunner"));
    Runs.run(c.withOutputDir(flink), FLINK);
    assertEquals(RunFixtures.fileHashes(direct), RunFixtures.fileHashes(flink));
    assertEquals(
        RunFixtures.manifestWithoutRunMetadata(direct),
        RunFixtures.manifestWithoutRunMetadata(flink));
    // The run did fit what the files are meant to prove: exact medians, three folds, PCA.
    JsonNode n = JSON.valueToTree(m.normalization());
    assertEquals("exact", n.get("features").get("median").asText());
    assertEquals(3, n.get("folds").size(), n.toString());
    assertEquals(3, n.get("features").get("pca").get("components").asInt(), n.toString());
    assertEquals(240, m.counts().samples().written());
  }
}
