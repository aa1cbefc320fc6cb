package dev.shardsmith.transforms.kernels.image.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every op promises: determinism, replay from the record, and the meaning of p. */
class PixelOpContractTest {
  private static final long SEED = 42;

  static Stream<AllOps.Maker> ops() {
    return AllOps.ALL.stream();
  }

  static Stream<Arguments> opsAndPhotos() {
    return AllOps.ALL.stream()
        .flatMap(m -> OpsTestImages.SOME.stream().map(photo -> Arguments.of(m, photo)));
  }

  private record Run(byte[] pixels, List<Applied.Op> fired) {}

  private static Run run(PixelOp op, String photo, long seed, int copy) {
    try (Mat rgb = OpsTestImages.rgb(photo)) {
      List<Applied.Op> fired = PixelOps.apply(rgb, List.of(op), seed, photo, 3, copy);
      return new Run(OpsTestImages.bytes(rgb), fired);
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("opsAndPhotos")
  void sameSeedGivesIdenticalBytes(AllOps.Maker maker, String photo) {
    PixelOp op = maker.make().apply(1.0);
    Run a = run(op, photo, SEED, 0);
    Run b = run(op, photo, SEED, 0);
    assertArrayEquals(a.pixels(), b.pixels());
    assertEquals(a.fired(), b.fired());
    assertEquals(1, a.fired().size());
    assertEquals(op.name(), a.fired().get(0).op());
    assertEquals(3, a.fired().get(0).position());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void differentCopiesDrawDifferentParams(AllOps.Maker maker) {
    PixelOp op = maker.make().apply(1.0);
    Set<SortedMap<String, Object>> seen = new HashSet<>();
    for (int copy = 0; copy < 8; copy++) {
      seen.add(run(op, "baboon.jpg", SEED, copy).fired().get(0).params());
    }
    if (AllOps.PARAMETERLESS.contains(op.name())) {
      assertEquals(Set.of(new java.util.TreeMap<String, Object>()), seen);
    } else if (AllOps.FIXED.contains(op.name())) {
      assertEquals(1, seen.size(), "a fixed op drew " + seen);
    } else {
      assertTrue(seen.size() >= 2, "8 copies drew only " + seen);
    }
    // and a different seed, for the same copy
    if (!AllOps.PARAMETERLESS.contains(op.name())
        && !AllOps.FIXED.contains(op.name())
        && !op.name().equals(ChannelShuffle.NAME)
        && !op.name().equals(Rotate90.NAME)) {
      assertFalse(
          run(op, "baboon.jpg", SEED, 0)
              .fired()
              .equals(run(op, "baboon.jpg", SEED + 1, 0).fired()));
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("opsAndPhotos")
  void replayFromJsonRecordGivesIdenticalBytes(AllOps.Maker maker, String photo) {
    PixelOp op = maker.make().apply(1.0);
    for (int copy = 0; copy < 2; copy++) {
      Run r = run(op, photo, SEED, copy);
      Applied back = Applied.fromJson(Applied.of(Applied.VERSION, r.fired()).toJson());
      assertEquals(r.fired(), back.ops());
      try (Mat src = OpsTestImages.rgb(photo)) {
        PixelOps.replay(src, List.of(op), back.ops());
        assertArrayEquals(r.pixels(), OpsTestImages.bytes(src));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void replayIgnoresTheOpsRangesAndP(AllOps.Maker maker) {
    Run r = run(maker.make().apply(1.0), "smarties.png", SEED, 5);
    try (Mat src = OpsTestImages.rgb("smarties.png")) {
      PixelOps.replay(src, List.of(maker.make().apply(0.0)), r.fired());
      assertArrayEquals(r.pixels(), OpsTestImages.bytes(src));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void probabilityZeroNeverFiresAndOneAlwaysFires(AllOps.Maker maker) {
    byte[] original;
    try (Mat rgb = OpsTestImages.rgb("smarties.png", 48)) {
      original = OpsTestImages.bytes(rgb);
    }
    for (int copy = 0; copy < 20; copy++) {
      try (Mat rgb = OpsTestImages.rgb("smarties.png", 48)) {
        assertEquals(
            List.of(), PixelOps.apply(rgb, List.of(maker.make().apply(0.0)), SEED, "s", 0, copy));
        assertArrayEquals(original, OpsTestImages.bytes(rgb));
      }
      try (Mat rgb = OpsTestImages.rgb("smarties.png", 48)) {
        assertEquals(
            1, PixelOps.apply(rgb, List.of(maker.make().apply(1.0)), SEED, "s", 0, copy).size());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void appliesToAViewOfALargerImage(AllOps.Maker maker) {
    PixelOp op = maker.make().apply(1.0);
    try (Mat big = OpsTestImages.rgb("home.jpg");
        Rect r = new Rect(7, 5, 101, 77);
        Mat view = new Mat(big, r);
        Mat copy = view.clone()) {
      byte[] before = OpsTestImages.bytes(big);
      assertFalse(view.isContinuous());
      SortedMap<String, Object> params =
          PixelOps.apply(copy, List.of(op), SEED, "v", 0, 1).get(0).params();
      op.apply(view, params);
      assertArrayEquals(OpsTestImages.bytes(copy), OpsTestImages.bytes(view));
      // nothing outside the view changed
      byte[] after = OpsTestImages.bytes(big);
      int w = big.cols();
      for (int y = 0; y < big.rows(); y++) {
        for (int x = 0; x < w; x++) {
          if (x >= 7 && x < 108 && y >= 5 && y < 82) {
            continue;
          }
          for (int c = 0; c < 3; c++) {
            int i = (y * w + x) * 3 + c;
            assertEquals(before[i], after[i], "pixel " + x + "," + y + " outside the view");
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void rejectsAnImageThatIsNotRgb(AllOps.Maker maker) {
    PixelOp op = maker.make().apply(1.0);
    try (Mat gray = new Mat(8, 8, org.bytedeco.opencv.global.opencv_core.CV_8UC1)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> op.apply(gray, new java.util.TreeMap<>()));
      assertTrue(e.getMessage().contains(op.name()), e.getMessage());
    }
  }

  @org.junit.jupiter.api.Test
  void positionsSeedIndependentStreamsAndReplayNeedsKnownOps() {
    List<PixelOp> ops = List.of(new GaussianNoise(1, 5, 20), new GaussianNoise(1, 5, 20));
    try (Mat rgb = OpsTestImages.rgb("fruits.jpg")) {
      List<Applied.Op> fired = PixelOps.apply(rgb, ops, SEED, "f", 10, 0);
      assertEquals(List.of(10, 11), fired.stream().map(Applied.Op::position).toList());
      assertFalse(fired.get(0).params().equals(fired.get(1).params()));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> PixelOps.replay(rgb, List.of(new Invert(1)), fired));
      assertTrue(e.getMessage().contains("gaussian_noise"), e.getMessage());
    }
  }
}
