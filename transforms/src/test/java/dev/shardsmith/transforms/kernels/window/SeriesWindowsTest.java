package dev.shardsmith.transforms.kernels.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SeriesWindowsTest {
  private static SeriesSpec spec(
      int t, int stride, int h, SeriesSpec.Missing m, SeriesSpec.TimeSplit ts) {
    return new SeriesSpec(
        SeriesSpec.Form.LONG,
        "id",
        "t",
        List.of("x"),
        "y",
        t,
        stride,
        h,
        SeriesSpec.LabelFrom.LAST,
        m,
        -1f,
        ts);
  }

  private record W(int start, float[] values, float[] horizon, String label, Split split) {}

  private static List<W> cut(float[] x, SeriesSpec spec, Map<String, Integer> filtered) {
    float[][] steps = new float[x.length][];
    String[] labels = new String[x.length];
    for (int i = 0; i < x.length; i++) {
      steps[i] = new float[] {x[i]};
      labels[i] = "L" + i;
    }
    List<W> out = new ArrayList<>();
    SeriesWindows.cut(
        steps,
        labels,
        spec,
        new SeriesWindows.Visitor() {
          @Override
          public void window(int start, float[] v, float[] h, String label, Split split) {
            out.add(new W(start, v, h, label, split));
          }

          @Override
          public void filtered(int start, String reason, String detail) {
            filtered.merge(reason, 1, Integer::sum);
          }
        });
    return out;
  }

  @Test
  void windowsStrideHorizonAndLastStepLabel() {
    Map<String, Integer> f = new TreeMap<>();
    List<W> w =
        cut(new float[] {0, 1, 2, 3, 4, 5, 6}, spec(3, 2, 1, SeriesSpec.Missing.FILTER, null), f);
    assertEquals(List.of(0, 2), w.stream().map(W::start).toList());
    assertArrayEquals(new float[] {2, 3, 4}, w.get(1).values());
    assertArrayEquals(new float[] {5}, w.get(1).horizon());
    assertEquals("L4", w.get(1).label());
    assertTrue(f.isEmpty());
  }

  @Test
  void eachImputationMethodAndTheFilter() {
    float nan = Float.NaN;
    float[] x = {nan, 2, nan, nan, 8};
    Map<String, Integer> f = new TreeMap<>();
    assertArrayEquals(
        new float[] {2, 2, 2, 2, 8},
        cut(x, spec(5, 1, 0, SeriesSpec.Missing.FORWARD_FILL, null), f).get(0).values());
    assertArrayEquals(
        new float[] {2, 2, 4, 6, 8},
        cut(x, spec(5, 1, 0, SeriesSpec.Missing.LINEAR, null), f).get(0).values());
    assertArrayEquals(
        new float[] {5, 2, 5, 5, 8},
        cut(x, spec(5, 1, 0, SeriesSpec.Missing.MEAN, null), f).get(0).values());
    assertArrayEquals(
        new float[] {-1, 2, -1, -1, 8},
        cut(x, spec(5, 1, 0, SeriesSpec.Missing.CONSTANT, null), f).get(0).values());
    assertTrue(f.isEmpty());
    assertEquals(0, cut(x, spec(5, 1, 0, SeriesSpec.Missing.FILTER, null), f).size());
    assertEquals(Map.of("missing", 1), f);
    // a channel with no value at all cannot be imputed from the window: filtered
    f.clear();
    assertEquals(
        0, cut(new float[] {nan, nan}, spec(2, 1, 0, SeriesSpec.Missing.LINEAR, null), f).size());
    assertEquals(Map.of("missing", 1), f);
  }

  @Test
  void timeSplitKeepsTheGapAndCountsWhatItDrops() {
    int t = 8;
    int h = 2;
    int gap = t + h;
    SeriesSpec spec =
        spec(t, 1, h, SeriesSpec.Missing.FILTER, new SeriesSpec.TimeSplit(0.6, 0.2, 0.2, gap));
    float[] x = new float[500];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    Map<String, Integer> f = new TreeMap<>();
    List<W> w = cut(x, spec, f);
    Map<Split, List<W>> by = new TreeMap<>();
    for (W win : w) {
      by.computeIfAbsent(win.split(), k -> new ArrayList<>()).add(win);
    }
    assertEquals(3, by.size(), "one series gives train, val and test");
    for (W a : w) {
      for (W b : w) {
        if (a.split().ordinal() < b.split().ordinal()) {
          // a's range with horizon ends, then at least gap steps, then b starts
          long aEnd = a.start() + t + h;
          assertTrue(b.start() >= aEnd + gap, "gap between " + a.start() + " and " + b.start());
        }
      }
    }
    // in time order: every train window before every val window before every test window
    assertTrue(
        by.get(Split.TRAIN).get(by.get(Split.TRAIN).size() - 1).start()
            < by.get(Split.VAL).get(0).start());
    assertTrue(
        by.get(Split.VAL).get(by.get(Split.VAL).size() - 1).start()
            < by.get(Split.TEST).get(0).start());
    int windows = x.length - t - h + 1;
    assertEquals(windows, w.size() + f.get("time_gap"));
    // each boundary drops the windows ending in (b, b + gap + t + h - 1]: gap + t + h - 1 of them
    assertEquals(2 * (gap + t + h - 1), f.get("time_gap"));
    assertThrows(
        IllegalArgumentException.class,
        () -> spec(t, 1, h, SeriesSpec.Missing.FILTER, new SeriesSpec.TimeSplit(0.6, 0.2, 0.2, t)));
  }

  @Test
  void timestampsInEachFormAndABadOne() {
    assertEquals(946684800L, Timestamps.parse("Jan 1 2000"));
    assertEquals(946684800L, Timestamps.parse("2000-01-01"));
    assertEquals(946684800L, Timestamps.parse("2000/01/01"));
    assertEquals(946684860L, Timestamps.parse("2000-01-01T00:01:00"));
    assertEquals(946684800L, Timestamps.parse("2000-01-01T01:00:00+01:00"));
    assertEquals(42L, Timestamps.parse("42"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Timestamps.parse("yesterday"));
    assertTrue(e.getMessage().contains("yesterday"));
  }
}
