package dev.shardsmith.transforms.kernels.annotation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Targets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The three readers on labelme-examples' real VOC, COCO and labelme files (sample-data/voc). */
class AnnotationFilesTest {
  static final Path VOC = Path.of("../sample-data/voc");

  static List<String> classes() throws IOException {
    return Files.readAllLines(VOC.resolve("class_names.txt"));
  }

  static byte[] read(String rel) throws IOException {
    return Files.readAllBytes(VOC.resolve(rel));
  }

  private static ImageAnnotation parseOne(String format, String text) throws IOException {
    List<ImageAnnotation> a =
        AnnotationFiles.parse(
            format, text.getBytes(StandardCharsets.UTF_8), "bad/x." + format, classes());
    assertEquals(1, a.size());
    return a.get(0);
  }

  @Test
  void vocBoxesAreShiftedFromOneBasedIndices() throws Exception {
    ImageAnnotation a =
        AnnotationFiles.voc(
            read("Annotations/2011_000003.xml"), "Annotations/2011_000003.xml", classes());
    assertNull(a.error());
    assertEquals("2011_000003", a.stem());
    assertEquals(500, a.width());
    assertEquals(338, a.height());
    Targets t = a.targets();
    assertArrayEquals(new String[] {"person", "person"}, t.boxLabels());
    assertArrayEquals(new int[] {15, 15}, t.boxClasses());
    // xmin 191, ymin 107.369 (1-based) -> 190, 106.369; xmax, ymax kept
    assertArrayEquals(
        new float[] {190f, 106.36900369003689f, 313f, 329.36900369003695f, 364f, 82f, 500f, 333f},
        t.boxes(),
        1e-4f);
    // fits its real image: the box touching the right edge stays
    assertArrayEquals(t.boxes(), a.fit(500, 338).boxes());
  }

  @Test
  void cocoBoxesAreXywhAndMatchTheVocExport() throws Exception {
    List<ImageAnnotation> all =
        AnnotationFiles.coco(read("coco-annotations.json"), "coco-annotations.json", classes());
    Map<String, ImageAnnotation> byStem =
        all.stream().collect(Collectors.toMap(ImageAnnotation::stem, a -> a));
    assertEquals(
        List.of("2011_000003", "2011_000006", "2011_000025"),
        byStem.keySet().stream().sorted().toList());
    for (ImageAnnotation a : all) {
      assertNull(a.error(), a.source());
      assertTrue(a.targets().boxCount() > 0, a.stem());
    }
    // the polygons' boxes of 2011_000025 are buses and cars, all inside the 500x375 image
    Targets t = byStem.get("2011_000025").fit(500, 375);
    for (String l : t.boxLabels()) {
      assertTrue(l.equals("bus") || l.equals("car"), l);
    }
  }

  @Test
  void labelmeRectanglesAndPolygons() throws Exception {
    ImageAnnotation rect =
        AnnotationFiles.labelme(
            read("labelme/2011_000006.json"), "labelme/2011_000006.json", classes());
    assertNull(rect.error());
    assertEquals("2011_000006", rect.stem());
    assertEquals(4, rect.targets().boxCount());
    assertArrayEquals(
        new float[] {91, 107, 240, 330}, java.util.Arrays.copyOf(rect.targets().boxes(), 4));
    // a polygon becomes the box bounding its points; same boxes as the COCO export of the same data
    ImageAnnotation poly =
        AnnotationFiles.labelme(
            read("labelme-polygons/2011_000025.json"),
            "labelme-polygons/2011_000025.json",
            classes());
    assertNull(poly.error());
    ImageAnnotation coco =
        AnnotationFiles.coco(read("coco-annotations.json"), "c.json", classes()).stream()
            .filter(a -> a.stem().equals("2011_000025"))
            .findFirst()
            .orElseThrow();
    assertArrayEquals(coco.targets().boxLabels(), poly.targets().boxLabels());
    assertArrayEquals(coco.targets().boxes(), poly.targets().boxes(), 1.01f);
  }

  @Test
  void labelmePointsAreKeypoints() throws Exception {
    ImageAnnotation a =
        parseOne(
            "labelme",
            "{\"imagePath\":\"../img/p.jpg\",\"imageWidth\":10,\"imageHeight\":8,\"shapes\":["
                + "{\"label\":\"nose\",\"shape_type\":\"point\",\"points\":[[3.5,4.25]]}]}");
    assertNull(a.error());
    assertEquals("p", a.stem());
    assertArrayEquals(new float[] {3.5f, 4.25f, 2}, a.targets().keypoints());
    assertArrayEquals(new String[] {"nose"}, a.targets().keypointNames());
  }

