package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.image.AugmentSpec;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

class FuseImagesTest {
  private static final PreprocessSpec PRE = new PreprocessSpec(64, 48, 48);
  private static final AugmentSpec AUG =
      new AugmentSpec(0.5, 0.5, 15, 0.5, 0.08, 1, 3.0 / 4, 4.0 / 3);

  private static Sample sample(String id, String file, Split split, int copies) throws Exception {
    byte[] b = Files.readAllBytes(Path.of("../sample-data/photos/" + file));
    return Sample.builder()
        .id(id)
        .group("g-" + id)
        .labels(List.of("fish"))
        .split(split)
        .payloadHash("hash-" + id)
        .copyCount(copies)
        .payload(ImagePayload.encoded(b, "jpeg", 0, 0, 3, 1))
        .build();
  }

  private static Set<String> idsAndKinds(Iterable<Sample> rows) {
    Set<String> out = new TreeSet<>();
    for (Sample s : rows) {
      out.add(s.id() + "|" + s.derivedKind() + "|" + s.copyIndex() + "|" + s.split().folder());
      ImagePayload p = s.image();
      assertTrue(p.isRaw(), s.toString());
      assertEquals(48 * 48 * 3, p.bytes().length, s.toString());
      assertEquals("hash-" + s.sourceIds().get(0), s.payloadHash());
      assertEquals("g-" + s.sourceIds().get(0), s.group());
      assertEquals("preprocess", s.applied().ops().get(0).op());
    }
    return out;
  }

  private static PCollectionTuple run(TestPipeline p, FuseImages fuse, List<Sample> in) {
    return p.apply(Create.of(in).withCoder(SampleCoder.of())).apply("Fuse", fuse);
  }

  @Test
  void trainGetsOriginalPlusCopiesValGetsOriginalCorruptIsRejected() throws Exception {
    Sample train = sample("fish.jpg", "HappyFish.jpg", Split.TRAIN, 2);
    Sample val = sample("home.jpg", "home.jpg", Split.VAL, 2);
    byte[] half = java.util.Arrays.copyOf(train.image().bytes(), 3000);
    Sample bad =
        train.toBuilder()
            .id("bad.jpg")
            .sourceIds(List.of("bad.jpg"))
            .payload(ImagePayload.encoded(half, "jpeg", 0, 0, 3, 1))
            .build();
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out =
        run(p, FuseImages.of(PRE, AUG, 7, 50_000_000L), List.of(train, val, bad));
    PAssert.that(out.get(FuseImages.OK))
        .satisfies(
            rows -> {
              assertEquals(
                  Set.of(
                      "fish.jpg|null|-1|train",
                      "fish.jpg#aug0|augmented|0|train",
                      "fish.jpg#aug1|augmented|1|train",
                      "home.jpg|null|-1|val"),
                  idsAndKinds(rows));
              for (Sample s : rows) {
                if (s.isDerived()) {
                  assertEquals(List.of("fish.jpg"), s.sourceIds());
                  assertEquals(List.of("fish"), s.labels());
                }
              }
              return null;
            });
    PAssert.that(out.get(FuseImages.REJECTED))
        .containsInAnyOrder(
            new Rejected(
                "bad.jpg",
                "bad.jpg",
                false,
                "fuse",
                "truncated",
                "JPEG does not end with the EOI marker FFD9"));
    p.run().waitUntilFinish();
  }

  @Test
  void withIncludeOriginalFalseAndCopyOffsetChangeTheRows() throws Exception {
    Sample train = sample("fish.jpg", "HappyFish.jpg", Split.TRAIN, 2);
    Sample test = sample("home.jpg", "home.jpg", Split.TEST, 3);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out =
        run(
            p,
            FuseImages.of(PRE, AUG, 7, 50_000_000L).withIncludeOriginal(false).withCopyOffset(3),
            List.of(train, test));
    PAssert.that(out.get(FuseImages.OK))
        .satisfies(
            rows -> {
              assertEquals(
                  Set.of(
                      "fish.jpg#aug3|augmented|3|train",
                      "fish.jpg#aug4|augmented|4|train",
                      "home.jpg|null|-1|test"),
                  idsAndKinds(rows));
              return null;
            });
    PAssert.that(out.get(FuseImages.REJECTED)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void tooLargeImagesAreRejectedBeforeDecoding() throws Exception {
    Sample train = sample("fish.jpg", "HappyFish.jpg", Split.TRAIN, 1);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out = run(p, FuseImages.of(PRE, AUG, 7, 1000L), List.of(train));
    PAssert.that(out.get(FuseImages.OK)).empty();
    PAssert.that(out.get(FuseImages.REJECTED))
        .satisfies(
            rs -> {
              List<String> reasons = new ArrayList<>();
              rs.forEach(r -> reasons.add(r.stage() + "/" + r.reason()));
              assertEquals(List.of("fuse/too_large"), reasons);
              return null;
            });
    p.run().waitUntilFinish();
  }
}
