package dev.shardsmith.transforms.kernels.image.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.transforms.kernels.Seeds;
import dev.shardsmith.transforms.kernels.image.Border;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** sequence, one_of and some_of: flattened positions, seeded choices, replay of what fired. */
class CompositionsTest {
  private static final long SEED = 7;

  /** [invert, one_of(gaussian_noise, some_of(equalize, posterize, rotate)), gaussian_noise]. */
  private static List<PixelOp> nested() {
    return List.of(
        new Invert(0.5),
        new OneOf(
            1,
            List.of(
                new GaussianNoise(1, 5, 20),
                new SomeOf(
                    1,
                    List.of(
                        new Equalize(1),
                        new Posterize(1, 2, 6),
                        new Rotate(1, -20, 20, Border.CONSTANT, 0)),
                    1,
                    3,
                    true)),
            List.of(1.0, 3.0)),
        new GaussianNoise(1, 5, 20));
  }

  @Test
  void positionsArePreOrderAndEveryNodeOwnsOne() {
    List<PixelOp> ops = nested();
    assertEquals(8, Compositions.size(ops));
    Map<Integer, PixelOp> leaves = Compositions.leaves(ops, 3);
    assertEquals(
        Map.of(
            3,
            "invert",
            5,
            "gaussian_noise",
            7,
            "equalize",
            8,
            "posterize",
            9,
            "rotate",
            10,
            "gaussian_noise"),
        leaves.entrySet().stream()
            .collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().name())));
  }

  @Test
  void sameKindAtTwoPositionsDrawsTwoStreams() {
    List<PixelOp> ops =
        List.of(new Sequence(1, List.of(new GaussianNoise(1, 5, 20))), new GaussianNoise(1, 5, 20));
    List<Applied.Op> fired = Compositions.draw(ops, SEED, "s", 3, 0, 64, 64);
    assertEquals(List.of(4, 5), fired.stream().map(Applied.Op::position).toList());
    assertNotEquals(fired.get(0).params(), fired.get(1).params());
    // the leaf's stream is Seeds.of(..., its position, copy): fire draw, then its params
    var rng = Seeds.of(SEED, "s", "augment", 5, 0);
    rng.nextDouble();
    assertEquals(new GaussianNoise(1, 5, 20).draw(rng, 64, 64), fired.get(1).params());
  }

  @Test
  void oneOfFollowsItsWeightsAndSomeOfItsCount() {
    List<PixelOp> ops = nested();
    Map<String, Integer> firstPick = new HashMap<>();
    Set<List<String>> someOfOrders = new HashSet<>();
    for (int copy = 0; copy < 2000; copy++) {
      List<Applied.Op> fired = Compositions.draw(ops, SEED, "s", 3, copy, 64, 64);
      List<Applied.Op> inner =
          fired.stream().filter(o -> o.position() >= 5 && o.position() <= 9).toList();
      boolean noise = inner.size() == 1 && inner.get(0).position() == 5;
      firstPick.merge(noise ? "noise" : "some_of", 1, Integer::sum);
      if (!noise) {
        assertTrue(inner.size() >= 1 && inner.size() <= 3, inner.toString());
        assertEquals(inner.size(), inner.stream().map(Applied.Op::position).distinct().count());
        someOfOrders.add(inner.stream().map(Applied.Op::op).toList());
      }
      // the last op always fires, after the composition
      assertEquals(10, fired.get(fired.size() - 1).position());
    }
    // weights 1 : 3
    assertTrue(firstPick.get("noise") > 400 && firstPick.get("noise") < 600, firstPick.toString());
    // shuffle: some pair runs in both orders
    assertTrue(someOfOrders.contains(List.of("equalize", "posterize")), someOfOrders.toString());
    assertTrue(someOfOrders.contains(List.of("posterize", "equalize")), someOfOrders.toString());
  }

  @Test
  void someOfKeepsConfiguredOrderUnlessShuffled() {
    List<PixelOp> kept =
        List.of(
            new SomeOf(
                1,
                List.of(new Invert(1), new Equalize(1), new Posterize(1, 2, 6), new ToGray(1)),
                2,
                4,
                false));
    for (int copy = 0; copy < 200; copy++) {
      List<Integer> pos =
          Compositions.draw(kept, SEED, "k", 3, copy, 32, 32).stream()
              .map(Applied.Op::position)
              .toList();
      assertEquals(pos.stream().sorted().toList(), pos);
      assertTrue(pos.size() >= 2, pos.toString());
    }
  }

  @Test
  void replayOfANestedRecordGivesIdenticalBytes() {
    List<PixelOp> ops = nested();
    for (int copy = 0; copy < 6; copy++) {
      byte[] once;
      List<Applied.Op> fired;
      try (Mat rgb = OpsTestImages.rgb("fruits.jpg", 96)) {
        fired = PixelOps.apply(rgb, ops, SEED, "f", 3, copy);
        once = OpsTestImages.bytes(rgb);
      }
      List<Applied.Op> back = Applied.fromJson(Applied.of(Applied.VERSION, fired).toJson()).ops();
      try (Mat rgb = OpsTestImages.rgb("fruits.jpg", 96)) {
        PixelOps.replay(rgb, ops, back);
        assertArrayEquals(once, OpsTestImages.bytes(rgb), "copy " + copy);
      }
    }
  }
}
