package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.kernels.annotation.AnnotationFiles;
import dev.shardsmith.transforms.kernels.annotation.ImageAnnotation;
import dev.shardsmith.transforms.kernels.annotation.LabelMasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real labelme-examples annotations attached to real images read through ReadImages. */
class AttachTargetsTest {
  private static final Path VOC = Path.of("../sample-data/voc").toAbsolutePath().normalize();

  @TempDir Path tmp;

  private static List<String> classes() throws Exception {
    return Files.readAllLines(VOC.resolve("class_names.txt"));
  }

  private static PCollectionTuple attach(TestPipeline p, Path manifest, AttachTargets t) {
    PCollection<Sample> samples =
        p.apply("Read", ReadImages.fromManifest(manifest)).get(ReadImages.OK);
    return samples.apply("Attach", t);
  }

  private static Map<String, Integer> boxCounts(Iterable<Sample> rows) {
    Map<String, Integer> m = new TreeMap<>();
    for (Sample s : rows) {
      m.put(s.id(), s.image().targets().boxCount());
    }
    return m;
  }

  @Test
  void everyFormatAttachesTheSameImagesBoxes() throws Exception {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    Path manifest = VOC.resolve("images.csv");
    PCollectionTuple voc =
        p.apply("ReadVoc", ReadImages.fromManifest(manifest))
            .get(ReadImages.OK)
            .apply(
                "Voc",
                AttachTargets.annotations("voc", VOC.resolve("Annotations"), classes())
                    .withMasks(VOC.resolve("SegmentationClassPNG")));
    PCollectionTuple coco =
        p.apply("ReadCoco", ReadImages.fromManifest(manifest))
            .get(ReadImages.OK)
            .apply(
                "Coco",
                AttachTargets.annotations("coco", VOC.resolve("coco-annotations.json"), classes()));
    PCollectionTuple labelme =
        p.apply("ReadLabelme", ReadImages.fromManifest(manifest))
            .get(ReadImages.OK)
            .apply(
                "Labelme", AttachTargets.annotations("labelme", VOC.resolve("labelme"), classes()));
    String a = "JPEGImages/2011_000003.jpg";
    String b = "JPEGImages/2011_000006.jpg";
    String c = "JPEGImages/2011_000025.jpg";
    PAssert.that(voc.get(AttachTargets.OK))
        .satisfies(
            rows -> {
              assertEquals(Map.of(a, 2, b, 4, c, 3), boxCounts(rows));
              for (Sample s : rows) {
                assertNotNull(s.image().targets().maskFile(), s.id());
                assertNull(s.image().targets().mask());
              }
              return null;
            });
    PAssert.that(voc.get(AttachTargets.REJECTED)).empty();
    PAssert.that(coco.get(AttachTargets.OK))
        .satisfies(
            rows -> {
              assertEquals(3, boxCounts(rows).size());
              return null;
            });
    PAssert.that(labelme.get(AttachTargets.OK))
        .satisfies(
            rows -> {
              assertEquals(Map.of(a, 2, b, 4, c, 3), boxCounts(rows));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void badAnnotationsAreRejectedWithAReasonAndCounted() throws Exception {
    // images: the three photos plus a copy of one under another stem (no annotation) and one
    // under a second folder with the same stem as another photo (ambiguous)
    Path images = Files.createDirectories(tmp.resolve("img"));
    Path other = Files.createDirectories(tmp.resolve("other"));
    for (String s : List.of("2011_000003", "2011_000006", "2011_000025")) {
      Files.copy(VOC.resolve("JPEGImages/" + s + ".jpg"), images.resolve(s + ".jpg"));
    }
    Files.copy(VOC.resolve("JPEGImages/2011_000006.jpg"), images.resolve("lonely.jpg"));
    Files.copy(VOC.resolve("JPEGImages/2011_000025.jpg"), other.resolve("2011_000025.jpg"));
    Path manifest = tmp.resolve("m.csv");
    Files.writeString(
        manifest,
        "path,label\nimg/2011_000003.jpg,x\nimg/2011_000006.jpg,x\nimg/2011_000025.jpg,x\n"
            + "img/lonely.jpg,x\nother/2011_000025.jpg,x\n");
    Path ann = Files.createDirectories(tmp.resolve("ann"));
    Files.copy(VOC.resolve("Annotations/2011_000003.xml"), ann.resolve("2011_000003.xml"));
    Files.copy(VOC.resolve("Annotations/2011_000025.xml"), ann.resolve("2011_000025.xml"));
    // malformed: a box with xmax < xmin
    Files.writeString(
        ann.resolve("2011_000006.xml"),
        Files.readString(VOC.resolve("Annotations/2011_000006.xml"))
            .replaceFirst("<xmax>[^<]*</xmax>", "<xmax>2</xmax>"));
    // names an image that is not in the input
    Files.writeString(
        ann.resolve("ghost.xml"),
        "<annotation><filename>ghost.jpg</filename><object><name>cat</name><bndbox><xmin>1</xmin>"
            + "<ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>");
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out = attach(p, manifest, AttachTargets.annotations("voc", ann, classes()));
    PAssert.that(out.get(AttachTargets.OK))
        .satisfies(
            rows -> {
              assertEquals(Map.of("img/2011_000003.jpg", 2), boxCounts(rows));
              return null;
            });
    PAssert.that(out.get(AttachTargets.REJECTED))
        .satisfies(
            rows -> {
              Map<String, String> why = new TreeMap<>();
              for (Rejected r : rows) {
                assertEquals("annotation", r.reason());
                assertEquals("annotate", r.stage());
                why.put(r.sampleId() + (r.wholeSource() ? " (source)" : ""), r.detail());
              }
              assertEquals(
                  List.of(
                      "ghost.xml (source)",
                      "img/2011_000006.jpg",
                      "img/2011_000025.jpg",
                      "img/lonely.jpg",
                      "other/2011_000025.jpg"),
                  List.copyOf(why.keySet()));
              assertTrue(why.get("ghost.xml (source)").contains("\"ghost\", which is not among"));
              assertTrue(why.get("img/2011_000006.jpg").contains("negative or zero size"));
              assertTrue(why.get("img/2011_000025.jpg").contains("2 input images share the stem"));
              assertTrue(why.get("img/lonely.jpg").contains("no annotation names image stem"));
              return null;
            });
    PAssert.that(out.get(AttachTargets.COUNTS).apply(Sum.longsPerKey()))
        .containsInAnyOrder(
            KV.of("samples.rejected.annotation", 4L),
            KV.of("sources.rejected.annotation", 1L),
            KV.of("sources.read", 1L));
    p.run().waitUntilFinish();
  }

  @Test
  void masksOnlyAndAMissingOrWrongSizedMaskRejects() throws Exception {
    Path masks = Files.createDirectories(tmp.resolve("masks"));
    Files.copy(
        VOC.resolve("SegmentationClassPNG/2011_000003.png"), masks.resolve("2011_000003.png"));
    // 2011_000006 is 500x375: give it the 500x338 mask of 2011_000003
    Files.copy(
        VOC.resolve("SegmentationClassPNG/2011_000003.png"), masks.resolve("2011_000006.png"));
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out = attach(p, VOC.resolve("images.csv"), AttachTargets.masks(masks));
    PAssert.that(out.get(AttachTargets.OK))
        .satisfies(
            rows -> {
              assertEquals(Map.of("JPEGImages/2011_000003.jpg", 0), boxCounts(rows));
              return null;
            });
    PAssert.that(out.get(AttachTargets.REJECTED))
        .satisfies(
            rows -> {
              Map<String, String> why = new TreeMap<>();
              rows.forEach(r -> why.put(r.sampleId(), r.detail()));
              assertTrue(
                  why.get("JPEGImages/2011_000006.jpg")
                      .contains("mask is 500x338 but its image is 500x375"));
              assertTrue(why.get("JPEGImages/2011_000025.jpg").contains("no mask file"));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void cocoSegmentationBecomesEachImagesMask() throws Exception {
    Path coco = VOC.resolve("coco-annotations.json");
    Map<String, byte[]> want = new TreeMap<>();
    for (ImageAnnotation a :
        AnnotationFiles.coco(Files.readAllBytes(coco), "c.json", classes(), true)) {
      // SegmentationMasksTest checks these against numpy
      want.put("JPEGImages/" + a.stem() + ".jpg", a.targets().maskFile());
    }
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out =
        attach(
            p,
            VOC.resolve("images.csv"),
            AttachTargets.annotations("coco", coco, classes()).withSegmentationMasks(true));
    PAssert.that(out.get(AttachTargets.OK))
        .satisfies(
            rows -> {
              int n = 0;
              for (Sample s : rows) {
                n++;
                byte[] file = s.image().targets().maskFile();
                // the mask file survived the annotation coder and the join
                assertTrue(java.util.Arrays.equals(want.get(s.id()), file), s.id());
                try {
                  byte[] m = LabelMasks.decode(file, s.image().width(), s.image().height());
                  int objects = 0;
                  for (byte v : m) {
                    objects += v != 0 ? 1 : 0;
                  }
                  assertTrue(objects > 5000, s.id() + ": " + objects);
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              }
              assertEquals(3, n);
              return null;
            });
    PAssert.that(out.get(AttachTargets.REJECTED)).empty();
    p.run().waitUntilFinish();
    assertThrows(
        IllegalArgumentException.class,
        () ->
            AttachTargets.annotations("voc", VOC.resolve("Annotations"), classes())
                .withSegmentationMasks(true));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            AttachTargets.annotations("coco", coco, classes())
                .withSegmentationMasks(true)
                .withMasks(VOC.resolve("SegmentationClassPNG")));
  }
}
