package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.schemas.Targets;
import dev.shardsmith.transforms.kernels.annotation.AnnotationFiles;
import dev.shardsmith.transforms.kernels.image.Affine;
import dev.shardsmith.transforms.kernels.image.AugmentSpec;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
import dev.shardsmith.transforms.kernels.image.TargetWarp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

/**
 * Left/right keypoints trade places on a mirroring row: {@code sample-data/voc/coco-keypoints.json}
 * (the real COCO file with keypoints {@code nose, left_eye, right_eye, left_wrist, right_wrist}
 * added to the two people of 2011_000003, the second one's right wrist unlabelled), read by the
 * COCO reader, flipped by {@link FuseImages}.
 */
class KeypointFlipPairsTest {
  private static final Path VOC = Path.of("../sample-data/voc");
  private static final int W = 500;
  private static final int H = 338;
  private static final List<List<String>> PAIRS =
      List.of(List.of("left_eye", "right_eye"), List.of("left_wrist", "right_wrist"));

  static Targets keypointTargets() throws Exception {
    List<String> classes = Files.readAllLines(VOC.resolve("class_names.txt"));
    return AnnotationFiles.coco(
            Files.readAllBytes(VOC.resolve("coco-keypoints.json")), "c.json", classes)
        .stream()
        .filter(a -> a.stem().equals("2011_000003"))
        .findFirst()
        .orElseThrow()
        .fit(W, H);
  }

  @Test
  void mirrorsIsTheSignOfTheDeterminant() {
    Affine hflip = Affine.hflip(W);
    Affine vflip = Affine.vflip(H);
    Affine rot90 = Affine.rotateDegrees(90, W / 2.0, H / 2.0);
    assertTrue(hflip.mirrors());
    assertTrue(vflip.mirrors());
    assertFalse(hflip.then(vflip).mirrors(), "two flips are a 180 degree rotation");
    assertFalse(hflip.then(hflip).mirrors());
    assertFalse(rot90.mirrors());
    assertTrue(rot90.then(hflip).mirrors(), "a transpose");
    assertTrue(Affine.scale(0.5, 0.5).then(hflip).then(Affine.shearDegrees(10, 0, 0, 0)).mirrors());
    assertFalse(Affine.identity().mirrors());
  }

  @Test
  void swapKeepsNamesInPlaceAndTradesValuesWithinEachInstance() {
    // two instances (a name repeats: the second begins) and a lone left wrist in the second
    String[] names = {"nose", "left_eye", "right_eye", "left_wrist", "nose", "left_eye"};
    String[] before = names.clone();
    float[] kp = new float[3 * names.length];
    for (int i = 0; i < kp.length; i++) {
      kp[i] = i;
    }
    float[] original = kp.clone();
    Map<String, String> partners = TargetWarp.flipPartners(PAIRS);
    TargetWarp.swapMirrored(kp, names, partners);
    // instance 1: left_eye (1) <-> right_eye (2); left_wrist (3) has no partner: renamed
    assertArrayEquals(
        new String[] {"nose", "left_eye", "right_eye", "right_wrist", "nose", "right_eye"}, names);
    assertArrayEquals(slice(original, 0), slice(kp, 0));
    assertArrayEquals(slice(original, 2), slice(kp, 1));
    assertArrayEquals(slice(original, 1), slice(kp, 2));
    assertArrayEquals(slice(original, 3), slice(kp, 3));
    assertArrayEquals(slice(original, 5), slice(kp, 5));
    TargetWarp.swapMirrored(kp, names, partners);
    assertArrayEquals(before, names);
    assertArrayEquals(original, kp);
  }

  private static float[] slice(float[] kp, int i) {
    return new float[] {kp[3 * i], kp[3 * i + 1], kp[3 * i + 2]};
  }