  @Test
  void cocoKeypointsMoveToPixelCentres() throws Exception {
    String json =
        "{\"images\":[{\"id\":1,\"file_name\":\"a/b.jpg\",\"width\":20,\"height\":10}],"
            + "\"categories\":[{\"id\":15,\"name\":\"person\",\"keypoints\":[\"nose\",\"eye\"]}],"
            + "\"annotations\":[{\"id\":7,\"image_id\":1,\"category_id\":15,\"iscrowd\":1,"
            + "\"bbox\":[1,2,3,4],\"keypoints\":[5,6,2,0,0,0]}]}";
    ImageAnnotation a = parseOne("coco", json);
    assertNull(a.error());
    assertEquals("b", a.stem());
    assertArrayEquals(new float[] {1, 2, 4, 6}, a.targets().boxes());
    assertArrayEquals(new byte[] {Targets.CROWD}, a.targets().boxFlags());
    assertArrayEquals(new float[] {5.5f, 6.5f, 2, 0, 0, 0}, a.targets().keypoints());
    assertArrayEquals(new String[] {"nose", "eye"}, a.targets().keypointNames());
  }

  @Test
  void malformedAnnotationsCarryAClearError() throws Exception {
    assertTrue(parseOne("voc", "<annotation><object>").error().contains("not well-formed XML"));
    assertTrue(
        parseOne(
                "voc",
                "<annotation><object><name>unicorn</name><bndbox><xmin>1</xmin><ymin>1</ymin>"
                    + "<xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>")
            .error()
            .contains("\"unicorn\" is not in input.annotations.classes"));
    assertTrue(
        parseOne(
                "voc",
                "<annotation><object><name>cat</name><bndbox><xmin>9</xmin><ymin>1</ymin>"
                    + "<xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>")
            .error()
            .contains("negative or zero size"));
    assertTrue(
        parseOne(
                "voc",
                "<annotation><object><name>cat</name><bndbox><xmin>a</xmin></bndbox>"
                    + "</object></annotation>")
            .error()
            .contains("<xmin> is \"a\", not a number"));
    assertTrue(
        parseOne("voc", "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><annotation/>")
            .error()
            .contains("not well-formed XML"));
    assertTrue(parseOne("coco", "{\"images\":[]}").error().contains("needs the arrays"));
    List<ImageAnnotation> orphan =
        AnnotationFiles.coco(
            ("{\"images\":[{\"id\":1,\"file_name\":\"x.jpg\"}],\"categories\":[],"
                    + "\"annotations\":[{\"id\":3,\"image_id\":9,\"category_id\":1,"
                    + "\"bbox\":[0,0,1,1]}]}")
                .getBytes(StandardCharsets.UTF_8),
            "c.json",
            classes());
    assertEquals(2, orphan.size());
    assertTrue(orphan.get(0).error().contains("image_id 9, which is not in images"));
    assertNull(orphan.get(1).error()); // image x has no boxes, which is fine
    assertTrue(
        parseOne(
                "labelme",
                "{\"shapes\":[{\"label\":\"cat\",\"shape_type\":\"circle\",\"points\":[[1,1],[2,2]]}]}")
            .error()
            .contains("allowed: rectangle, polygon, point"));
    assertTrue(
        parseOne(
                "labelme",
                "{\"shapes\":[{\"label\":\"cat\",\"shape_type\":\"rectangle\",\"points\":[[1,1]]}]}")
            .error()
            .contains("needs 2 points"));
  }

  @Test
  void fitClipsBoxesAndRejectsBoxesOutsideOrSizeMismatch() throws Exception {
    ImageAnnotation a =
        parseOne(
            "labelme",
            "{\"imageWidth\":10,\"imageHeight\":8,\"shapes\":["
                + "{\"label\":\"cat\",\"shape_type\":\"rectangle\",\"points\":[[-2,1],[12,5]]}]}");
    assertArrayEquals(new float[] {0, 1, 10, 5}, a.fit(10, 8).boxes());
    BadAnnotationException size = assertThrows(BadAnnotationException.class, () -> a.fit(8, 10));
    assertTrue(size.getMessage().contains("declares a 10x8 image, but the image is 8x10"));
    ImageAnnotation outside =
        parseOne(
            "labelme",
            "{\"shapes\":[{\"label\":\"cat\",\"shape_type\":\"rectangle\",\"points\":[[20,1],[30,5]]}]}");
    BadAnnotationException e = assertThrows(BadAnnotationException.class, () -> outside.fit(10, 8));
    assertTrue(e.getMessage().contains("lies outside the 10x8 image"), e.getMessage());
  }

  @Test
  void palettePngMasksGiveClassIndices() throws Exception {
    byte[] mask = LabelMasks.decode(read("SegmentationClassPNG/2011_000003.png"), 500, 338);
    java.util.Map<Integer, Integer> counts = new java.util.TreeMap<>();
    for (byte b : mask) {
      counts.merge(b & 0xff, 1, Integer::sum);
    }
    // palette indices (background, bottle 5, person 15, 255 = labelme's ignore), not colours;
    // the counts are what PIL's numpy view of the same file gives
    assertEquals(Map.of(0, 125787, 5, 873, 15, 32880, 255, 9460), counts);
    BadAnnotationException e =
        assertThrows(
            BadAnnotationException.class,
            () -> LabelMasks.decode(read("SegmentationClassPNG/2011_000003.png"), 500, 375));
    assertTrue(e.getMessage().contains("mask is 500x338 but its image is 500x375"));
    assertThrows(
        BadAnnotationException.class,
        () -> LabelMasks.decode(read("JPEGImages/2011_000003.jpg"), 500, 338));
  }
}
