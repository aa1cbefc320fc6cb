package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.schemas.Targets;
import dev.shardsmith.transforms.kernels.annotation.AnnotationFiles;
import dev.shardsmith.transforms.kernels.annotation.LabelMasks;
import dev.shardsmith.transforms.kernels.image.ImageFusion;
import dev.shardsmith.transforms.kernels.image.ImageHeader;
import dev.shardsmith.transforms.kernels.image.ImageHeaders;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
import dev.shardsmith.transforms.kernels.image.TargetWarp;
import dev.shardsmith.transforms.kernels.shard.ShardReader;
import dev.shardsmith.transforms.kernels.shard.ShardRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A detection run end to end: real VOC photos, their VOC XML boxes and palette masks, augmented and
 * written as Parquet, Arrow and .npy; every row's targets are rebuilt from its stored applied
 * record alone and match what each format holds.
 */
class ImagePipelineTargetsTest {
  private static final Path VOC = Path.of("../sample-data/voc").toAbsolutePath().normalize();
  private static final PreprocessSpec PRE = new PreprocessSpec(128, 112, 112);

  @TempDir static Path tmp;
  static Path out;
  static Manifest manifest;

  @BeforeAll
  static void runOnce() throws Exception {
    Path cfg = tmp.resolve("voc.yaml");
    Files.writeString(
        cfg,
        "name: voc\nseed: 3\ninput: {manifest: \""
            + VOC.resolve("images.csv")
            + "\", annotations: {format: voc, path: \""
            + VOC.resolve("Annotations")
            + "\", classes_file: \""
            + VOC.resolve("class_names.txt")
            + "\"}, masks: \""
            + VOC.resolve("SegmentationClassPNG")
            + "\"}\nsplit: {train: 1.0, val: 0.0, test: 0.0}\n"
            + "preprocess: {resize: 128, crop: 112}\n"
            + "augment: {copies: 3, min_visibility: 0.3, hflip: {p: 0.5},"
            + " rotate: {p: 0.7, limit: 25}, random_resized_crop: {p: 0.7, scale: [0.3, 1.0]},"
            + " ops: [{op: gaussian_noise, p: 1.0}]}\n"
            + "output: {formats: [parquet, arrow, npy], shard_rows: 64}\n");
    out = tmp.resolve("out");
    manifest = Runs.run(RunConfig.load(cfg).withOutputDir(out), List.of("--runner=DirectRunner"));
  }

  @Test
  void everyFormatHoldsTheTargetsTheRecordReplays() throws Exception {
    assertEquals(List.of(), manifest.counts().violations());
    assertEquals(12, manifest.counts().samples().written());
    assertTrue(Inspect.run(out, new java.io.PrintStream(java.io.OutputStream.nullOutputStream())));
    List<String> classes = Files.readAllLines(VOC.resolve("class_names.txt"));
    int checked = 0;
    int boxes = 0;
    for (Manifest.ShardEntry e : manifest.shards()) {
      if (!ShardReader.readable(e.path())) {
        continue;
      }
      Path file = out.resolve(e.path());
      List<ShardRow> rows = ShardReader.read(file);
      List<Targets> targets = ShardReader.readTargets(file);
      assertEquals(rows.size(), targets.size());
      for (int i = 0; i < rows.size(); i++) {
        String source = rows.get(i).id().split("#")[0];
        String stem = AnnotationFiles.stem(source);
        byte[] jpeg = Files.readAllBytes(VOC.resolve(source));
        ImageHeader h = ImageHeaders.read(jpeg, 50_000_000L);
        Targets src =
            AnnotationFiles.voc(
                    Files.readAllBytes(VOC.resolve("Annotations/" + stem + ".xml")), "a", classes)
                .fit(h.displayWidth(), h.displayHeight());
        byte[] mask =
            LabelMasks.decode(
                Files.readAllBytes(VOC.resolve("SegmentationClassPNG/" + stem + ".png")),
                h.displayWidth(),
                h.displayHeight());
        Targets want =
            TargetWarp.apply(
                src,
                mask,
                h.displayWidth(),
                h.displayHeight(),
                ImageFusion.geometry(h, PRE, Applied.fromJson(rows.get(i).applied())),
                112,
                112,
                0.3);
        assertEquals(want, targets.get(i), e.path() + " " + rows.get(i).id());
        boxes += want.boxCount();
        checked++;
      }
    }
    assertEquals(3 * 12, checked, "12 rows in each of three formats");
    assertTrue(boxes > 3 * 12, "most rows keep boxes: " + boxes);
  }

  @Test
  void duckDbCountsTheSameBoxesAsNumpysNBoxes() throws Exception {
    Map<String, Long> viaDuckDb = new TreeMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT id, len(boxes) AS n, list_min([b.x_min for b in boxes]) AS lo,"
                    + " octet_length(mask) AS m FROM read_parquet('"
                    + out
                    + "/train/*.parquet')")) {
      while (rs.next()) {
        viaDuckDb.put(rs.getString("id"), rs.getLong("n"));
        assertEquals(112 * 112, rs.getLong("m"));
        assertTrue(rs.getObject("lo") == null || rs.getDouble("lo") >= 0, "clipped to the frame");
      }
    }
    Map<String, Long> viaNpy = new TreeMap<>();
    for (Manifest.ShardEntry e : manifest.shards()) {
      if (e.path().endsWith(".meta.json")) {
        Path meta = out.resolve(e.path());
        List<ShardRow> rows = ShardReader.read(meta);
        List<Targets> t = ShardReader.readTargets(meta);
        for (int i = 0; i < rows.size(); i++) {
          viaNpy.put(rows.get(i).id(), (long) t.get(i).boxCount());
        }
      }
    }
    assertEquals(12, viaDuckDb.size());
    assertEquals(viaNpy, viaDuckDb);
  }
}