  @Test
  void badPairsAreRefusedWithTheirValue() {
    IllegalArgumentException same =
        assertThrows(
            IllegalArgumentException.class,
            () -> TargetWarp.flipPartners(List.of(List.of("left_eye", "left_eye"))));
    assertTrue(same.getMessage().contains("[left_eye, left_eye]"), same.getMessage());
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TargetWarp.flipPartners(
                    List.of(List.of("left_eye", "right_eye"), List.of("right_eye", "eye"))));
    assertTrue(twice.getMessage().contains("\"right_eye\" is in two flip pairs"));
    assertThrows(
        IllegalArgumentException.class,
        () -> TargetWarp.flipPartners(List.of(List.of("left_eye"))));
    FuseImages f = FuseImages.of(PreprocessSpec.KEEP, null, 1, 50_000_000L);
    assertThrows(
        IllegalArgumentException.class, () -> f.withKeypointFlipPairs(List.of(List.of("a", ""))));
  }

  @Test
  void aFlippedCopyTradesLeftAndRightOnlyWithPairs() throws Exception {
    Targets src = keypointTargets();
    assertEquals(10, src.keypointCount());
    List<String> names = List.of(src.keypointNames());
    float[] s = src.keypoints();
    AugmentSpec flipOnly = new AugmentSpec(1.0, 0, 0, 0, 0.3, 1, 0.75, 1.33);
    for (boolean withPairs : new boolean[] {true, false}) {
      TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
      FuseImages fuse = FuseImages.of(PreprocessSpec.KEEP, flipOnly, 5, 50_000_000L);
      if (withPairs) {
        fuse = fuse.withKeypointFlipPairs(PAIRS);
      }
      PCollectionTuple out =
          p.apply(Create.of(List.of(sample(src, 2))).withCoder(SampleCoder.of())).apply(fuse);
      PAssert.that(out.get(FuseImages.OK))
          .satisfies(
              rows -> {
                List<String> seen = new ArrayList<>();
                for (Sample row : rows) {
                  Targets t = row.image().targets();
                  seen.add(row.id());
                  float[] k = t.keypoints();
                  if (!row.isDerived()) {
                    assertArrayEquals(s, k, row.id());
                    assertEquals(names, List.of(t.keypointNames()));
                    continue;
                  }
                  for (int i = 0; i < t.keypointCount(); i++) {
                    String name = t.keypointNames()[i];
                    // with pairs the value at left_eye is the mirrored right eye, and so on
                    int from = i;
                    if (withPairs && !name.equals("nose")) {
                      String partner = TargetWarp.flipPartners(PAIRS).get(name);
                      int base = i < 5 ? 0 : 5;
                      from = base + names.subList(base, base + 5).indexOf(partner);
                    }
                    assertEquals(W - s[3 * from], k[3 * i], 1e-4, row.id() + " " + name);
                    assertEquals(s[3 * from + 1], k[3 * i + 1], 1e-4, row.id() + " " + name);
                    assertEquals(s[3 * from + 2], k[3 * i + 2], row.id() + " " + name);
                  }
                  // names stay in COCO's order, so index i is the same keypoint in every row
                  assertEquals(names, List.of(t.keypointNames()));
                  // the second person's unlabelled right wrist (v 0) moved to its left wrist
                  assertEquals(withPairs ? 0f : 2f, k[3 * 8 + 2]);
                }
                assertEquals(3, seen.size(), seen.toString());
                return null;
              });
      p.run().waitUntilFinish();
    }
  }

  private static Sample sample(Targets t, int copies) throws Exception {
    byte[] b = Files.readAllBytes(VOC.resolve("JPEGImages/2011_000003.jpg"));
    return Sample.builder()
        .id("2011_000003.jpg")
        .group("g")
        .labels(List.of("scene"))
        .split(Split.TRAIN)
        .payloadHash("h")
        .copyCount(copies)
        .payload(ImagePayload.encoded(b, "jpeg", W, H, 3, 1).withTargets(t))
        .build();
  }
}
