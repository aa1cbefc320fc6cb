package dev.shardsmith.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardsmith.pipelines.Runs;
import dev.shardsmith.pipelines.config.ConfigException;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md invariant 5 on the real sample data: rerunning a config into the same folder gives the
 * same files, removes a stale staging folder and stale shards of an earlier run, and writes {@code
 * manifest.json} last; a run that fails leaves no manifest and no staging folder behind.
 */
class RerunTest {
  @TempDir static Path tmp;

  static final List<String> ARGS = List.of("--runner=DirectRunner", "--targetParallelism=2");

  static RunConfig config;
  static Path out;
  static SortedMap<String, String> firstFiles;
  static ObjectNode firstManifest;
  static Manifest first;
  static Manifest second;
  static Path plantedStaging;
  static Path plantedShard;

  @BeforeAll
  static void runTwiceIntoOneFolder() throws Exception {
    Path file =
        RunFixtures.writeConfig(tmp, "rerun.yaml", RunFixtures.configYaml("rerun", "overwrite"));
    out = tmp.resolve("out");
    config = RunConfig.load(file).withOutputDir(out);

    first = Runs.run(config, ARGS);
    firstFiles = RunFixtures.fileHashes(out);
    firstManifest = withoutRun(out);

    // What a killed earlier run and an earlier run with more shards would have left behind.
    plantedStaging = out.resolve(".staging-xyz");
    Files.createDirectories(plantedStaging.resolve("train"));
    Files.writeString(plantedStaging.resolve("train/part-00000-of-00001.parquet"), "partial");
    plantedShard = out.resolve("train/part-00099-of-00100.parquet");
    Files.writeString(plantedShard, "a shard of an earlier, larger run");

    second = Runs.run(config, ARGS);
  }

  private static ObjectNode withoutRun(Path dir) throws Exception {
    ObjectNode n = (ObjectNode) new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    n.remove("run");
    return n;
  }

  @Test
  void rerunWritesTheSameFiles() throws Exception {
    assertTrue(firstFiles.keySet().stream().anyMatch(p -> p.startsWith("train/part-")));
    assertEquals(firstFiles, RunFixtures.fileHashes(out));
    assertEquals(firstManifest, withoutRun(out), "manifests differ beyond the run record");
    assertNotEquals(first.run().get("id"), second.run().get("id"), "expected a new run record");
    assertEquals(
        second.run().get("id"),
        Manifest.read(out.resolve("manifest.json")).run().get("id"),
        "manifest.json on disk is not the second run's");
  }

  @Test
  void staleStagingFolderAndStaleShardsAreRemoved() throws Exception {
    assertFalse(Files.exists(plantedStaging), plantedStaging + " survived the rerun");
    assertFalse(Files.exists(plantedShard), plantedShard + " survived the rerun");
    try (Stream<Path> list = Files.list(out)) {
      List<String> names = list.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(
          List.of("manifest.json", "rejected", "splits.parquet", "test", "train", "val"), names);
    }
  }

  @Test
  void manifestIsWrittenLast() throws Exception {
    FileTime manifest = Files.getLastModifiedTime(out.resolve("manifest.json"));
    for (String rel : RunFixtures.fileHashes(out).keySet()) {
      FileTime t = Files.getLastModifiedTime(out.resolve(rel));
      assertTrue(
          manifest.compareTo(t) >= 0, "manifest.json (" + manifest + ") older than " + rel + t);
    }
  }

  @Test
  void aRunThatFailsMidwayLeavesNoManifestAndNoStaging() throws Exception {
    Path failed = tmp.resolve("failed");
    Files.createDirectories(failed);
    Files.copy(out.resolve("manifest.json"), failed.resolve("manifest.json"));
    // Declared labels without "bag" and unknown_label: fail: the read step throws mid-pipeline.
    String yaml =
        RunFixtures.configYaml("broken", "overwrite")
            .replace(
                "  kind: images\n", "  kind: images\n  labels: [coat]\n  unknown_label: fail\n");
    assertTrue(yaml.contains("unknown_label: fail"));
    RunConfig broken =
        RunConfig.load(RunFixtures.writeConfig(tmp, "broken.yaml", yaml)).withOutputDir(failed);

    Exception e = assertThrows(Exception.class, () -> Runs.run(broken, ARGS));

    assertFalse(e instanceof ConfigException, "expected a pipeline failure, got " + e);
    assertFalse(Files.exists(failed.resolve("manifest.json")), "a stale manifest survived");
    try (Stream<Path> list = Files.list(failed)) {
      assertEquals(List.of(), list.toList(), "a failed run left files behind");
    }
  }

  @Test
  void aMissingInputFolderIsAConfigErrorThatLeavesTheOutputAlone() throws Exception {
    Path missing = tmp.resolve("no-such-folder");
    String yaml =
        RunFixtures.configYaml("missing", "overwrite")
            .replace(RunFixtures.fashionMnist().toString(), missing.toString());
    RunConfig c = RunConfig.load(RunFixtures.writeConfig(tmp, "missing.yaml", yaml));
    Path target = Files.createDirectories(tmp.resolve("untouched"));
    Files.writeString(target.resolve("manifest.json"), "{}");

    ConfigException e =
        assertThrows(ConfigException.class, () -> Runs.run(c.withOutputDir(target), ARGS));

    assertTrue(e.getMessage().contains("input.root = " + missing), e.getMessage());
    assertEquals("{}", Files.readString(target.resolve("manifest.json")));
    try (Stream<Path> list = Files.list(target)) {
      assertEquals(1, list.count(), "no staging folder may be made for a config error");
    }
  }
}
