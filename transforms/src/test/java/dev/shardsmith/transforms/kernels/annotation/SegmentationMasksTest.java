package dev.shardsmith.transforms.kernels.annotation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.schemas.Targets;
import dev.shardsmith.transforms.kernels.shard.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COCO segmentation drawn into masks: hand-computed polygons and RLE, the real {@code
 * sample-data/voc} COCO file against an independent numpy rasterisation (PNPOLY crossing test at
 * pixel centres) and against labelme's own class PNGs drawn from the same polygons.
 */
class SegmentationMasksTest {
  private static final Path VOC = Path.of("../sample-data/voc").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static byte[] draw(String segmentation, int value, int w, int h) throws Exception {
    byte[] m = new byte[w * h];
    SegmentationMasks.draw(JSON.readTree(segmentation), value, m, w, h);
    return m;
  }

  private static byte[] grid(String... rows) {
    StringBuilder b = new StringBuilder();
    for (String r : rows) {
      b.append(r);
    }
    byte[] m = new byte[b.length()];
    for (int i = 0; i < m.length; i++) {
      m[i] = (byte) (b.charAt(i) - '0');
    }
    return m;
  }

  @Test
  void polygonsFillThePixelsWhoseCentresAreInside() throws Exception {
    // a rectangle on pixel edges covers exactly its pixels
    assertArrayEquals(
        grid("00000", "07770", "07770", "00000"), draw("[[1, 1, 4, 1, 4, 3, 1, 3]]", 7, 5, 4));
    // a right triangle: centre (x + .5, y + .5) inside when x + y + 1 < 4 (the hypotenuse is a
    // right edge: a centre on it, x + y + 1 = 4, is outside)
    assertArrayEquals(grid("1110", "1100", "1000", "0000"), draw("[[0, 0, 4, 0, 0, 4]]", 1, 4, 4));
    // a vertex at a pixel centre, parts outside the frame clipped, two polygons drawn as a union
    assertArrayEquals(
        grid("220", "220", "002"),
        draw("[[-1, -1, 2, -1, 2, 2, -1, 2], [2, 2, 9, 2, 9, 9]]", 2, 3, 3));
    // a thin sliver between pixel centres covers nothing
    assertArrayEquals(new byte[9], draw("[[0, 0.6, 3, 0.6, 3, 1.4, 0, 1.4]]", 3, 3, 3));
  }

  @Test
  void uncompressedRleRunsDownColumns() throws Exception {
    // w 2, h 3: runs 1 background, 3 foreground, 2 background over the column-major order
    // (0,0) (0,1) (0,2) (1,0) (1,1) (1,2)
    assertArrayEquals(
        grid("04", "40", "40"), draw("{\"counts\": [1, 3, 2], \"size\": [3, 2]}", 4, 2, 3));
    assertArrayEquals(
        grid("55", "55", "55"), draw("{\"counts\": [0, 6], \"size\": [3, 2]}", 5, 2, 3));
  }

