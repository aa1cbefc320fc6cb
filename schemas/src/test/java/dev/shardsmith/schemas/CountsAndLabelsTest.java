package dev.shardsmith.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountsAndLabelsTest {
  private static Map<String, Long> balanced() {
    Map<String, Long> m = new HashMap<>();
    m.put(CountKey.SOURCES_READ, 120L);
    m.put(CountKey.SOURCES_OK, 117L);
    m.put(CountKey.sourcesRejected("decode"), 2L);
    m.put(CountKey.sourcesRejected("too_large"), 1L);
    m.put(CountKey.SAMPLES_EXTRACTED, 117L);
    m.put(CountKey.SAMPLES_KEPT, 110L);
    m.put(CountKey.samplesFiltered("min_size"), 7L);
    m.put(CountKey.derived(CountKey.AUGMENTED), 176L);
    m.put(CountKey.SAMPLES_WRITTEN, 286L);
    return m;
  }

  @Test
  void designExampleBalances() {
    Counts c = Counts.fromFlat(balanced());
    assertEquals(List.of(), c.violations());
    assertEquals(Map.of("augmented", 176L, "oversampled", 0L, "smote", 0L), c.samples().derived());
    assertEquals(Map.of("decode", 2L, "too_large", 1L), c.sources().rejected());
  }

  @Test
  void eachBrokenEquationIsNamed() {
    Map<String, Long> m = balanced();
    m.put(CountKey.SOURCES_OK, 116L);
    m.put(CountKey.SAMPLES_KEPT, 111L);
    m.put(CountKey.SAMPLES_WRITTEN, 280L);
    List<String> v = Counts.fromFlat(m).violations();
    assertEquals(3, v.size(), v.toString());
    assertTrue(v.get(0).startsWith("sources.read 120 != ok 116"), v.get(0));
    assertTrue(v.get(1).startsWith("samples.extracted 117 != kept 111"), v.get(1));
    assertTrue(v.get(2).startsWith("samples.written 280"), v.get(2));
  }

  @Test
  void labelMapIsSortedOrDeclared() {
    LabelMap sorted = LabelMap.sorted(List.of("zebra", "ant", "moth", "ant"));
    assertEquals(List.of("ant", "moth", "zebra"), sorted.names());
    assertEquals(2, sorted.indexOf("zebra"));
    assertEquals(-1, sorted.indexOf("cat"));
    assertEquals(sorted, LabelMap.sorted(List.of("moth", "zebra", "ant")));
    LabelMap declared = LabelMap.declared(List.of("zebra", "ant"));
    assertEquals(0, declared.indexOf("zebra"));
    assertThrows(IllegalArgumentException.class, () -> LabelMap.declared(List.of("a", "a")));
  }

  @Test
  void appliedJsonRoundTrips() {
    java.util.SortedMap<String, Object> p = new java.util.TreeMap<>();
    p.put("angle", -3.25);
    p.put("k", 7L);
    p.put("s", "x\"y");
    Applied a = Applied.NONE.plus(new Applied.Op("rotate", 1, p));
    assertEquals(
        "{\"v\":"
            + Applied.VERSION
            + ",\"ops\":[{\"op\":\"rotate\",\"pos\":1,\"params\":{\"angle\":-3.25,\"k\":7,\"s\":\"x\\\"y\"}}]}",
        a.toJson());
    assertEquals(a, Applied.fromJson(a.toJson()));
  }
}
