package dev.shardsmith.transforms.kernels.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SeriesOpsTest {
  private static final int T = 96;
  private static final int C = 3;
  private static final int H = 24;

  /** Every op, firing always, with settings that change the window visibly. */
  static List<SeriesOp> allOps() {
    return List.of(
        new Jitter(1, 0.05, 0.2),
        new Scaling(1, 0.2),
        new MagnitudeWarp(1, 0.3, 4),
        new TimeWarp(1, 0.3, 4),
        new WindowSlice(1, 0.7, 0.9),
        new WindowWarp(1, 0.2, 0.5, 2.0),
        new Shift(1, -10, 10, "circular"),
        new Shift(1, 3, 10, "zero"),
        new Shift(1, -10, -3, "edge"),
        new Drift(1, 0.2, 0.5, 5),
        new Dropout(1, 0.1, 3, "previous"),
        new Dropout(1, 0.1, 1, "zero"),
        new Permutation(1, 3, 6));
  }

  static List<SeriesOp> windowOnlyOps() {
    return allOps().stream()
        .filter(op -> !List.of("scaling", "magnitude_warp", "drift").contains(op.name()))
        .toList();
  }

  /** Three channels of a damped seasonal signal with a trend (no two steps equal). */
  static float[] series(int t, int channels, double phase) {
    float[] v = new float[t * channels];
    for (int i = 0; i < t; i++) {
      for (int c = 0; c < channels; c++) {
        v[i * channels + c] =
            (float) (1 + 0.01 * i + Math.sin(0.2 * i + phase + c) * Math.exp(-0.005 * i) + c);
      }
    }
    return v;
  }

  private static float[] window() {
    return series(T, C, 0);
  }

  private static float[] horizon() {
    float[] joined = series(T + H, C, 0);
    return Arrays.copyOfRange(joined, T * C, (T + H) * C);
  }

  @ParameterizedTest
  @MethodSource("allOps")
  void replayFromTheRecordGivesIdenticalValues(SeriesOp op) {
    float[] v = window();
    float[] h = horizon();
    List<Applied.Op> fired = SeriesOps.apply(v, h, C, List.of(op), 2026, "aapl@0", 4, 1);
    assertEquals(1, fired.size());
    assertEquals(4, fired.get(0).position());
    assertFalse(Arrays.equals(window(), v), op.name() + " changed nothing");
    // through the stored JSON record, as a replay of a written row would read it
    Applied stored = Applied.fromJson(Applied.of(Applied.VERSION, fired).toJson());
    float[] rv = window();
    float[] rh = horizon();
    SeriesOps.replay(rv, rh, C, List.of(op), stored.ops());
    assertArrayEquals(v, rv, op.name());
    assertArrayEquals(h, rh, op.name());
  }

  @ParameterizedTest
  @MethodSource("allOps")
  void drawsAreKeyedOnSeedSampleAndCopy(SeriesOp op) {
    List<SeriesOp> ops = List.of(op);
    List<Applied.Op> a = SeriesOps.draw(ops, 1, "s", 0, 0, T, C, H);
    assertEquals(a, SeriesOps.draw(ops, 1, "s", 0, 0, T, C, H));
    // some key part changes the draw (a small integer range can repeat for one key, not for all)
    boolean differs =
        !a.equals(SeriesOps.draw(ops, 1, "s", 0, 1, T, C, H))
            || !a.equals(SeriesOps.draw(ops, 2, "s", 0, 0, T, C, H))
            || !a.equals(SeriesOps.draw(ops, 1, "t", 0, 0, T, C, H));
    assertTrue(differs, op.name());
  }

  @Test
  void probabilityDecidesFiringAndSkippingOneOpMovesNoOtherDraw() {
    SeriesOp jitter = new Jitter(1, 0.1, 0.1);
    List<Applied.Op> alone =
        SeriesOps.draw(List.of(new Scaling(0, 0.1), jitter), 9, "x", 0, 3, T, C, 0);
    List<Applied.Op> both =
        SeriesOps.draw(List.of(new Scaling(1, 0.1), jitter), 9, "x", 0, 3, T, C, 0);
    assertEquals(1, alone.size());
    assertEquals(2, both.size());
    assertEquals(alone.get(0), both.get(1));
  }

  @ParameterizedTest
  @MethodSource("windowOnlyOps")
  void windowOnlyOpsLeaveTheHorizonAlone(SeriesOp op) {
    float[] h = horizon();
    SeriesOps.apply(window(), h, C, List.of(op), 5, "w", 0, 0);
    assertArrayEquals(horizon(), h, op.name());
  }

  @Test
  void scalingScalesTheHorizonByTheWindowsFactors() {
    float[] v = window();
    float[] h = horizon();
    List<Applied.Op> fired = SeriesOps.apply(v, h, C, List.of(new Scaling(1, 0.3)), 5, "w", 0, 0);
    double[] f = Scaling.factors(fired.get(0).params(), C);
    float[] w0 = window();
    float[] h0 = horizon();
    for (int i = 0; i < v.length; i++) {
      assertEquals((float) (w0[i] * f[i % C]), v[i]);
    }
    for (int i = 0; i < h.length; i++) {
      assertEquals((float) (h0[i] * f[i % C]), h[i]);
    }
    assertNotEquals(f[0], f[1]);
  }

  @Test
  void magnitudeWarpOfWindowAndHorizonEqualsWarpOfTheJoinedSeries() {
    SortedMap<String, Object> params =
        new MagnitudeWarp(1, 0.4, 5).draw(new SplittableRandom(3), T, C, H);
    float[] v = window();
    float[] h = horizon();
    new MagnitudeWarp(1, 0.4, 5).apply(v, h, C, params);
    float[] joined = series(T + H, C, 0);
    new MagnitudeWarp(1, 0.4, 5).apply(joined, new float[0], C, params);
    assertArrayEquals(Arrays.copyOfRange(joined, 0, T * C), v);
    assertArrayEquals(Arrays.copyOfRange(joined, T * C, (T + H) * C), h);
    // and the curve did change the horizon, not only the window
    assertFalse(Arrays.equals(horizon(), h));
  }

  @Test
  void driftContinuesIntoTheHorizonFromTheWindowsLastValue() {
    Drift op = new Drift(1, 0.5, 0.5, 5); // knots every (96 - 1) / 5 = 19 steps
    SortedMap<String, Object> params = op.draw(new SplittableRandom(8), T, C, H);
    float[] v = new float[T * C];
    float[] h = new float[H * C];
    op.apply(v, h, C, params);
    // the window's drift does not depend on the horizon, and peaks at exactly `max` per channel
    float[] alone = new float[T * C];
    op.apply(alone, new float[0], C, params);
    assertArrayEquals(alone, v);
    int spacing = (T - 1) / 5;
    for (int c = 0; c < C; c++) {
      double peak = 0;
      for (int j = 0; j <= 5; j++) {
        peak = Math.max(peak, Math.abs(v[j * spacing * C + c]));
      }
      assertEquals(0.5, peak, 1e-6);
      // joined, window ++ horizon is one piecewise-linear walk: constant slope between knots, so
      // the horizon continues the walk from the window's last value: the knot at T - 1 = 95 is the
      // last window step, the next knot sits at 95 + 19 = 114, so horizon steps 96..114
      // (i = 0..18) lie on one straight segment starting at the window's last value
      double last = v[(T - 1) * C + c];
      double step0 = h[c] - last;
      assertTrue(Math.abs(step0) < 0.5, "the horizon starts near the window's last drift value");
      for (int i = 1; i <= 18; i++) {
        assertEquals(step0, h[i * C + c] - h[(i - 1) * C + c], 1e-5, "constant slope in horizon");
      }
    }
  }

  @Test
  void shiftPaddings() {
    float[] v = {1, 2, 3, 4, 5};
    float[] roll = v.clone();
    shift("circular", 2).apply(roll, new float[0], 1, params(2, "circular"));
    assertArrayEquals(new float[] {4, 5, 1, 2, 3}, roll);
    float[] zero = v.clone();
    shift("zero", -2).apply(zero, new float[0], 1, params(-2, "zero"));
    assertArrayEquals(new float[] {3, 4, 5, 0, 0}, zero);
    float[] edge = v.clone();
    shift("edge", 2).apply(edge, new float[0], 1, params(2, "edge"));
    assertArrayEquals(new float[] {1, 1, 1, 2, 3}, edge);
  }

  private static Shift shift(String padding, int s) {
    return new Shift(1, s, s, padding);
  }

  private static SortedMap<String, Object> params(long shift, String padding) {
    SortedMap<String, Object> m = new TreeMap<>();
    m.put("shift", shift);
    m.put("padding", padding);
    return m;
  }

  @Test
  void dropoutFills() {
    float[] v = {1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60};
    // find a record that drops step 0 and some later step, to see both fill rules
    for (long seed = 0; ; seed++) {
      SortedMap<String, Object> m = new TreeMap<>();
      m.put("rate", 0.34);
      m.put("size", 1L);
      m.put("fill", "previous");
      m.put("drop_seed", seed);
      boolean[] d = Dropout.dropped(m, 6);
      if (!d[0] || d[1] || !(d[3] || d[4] || d[5])) {
        continue;
      }
      float[] prev = v.clone();
      new Dropout(1, 0.34, 1, "previous").apply(prev, new float[0], 2, m);
      float[] zero = v.clone();
      m.put("fill", "zero");
      new Dropout(1, 0.34, 1, "zero").apply(zero, new float[0], 2, m);
      for (int i = 0; i < 6; i++) {
        float[] expectPrev =
            !d[i]
                ? new float[] {v[2 * i], v[2 * i + 1]}
                : i == 0 ? new float[] {2, 20} : new float[] {prev[2 * i - 2], prev[2 * i - 1]};
        assertArrayEquals(expectPrev, Arrays.copyOfRange(prev, 2 * i, 2 * i + 2), "step " + i);
        float[] expectZero = d[i] ? new float[] {0, 0} : new float[] {v[2 * i], v[2 * i + 1]};
        assertArrayEquals(expectZero, Arrays.copyOfRange(zero, 2 * i, 2 * i + 2), "step " + i);
      }
      return;
    }
  }

  @Test
  void permutationReordersWholeSegments() {
    float[] v = new float[10];
    for (int i = 0; i < 10; i++) {
      v[i] = i;
    }
    SortedMap<String, Object> m = new TreeMap<>();
    m.put("segments", 3L);
    m.put("order", "2,0,1");
    new Permutation(1, 3, 3).apply(v, new float[0], 1, m);
    // segments [0,3) [3,7) [7,10)
    assertArrayEquals(new float[] {7, 8, 9, 0, 1, 2, 3, 4, 5, 6}, v);
  }

  @Test
  void neutralSettingsKeepTheWindow() {
    List<SeriesOp> neutral =
        List.of(
            new Jitter(1, 0, 0),
            new Scaling(1, 0),
            new MagnitudeWarp(1, 0, 4),
            new TimeWarp(1, 0, 4),
            new WindowSlice(1, 1, 1),
            new Shift(1, 0, 0, "zero"),
            new Drift(1, 0, 0, 3),
            new Dropout(1, 0, 1, "zero"),
            new Permutation(1, 1, 1));
    for (SeriesOp op : neutral) {
      float[] v = window();
      SeriesOps.apply(v, horizon(), C, List.of(op), 1, "n", 0, 0);
      assertArrayEquals(window(), v, 1e-5f, op.name());
    }
  }

  @Test
  void warpsKeepBothEnds() {
    for (SeriesOp op : List.of(new TimeWarp(1, 0.5, 4), new WindowWarp(1, 0.3, 0.5, 2))) {
      float[] v = window();
      SeriesOps.apply(v, new float[0], C, List.of(op), 4, "e", 0, 0);
      float[] w = window();
      for (int c = 0; c < C; c++) {
        assertEquals(w[c], v[c], 1e-6, op.name());
        assertEquals(w[(T - 1) * C + c], v[(T - 1) * C + c], 1e-5, op.name());
      }
    }
  }

  @Test
  void badSettingsNameTheFieldAndWhatIsAllowed() {
    assertMessage("jitter.p must be in [0, 1], but was 1.5", () -> new Jitter(1.5, 0, 1));
    assertMessage("jitter.sigma must be a range", () -> new Jitter(1, 0.3, 0.1));
    assertMessage("scaling.sigma must be in [0,", () -> new Scaling(1, -1));
    assertMessage("window_slice.ratio must be a range", () -> new WindowSlice(1, 0.5, 1.5));
    assertMessage(
        "shift.padding must be one of [circular, zero, edge], but was wrap",
        () -> new Shift(1, 0, 1, "wrap"));
    assertMessage(
        "dropout.fill must be one of [zero, previous], but was mean",
        () -> new Dropout(1, 0.1, 1, "mean"));
    assertMessage("permutation.segments must be a range", () -> new Permutation(1, 4, 2));
    assertMessage("drift.points must be in [1, 10000], but was 0", () -> new Drift(1, 0, 1, 0));
  }

  @Test
  void badRecordsAndWindowsAreClearErrors() {
    Jitter j = new Jitter(1, 0.1, 0.1);
    assertMessage(
        "jitter: parameter noise_seed must be a number",
        () ->
            j.apply(new float[6], new float[0], 2, new TreeMap<>(java.util.Map.of("sigma", 0.1))));
    assertMessage(
        "jitter: values (5) and horizon (0) must be multiples of channels (2 >= 1)",
        () -> j.apply(new float[5], new float[0], 2, new TreeMap<>()));
    SortedMap<String, Object> bad = new TreeMap<>();
    bad.put("segments", 3L);
    bad.put("order", "0,0,1");
    assertMessage(
        "permutation: parameter order must list each of 0..2 once, but was 0,0,1",
        () -> new Permutation(1, 3, 3).apply(new float[9], new float[0], 1, bad));
    assertMessage(
        "window_slice: needs a window of at least 2 steps",
        () -> new WindowSlice(1, 0.5, 0.5).draw(new SplittableRandom(1), 1, 1, 0));
    assertMessage(
        "dropout: needs a window of at least 8 steps",
        () -> new Dropout(1, 0.5, 8, "zero").draw(new SplittableRandom(1), 5, 1, 0));
    List<Applied.Op> unknown = List.of(new Applied.Op("mixup", 0, new TreeMap<>()));
    assertMessage(
        "recorded op 'mixup' is not among the ops [jitter]",
        () -> SeriesOps.replay(new float[4], new float[0], 1, List.of(j), unknown));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().contains(expected), ex.getMessage());
  }
}
