package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.schemas.Targets;
import dev.shardsmith.transforms.kernels.annotation.AnnotationFiles;
import dev.shardsmith.transforms.kernels.annotation.ImageAnnotation;
import dev.shardsmith.transforms.kernels.annotation.LabelMasks;
import dev.shardsmith.transforms.kernels.image.Affine;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COCO targets end to end: {@code input.annotations.segmentation_masks} draws each photo's mask
 * from its COCO polygons and {@code keypoint_flip_pairs} trades left and right keypoints on the
 * flipped copies; Parquet and .npy hold exactly what the stored applied record replays.
 */
class CocoTargetsPipelineTest {
  private static final Path VOC = Path.of("../sample-data/voc").toAbsolutePath().normalize();
  private static final PreprocessSpec PRE = new PreprocessSpec(128, 112, 112);
  private static final List<List<String>> PAIRS =
      List.of(List.of("left_eye", "right_eye"), List.of("left_wrist", "right_wrist"));

  @TempDir static Path tmp;
  static Path out;
  static Manifest manifest;

  @BeforeAll
  static void runOnce() throws Exception {
    Path cfg = tmp.resolve("coco.yaml");
    Files.writeString(
        cfg,
        "name: coco\nseed: 4\ninput: {manifest: \""
            + VOC.resolve("images.csv")
            + "\", annotations: {format: coco, path: \""
            + VOC.resolve("coco-keypoints.json")
            + "\", classes_file: \""
            + VOC.resolve("class_names.txt")
            + "\", segmentation_masks: true,"
            + " keypoint_flip_pairs: [[left_eye, right_eye], [left_wrist, right_wrist]]}}\n"
            + "split: {train: 1.0, val: 0.0, test: 0.0}\n"
            + "preprocess: {resize: 128, crop: 112}\n"
            + "augment: {copies: 2, hflip: {p: 1.0}, rotate: {p: 0.5, limit: 20}}\n"
            + "output: {formats: [parquet, npy], shard_rows: 64}\n");
    out = tmp.resolve("out");
    manifest = Runs.run(RunConfig.load(cfg).withOutputDir(out), List.of("--runner=DirectRunner"));
  }

  @Test
  void masksAndSwappedKeypointsAreWhatTheRecordReplays() throws Exception {
    assertEquals(List.of(), manifest.counts().violations());
    assertEquals(9, manifest.counts().samples().written(), "3 originals + 6 flipped copies");
    List<String> classes = Files.readAllLines(VOC.resolve("class_names.txt"));
    Map<String, ImageAnnotation> coco = new HashMap<>();
    for (ImageAnnotation a :
        AnnotationFiles.coco(
            Files.readAllBytes(VOC.resolve("coco-keypoints.json")), "c.json", classes, true)) {
      coco.put(a.stem(), a);
    }
    Map<String, String> partners = TargetWarp.flipPartners(PAIRS);
    int rows = 0;
    int mirroredWithKeypoints = 0;
    for (Manifest.ShardEntry e : manifest.shards()) {
      if (!ShardReader.readable(e.path())) {
        continue;
      }
      Path file = out.resolve(e.path());
      List<ShardRow> shard = ShardReader.read(file);
      List<Targets> targets = ShardReader.readTargets(file);
      for (int i = 0; i < shard.size(); i++) {
        String source = shard.get(i).id().split("#")[0];
        String stem = AnnotationFiles.stem(source);
        ImageHeader h = ImageHeaders.read(Files.readAllBytes(VOC.resolve(source)), 50_000_000L);
        int w = h.displayWidth();
        int hh = h.displayHeight();
        Targets src = coco.get(stem).fit(w, hh);
        Affine m = ImageFusion.geometry(h, PRE, Applied.fromJson(shard.get(i).applied()));
        Targets want =
            TargetWarp.apply(
                src, LabelMasks.decode(src.maskFile(), w, hh), w, hh, m, 112, 112, 0.3, partners);
        Targets got = targets.get(i);
        assertEquals(want, got, e.path() + " " + shard.get(i).id());
        assertNotNull(got.mask());
        if (m.mirrors() && got.keypointCount() > 0) {
          mirroredWithKeypoints++;
          // the first person's left eye is where its right eye went
          double[] rightEye = m.apply(src.keypoints()[6], src.keypoints()[7]);
          assertEquals("left_eye", got.keypointNames()[1]);
          assertEquals(rightEye[0], got.keypoints()[3], 1e-3);
          assertEquals(rightEye[1], got.keypoints()[4], 1e-3);
        }
        rows++;
      }
    }
    assertEquals(2 * 9, rows, "9 rows in Parquet and in .npy");
    assertEquals(2 * 2, mirroredWithKeypoints, "2011_000003's two copies, in both formats");
  }

  @Test
  void duckDbReadsAMaskOnEveryRow() throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), min(octet_length(mask)), max(octet_length(mask)),"
                    + " count(*) FILTER (WHERE len(keypoints) > 0) FROM read_parquet('"
                    + out
                    + "/train/*.parquet')")) {
      assertTrue(rs.next());
      assertEquals(9, rs.getLong(1));
      assertEquals(112 * 112, rs.getLong(2));
      assertEquals(112 * 112, rs.getLong(3));
      assertEquals(3, rs.getLong(4), "2011_000003's original and its two copies");
    }
  }
}
