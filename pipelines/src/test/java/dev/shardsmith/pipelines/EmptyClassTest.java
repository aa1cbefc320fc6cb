package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A declared class with no sample and a class with a single sample: the run succeeds, the label map
 * keeps the declared indices, and every split reports the classes it lacks.
 */
class EmptyClassTest {
  private static final Path PHOTOS = Path.of("../sample-data/photos").toAbsolutePath();

  @TempDir Path tmp;

  @Test
  void missingClassesAreReportedPerSplit() throws Exception {
    for (String f : List.of("apple.jpg", "orange.jpg", "fruits.jpg", "home.jpg")) {
      Files.createDirectories(tmp.resolve("data/many"));
      Files.copy(PHOTOS.resolve(f), tmp.resolve("data/many").resolve(f));
    }
    Files.createDirectories(tmp.resolve("data/single"));
    Files.copy(PHOTOS.resolve("baboon.jpg"), tmp.resolve("data/single/baboon.jpg"));
    Files.writeString(
        tmp.resolve("run.yaml"),
        "name: sparse\ninput: {root: data, labels: [ghost, many, single]}\n"
            + "preprocess: {resize: 32}\nsplit: {train: 0.5, val: 0.25, test: 0.25}\n"
            + "augment: {enabled: false}\n");
    Manifest m =
        Runs.run(
            RunConfig.load(tmp.resolve("run.yaml")).withOutputDir(tmp.resolve("out")),
            List.of("--runner=DirectRunner"));
    assertEquals(List.of("ghost", "many", "single"), m.labels());
    assertEquals(List.of(), m.counts().violations());
    assertEquals(List.of("ghost"), m.splits().get("train").missingClasses());
    assertEquals(List.of("ghost", "single"), m.splits().get("val").missingClasses());
    assertEquals(List.of("ghost", "single"), m.splits().get("test").missingClasses());
    assertEquals(0L, m.splits().get("train").classes().get("ghost"));
    assertEquals(1L, m.splits().get("train").classes().get("single"));
    assertEquals(2L, m.splits().get("train").classes().get("many"));
    assertEquals(0.0, m.splits().get("val").classAchieved().get("ghost"));
  }
}
