package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** Each leakage rule broken by hand-built rows, and caught; a clean set passes unchanged. */
class CheckLeakageTest {
  private static Sample original(String id, String group, Split split, int fold) {
    return Sample.builder()
        .id(id)
        .group(group)
        .labels(List.of("a"))
        .split(split)
        .fold(fold)
        .payloadHash("hash-" + id)
        .payload(new FeaturePayload(new float[] {1, 2}, new String[0]))
        .build();
  }

  private static Sample derived(
      String kind, Sample source, int copy, Split split, int fold, String... sources) {
    return source.toBuilder()
        .id(source.id() + "#" + kind + copy)
        .sourceIds(sources.length == 0 ? List.of(source.id()) : List.of(sources))
        .derived(kind, copy)
        .split(split)
        .fold(fold)
        .build();
  }

  /** A clean set: originals in every split, copies and a SMOTE row of one fold in train. */
  private static List<Sample> clean() {
    Sample a = original("a", "g1", Split.TRAIN, 0);
    Sample b = original("b", "g1", Split.TRAIN, 0);
    Sample c = original("c", "g2", Split.TRAIN, 1);
    List<Sample> rows = new ArrayList<>();
    rows.add(a);
    rows.add(b);
    rows.add(c);
    rows.add(original("v", "g3", Split.VAL, Sample.NO_FOLD));
    rows.add(original("t", "g4", Split.TEST, Sample.NO_FOLD));
    rows.add(derived("augmented", a, 0, Split.TRAIN, 0));
    rows.add(derived("oversampled", c, 1, Split.TRAIN, 1));
    rows.add(derived("smote", a, 0, Split.TRAIN, 0, "a", "b"));
    return rows;
  }

  private static void run(List<Sample> rows) {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<Sample> out =
        p.apply(Create.of(rows).withCoder(SampleCoder.of()))
            .apply("CheckLeakage", CheckLeakage.rows());
    PAssert.that(out).containsInAnyOrder(rows);
    p.run().waitUntilFinish();
  }

  private static void assertCaught(List<Sample> rows, String expected) {
    Exception e = assertThrows(Exception.class, () -> run(rows));
    StringBuilder chain = new StringBuilder();
    boolean guard = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      chain.append(t.getMessage()).append(" | ");
      guard |= t instanceof CheckLeakage.LeakageException;
    }
    assertTrue(guard, "not the guard: " + chain);
    assertTrue(chain.toString().contains(expected), chain.toString());
  }

  @Test
  void aCleanSetPassesUnchanged() {
    run(clean());
  }

  @Test
  void aGroupInTwoSplitsIsCaught() {
    List<Sample> rows = clean();
    rows.add(original("x", "g1", Split.TEST, Sample.NO_FOLD));
    assertCaught(rows, "group g1 is in test (e.g. x) and train fold 0 (e.g. a)");
  }

  @Test
  void aGroupInTwoFoldsIsCaught() {
    List<Sample> rows = clean();
    rows.add(original("y", "g2", Split.TRAIN, 2));
    assertCaught(rows, "group g2 is in train fold 1 (e.g. c) and train fold 2 (e.g. y)");
  }

  @Test
  void aDerivedRowInValOrTestIsCaught() {
    List<Sample> rows = clean();
    Sample v = rows.get(3);
    rows.add(derived("augmented", v, 0, Split.VAL, Sample.NO_FOLD));
    assertCaught(rows, "augmented row v#augmented0 is in val: only train is augmented");
  }

  @Test
  void aDerivedRowInAnotherSplitThanItsSourceIsCaughtEvenUnderAnotherGroup() {
    List<Sample> rows = clean();
    Sample t = rows.get(4);
    // Claims train and a fresh group, so only the source rule can see it.
    rows.add(derived("oversampled", t, 0, Split.TRAIN, 0).toBuilder().group("g9").build());
    assertCaught(
        rows, "oversampled row t#oversampled0 is in train fold 0, but its source t is in test");
  }

  @Test
  void aSmoteRowWithParentsInTwoFoldsIsCaught() {
    List<Sample> rows = clean();
    rows.add(derived("smote", rows.get(0), 1, Split.TRAIN, 0, "a", "c"));
    assertCaught(
        rows, "smote row a#smote1 is in train fold 0, but its source c is in train fold 1");
  }

  @Test
  void aRowWithoutGroupOrSplitIsCaught() {
    List<Sample> rows = clean();
    rows.add(original("n", null, Split.TRAIN, 0));
    assertCaught(rows, "row n has no group");
    List<Sample> unassigned = clean();
    unassigned.add(original("u", "g7", Split.UNASSIGNED, Sample.NO_FOLD));
    assertCaught(unassigned, "row u has no split");
  }
}
