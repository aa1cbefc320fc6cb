package dev.shardsmith.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shardsmith.transforms.kernels.series.Drift;
import dev.shardsmith.transforms.kernels.series.Dropout;
import dev.shardsmith.transforms.kernels.series.Jitter;
import dev.shardsmith.transforms.kernels.series.MagnitudeWarp;
import dev.shardsmith.transforms.kernels.series.Permutation;
import dev.shardsmith.transforms.kernels.series.Scaling;
import dev.shardsmith.transforms.kernels.series.SeriesOp;
import dev.shardsmith.transforms.kernels.series.Shift;
import dev.shardsmith.transforms.kernels.series.SpawnerOp;
import dev.shardsmith.transforms.kernels.series.TimeWarp;
import dev.shardsmith.transforms.kernels.series.WindowSlice;
import dev.shardsmith.transforms.kernels.series.WindowWarp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesOpConfigTest {
  private static List<SeriesOp> parse(String yaml) throws Exception {
    return SeriesOpConfig.parseList(
        new Section("augment", new ObjectMapper(new YAMLFactory()).readTree(yaml)), "ops");
  }

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void everyOpWithItsDefaults() throws Exception {
    StringBuilder yaml = new StringBuilder("ops:\n");
    for (String name : SeriesOpConfig.NAMES) {
      yaml.append("  - {op: ").append(name).append("}\n");
    }
    assertEquals(
        List.of(
            new Jitter(0.5, 0.03, 0.03),
            new Scaling(0.5, 0.1),
            new MagnitudeWarp(0.5, 0.2, 4),
            new TimeWarp(0.5, 0.2, 4),
            new WindowSlice(0.5, 0.9, 0.9),
            new WindowWarp(0.5, 0.1, 0.5, 2.0),
            new Shift(0.5, -10, 10, "circular"),
            new Drift(0.5, 0.5, 0.5, 3),
            new Dropout(0.5, 0.05, 1, "previous"),
            new Permutation(0.5, 2, 5),
            new SpawnerOp(0.5, 0.1, 0.05)),
        parse(yaml.toString()));
  }

  @Test
  void everySettingReachesTheOp() throws Exception {
    assertEquals(
        List.of(
            new Jitter(1, 0.01, 0.05),
            new Scaling(0.2, 0.3),
            new MagnitudeWarp(0.5, 0.1, 6),
            new TimeWarp(0.5, 0.4, 2),
            new WindowSlice(0.5, 0.7, 0.8),
            new WindowWarp(0.5, 0.2, 0.25, 4),
            new Shift(0.5, 2, 8, "edge"),
            new Drift(0.5, 0.1, 0.3, 7),
            new Dropout(0.5, 0.2, 5, "zero"),
            new Permutation(0.5, 3, 3)),
        parse(
            """
            ops:
              - {op: jitter, p: 1, sigma: [0.01, 0.05]}
              - {op: scaling, p: 0.2, sigma: 0.3}
              - {op: magnitude_warp, sigma: 0.1, knots: 6}
              - {op: time_warp, sigma: 0.4, knots: 2}
              - {op: window_slice, ratio: [0.7, 0.8]}
              - {op: window_warp, window_ratio: 0.2, scale: [0.25, 4]}
              - {op: shift, shift: [2, 8], padding: edge}
              - {op: drift, max_drift: [0.1, 0.3], points: 7}
              - {op: dropout, rate: 0.2, size: 5, fill: zero}
              - {op: permutation, segments: [3, 3]}
            """));
  }

  @Test
  void badEntriesNameTheKeyTheValueAndWhatIsAllowed() {
    assertTrue(
        error("ops: [{op: mixup}]")
            .startsWith("augment.ops[0].op = mixup is not allowed: use one of jitter, scaling,"));
    assertEquals(
        "augment.ops[0].sigmaa is not a known key: augment.ops[0] takes op, p, sigma",
        error("ops: [{op: scaling, sigmaa: 0.1}]"));
    assertTrue(
        error("ops: [{op: shift, padding: wrap}]")
            .contains(
                "augment.ops[0].padding = wrap is not allowed: use one of circular, zero, edge"));
    assertTrue(error("ops: [{op: jitter, sigma: 0.1}]").contains("must be a list of two numbers"));
    assertTrue(error("ops: [{op: jitter, p: 2}]").contains("augment.ops[0].p = 2 is out of range"));
    assertTrue(
        error("ops: [{op: window_warp, window_ratio: 0}]")
            .startsWith("augment.ops[0] (window_warp): window_warp.window_ratio must be in"));
    assertTrue(error("ops: [{op: permutation, segments: [2.5, 3]}]").contains("must be integers"));
  }

  private static Section augment(String yaml) throws Exception {
    return new Section("augment", new ObjectMapper(new YAMLFactory()).readTree(yaml));
  }

  @Test
  void parseAugmentReadsOpsAndLeavesTheCommonKeysToRunConfig() throws Exception {
    Section a =
        augment(
            """
            copies: 2
            ops:
              - {op: scaling, p: 1, sigma: 0.2}
              - {op: jitter, sigma: [0.01, 0.02]}
            """);
    assertEquals(
        List.of(new Scaling(1, 0.2), new Jitter(0.5, 0.01, 0.02)), SeriesOpConfig.parseAugment(a));
    assertEquals(2, a.integer("copies", 1, 0, 10)); // as RunConfig reads it
    a.finish(); // ops and copies were both consumed
    assertEquals(List.of(), SeriesOpConfig.parseAugment(augment("copies: 1")));
  }

  @Test
  void parseAugmentLeavesAnUnknownAugmentKeyToFinish() throws Exception {
    Section a = augment("copies: 1\nopz: [{op: jitter}]");
    assertEquals(List.of(), SeriesOpConfig.parseAugment(a));
    a.integer("copies", 1, 0, 10);
    assertEquals(
        "augment.opz is not a known key: augment takes ops, copies",
        assertThrows(ConfigException.class, a::finish).getMessage());
  }

  @Test
  void badRangesNameTheKeyAndTheBounds() {
    assertEquals(
        "augment.ops[0].sigma = [0.05,0.01] must have low <= high",
        error("ops: [{op: jitter, sigma: [0.05, 0.01]}]"));
    assertTrue(
        error("ops: [{op: window_slice, ratio: [0.5, 1.5]}]")
            .startsWith("augment.ops[0].ratio[1] = 1.5 is out of range: must be in [0"));
    assertTrue(
        error("ops: [{op: shift, shift: [-3, 3], padding: edge, p: -0.1}]")
            .startsWith("augment.ops[0].p = -0.1 is out of range"));
    assertTrue(error("ops: [{p: 0.5}]").startsWith("augment.ops[0].op is required"));
    assertTrue(error("ops: {op: jitter}").contains("must be a list of mappings"));
  }

  @Test
  void effectiveConfigParsesBackToTheSameOps() throws Exception {
    List<SeriesOp> ops =
        parse(
            """
            ops:
              - {op: jitter, p: 1, sigma: [0.01, 0.05]}
              - {op: scaling}
              - {op: magnitude_warp, knots: 6}
              - {op: time_warp, sigma: 0.4}
              - {op: window_slice, ratio: [0.7, 0.8]}
              - {op: window_warp, scale: [0.25, 4]}
              - {op: shift, padding: edge}
              - {op: drift, points: 7}
              - {op: dropout, fill: zero}
              - {op: permutation, segments: [3, 3]}
            """);
    Map<String, Object> eff = SeriesOpConfig.effective(ops);
    assertEquals(
        Map.of("op", "window_warp", "p", 0.5, "window_ratio", 0.1, "scale", List.of(0.25, 4.0)),
        ((List<?>) eff.get("ops")).get(5));
    ObjectMapper json = new ObjectMapper();
    Section back = new Section("augment", json.readTree(json.writeValueAsString(eff)));
    assertEquals(ops, SeriesOpConfig.parseAugment(back));
    back.finish();
  }

  @Test
  void spawnerIsTheFirstOpOfAClassificationRunAndParsesBack() throws Exception {
    Section a =
        augment(
            """
            ops:
              - {op: spawner, p: 0.3, band: 0.2, sigma: 0.01}
              - {op: jitter}
            """);
    List<SeriesOp> ops = SeriesOpConfig.parseAugment(a);
    assertEquals(List.of(new SpawnerOp(0.3, 0.2, 0.01), new Jitter(0.5, 0.03, 0.03)), ops);
    Map<String, Object> eff = SeriesOpConfig.effective(ops);
    assertEquals(
        Map.of("op", "spawner", "p", 0.3, "band", 0.2, "sigma", 0.01),
        ((List<?>) eff.get("ops")).get(0));
    ObjectMapper json = new ObjectMapper();
    assertEquals(
        ops,
        SeriesOpConfig.parseAugment(
            new Section("augment", json.readTree(json.writeValueAsString(eff)))));
    assertEquals(
        "augment.ops[1] (spawner) must be augment.ops[0]: it mixes the window with a partner of"
            + " its class, and the other ops then act on the mix",
        assertThrows(
                ConfigException.class,
                () -> SeriesOpConfig.parseAugment(augment("ops: [{op: jitter}, {op: spawner}]")))
            .getMessage());
    assertTrue(error("ops: [{op: spawner, band: 1.5}]").contains("augment.ops[0].band = 1.5"));
    SeriesOpConfig.checkWindow(ops, 8, 0, "input.window"); // fits
    String horizon =
        assertThrows(
                ConfigException.class, () -> SeriesOpConfig.checkWindow(ops, 8, 2, "input.window"))
            .getMessage();
    assertTrue(horizon.startsWith("augment.ops[0] (spawner) does not fit"), horizon);
    assertTrue(horizon.contains("horizon of 2 steps"), horizon);
    assertTrue(
        assertThrows(
                ConfigException.class, () -> SeriesOpConfig.checkWindow(ops, 3, 0, "input.window"))
            .getMessage()
            .startsWith("augment.ops[0] (spawner)"));
  }

  @Test
  void anOpThatNeedsALongerWindowFailsBeforeData() throws Exception {
    List<SeriesOp> ops = parse("ops: [{op: jitter}, {op: dropout, size: 8}, {op: window_slice}]");
    SeriesOpConfig.checkWindow(ops, 8, 2, "input.window"); // fits
    assertEquals(
        "augment.ops[1] (dropout) does not fit input.window = 4: dropout: needs a window of at"
            + " least 8 steps and 1 channel, but got 4 x 1",
        assertThrows(
                ConfigException.class, () -> SeriesOpConfig.checkWindow(ops, 4, 0, "input.window"))
            .getMessage());
    assertTrue(
        assertThrows(
                ConfigException.class, () -> SeriesOpConfig.checkWindow(ops, 1, 0, "input.window"))
            .getMessage()
            .startsWith("augment.ops[1] (dropout)"));
  }
}