  @Test
  void malformedSegmentationSaysWhatIsWrong() {
    String[][] cases = {
      {"[[1, 2, 3, 4]]", "segmentation polygon 0 is not x, y pairs of at least 3 points"},
      {"[[1, 2, 3, 4, 5]]", "segmentation polygon 0 is not x, y pairs"},
      {"[[1, 2, 3, \"a\", 5, 6]]", "non-numeric or non-finite value \"a\""},
      {"{\"counts\": \"PPYo1\", \"size\": [3, 2]}", "compressed RLE (counts is a string)"},
      {"{\"counts\": [1, 3], \"size\": [3, 2]}", "cover 4 of the image's 6 pixels"},
      {"{\"counts\": [1, 9], \"size\": [3, 2]}", "run past the image's 6 pixels"},
      {"{\"counts\": [1, -1, 6], \"size\": [3, 2]}", "count 1 is -1"},
      {
        "{\"counts\": [6], \"size\": [2, 3]}",
        "size [2,3] is not the image's [height, width] [3, 2]"
      },
      {"{\"counts\": [6]}", "needs counts (a list of run lengths) and size [height, width]"},
      {"7", "must be a list of polygons or an RLE object"},
    };
    for (String[] c : cases) {
      BadAnnotationException e =
          assertThrows(BadAnnotationException.class, () -> draw(c[0], 1, 2, 3), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
    }
  }

  private static String coco(String annotations, String image) {
    return "{\"images\": ["
        + image
        + "], \"categories\": [{\"id\": 0, \"name\": \"_background_\"},"
        + " {\"id\": 1, \"name\": \"cat\"}, {\"id\": 2, \"name\": \"dog\"}],"
        + " \"annotations\": ["
        + annotations
        + "]}";
  }

  private static final String IMAGE =
      "{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": 4, \"height\": 3}";
  private static final List<String> CLASSES = List.of("_background_", "cat", "dog");

  private static ImageAnnotation one(String annotations, String image) {
    List<ImageAnnotation> a =
        AnnotationFiles.coco(
            coco(annotations, image).getBytes(StandardCharsets.UTF_8), "c.json", CLASSES, true);
    assertEquals(1, a.size());
    return a.get(0);
  }

  @Test
  void cocoAnnotationsPaintTheirClassIdsTheLaterWinning() throws Exception {
    ImageAnnotation a =
        one(
            "{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 3, 3],"
                + " \"segmentation\": [[0, 0, 3, 0, 3, 3, 0, 3]]},"
                + " {\"id\": 2, \"image_id\": 1, \"category_id\": 2, \"iscrowd\": 1,"
                + " \"segmentation\": {\"counts\": [6, 6], \"size\": [3, 4]}},"
                + " {\"id\": 3, \"image_id\": 1, \"category_id\": 1, \"segmentation\": []}",
            IMAGE);
    assertNull(a.error(), a.error());
    Targets t = a.fit(4, 3);
    // dog (2, later) covers columns 2 and 3 over cat (1) in column 2
    assertArrayEquals(grid("1122", "1122", "1122"), LabelMasks.decode(t.maskFile(), 4, 3));
    assertEquals(1, t.boxCount(), "an annotation without a bbox adds no box");
    // without segmentation_masks nothing is drawn
    assertNull(
        AnnotationFiles.coco(coco("", IMAGE).getBytes(StandardCharsets.UTF_8), "c", CLASSES)
            .get(0)
            .targets()
            .maskFile());
    // an image without annotations gets an all-background mask
    assertArrayEquals(new byte[12], LabelMasks.decode(one("", IMAGE).fit(4, 3).maskFile(), 4, 3));
  }

  @Test
  void cocoSegmentationProblemsRejectTheImage() {
    String poly = "\"segmentation\": [[0, 0, 3, 0, 3, 3]]";
    String[][] cases = {
      {
        "{\"id\": 5, \"image_id\": 1, \"category_id\": 0, " + poly + "}",
        IMAGE,
        "annotation id 5 has class \"_background_\", class id 0; a mask value must be 1 .. 255"
      },
      {
        "{\"id\": 6, \"image_id\": 1, \"category_id\": 1, \"segmentation\": [[0, 0]]}",
        IMAGE,
        "annotation id 6 segmentation polygon 0 is not x, y pairs"
      },
      {
        "{\"id\": 7, \"image_id\": 1, \"category_id\": 1, " + poly + "}",
        "{\"id\": 1, \"file_name\": \"a.jpg\"}",
        "segmentation masks need the image's width and height"
      },
    };
    for (String[] c : cases) {
      ImageAnnotation a = one(c[0], c[1]);
      assertTrue(a.error() != null && a.error().contains(c[2]), a.error());
      assertEquals("a", a.stem());
    }
    ImageAnnotation unknown =
        AnnotationFiles.coco(
                coco("{\"id\": 8, \"image_id\": 1, \"category_id\": 2, " + poly + "}", IMAGE)
                    .getBytes(StandardCharsets.UTF_8),
                "c.json",
                List.of("_background_", "cat"),
                true)
            .get(0);
    assertTrue(unknown.error().contains("not in input.annotations.classes"), unknown.error());
    IllegalArgumentException voc =
        assertThrows(
            IllegalArgumentException.class,
            () -> AnnotationFiles.parse("voc", new byte[0], "a.xml", CLASSES, true));
    assertTrue(voc.getMessage().contains("from COCO files only, not voc"), voc.getMessage());
  }

  @TempDir Path tmp;

  @Test
  void realCocoPolygonsMatchNumpyAndLabelmesMasks() throws Exception {
    List<String> classes = Files.readAllLines(VOC.resolve("class_names.txt"));
    List<ImageAnnotation> parsed =
        AnnotationFiles.coco(
            Files.readAllBytes(VOC.resolve("coco-annotations.json")), "c.json", classes, true);
    assertEquals(3, parsed.size());
    Peers.require(
        new java.io.File("/usr/bin/python3").canExecute(), "/usr/bin/python3 with numpy needed");
    // the independent reference: PNPOLY at every pixel centre, annotations in file order
    String script =
        """
        import json, sys, numpy as np
        d = json.load(open(sys.argv[1]))
        for im in d['images']:
            w, h = im['width'], im['height']
            m = np.zeros((h, w), np.uint8)
            xc, yc = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
            for a in d['annotations']:
                if a['image_id'] != im['id']:
                    continue
                for poly in a['segmentation']:
                    p = np.array(poly, float).reshape(-1, 2)
                    inside = np.zeros((h, w), bool)
                    for i in range(len(p)):
                        (xi, yi), (xj, yj) = p[i], p[i - 1]
                        if yi == yj:
                            continue
                        hit = ((yi > yc) != (yj > yc)) & (xc < (xj - xi) * (yc - yi) / (yj - yi) + xi)
                        inside ^= hit
                    m[inside] = a['category_id']
            m.tofile(sys.argv[2] + '/' + im['file_name'].split('/')[-1] + '.raw')
        """;
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-c",
                script,
                VOC.resolve("coco-annotations.json").toString(),
                tmp.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), log);
    for (ImageAnnotation a : parsed) {
      assertNull(a.error(), a.error());
      int w = a.width();
      int h = a.height();
      byte[] ours = LabelMasks.decode(a.fit(w, h).maskFile(), w, h);
      byte[] numpy = Files.readAllBytes(tmp.resolve(a.stem() + ".jpg.raw"));
      assertArrayEquals(numpy, ours, a.stem());
      // labelme drew its class PNGs from the same polygons (PIL, outline included, so a pixel
      // wider) plus regions marked 255 (ignore) that the COCO file leaves out: outside those the
      // masks agree but for a thin border
      byte[] labelme =
          LabelMasks.decode(
              Files.readAllBytes(VOC.resolve("SegmentationClassPNG/" + a.stem() + ".png")), w, h);
      int fg = 0;
      int differ = 0;
      for (int i = 0; i < ours.length; i++) {
        if (labelme[i] == (byte) 255) {
          continue;
        }
        fg += ours[i] != 0 || labelme[i] != 0 ? 1 : 0;
        differ += ours[i] != labelme[i] ? 1 : 0;
      }
      assertTrue(fg > 5000, a.stem() + " has objects: " + fg);
      assertTrue(differ < 0.03 * fg, a.stem() + ": " + differ + " of " + fg + " differ");
    }
  }
}
