package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.shard.SplitRow;
import dev.shardsmith.transforms.kernels.shard.SplitsFile;
import dev.shardsmith.transforms.kernels.split.GroupSplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AssignSplits in a real pipeline: folds, and freeze_from through a real splits.parquet. */
class AssignSplitsTest {
  private static final double[] F = {0.6, 0.2, 0.2};
  private static final Map<String, Map<String, Sample>> RESULTS = new ConcurrentHashMap<>();
  private static final Map<String, String> SUMMARIES = new ConcurrentHashMap<>();

  private static Sample sample(String id, String label, String group, String hash) {
    return Sample.builder()
        .id(id)
        .group(group)
        .labels(List.of(label))
        .payloadHash(hash)
        .payload(new FeaturePayload(new float[] {id.length()}, new String[0]))
        .build();
  }

  /** {@code n} samples {@code prefix-i}, labels alternating a/a/b, every fourth in a user group. */
  private static List<Sample> samples(String prefix, int n) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = prefix + "-" + i;
      out.add(
          sample(
              id,
              i % 3 == 2 ? "b" : "a",
              i % 4 == 0 ? prefix + "-patient-" + (i / 8) : null,
              Long.toHexString(0x9E3779B97F4A7C15L * (id.hashCode() + 7L)) + "00000000000000"));
    }
    return out;
  }

  /** Runs AssignSplits and returns its rows by id and its summary. */
  private static Map<String, Sample> run(String key, AssignSplits split, List<Sample> in) {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out =
        p.apply(Create.of(in).withCoder(SampleCoder.of())).apply("AssignSplits", split);
    PAssert.that(out.get(AssignSplits.OK))
        .satisfies(
            rows -> {
              Map<String, Sample> m = new TreeMap<>();
              rows.forEach(s -> m.put(s.id(), s));
              RESULTS.put(key, m);
              return null;
            });
    PAssert.that(out.get(AssignSplits.SUMMARY))
        .satisfies(
            lines -> {
              SUMMARIES.put(key, lines.iterator().next());
              return null;
            });
    p.run().waitUntilFinish();
    return RESULTS.get(key);
  }

  private static JsonNode summary(String key) throws Exception {
    return new ObjectMapper().readTree(SUMMARIES.get(key));
  }

  @Test
  void foldsPartitionTrainAndReachTheSummary() throws Exception {
    Map<String, Sample> rows =
        run("folds", AssignSplits.of(GroupSplit.Spec.of("exact", F, 3, 3)), samples("s", 120));
    Map<String, Integer> foldOfGroup = new TreeMap<>();
    for (Sample s : rows.values()) {
      if (s.split() == Split.TRAIN) {
        assertTrue(s.fold() >= 0 && s.fold() < 3, s.toString());
      } else {
        assertEquals(Sample.NO_FOLD, s.fold(), s.toString());
      }
      Integer prev = foldOfGroup.put(s.group(), s.fold());
      assertTrue(prev == null || prev == s.fold(), "group " + s.group() + " straddles folds");
    }
    JsonNode sum = summary("folds");
    assertEquals(3, sum.get("folds").asInt());
    assertEquals("exact", sum.get("mode").asText());
    long train = sum.get("classes").get("a").get("achieved").get(0).asLong();
    long inFolds = 0;
    for (JsonNode x : sum.get("classes").get("a").get("fold_achieved")) {
      inFolds += x.asLong();
    }
    assertEquals(train, inFolds);
  }

  @Test
  void freezeFromKeepsEveryAssignmentThroughARealSplitsFile(@TempDir Path dir) throws Exception {
    List<Sample> first = samples("s", 90);
    Map<String, Sample> before =
        run("first", AssignSplits.of(GroupSplit.Spec.of("stable", F, 1, 4)), first);
    List<SplitRow> rows = new ArrayList<>();
    for (Sample s : before.values()) {
      rows.add(new SplitRow(s.id(), s.group(), s.split().folder(), s.fold()));
    }
    Path file = dir.resolve("splits.parquet");
    SplitsFile.write(file, rows);

    // A superset, planned with another mode and seed: the frozen samples must not move.
    List<Sample> second = new ArrayList<>(first);
    second.addAll(samples("t", 60));
    Sample linked = before.get("s-8"); // in user group s-patient-1
    second.add(sample("t-linked", "b", "s-patient-1", "abcdef0123456789ffff"));
    Map<String, Sample> after =
        run(
            "second",
            AssignSplits.of(GroupSplit.Spec.of("exact", F, 99, 4))
                .withFrozen(SplitsFile.read(file)),
            second);
    for (Sample s : before.values()) {
      Sample a = after.get(s.id());
      assertEquals(s.split(), a.split(), s.id());
      assertEquals(s.fold(), a.fold(), s.id());
      assertEquals(s.group(), a.group(), s.id());
    }
    assertEquals(linked.split(), after.get("t-linked").split());
    assertEquals(linked.fold(), after.get("t-linked").fold());
    assertEquals(linked.group(), after.get("t-linked").group());
    JsonNode sum = summary("second");
    assertEquals(90, sum.get("samples").get("frozen").asLong());
    assertEquals(61, sum.get("samples").get("new").asLong());

    // The same superset without freezing does move some: the test above could fail.
    Map<String, Sample> unfrozen =
        run("unfrozen", AssignSplits.of(GroupSplit.Spec.of("exact", F, 99, 4)), second);
    assertNotEquals(
        before.values().stream().map(s -> s.split() + "/" + s.fold()).toList(),
        before.values().stream()
            .map(s -> unfrozen.get(s.id()).split() + "/" + unfrozen.get(s.id()).fold())
            .toList());
  }

  @Test
  void aNewSampleLinkingTwoFrozenSplitsFailsTheRun(@TempDir Path dir) throws Exception {
    List<SplitRow> rows =
        List.of(
            new SplitRow("x-1", "patient-1", "train", -1),
            new SplitRow("x-2", "patient-2", "test", -1));
    Path file = dir.resolve("splits.parquet");
    SplitsFile.write(file, rows);
    List<Sample> in =
        List.of(
            sample("x-1", "a", "patient-1", "aaaa"),
            sample("x-2", "a", "patient-2", "bbbb"),
            sample("x-3", "a", "patient-2", "aaaa")); // same bytes as x-1, group of x-2
    AssignSplits split =
        AssignSplits.of(GroupSplit.Spec.of("stable", F, 1, 0)).withFrozen(SplitsFile.read(file));
    Exception e = assertThrows(Exception.class, () -> run("conflict", split, in));
    String message = causes(e);
    assertTrue(message.contains("x-1 (train) and x-2 (test)"), message);
  }

  @Test
  void frozenRowsThatDoNotFitTheFoldsAreRejectedBeforeTheRun() {
    AssignSplits split = AssignSplits.of(GroupSplit.Spec.of("stable", F, 1, 0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> split.withFrozen(List.of(new SplitRow("a.jpg", "g", "train", 3))));
    assertTrue(e.getMessage().contains("a.jpg is in train fold 3"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> split.withFrozen(List.of(new SplitRow("a.jpg", "g", "holdout", -1))));
    assertTrue(e.getMessage().contains("split \"holdout\""), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                split.withFrozen(
                    List.of(
                        new SplitRow("a.jpg", "g", "val", -1),
                        new SplitRow("a.jpg", "g", "val", -1))));
    assertTrue(e.getMessage().contains("a.jpg is listed twice"), e.getMessage());
  }

  private static String causes(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t.getMessage()).append(" | ");
    }
    return b.toString();
  }
}
