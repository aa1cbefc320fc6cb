package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.transforms.kernels.shard.ShardReader;
import dev.shardsmith.transforms.kernels.shard.ShardRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tabular pipeline with train-only z-scoring and SMOTE, end to end on the letters data: the
 * statistics come from train originals only, SMOTE runs in the scaled space on train only, every
 * synthetic row lies on the segment between its recorded parents (read back from the written
 * Parquet), every train class reaches the largest class, and the counts add up (invariant 3).
 */
class TabularBalanceTest {
  private static final Path CSV = Path.of("../sample-data/letters/letters.csv").toAbsolutePath();

  @TempDir static Path tmp;
  static Manifest manifest;
  static Map<String, ShardRow> rows = new TreeMap<>();

  @BeforeAll
  static void run() throws Exception {
    Path config = tmp.resolve("letters-smote.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "name: letters-smote",
            "seed: 7",
            "input: {kind: tabular, files: ['" + CSV + "'], label: letter}",
            "split: {mode: exact, train: 0.7, val: 0.15, test: 0.15}",
            "normalize: {impute: median, scale: zscore}",
            "balance: {strategy: smote, target: max, k_neighbors: 5}",
            "output: {formats: [parquet], shard_rows: 1000}",
            ""));
    Path out = tmp.resolve("out");
    manifest =
        Runs.run(RunConfig.load(config).withOutputDir(out), List.of("--runner=DirectRunner"));
    for (Manifest.ShardEntry e : manifest.shards()) {
      if (e.path().endsWith(".parquet") && !e.path().startsWith("splits")) {
        for (ShardRow r : ShardReader.read(out.resolve(e.path()))) {
          rows.put(r.id(), r);
        }
      }
    }
  }

  @Test
  void countsAddUpAndEveryTrainClassReachesTheLargest() {
    assertEquals(List.of(), manifest.counts().violations());
    long smote = rows.keySet().stream().filter(id -> id.contains("#smote")).count();
    assertTrue(smote > 0, "letters classes are uneven, so SMOTE adds rows");
    assertEquals(smote, (long) manifest.counts().samples().derived().get("smote"));
    assertEquals(rows.size(), manifest.counts().samples().written());

    Map<String, Integer> train = new TreeMap<>();
    for (ShardRow r : rows.values()) {
      if (r.split().equals("train")) {
        train.merge(r.labelName(), 1, Integer::sum);
      } else {
        assertTrue(!r.id().contains("#smote"), "val/test rows are never derived: " + r.id());
      }
    }
    assertEquals(26, train.size());
    int max = train.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    train.forEach((label, n) -> assertEquals(max, n, label));
  }

  @Test
  void everySyntheticRowLiesBetweenItsTrainParentsOfItsClass() throws Exception {
    ObjectMapper json = new ObjectMapper();
    int checked = 0;
    for (ShardRow r : rows.values()) {
      if (!r.id().contains("#smote")) {
        continue;
      }
      JsonNode smote = null;
      for (JsonNode op : json.readTree(r.applied()).get("ops")) {
        if (op.get("op").asText().equals("smote")) {
          smote = op.get("params");
        }
      }
      assertNotNull(smote, r.applied());
      ShardRow p = rows.get(smote.get("parent").asText());
      ShardRow q = rows.get(smote.get("neighbour").asText());
      double u = smote.get("u").asDouble();
      assertTrue(u >= 0 && u < 1, "u " + u);
      for (ShardRow parent : new ShardRow[] {p, q}) {
        assertNotNull(parent, r.id());
        assertEquals("train", parent.split(), r.id());
        assertEquals(r.labelName(), parent.labelName(), r.id());
      }
      assertEquals("train", r.split());
      for (int k = 0; k < r.features().length; k++) {
        double want = p.features()[k] + u * (q.features()[k] - p.features()[k]);
        assertEquals(want, r.features()[k], 1e-5, r.id() + " feature " + k);
      }
      checked++;
    }
    assertTrue(checked > 0);
  }

  @Test
  void zScoresComeFromTrainOriginalsOnly() {
    List<float[]> train = new ArrayList<>();
    for (ShardRow r : rows.values()) {
      if (r.split().equals("train") && !r.id().contains("#smote")) {
        train.add(r.features());
      }
    }
    int f = train.get(0).length;
    for (int k = 0; k < f; k++) {
      double sum = 0;
      double sq = 0;
      for (float[] x : train) {
        sum += x[k];
        sq += (double) x[k] * x[k];
      }
      double mean = sum / train.size();
      double var = sq / train.size() - mean * mean;
      assertEquals(0, mean, 1e-5, "train mean of feature " + k);
      assertEquals(1, var, 1e-4, "train variance of feature " + k);
    }
    Map<String, Object> norm = manifest.normalization();
    assertNotNull(norm);
    assertTrue(new HashMap<>(norm).toString().contains("zscore") || norm.containsKey("features"));
  }
}
