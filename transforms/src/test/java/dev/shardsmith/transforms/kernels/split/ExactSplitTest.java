package dev.shardsmith.transforms.kernels.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Split;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExactSplitTest {
  private static final double[] F = {0.7, 0.15, 0.15};

  private static GroupSplit.Spec exact(double[] fractions, long seed) {
    return new GroupSplit.Spec(GroupSplit.Mode.EXACT, fractions, seed, 0);
  }

  /** n singleton samples per class, one hash each. */
  private static List<HashNode> singletons(Map<String, Integer> perClass) {
    List<HashNode> nodes = new ArrayList<>();
    perClass.forEach(
        (label, n) -> {
          for (int i = 0; i < n; i++) {
            nodes.add(HashNode.of(label + "-h" + i, Set.of(), Map.of(label, 1L)));
          }
        });
    return nodes;
  }

  @Test
  void singletonsHitLargestRemainderTargetsExactly() {
    Map<String, Integer> perClass = Map.of("a", 61, "b", 9, "c", 1, "d", 2, "e", 1000);
    GroupSplit.Plan plan = GroupSplit.plan(singletons(perClass), exact(F, 42));
    perClass.forEach(
        (label, n) -> {
          long[] got = plan.achieved().get(label);
          assertArrayEquals(plan.targets().get(label), got, label);
          for (int s = 0; s < 3; s++) {
            assertTrue(Math.abs(got[s] - n * F[s]) < 1.0, label + " split " + s + ": " + got[s]);
          }
        });
    assertArrayEquals(new long[] {43, 9, 9}, plan.targets().get("a"));
  }

  @Test
  void largestRemainderSumsToTotal() {
    for (long n = 0; n < 50; n++) {
      long[] t = GroupSplit.largestRemainder(n, F);
      assertEquals(n, t[0] + t[1] + t[2]);
    }
    assertArrayEquals(new long[] {1, 0, 0}, GroupSplit.largestRemainder(1, F));
    assertArrayEquals(new long[] {0, 0, 0}, GroupSplit.largestRemainder(0, F));
  }

  @Test
  void sameSeedSamePlanOtherSeedOtherPlan() {
    List<HashNode> nodes = singletons(Map.of("a", 40, "b", 40));
    GroupSplit.Plan p1 = GroupSplit.plan(nodes, exact(F, 7));
    List<HashNode> reversed = new ArrayList<>(nodes);
    java.util.Collections.reverse(reversed);
    GroupSplit.Plan p2 = GroupSplit.plan(reversed, exact(F, 7));
    GroupSplit.Plan p3 = GroupSplit.plan(nodes, exact(F, 8));
    Map<String, Split> s1 = new HashMap<>();
    Map<String, Split> s3 = new HashMap<>();
    for (HashNode n : nodes) {
      s1.put(n.hash(), p1.splitOf(n.hash()));
      s3.put(n.hash(), p3.splitOf(n.hash()));
      assertEquals(p1.splitOf(n.hash()), p2.splitOf(n.hash()), "input order must not matter");
    }
    assertNotEquals(s1, s3);
  }

  @Test
  void userGroupsAndSharedHashesFormOneGroupInOneSplit() {
    List<HashNode> nodes = new ArrayList<>(singletons(Map.of("a", 30, "b", 30)));
    // patient-1 spans three hashes; h-x is shared by patient-1 and patient-2, linking both.
    nodes.add(HashNode.of("p1-a", Set.of("patient-1"), Map.of("a", 1L)));
    nodes.add(HashNode.of("p1-b", Set.of("patient-1"), Map.of("b", 1L)));
    nodes.add(HashNode.of("h-x", Set.of("patient-1", "patient-2"), Map.of("a", 2L)));
    nodes.add(HashNode.of("p2-a", Set.of("patient-2"), Map.of("b", 3L)));
    GroupSplit.Plan plan = GroupSplit.plan(nodes, exact(F, 1));
    Split s = plan.splitOf("p1-a");
    for (String h : List.of("p1-b", "h-x", "p2-a")) {
      assertEquals(s, plan.splitOf(h), h);
      assertEquals("patient-1", plan.groupOf(h));
    }
    assertEquals("sha256:a-h0", plan.groupOf("a-h0"));
    long total = plan.achieved().values().stream().mapToLong(a -> a[0] + a[1] + a[2]).sum();
    assertEquals(60 + 1 + 1 + 2 + 3, total);
  }

  @Test
  void zeroFractionSplitGetsNothing() {
    GroupSplit.Plan plan =
        GroupSplit.plan(singletons(Map.of("a", 17, "b", 3)), exact(new double[] {0.8, 0.2, 0}, 3));
    assertEquals(0, plan.achieved().get("a")[2]);
    assertEquals(0, plan.achieved().get("b")[2]);
    assertArrayEquals(new long[] {14, 3, 0}, plan.achieved().get("a"));
  }

  @Test
  void aClassWithOneSampleGoesToTrain() {
    GroupSplit.Plan plan =
        GroupSplit.plan(singletons(Map.of("rare", 1, "common", 20)), exact(F, 5));
    assertArrayEquals(new long[] {1, 0, 0}, plan.achieved().get("rare"));
  }

  @Test
  void groupsReportTheirErrorInsteadOfBeingSplit() {
    // Two groups of 5 for one class cannot give 70/15/15 exactly; both stay whole.
    List<HashNode> nodes =
        List.of(
            HashNode.of("g1", Set.of("G1"), Map.of("a", 5L)),
            HashNode.of("g2", Set.of("G2"), Map.of("a", 5L)));
    GroupSplit.Plan plan = GroupSplit.plan(nodes, exact(F, 9));
    long[] got = plan.achieved().get("a");
    assertEquals(10, got[0] + got[1] + got[2]);
    assertTrue(got[0] % 5 == 0 && got[1] % 5 == 0 && got[2] % 5 == 0, "groups stay whole");
    assertEquals(plan.targets().get("a")[0] + 3, got[0], "both groups land in train: +3 over 7");
  }

  @Test
  void emptyInputPlansNothing() {
    GroupSplit.Plan plan = GroupSplit.plan(List.of(), exact(F, 1));
    assertTrue(plan.targets().isEmpty());
    assertEquals(0, plan.groupCount());
  }
}
