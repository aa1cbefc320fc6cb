package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.schemas.TextPayload;
import dev.shardsmith.transforms.kernels.text.Protection;
import dev.shardsmith.transforms.kernels.text.RandomDeletion;
import dev.shardsmith.transforms.kernels.text.RandomSwap;
import dev.shardsmith.transforms.kernels.text.SynonymReplacement;
import dev.shardsmith.transforms.kernels.text.TextAugmentSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

class AugmentTextTest {
  private static final TextAugmentSpec SPEC =
      TextAugmentSpec.of(
          List.of(new SynonymReplacement(1, 0.2, 3), new RandomSwap(0.5, 0.1)), Protection.DEFAULT);

  private static Sample text(String id, String s, Split split, int copies) {
    return Sample.builder()
        .id(id)
        .group("g-" + id)
        .labels(List.of("computers"))
        .split(split)
        .fold(split == Split.TRAIN ? 1 : Sample.NO_FOLD)
        .payloadHash("hash-" + id)
        .copyCount(copies)
        .payload(new TextPayload(s))
        .build();
  }

  private static final Sample TRAIN =
      text("c/1", "Computers are useless. They can only give you answers.", Split.TRAIN, 2);
  private static final Sample VAL =
      text("c/2", "Never trust a computer you cannot throw out a window.", Split.VAL, 2);

  private static PCollectionTuple run(TestPipeline p, AugmentText t, List<Sample> in) {
    return p.apply(Create.of(in).withCoder(SampleCoder.of())).apply("AugmentText", t);
  }

  private static Set<String> rows(Iterable<Sample> out) {
    Set<String> s = new TreeSet<>();
    for (Sample x : out) {
      s.add(x.id() + "|" + x.derivedKind() + "|" + x.copyIndex() + "|" + x.split().folder());
      String src = x.sourceIds().get(0);
      assertEquals("g-" + src, x.group());
      assertEquals("hash-" + src, x.payloadHash());
      assertEquals(List.of("computers"), x.labels());
      if (x.isDerived()) {
        assertEquals(1, x.fold());
        assertEquals(0, x.copyCount());
        assertEquals(Applied.VERSION, x.applied().version());
        Sample expected = x.id().startsWith("c/1") ? TRAIN : VAL;
        String want =
            SPEC.augment(((TextPayload) expected.payload()).text(), 7, src, x.copyIndex()).text();
        assertEquals(want, ((TextPayload) x.payload()).text(), x.toString());
        assertTrue(!x.applied().ops().isEmpty(), "a copy records its edits: " + x);
      }
    }
    return s;
  }

  @Test
  void trainGetsCopiesValDoesNotAndCopiesAreTheKernelsOutput() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out = run(p, AugmentText.of(SPEC, 7).withCopyOffset(3), List.of(TRAIN, VAL));
    PAssert.that(out.get(AugmentText.OK))
        .satisfies(
            rows -> {
              assertEquals(
                  Set.of(
                      "c/1|null|-1|train",
                      "c/1#aug3|augmented|3|train",
                      "c/1#aug4|augmented|4|train",
                      "c/2|null|-1|val"),
                  rows(rows));
              return null;
            });
    PAssert.that(out.get(AugmentText.COUNTS)).empty();
    PAssert.that(out.get(AugmentText.REJECTED)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void withoutOriginalsTrainKeepsOnlyCopies() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out =
        run(p, AugmentText.of(SPEC, 7).withIncludeOriginal(false), List.of(TRAIN, VAL));
    PAssert.that(out.get(AugmentText.OK))
        .satisfies(
            rows -> {
              assertEquals(
                  Set.of(
                      "c/1#aug0|augmented|0|train",
                      "c/1#aug1|augmented|1|train",
                      "c/2|null|-1|val"),
                  rows(rows));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void nearEmptyCopiesAreDroppedAndCounted() {
    TextAugmentSpec delete =
        TextAugmentSpec.of(List.of(new RandomDeletion(1, 0.9)), Protection.DEFAULT);
    Sample shortText = text("s/1", "Bah, humbug!", Split.TRAIN, 3);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out = run(p, AugmentText.of(delete, 1), List.of(shortText));
    PAssert.that(out.get(AugmentText.OK)).containsInAnyOrder(shortText);
    PAssert.that(out.get(AugmentText.COUNTS))
        .containsInAnyOrder(
            KV.of(CountKey.derivedFiltered(AugmentText.NEAR_EMPTY), 1L),
            KV.of(CountKey.derivedFiltered(AugmentText.NEAR_EMPTY), 1L),
            KV.of(CountKey.derivedFiltered(AugmentText.NEAR_EMPTY), 1L));
    p.run().waitUntilFinish();
  }

  @Test
  void aNonTextSampleIsRejectedNotPassed() {
    Sample features =
        TRAIN.toBuilder().id("f/1").payload(new FeaturePayload(new float[] {1f}, null)).build();
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out = run(p, AugmentText.of(SPEC, 7), List.of(features));
    PAssert.that(out.get(AugmentText.OK)).empty();
    PAssert.that(out.get(AugmentText.REJECTED))
        .satisfies(
            r -> {
              List<String> reasons = new ArrayList<>();
              r.forEach(x -> reasons.add(x.reason()));
              assertEquals(List.of("not_text"), reasons);
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void negativeCopyOffsetIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> AugmentText.of(SPEC, 1).withCopyOffset(-1));
  }
}
