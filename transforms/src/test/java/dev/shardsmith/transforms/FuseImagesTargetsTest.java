package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.schemas.Targets;
import dev.shardsmith.transforms.kernels.annotation.AnnotationFiles;
import dev.shardsmith.transforms.kernels.annotation.LabelMasks;
import dev.shardsmith.transforms.kernels.image.AugmentSpec;
import dev.shardsmith.transforms.kernels.image.ImageFusion;
import dev.shardsmith.transforms.kernels.image.ImageHeader;
import dev.shardsmith.transforms.kernels.image.ImageHeaders;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
import dev.shardsmith.transforms.kernels.image.TargetWarp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

/** Boxes and masks of a real VOC photo follow every rendered row, and replay from the record. */
class FuseImagesTargetsTest {
  private static final Path VOC = Path.of("../sample-data/voc");
  private static final PreprocessSpec PRE = new PreprocessSpec(128, 112, 112);
  private static final AugmentSpec AUG = new AugmentSpec(0.5, 0.7, 30, 0.7, 0.3, 1, 0.75, 1.33);

  private static byte[] jpeg() throws Exception {
    return Files.readAllBytes(VOC.resolve("JPEGImages/2011_000003.jpg"));
  }

  private static Targets targets() throws Exception {
    List<String> classes = Files.readAllLines(VOC.resolve("class_names.txt"));
    // the COCO boxes bound the same polygons the mask was drawn from
    Targets t =
        AnnotationFiles.coco(
                Files.readAllBytes(VOC.resolve("coco-annotations.json")), "c.json", classes)
            .stream()
            .filter(a -> a.stem().equals("2011_000003"))
            .findFirst()
            .orElseThrow()
            .fit(500, 338);
    return t.withMaskFile(Files.readAllBytes(VOC.resolve("SegmentationClassPNG/2011_000003.png")));
  }

  private static Sample sample(int copies) throws Exception {
    byte[] b = jpeg();
    return Sample.builder()
        .id("2011_000003.jpg")
        .group("g")
        .labels(List.of("scene"))
        .split(Split.TRAIN)
        .payloadHash("h")
        .copyCount(copies)
        .payload(ImagePayload.encoded(b, "jpeg", 500, 338, 3, 1).withTargets(targets()))
        .build();
  }

