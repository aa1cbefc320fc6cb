package dev.shardsmith.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardsmith.pipelines.Runs;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.transforms.kernels.shard.ParquetShardFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md invariant 1 on the real sample data: one config run on the DirectRunner at parallelism
 * 1 and 4 (with its immutability and encodability checks on) and on an embedded Flink mini-cluster
 * at parallelism 2 writes byte-identical files, and manifests that differ only in {@code run} and
 * {@code runner}. One run per runner for the whole class.
 */
class CrossRunnerDeterminismTest {
  @TempDir static Path tmp;

  static Path direct1;
  static Path direct4;
  static Path flink2;
  static Manifest manifest;

  @BeforeAll
  static void runThreeWays() throws Exception {
    Path file =
        RunFixtures.writeConfig(
            tmp, "determinism.yaml", RunFixtures.configYaml("determinism", "overwrite"));
    RunConfig config = RunConfig.load(file);
    direct1 = tmp.resolve("direct-1");
    direct4 = tmp.resolve("direct-4");
    flink2 = tmp.resolve("flink-2");
    manifest =
        Runs.run(
            config.withOutputDir(direct1),
            List.of("--runner=DirectRunner", "--targetParallelism=1"));
    Runs.run(
        config.withOutputDir(direct4), List.of("--runner=DirectRunner", "--targetParallelism=4"));
    Runs.run(config.withOutputDir(flink2), List.of("--runner=FlinkRunner", "--parallelism=2"));
  }

  @Test
  void everyFileIsByteIdenticalOnEveryRunnerAndParallelism() throws Exception {
    SortedMap<String, String> a = RunFixtures.fileHashes(direct1);
    SortedMap<String, String> b = RunFixtures.fileHashes(direct4);
    SortedMap<String, String> c = RunFixtures.fileHashes(flink2);
    assertTrue(
        a.keySet().stream().filter(p -> p.startsWith("train/")).count() > 1,
        "expected several train shards, got " + a.keySet());
    assertTrue(a.containsKey("splits.parquet") && a.containsKey("rejected/rejected.jsonl"));
    assertEquals(a, b, "DirectRunner at targetParallelism 1 vs 4");
    assertEquals(a, c, "DirectRunner at targetParallelism 1 vs FlinkRunner at parallelism 2");
  }

  @Test
  void manifestsDifferOnlyInRunMetadata() throws Exception {
    ObjectNode a = RunFixtures.manifestWithoutRunMetadata(direct1);
    assertEquals(a, RunFixtures.manifestWithoutRunMetadata(direct4));
    assertEquals(a, RunFixtures.manifestWithoutRunMetadata(flink2));
    // The fields removed above really came from different runs.
    assertEquals("DirectRunner", Manifest.read(direct4.resolve("manifest.json")).runner());
    assertEquals("FlinkRunner", Manifest.read(flink2.resolve("manifest.json")).runner());
  }

  @Test
  void manifestListsExactlyTheFilesWrittenWithTheirHashes() throws Exception {
    for (Path out : List.of(direct1, direct4, flink2)) {
      Manifest m = Manifest.read(out.resolve("manifest.json"));
      SortedMap<String, String> listed = new TreeMap<>();
      List<Manifest.ShardEntry> all = new ArrayList<>(m.shards());
      all.addAll(m.files());
      for (Manifest.ShardEntry e : all) {
        listed.put(e.path(), e.sha256());
        assertEquals(Files.size(out.resolve(e.path())), e.bytes(), e.path());
      }
      assertEquals(RunFixtures.fileHashes(out), listed, "files on disk vs manifest in " + out);
    }
  }

  @Test
  void shardsOfASplitHaveEqualRowsExceptTheLast() {
    Map<String, List<Manifest.ShardEntry>> bySplit = new TreeMap<>();
    for (Manifest.ShardEntry e : parquetShards()) {
      bySplit.computeIfAbsent(e.split(), k -> new ArrayList<>()).add(e);
    }
    assertEquals(List.of("test", "train", "val"), new ArrayList<>(bySplit.keySet()));
    for (Map.Entry<String, List<Manifest.ShardEntry>> s : bySplit.entrySet()) {
      List<Manifest.ShardEntry> shards = new ArrayList<>(s.getValue());
      shards.sort((x, y) -> x.path().compareTo(y.path()));
      int n = shards.size();
      assertTrue(n >= 2, s.getKey() + " should have several shards at shard_rows 20: " + shards);
      long full = shards.get(0).rows();
      long total = 0;
      for (int i = 0; i < n; i++) {
        Manifest.ShardEntry e = shards.get(i);
        assertEquals(
            String.format("%s/part-%05d-of-%05d.parquet", s.getKey(), i, n), e.path(), "name");
        assertEquals("parquet", e.format());
        if (i < n - 1) {
          assertEquals(full, e.rows(), e.path() + " rows differ from the first shard's");
        } else {
          assertTrue(e.rows() > 0 && e.rows() <= full, e.path() + " has " + e.rows() + " rows");
        }
        total += e.rows();
      }
      assertTrue(full <= RunFixtures.SHARD_ROWS, "a shard holds more than shard_rows: " + full);
      assertEquals(manifest.splits().get(s.getKey()).count(), total, s.getKey() + " rows");
    }
  }

  @Test
  void countsAccountForEverySampleFile() {
    assertEquals(RunFixtures.SOURCE_FILES, manifest.counts().sources().read());
    long rejected =
        manifest.counts().sources().rejected().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(RunFixtures.DAMAGED_FILES, rejected, manifest.counts().toString());
    assertEquals(
        RunFixtures.SOURCE_FILES - RunFixtures.DAMAGED_FILES, manifest.counts().sources().ok());
    long shardRows = parquetShards().stream().mapToLong(Manifest.ShardEntry::rows).sum();
    assertEquals(manifest.counts().samples().written(), shardRows);
    assertTrue(manifest.counts().violations().isEmpty(), manifest.counts().violations()::toString);
    assertFalse(manifest.counts().samples().derived().isEmpty());
  }

  @Test
  void augmentationRandomnessIsExercised() throws Exception {
    // Byte-identical output proves little if no random choice was made: the train shards must
    // hold rows whose applied-augmentation records differ from each other.
    Set<String> applied = new TreeSet<>();
    for (Manifest.ShardEntry e : parquetShards()) {
      if (e.split().equals("train")) {
        for (dev.shardsmith.transforms.kernels.shard.ShardRow r :
            ParquetShardFile.read(direct1.resolve(e.path()))) {
          applied.add(String.valueOf(r.applied()));
        }
      }
    }
    assertTrue(applied.size() > 2, "too few distinct augmentation records: " + applied);
  }

  /** The Parquet file of every shard (the run writes every format; each holds the same rows). */
  private static List<Manifest.ShardEntry> parquetShards() {
    List<Manifest.ShardEntry> out = new ArrayList<>();
    for (Manifest.ShardEntry e : manifest.shards()) {
      if (e.format().equals("parquet")) {
        out.add(e);
      }
    }
    assertTrue(
        manifest.shards().stream().anyMatch(e -> e.format().equals("arrow"))
            && manifest.shards().stream().anyMatch(e -> e.format().equals("npy")),
        "the run writes parquet, arrow and npy");
    return out;
  }
}
