package dev.shardsmith.transforms.kernels.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipPlanTest {
  /** Every (clip, frame) position, by brute force over the definition. */
  private static List<ClipPlan.Position> brute(ClipPlan p, long index, long packets) {
    List<ClipPlan.Position> out = new ArrayList<>();
    for (long k = 0; p.index(k, 0) < packets; k++) {
      if (p.index(k, p.frames() - 1) >= packets) {
        continue;
      }
      for (int j = 0; j < p.frames(); j++) {
        if (p.index(k, j) == index) {
          out.add(new ClipPlan.Position(k, j));
        }
      }
    }
    return out;
  }

  @Test
  void candidatesAndPositionsFollowTheDefinition() {
    assertEquals(2, ClipPlan.backToBack(4, 1).candidates(10));
    assertEquals(0, ClipPlan.backToBack(4, 1).candidates(3));
    assertEquals(1, ClipPlan.backToBack(4, 1).candidates(4));
    assertEquals(List.of(new ClipPlan.Position(1, 1)), ClipPlan.backToBack(4, 1).positions(5, 10));
    assertEquals(List.of(), ClipPlan.backToBack(4, 1).positions(8, 10));
    for (ClipPlan p :
        List.of(
            ClipPlan.backToBack(4, 1),
            new ClipPlan(3, 2, 2),
            new ClipPlan(5, 3, 7),
            new ClipPlan(2, 1, 1),
            new ClipPlan(4, 2, 3))) {
      for (long packets : new long[] {0, 1, 5, 17, 68}) {
        long clips = 0;
        for (long k = 0; p.index(k, p.frames() - 1) < packets; k++) {
          clips++;
        }
        assertEquals(clips, p.candidates(packets), p + " " + packets);
        for (long i = 0; i < packets + 3; i++) {
          assertEquals(brute(p, i, packets), p.positions(i, packets), p + " " + i);
        }
      }
    }
  }

  @Test
  void badPlansAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ClipPlan(1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new ClipPlan(2, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ClipPlan(2, 1, 0));
  }
}
