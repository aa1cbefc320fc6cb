package dev.shardsmith.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** input.annotations, input.masks and augment.min_visibility, against the real sample-data/voc. */
class TargetsConfigTest {
  private static final Path VOC = Path.of("../sample-data/voc").toAbsolutePath().normalize();
  private static final String HEAD = "name: t\ninput: {manifest: images.csv";

  private static RunConfig parse(String yaml) throws Exception {
    return RunConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml), VOC);
  }

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void withoutTargetsNothingChanges() throws Exception {
    RunConfig c = parse(HEAD + "}\n");
    assertFalse(c.targets().any());
    assertEquals(0.3, c.targets().minVisibility());
    assertFalse(c.effective().toString().contains("min_visibility"));
  }

  @Test
  void vocWithClassesFileAndMasks() throws Exception {
    RunConfig c =
        parse(
            HEAD
                + ", annotations: {format: voc, path: Annotations, classes_file: class_names.txt},"
                + " masks: SegmentationClassPNG}\naugment: {min_visibility: 0.5}\n");
    TargetsConfig t = c.targets();
    assertEquals("voc", t.format());
    assertEquals(VOC.resolve("Annotations"), t.path());
    assertEquals(21, t.classes().size());
    assertEquals("person", t.classes().get(15));
    assertEquals(VOC.resolve("SegmentationClassPNG"), t.masks());
    assertEquals(0.5, t.minVisibility());
    // the settings are part of the run's identity, the paths are not
    RunConfig other =
        parse(
            HEAD
                + ", annotations: {format: voc, path: Annotations, classes_file: class_names.txt},"
                + " masks: SegmentationClassPNG}\naugment: {min_visibility: 0.4}\n");
    assertNotEquals(c.sha256(), other.sha256());
    assertTrue(c.effective().toString().contains("annotations={format=voc"));
    assertFalse(c.effective().toString().contains("SegmentationClassPNG"));
  }

  @Test
  void cocoNeedsAFileAndClassesListWorks() throws Exception {
    RunConfig c =
        parse(
            HEAD
                + ", annotations: {format: coco, path: coco-annotations.json,"
                + " classes: [person, bottle]}}\n");
    assertEquals(List.of("person", "bottle"), c.targets().classes());
    assertNull(c.targets().masks());
    assertTrue(
        error(HEAD + ", annotations: {format: coco, path: Annotations, classes: [a]}}\n")
            .contains("input.annotations.path = \"Annotations\" must be a COCO .json file"));
  }

  @Test
  void badTargetKeysNameTheKeyAndWhatIsAllowed() {
    assertTrue(
        error(HEAD + ", annotations: {format: yolo, path: Annotations, classes: [a]}}\n")
            .contains("input.annotations.format = yolo is not allowed: use one of voc, coco,"));
    assertTrue(
        error(HEAD + ", annotations: {format: voc, path: nowhere, classes: [a]}}\n")
            .contains("does not exist"));
    assertTrue(
        error(HEAD + ", annotations: {format: voc, path: Annotations}}\n")
            .contains("needs exactly one of classes"));
    assertTrue(
        error(HEAD + ", annotations: {format: voc, path: Annotations, classes: [a, a]}}\n")
            .contains("lists a class twice"));
    assertTrue(
        error(
                HEAD
                    + ", annotations: {format: voc, path: Annotations, classes: [a],"
                    + " clases: [b]}}\n")
            .contains("input.annotations.clases"));
    assertTrue(error(HEAD + ", masks: nomasks}\n").contains("input.masks = \"nomasks\" is not a"));
    assertTrue(
        error(HEAD + "}\naugment: {min_visibility: 1.5}\n").contains("augment.min_visibility"));
  }

  private static final String COCO =
      HEAD
          + ", annotations: {format: coco, path: coco-annotations.json, classes_file: class_names.txt";

  @Test
  void keypointFlipPairsAreReadCheckedAndPartOfTheHash() throws Exception {
    RunConfig plain = parse(COCO + "}}\n");
    assertEquals(List.of(), plain.targets().keypointFlipPairs());
    assertFalse(plain.effective().toString().contains("keypoint_flip_pairs"));
    RunConfig c =
        parse(
            COCO + ", keypoint_flip_pairs: [[left_eye, right_eye], [left_wrist, right_wrist]]}}\n");
    assertEquals(
        List.of(List.of("left_eye", "right_eye"), List.of("left_wrist", "right_wrist")),
        c.targets().keypointFlipPairs());
    assertNotEquals(plain.sha256(), c.sha256());
    assertTrue(c.effective().toString().contains("keypoint_flip_pairs=[[left_eye, right_eye]"));
    String bad = error(COCO + ", keypoint_flip_pairs: [[left_eye, right_eye, nose]]}}\n");
    assertTrue(
        bad.contains(
            "input.annotations.keypoint_flip_pairs[0] = [\"left_eye\",\"right_eye\",\"nose\"]:"
                + " must be a list of lists of 2 strings"),
        bad);
    assertTrue(
        error(COCO + ", keypoint_flip_pairs: 3}}\n")
            .contains("input.annotations.keypoint_flip_pairs = 3 must be a list of lists of 2"));
    assertTrue(
        error(COCO + ", keypoint_flip_pairs: [left_eye, right_eye]}}\n")
            .contains("keypoint_flip_pairs[0] = \"left_eye\": must be a list of lists of 2"));
    String twice =
        error(COCO + ", keypoint_flip_pairs: [[left_eye, right_eye], [left_eye, nose]]}}\n");
    assertTrue(twice.contains("keypoint \"left_eye\" is in two flip pairs"), twice);
    assertTrue(
        error(COCO + ", keypoint_flip_pairs: [[eye, eye]]}}\n")
            .contains("two distinct, non-empty keypoint names, but was [eye, eye]"));
  }

  @Test
  void segmentationMasksNeedCocoAndNoMaskFolder() throws Exception {
    assertFalse(parse(COCO + "}}\n").targets().segmentationMasks());
    RunConfig c = parse(COCO + ", segmentation_masks: true}}\n");
    assertTrue(c.targets().segmentationMasks());
    assertTrue(c.effective().toString().contains("segmentation_masks=true"));
    assertNotEquals(parse(COCO + "}}\n").sha256(), c.sha256());
    String voc =
        error(
            HEAD
                + ", annotations: {format: voc, path: Annotations, classes_file: class_names.txt,"
                + " segmentation_masks: true}}\n");
    assertTrue(voc.contains("input.annotations.segmentation_masks = true needs format coco"), voc);
    String both = error(COCO + ", segmentation_masks: true}, masks: SegmentationClassPNG}\n");
    assertTrue(both.contains("input.masks gives mask files too: use one or the other"), both);
    assertTrue(
        error(COCO + ", segmentation_masks: yes please}}\n")
            .contains("input.annotations.segmentation_masks"));
  }
}
