package dev.shardsmith.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shardsmith.transforms.kernels.shard.Sha256Files;
import dev.shardsmith.transforms.kernels.shard.SplitRow;
import dev.shardsmith.transforms.kernels.shard.SplitsFile;
import dev.shardsmith.transforms.kernels.split.GroupSplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitConfigTest {
  private static final String MIN = "name: t\ninput: {root: imgs}\n";

  @TempDir Path dir;

  private RunConfig parse(String yaml) throws Exception {
    return RunConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(MIN + yaml), dir);
  }

  private String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void defaultsAreExactWithoutFoldsOrFreezing() throws Exception {
    RunConfig.SplitSpec s = parse("").split();
    assertEquals("exact", s.mode());
    assertEquals(0, s.folds());
    assertNull(s.freezeFrom());
    assertEquals(
        Map.of("mode", "exact", "train", 0.8, "val", 0.1, "test", 0.1, "folds", 0),
        parse("").effective().get("split"));
  }

  @Test
  void stableWithFoldsReachesThePlanner() throws Exception {
    GroupSplit.Spec spec =
        parse("seed: 5\nsplit: {mode: stable, folds: 5, train: 0.6, val: 0.2, test: 0.2}\n")
            .split()
            .plannerSpec(5);
    assertEquals(GroupSplit.Mode.STABLE, spec.mode());
    assertEquals(5, spec.folds());
    assertEquals(0.6, spec.fractions()[0]);
  }

  @Test
  void badValuesNameTheKey() {
    assertEquals(
        "split.mode = random is not allowed: use one of exact, stable, time",
        error("split: {mode: random}\n"));
    assertEquals(
        "split.folds = 1 is not allowed: use 0 (no folds) or k >= 2 folds of the train split",
        error("split: {folds: 1}\n"));
    assertEquals(
        "split.folds = -2 is out of range: must be in [0, 1000]", error("split: {folds: -2}\n"));
    assertEquals(
        "split.folds = 3 partitions the train split, but split.train = 0",
        error("split: {folds: 3, train: 0, val: 0.5, test: 0.5}\n"));
    assertTrue(error("split: {fold: 3}\n").contains("fold"), error("split: {fold: 3}\n"));
  }

  @Test
  void freezeFromIsReadAndCheckedBeforeAnyData() throws Exception {
    assertTrue(
        error("split: {freeze_from: old/splits.parquet}\n")
            .startsWith("split.freeze_from = \"old/splits.parquet\" (" + dir.resolve("old")),
        error("split: {freeze_from: old/splits.parquet}\n"));
    assertTrue(
        error("split: {freeze_from: old/splits.parquet}\n")
            .endsWith("does not exist: give an earlier run's OUT/splits.parquet"));

    Files.writeString(dir.resolve("text.parquet"), "not parquet");
    assertTrue(
        error("split: {freeze_from: text.parquet}\n")
            .contains("cannot be read as a splits.parquet"),
        error("split: {freeze_from: text.parquet}\n"));

    Path file = dir.resolve("splits.parquet");
    SplitsFile.write(
        file,
        List.of(new SplitRow("a.jpg", "g1", "train", 2), new SplitRow("b.jpg", "g2", "test", -1)));
    assertTrue(
        error("split: {freeze_from: splits.parquet}\n")
            .contains("frozen sample a.jpg is in train fold 2, which does not fit split.folds = 0"),
        error("split: {freeze_from: splits.parquet}\n"));
    RunConfig ok = parse("split: {freeze_from: splits.parquet, folds: 3}\n");
    assertEquals(file, ok.split().freezeFrom());
    assertEquals(Sha256Files.of(file), ok.split().freezeFromSha256());
    assertEquals(
        Sha256Files.of(file),
        ((Map<?, ?>) ok.effective().get("split")).get("freeze_from_sha256"),
        "the frozen file is part of the run's identity");
  }
}
