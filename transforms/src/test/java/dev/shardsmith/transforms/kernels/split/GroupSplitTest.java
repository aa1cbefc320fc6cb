package dev.shardsmith.transforms.kernels.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.Split;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Stable mode, folds and frozen samples; the exact mode's own rules are in ExactSplitTest. */
class GroupSplitTest {
  private static final double[] F = {0.7, 0.15, 0.15};

  /** {@code n} singleton samples of {@code label}, with sha256-like hex hashes. */
  private static List<HashNode> singletons(String label, int from, int n) {
    List<HashNode> nodes = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      nodes.add(HashNode.of(hex(label, i), Set.of(), Map.of(label, 1L)));
    }
    return nodes;
  }

  private static String hex(String label, int i) {
    long a = 0x9E3779B97F4A7C15L * (i + 1L + 1_000_003L * label.hashCode());
    return String.format("%016x%016x", a, Long.rotateLeft(a, 29));
  }

  private static GroupSplit.Spec spec(String mode, long seed, int folds) {
    return GroupSplit.Spec.of(mode, F, seed, folds);
  }

  private static Map<String, Split> splits(GroupSplit.Plan plan) {
    Map<String, Split> m = new HashMap<>();
    for (int i = 0; i < plan.size(); i++) {
      m.put(plan.hashAt(i), plan.splitAt(i));
    }
    return m;
  }

  @Test
  void stableKeepsEverySplitWhenDataIsAdded() {
    List<HashNode> before = new ArrayList<>(singletons("a", 0, 400));
    before.addAll(singletons("b", 0, 100));
    before.add(HashNode.of("p1-x", Set.of("patient-1"), Map.of("a", 1L)));
    before.add(HashNode.of("p1-y", Set.of("patient-1"), Map.of("b", 2L)));
    List<HashNode> after = new ArrayList<>(singletons("a", 400, 600));
    after.addAll(before);
    after.addAll(singletons("b", 100, 900));
    after.addAll(singletons("c", 0, 50));
    after.add(HashNode.of("p1-z", Set.of("patient-1"), Map.of("c", 1L))); // same key: patient-1
    Collections.reverse(after);

    Map<String, Split> s1 = splits(GroupSplit.plan(before, spec("stable", 11, 0)));
    GroupSplit.Plan p2 = GroupSplit.plan(after, spec("stable", 11, 0));
    Map<String, Split> s2 = splits(p2);
    s1.forEach((hash, split) -> assertEquals(split, s2.get(hash), hash));
    assertEquals(s2.get("p1-x"), s2.get("p1-z"));

    // Hash buckets give approximate proportions: 2,053 samples, each split within 3 points.
    long total = p2.samples();
    for (int s = 0; s < 3; s++) {
      long got = 0;
      for (long[] a : p2.achieved().values()) {
        got += a[s];
      }
      assertTrue(Math.abs((double) got / total - F[s]) < 0.03, "split " + s + ": " + got);
    }
    assertArrayEquals(new long[] {701, 150, 150}, p2.targets().get("a")); // 1,001 samples
    assertNotEquals(s2, splits(GroupSplit.plan(after, spec("stable", 12, 0))), "seed matters");
  }

  @Test
  void stableIgnoresInputOrder() {
    List<HashNode> nodes = new ArrayList<>(singletons("a", 0, 300));
    Map<String, Split> s1 = splits(GroupSplit.plan(nodes, spec("stable", 3, 0)));
    Collections.reverse(nodes);
    assertEquals(s1, splits(GroupSplit.plan(nodes, spec("stable", 3, 0))));
  }

  @Test
  void foldsPartitionTrainByGroupInBothModes() {
    for (String mode : List.of("exact", "stable")) {
      List<HashNode> nodes = new ArrayList<>(singletons("a", 0, 1000));
      nodes.addAll(singletons("b", 0, 200));
      for (int p = 0; p < 20; p++) {
        nodes.add(HashNode.of("pa" + p, Set.of("patient-" + p), Map.of("a", 2L)));
        nodes.add(HashNode.of("pb" + p, Set.of("patient-" + p), Map.of("b", 1L)));
      }
      GroupSplit.Plan plan = GroupSplit.plan(nodes, spec(mode, 5, 5));
      Map<String, Integer> foldOfGroup = new HashMap<>();
      long[] perFold = new long[5];
      for (int i = 0; i < plan.size(); i++) {
        int fold = plan.foldAt(i);
        if (plan.splitAt(i) == Split.TRAIN) {
          assertTrue(fold >= 0 && fold < 5, mode + ": train fold " + fold);
          perFold[fold]++;
        } else {
          assertEquals(Sample.NO_FOLD, fold, mode + ": val/test rows have no fold");
        }
        Integer prev = foldOfGroup.put(plan.groupAt(i), fold);
        assertTrue(
            prev == null || prev == fold, mode + ": group " + plan.groupAt(i) + " straddles");
      }
      for (String label : List.of("a", "b")) {
        long[] byFold = plan.foldAchieved().get(label);
        long sum = 0;
        for (long x : byFold) {
          sum += x;
        }
        assertEquals(plan.achieved().get(label)[0], sum, mode + ": folds cover train of " + label);
      }
      for (long x : perFold) {
        assertTrue(x > 0, mode + ": every fold has samples " + java.util.Arrays.toString(perFold));
      }
      if (mode.equals("exact")) {
        // Per-class balance: within one group (size <= 3) of the fold target.
        for (String label : List.of("a", "b")) {
          long[] t = plan.foldTargets().get(label);
          long[] a = plan.foldAchieved().get(label);
          for (int f = 0; f < 5; f++) {
            assertTrue(
                Math.abs(t[f] - a[f]) <= 3, label + " fold " + f + ": " + a[f] + " vs " + t[f]);
          }
        }
      }
    }
  }

  @Test
  void exactFoldsOfSingletonsHitTheirTargets() {
    GroupSplit.Plan plan = GroupSplit.plan(singletons("a", 0, 103), spec("exact", 1, 4));
    assertArrayEquals(plan.foldTargets().get("a"), plan.foldAchieved().get("a"));
    assertArrayEquals(new long[] {18, 18, 18, 18}, plan.foldTargets().get("a"));
  }

  @Test
  void frozenSamplesKeepTheirSplitFoldAndNameTheirGroup() {
    List<HashNode> nodes = new ArrayList<>(singletons("a", 0, 100));
    nodes.add(
        HashNode.of(
            "fz1",
            Set.of("patient-9"),
            Map.of("a", 1L),
            List.of(new HashNode.Frozen("old/1.jpg", "patient-9", Split.TEST, -1))));
    nodes.add(HashNode.of("new1", Set.of("patient-9"), Map.of("a", 3L))); // joins the frozen group
    nodes.add(
        HashNode.of(
            "fz2",
            Set.of(),
            Map.of("a", 1L),
            List.of(new HashNode.Frozen("old/2.jpg", "sha256:fz2", Split.TRAIN, 2))));
    GroupSplit.Plan plan = GroupSplit.plan(nodes, spec("exact", 4, 3));
    assertEquals(Split.TEST, plan.splitOf("new1"));
    assertEquals("patient-9", plan.groupOf("new1"));
    assertEquals(Sample.NO_FOLD, plan.foldOf("new1"));
    assertEquals(Split.TRAIN, plan.splitOf("fz2"));
    assertEquals(2, plan.foldOf("fz2"));
    assertEquals(2, plan.frozenSamples());
    assertEquals(105, plan.samples());
    // Frozen groups count toward the targets: the free singletons make up the rest exactly.
    assertArrayEquals(plan.targets().get("a"), plan.achieved().get("a"));
  }

  @Test
  void aGroupJoiningFrozenSamplesOfTwoSplitsFailsNamingThem() {
    List<HashNode> nodes = new ArrayList<>(singletons("a", 0, 10));
    nodes.add(
        HashNode.of(
            "h1",
            Set.of("patient-1"),
            Map.of("a", 1L),
            List.of(new HashNode.Frozen("old/1.jpg", "patient-1", Split.TRAIN, -1))));
    nodes.add(
        HashNode.of(
            "h2",
            Set.of("patient-2"),
            Map.of("a", 1L),
            List.of(new HashNode.Frozen("old/2.jpg", "patient-2", Split.VAL, -1))));
    // A new sample carries both patients' groups: it would link train and val.
    nodes.add(HashNode.of("h3", Set.of("patient-1", "patient-2"), Map.of("a", 1L)));
    GroupSplit.FrozenConflictException e =
        assertThrows(
            GroupSplit.FrozenConflictException.class,
            () -> GroupSplit.plan(nodes, spec("stable", 1, 0)));
    assertTrue(e.getMessage().contains("old/1.jpg (train) and old/2.jpg (val)"), e.getMessage());
  }

  @Test
  void aFrozenFoldThatDoesNotFitTheFoldCountIsRejected() {
    List<HashNode> nodes =
        List.of(
            HashNode.of(
                "h1",
                Set.of(),
                Map.of("a", 1L),
                List.of(new HashNode.Frozen("old/1.jpg", "sha256:h1", Split.TRAIN, 7))));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> GroupSplit.plan(nodes, spec("exact", 1, 5)));
    assertTrue(e.getMessage().contains("old/1.jpg is in train fold 7"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GroupSplit.plan(nodes, spec("exact", 1, 0)));
  }

  @Test
  void badSpecsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> spec("exact", 1, 1));
    assertThrows(IllegalArgumentException.class, () -> spec("random", 1, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> GroupSplit.Spec.of("exact", new double[] {0, 0.5, 0.5}, 1, 3));
  }
}