  @Test
  void targetsFollowEveryRowAndReplayFromTheRecord() throws Exception {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out =
        p.apply(Create.of(List.of(sample(6))).withCoder(SampleCoder.of()))
            .apply(FuseImages.of(PRE, AUG, 11, 50_000_000L).withMinVisibility(0.25));
    PAssert.that(out.get(FuseImages.OK))
        .satisfies(
            rows -> {
              try {
                byte[] bytes = jpeg();
                ImageHeader h = ImageHeaders.read(bytes, 50_000_000L);
                Targets src = targets();
                byte[] mask = LabelMasks.decode(src.maskFile(), 500, 338);
                int n = 0;
                for (Sample s : rows) {
                  n++;
                  Targets got = s.image().targets();
                  // replay: the stored record alone rebuilds the row's targets
                  Targets again =
                      TargetWarp.apply(
                          src,
                          mask,
                          500,
                          338,
                          ImageFusion.geometry(h, PRE, s.applied()),
                          112,
                          112,
                          0.25);
                  assertEquals(again, got, s.id());
                  assertEquals(112 * 112, got.mask().length);
                  // the mask's person pixels lie inside the person boxes (alignment); boxes
                  // that min_visibility dropped still count here
                  Targets all =
                      TargetWarp.apply(
                          src,
                          null,
                          500,
                          338,
                          ImageFusion.geometry(h, PRE, s.applied()),
                          112,
                          112,
                          0.0);
                  int person = 0;
                  int inside = 0;
                  for (int y = 0; y < 112; y++) {
                    for (int x = 0; x < 112; x++) {
                      if (got.mask()[y * 112 + x] == 15) {
                        person++;
                        inside += inAnyBox(all.boxes(), x + 0.5, y + 0.5) ? 1 : 0;
                      }
                    }
                  }
                  assertTrue(
                      person == 0 || inside >= 0.97 * person,
                      s.id() + ": " + inside + "/" + person);
                  if (!s.isDerived()) {
                    // 500x338 resized to 189x128, centre crop 112x112: x - 38, y - 8, clipped
                    float[] want = new float[src.boxes().length];
                    for (int i = 0; i < want.length; i++) {
                      double v =
                          i % 2 == 0
                              ? src.boxes()[i] * 189 / 500 - 38
                              : src.boxes()[i] * 128 / 338 - 8;
                      want[i] = (float) Math.min(112, Math.max(0, v));
                    }
                    assertArrayEquals(want, all.boxes(), 1e-3f);
                    // the right person keeps 11.8 of its 51.1 px width: 23 % < 0.25, dropped
                    assertArrayEquals(new String[] {"person", "bottle"}, got.boxLabels());
                  }
                }
                assertEquals(7, n);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
              return null;
            });
    p.run().waitUntilFinish();
  }

  private static boolean inAnyBox(float[] b, double x, double y) {
    for (int i = 0; i < b.length / 4; i++) {
      if (x >= b[4 * i] && x <= b[4 * i + 2] && y >= b[4 * i + 1] && y <= b[4 * i + 3]) {
        return true;
      }
    }
    return false;
  }

  @Test
  void minVisibilityChangesTheOutputAndIsChecked() throws Exception {
    // a crop-heavy copy: with min_visibility 1 only wholly visible boxes survive
    assertThrows(
        IllegalArgumentException.class,
        () -> FuseImages.of(PRE, AUG, 11, 50_000_000L).withMinVisibility(1.5));
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple strict =
        p.apply("In", Create.of(List.of(sample(6))).withCoder(SampleCoder.of()))
            .apply("Strict", FuseImages.of(PRE, AUG, 11, 50_000_000L).withMinVisibility(1.0));
    PCollectionTuple loose =
        p.apply("In2", Create.of(List.of(sample(6))).withCoder(SampleCoder.of()))
            .apply("Loose", FuseImages.of(PRE, AUG, 11, 50_000_000L).withMinVisibility(0.0));
    // per copy: strict keeps only wholly visible boxes, each of them also kept by loose
    PAssert.that(strict.get(FuseImages.OK))
        .satisfies(
            rows -> {
              int boxes = 0;
              for (Sample s : rows) {
                boxes += s.image().targets().boxCount();
              }
              assertTrue(boxes < 7 * 3, "some boxes are cut by crops and dropped: " + boxes);
              STRICT_BOXES.set(boxes);
              return null;
            });
    PAssert.that(loose.get(FuseImages.OK))
        .satisfies(
            rows -> {
              int boxes = 0;
              for (Sample s : rows) {
                boxes += s.image().targets().boxCount();
              }
              LOOSE_BOXES.set(boxes);
              return null;
            });
    p.run().waitUntilFinish();
    assertTrue(
        STRICT_BOXES.get() < LOOSE_BOXES.get(),
        "strict " + STRICT_BOXES.get() + " vs loose " + LOOSE_BOXES.get());
  }

  private static final java.util.concurrent.atomic.AtomicInteger STRICT_BOXES =
      new java.util.concurrent.atomic.AtomicInteger(-1);
  private static final java.util.concurrent.atomic.AtomicInteger LOOSE_BOXES =
      new java.util.concurrent.atomic.AtomicInteger(-1);

  @Test
  void aBadMaskRejectsTheSample() throws Exception {
    Sample s = sample(1);
    Sample bad =
        s.toBuilder()
            .payload(s.image().withTargets(s.image().targets().withMaskFile(jpeg())))
            .build();
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out =
        p.apply(Create.of(List.of(bad)).withCoder(SampleCoder.of()))
            .apply(FuseImages.of(PRE, AUG, 11, 50_000_000L));
    PAssert.that(out.get(FuseImages.OK)).empty();
    PAssert.that(out.get(FuseImages.REJECTED))
        .satisfies(
            r -> {
              Rejected one = r.iterator().next();
              assertEquals("annotation", one.reason());
              assertTrue(one.detail().contains("8-bit grayscale or palette"), one.detail());
              return null;
            });
    p.run().waitUntilFinish();
  }
}
