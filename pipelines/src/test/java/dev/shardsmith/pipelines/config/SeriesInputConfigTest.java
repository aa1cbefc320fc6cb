package dev.shardsmith.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shardsmith.transforms.kernels.window.SeriesSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code input.kind: series} keys and {@code split.mode: time}: defaults and every bad key. */
class SeriesInputConfigTest {
  @TempDir Path base;

  private RunConfig parse(String yaml) throws Exception {
    return RunConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml), base);
  }

  private String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  private static final String IN =
      "name: s\ninput: {kind: series, files: [d.csv], series: id, time: t, channels: [a, b],"
          + " label: y, window: {length: 10, horizon: 2}";

  @Test
  void defaultsAndTheEffectiveConfig() throws Exception {
    RunConfig c = parse(IN + "}\n");
    SeriesSpec s = c.input().series().spec();
    assertEquals(SeriesSpec.Form.LONG, s.form());
    assertEquals(10, s.stride(), "stride defaults to the window length");
    assertEquals(SeriesSpec.LabelFrom.SERIES, s.labelFrom());
    assertEquals(SeriesSpec.Missing.FILTER, s.missing());
    assertEquals(null, s.timeSplit());
    Map<String, Object> in = (Map<String, Object>) c.effective().get("input");
    assertEquals("long", in.get("layout"));
    assertEquals(List.of("a", "b"), in.get("channels"));
    // Only keys that apply to a series run: no image quality or preprocess defaults.
    assertEquals(Map.of(), c.effective().get("quality"));
    assertEquals(Map.of(), c.effective().get("preprocess"));
    assertFalse(c.effective().toString().contains("min_width"), c.effective().toString());
    assertEquals(Map.of("scale", "none"), c.effective().get("normalize"));
    RunConfig minmax = parse(IN + "}\nnormalize: {scale: minmax}\n");
    assertEquals(Map.of("scale", "minmax"), minmax.effective().get("normalize"));
  }

  @Test
  void timeSplitDefaultsItsGapToWindowPlusHorizon() throws Exception {
    RunConfig c = parse(IN + "}\nsplit: {mode: time, train: 0.6, val: 0.2, test: 0.2}\n");
    assertEquals(12, c.input().series().spec().timeSplit().gap());
    RunConfig wider = parse(IN + "}\nsplit: {mode: time, gap: 30}\n");
    assertEquals(30, wider.input().series().spec().timeSplit().gap());
  }

  @Test
  void badKeysFailBeforeAnyDataIsRead() {
    assertTrue(error(IN + "}\nsplit: {mode: time, gap: 11}\n").contains("split.gap = 11"));
    assertTrue(error(IN + "}\nsplit: {mode: exact, gap: 20}\n").contains("split.gap"));
    assertTrue(error(IN + "}\nsplit: {mode: time, folds: 3}\n").contains("split.folds"));
    assertTrue(
        error("name: s\ninput: {kind: tabular, files: [d.csv], label: y}\nsplit: {mode: time}\n")
            .contains("input.kind = series"));
    assertTrue(error(IN + ", missing: constant}\n").contains("input.missing_value"));
    assertTrue(error(IN + ", missing_value: 3}\n").contains("input.missing = constant only"));
    assertTrue(error(IN + ", missing: zero}\n").contains("input.missing"));
    assertTrue(
        error(IN.replace("window: {length: 10, horizon: 2}", "window: {stride: 2}") + "}\n")
            .contains("input.window.length"));
    assertTrue(error(IN.replace("channels: [a, b]", "channels: [a, t]") + "}\n").contains("\"t\""));
    assertTrue(error(IN.replace("channels: [a, b]", "channels: [a, y]") + "}\n").contains("\"y\""));
    assertTrue(error(IN + ", form: wide}\n").contains("input.time"));
    assertTrue(error(IN + ", extra: 1}\n").contains("extra"));
    assertTrue(error(IN + ", unknown_label: fail}\n").contains("unknown_label = fail"));
    assertTrue(error(IN + "}\nbalance: {strategy: smote}\n").contains("none, undersample"));
    assertTrue(
        error(IN + "}\nnormalize: {scale: zscore, impute: mean}\n").contains("normalize.impute"));
    assertTrue(error(IN + "}\npreprocess: {resize: 8}\n").contains("preprocess"));
    assertTrue(error(IN + "}\naugment: {hflip: {p: 1}}\n").contains("augment.hflip"));
    // copies only come from ops for series
    assertTrue(
        error(IN + "}\naugment: {copies: 2}\n")
            .contains("augment.copies = 2 makes augmented copies, but augment.ops is empty"));
    assertTrue(
        error(IN + "}\nbalance: {strategy: augment}\n")
            .contains("balance.strategy = augment makes augmented copies, but augment.ops"));
    assertTrue(
        error(IN + "}\naugment: {ops: [{op: dropout, size: 20}]}\n")
            .contains("does not fit input.window.length"));
    assertTrue(error(IN.replace("[d.csv]", "[d.txt]") + "}\n").contains(".csv or .parquet"));
  }

  @Test
  void augmentOpsAreParsedAndRecorded() throws Exception {
    RunConfig c =
        parse(IN + "}\naugment: {copies: 2, ops: [{op: jitter}, {op: scaling, sigma: 0.2}]}\n");
    assertEquals(2, c.augment().copies());
    assertEquals(2, c.augment().series().size());
    Map<String, Object> aug = (Map<String, Object>) c.effective().get("augment");
    assertEquals(2, ((List<?>) aug.get("ops")).size());
    assertEquals(0, parse(IN + "}\n").augment().copies(), "no ops, no copies by default");
  }

  @Test
  void resolveChecksTheColumnsOfTheFirstHeader() throws Exception {
    Files.writeString(base.resolve("d.csv"), "id,t,a,y\ns,1,1,up\n");
    RunConfig c = parse(IN + "}\n");
    String m = assertThrows(ConfigException.class, () -> c.input().series().resolve()).getMessage();
    assertTrue(m.contains("[b]"), m);
    RunConfig none = parse(IN.replace("[d.csv]", "[none*.csv]") + "}\n");
    assertThrows(ConfigException.class, () -> none.input().series().resolve());
  }
}
