package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.SeriesPayload;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.series.Drift;
import dev.shardsmith.transforms.kernels.series.Jitter;
import dev.shardsmith.transforms.kernels.series.Scaling;
import dev.shardsmith.transforms.kernels.series.SeriesOp;
import dev.shardsmith.transforms.kernels.series.SeriesOps;
import dev.shardsmith.transforms.kernels.series.SpawnerOp;
import dev.shardsmith.transforms.kernels.series.TimeWarp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

/**
 * Windows cut from Debian's {@code python3-vega-datasets} {@code stocks.csv}: monthly prices of
 * MSFT and AAPL as two channels, 24 months of window and a 6-month horizon.
 */
class AugmentSeriesTest {
  private static final Path STOCKS =
      Path.of("/usr/lib/python3/dist-packages/vega_datasets/_data/stocks.csv");
  private static final int T = 24;
  private static final int H = 6;
  private static final int C = 2;

  private static final List<SeriesOp> OPS =
      List.of(
          new Scaling(1, 0.1),
          new Jitter(1, 0.5, 1.0),
          new TimeWarp(0.5, 0.2, 4),
          new Drift(0.7, 1, 3, 3));

  /** {@code symbol -> prices} in file order. */
  private static Map<String, List<Float>> prices() {
    Map<String, List<Float>> m = new TreeMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(STOCKS);
    } catch (IOException e) {
      throw new IllegalStateException("Debian python3-vega-datasets is needed: " + STOCKS, e);
    }
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      m.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Float.parseFloat(f[f.length - 1]));
    }
    return m;
  }

  private static final Map<String, List<Float>> PRICES = prices();

  /** MSFT and AAPL from month {@code start}: {@code T x 2} values and {@code H x 2} horizon. */
  private static SeriesPayload window(long start) {
    List<Float> a = PRICES.get("MSFT");
    List<Float> b = PRICES.get("AAPL");
    float[] v = new float[T * C];
    float[] h = new float[H * C];
    for (int t = 0; t < T + H; t++) {
      float[] dst = t < T ? v : h;
      int row = t < T ? t : t - T;
      dst[row * C] = a.get((int) start + t);
      dst[row * C + 1] = b.get((int) start + t);
    }
    return new SeriesPayload("msft+aapl", start, T, C, v, h);
  }

  private static Sample sample(String id, long start, Split split, int copies) {
    return Sample.builder()
        .id(id)
        .group("g-" + id)
        .labels(List.of("tech"))
        .split(split)
        .fold(split == Split.TRAIN ? 1 : Sample.NO_FOLD)
        .payloadHash("hash-" + id)
        .copyCount(copies)
        .payload(window(start))
        .build();
  }

  private static final Sample TRAIN = sample("stocks@0", 0, Split.TRAIN, 2);
  private static final Sample VAL = sample("stocks@40", 40, Split.VAL, 2);
  private static final Sample TEST = sample("stocks@80", 80, Split.TEST, 1);

  /** What copy {@code k} must be, built straight from the kernel. */
  private static Sample expectedCopy(Sample src, List<SeriesOp> ops, long seed, int k) {
    SeriesPayload w = (SeriesPayload) src.payload();
    float[] v = w.values().clone();
    float[] h = w.horizon().clone();
    List<Applied.Op> fired = SeriesOps.apply(v, h, C, ops, seed, src.id(), 0, k);
    return src.toBuilder()
        .id(src.id() + "#aug" + k)
        .sourceIds(List.of(src.id()))
        .copyCount(0)
        .derived(CountKey.AUGMENTED, k)
        .applied(Applied.of(Applied.VERSION, fired))
        .payload(new SeriesPayload(w.seriesId(), w.start(), T, C, v, h))
        .build();
  }

  private static PCollectionTuple run(TestPipeline p, String name, AugmentSeries t) {
    return p.apply(name + "In", Create.of(List.of(TRAIN, VAL, TEST)).withCoder(SampleCoder.of()))
        .apply(name, t);
  }

  private static Set<String> ids(Iterable<Sample> rows) {
    Set<String> s = new TreeSet<>();
    rows.forEach(x -> s.add(x.id() + "|" + x.derivedKind() + "|" + x.copyIndex()));
    return s;
  }

  @Test
  void trainGetsCopiesAtTheOffsetValAndTestPassUntouched() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out = run(p, "Augment", AugmentSeries.of(OPS, 7).withCopyOffset(3));
    PAssert.that(out.get(AugmentSeries.OK))
        .containsInAnyOrder(
            TRAIN, expectedCopy(TRAIN, OPS, 7, 3), expectedCopy(TRAIN, OPS, 7, 4), VAL, TEST);
    PAssert.that(out.get(AugmentSeries.OK))
        .satisfies(
            rows -> {
              assertEquals(
                  Set.of(
                      "stocks@0|null|-1",
                      "stocks@0#aug3|augmented|3",
                      "stocks@0#aug4|augmented|4",
                      "stocks@40|null|-1",
                      "stocks@80|null|-1"),
                  ids(rows));
              for (Sample x : rows) {
                if (x.isDerived()) {
                  assertEquals("g-stocks@0", x.group());
                  assertEquals("hash-stocks@0", x.payloadHash());
                  assertEquals(Split.TRAIN, x.split());
                  assertEquals(1, x.fold());
                  assertEquals(Applied.VERSION, x.applied().version());
                  assertFalse(x.applied().ops().isEmpty(), "scaling and jitter always fire");
                  assertNotEquals(TRAIN.payload(), x.payload());
                }
              }
              return null;
            });
    PAssert.that(out.get(AugmentSeries.COUNTS)).empty();
    PAssert.that(out.get(AugmentSeries.REJECTED)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void withoutOriginalsTrainKeepsOnlyItsCopies() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out = run(p, "Augment", AugmentSeries.of(OPS, 7).withIncludeOriginal(false));
    PAssert.that(out.get(AugmentSeries.OK))
        .containsInAnyOrder(
            expectedCopy(TRAIN, OPS, 7, 0), expectedCopy(TRAIN, OPS, 7, 1), VAL, TEST);
    p.run().waitUntilFinish();
  }

  /** A classification window (no horizon) of {@code labels}, in {@code split} and {@code fold}. */
  private static Sample classWindow(
      String id, long start, Split split, int fold, String label, int copies) {
    SeriesPayload w = window(start);
    return sample(id, start, split, copies).toBuilder()
        .labels(List.of(label))
        .fold(fold)
        .payload(new SeriesPayload(w.seriesId(), start, T, C, w.values(), new float[0]))
        .build();
  }

  /** a0..a2: one class and fold; a3 alone in its fold, b0 alone in its class; v0 in val. */
  private static Map<String, Sample> spawnerRows() {
    List<Sample> rows =
        List.of(
            classWindow("a0", 0, Split.TRAIN, 1, "tech", 3),
            classWindow("a1", 10, Split.TRAIN, 1, "tech", 3),
            classWindow("a2", 20, Split.TRAIN, 1, "tech", 3),
            classWindow("a3", 30, Split.TRAIN, 2, "tech", 2),
            classWindow("b0", 40, Split.TRAIN, 1, "other", 1),
            classWindow("v0", 50, Split.VAL, Sample.NO_FOLD, "tech", 2));
    Map<String, Sample> byId = new TreeMap<>();
    rows.forEach(r -> byId.put(r.id(), r));
    return byId;
  }

  @Test
  void spawnerMixesEachCopyWithAnotherTrainWindowOfItsClassAndFold() {
    List<Sample> rows = List.copyOf(spawnerRows().values());
    List<SeriesOp> ops = List.of(new SpawnerOp(1, 0.1, 0.01), new Scaling(0.5, 0.1));
    long seed = 5;
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out =
        p.apply(Create.of(rows).withCoder(SampleCoder.of())).apply(AugmentSeries.of(ops, seed));
    PAssert.that(out.get(AugmentSeries.OK))
        .satisfies(
            got -> {
              Map<String, Sample> byId = spawnerRows();
              int copies = 0;
              int mixed = 0;
              Set<String> originals = new TreeSet<>();
              for (Sample x : got) {
                if (!x.isDerived()) {
                  originals.add(x.id());
                  continue;
                }
                copies++;
                Sample src = byId.get(x.id().substring(0, x.id().indexOf('#')));
                assertEquals(Split.TRAIN, src.split(), x.id());
                Applied record = Applied.fromJson(x.applied().toJson());
                List<Applied.Op> recorded = record.ops();
                float[] v = ((SeriesPayload) src.payload()).values().clone();
                if (src.id().equals("a3") || src.id().equals("b0")) {
                  // no other original in the class and fold: not mixed, one parent
                  assertEquals(List.of(src.id()), x.sourceIds(), x.id());
                  assertTrue(recorded.stream().noneMatch(o -> o.op().equals("spawner")), x.id());
                } else {
                  mixed++;
                  Applied.Op spawn = recorded.get(0);
                  assertEquals("spawner", spawn.op());
                  assertEquals(0, spawn.position());
                  String partner = (String) spawn.params().get(SpawnerOp.PARTNER);
                  List<String> others = new ArrayList<>(List.of("a0", "a1", "a2"));
                  others.remove(src.id());
                  // the documented pick: uniform over the others by id, from its own stream
                  String want =
                      others.get(
                          dev.shardsmith.transforms.kernels.Seeds.of(
                                  seed, src.id(), "spawner_partner", 0, x.copyIndex())
                              .nextInt(others.size()));
                  assertEquals(want, partner, x.id());
                  assertEquals(List.of(src.id(), partner), x.sourceIds(), x.id());
                  assertEquals(src.fold(), byId.get(partner).fold());
                  assertEquals(src.labels(), byId.get(partner).labels());
                  // replay: mix with the recorded partner, then the other recorded ops
                  v =
                      SpawnerOp.mix(
                          v,
                          ((SeriesPayload) byId.get(partner).payload()).values(),
                          C,
                          new TreeMap<>(spawn.params()));
                  recorded = recorded.subList(1, recorded.size());
                }
                SeriesOps.replay(v, new float[0], C, ops.subList(1, 2), recorded);
                assertArrayEquals(v, ((SeriesPayload) x.payload()).values(), x.id());
                // a mixed copy is a new window (an unmixed one may have no op fire)
                assertTrue(
                    x.sourceIds().size() == 1
                        || ((SeriesPayload) src.payload()).values()[0]
                            != ((SeriesPayload) x.payload()).values()[0],
                    x.id());
              }
              assertEquals(9 + 2 + 1, copies, "val gets no copies");
              assertEquals(9, mixed);
              assertEquals(byId.keySet(), originals);
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void spawnerOnlyFirstAndNeverReplayedWithoutItsPartner() {
    SpawnerOp spawner = new SpawnerOp(1, 0.1, 0.05);
    IllegalArgumentException late =
        assertThrows(
            IllegalArgumentException.class,
            () -> AugmentSeries.of(List.of(new Scaling(1, 0.1), spawner), 1));
    assertTrue(late.getMessage().contains("first op"), late.getMessage());
    IllegalArgumentException horizon =
        assertThrows(
            IllegalArgumentException.class,
            () -> spawner.draw(new java.util.SplittableRandom(1), T, C, H));
    assertTrue(horizon.getMessage().contains("horizon"), horizon.getMessage());
    float[] v = new float[T * C];
    IllegalArgumentException replay =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SeriesOps.replay(
                    v,
                    new float[0],
                    C,
                    List.of(spawner),
                    List.of(
                        new Applied.Op(
                            "spawner",
                            0,
                            new TreeMap<>(Map.of(SpawnerOp.PARTNER, "a1", "band", 0.1))))));
    assertTrue(replay.getMessage().contains("a1"), replay.getMessage());
  }

  @Test
  void sameSeedSameRowsAndAnotherSeedOtherRows() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<Sample> first = run(p, "First", AugmentSeries.of(OPS, 7)).get(AugmentSeries.OK);
    PCollection<Sample> second = run(p, "Second", AugmentSeries.of(OPS, 7)).get(AugmentSeries.OK);
    PCollection<Sample> other = run(p, "Other", AugmentSeries.of(OPS, 8)).get(AugmentSeries.OK);
    List<Sample> want =
        List.of(TRAIN, expectedCopy(TRAIN, OPS, 7, 0), expectedCopy(TRAIN, OPS, 7, 1), VAL, TEST);
    PAssert.that(first).containsInAnyOrder(want);
    PAssert.that(second).containsInAnyOrder(want);
    PAssert.that(other)
        .satisfies(
            rows -> {
              int copies = 0;
              for (Sample x : rows) {
                if (x.isDerived()) {
                  copies++;
                  Sample seed7 = expectedCopy(TRAIN, OPS, 7, x.copyIndex());
                  assertEquals(seed7.id(), x.id());
                  assertNotEquals(seed7.payload(), x.payload(), "seed 8 draws other values");
                  assertNotEquals(seed7.applied(), x.applied());
                }
              }
              assertEquals(2, copies);
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void replayingTheRecordOnTheSourceGivesTheSameFloats() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out = run(p, "Augment", AugmentSeries.of(OPS, 11).withCopyOffset(5));
    PAssert.that(out.get(AugmentSeries.OK))
        .satisfies(
            rows -> {
              int copies = 0;
              for (Sample x : rows) {
                if (x.isDerived()) {
                  copies++;
                  // through the record's JSON, as a reader of the shards would get it
                  Applied record = Applied.fromJson(x.applied().toJson());
                  SeriesPayload src = (SeriesPayload) TRAIN.payload();
                  float[] v = src.values().clone();
                  float[] h = src.horizon().clone();
                  SeriesOps.replay(v, h, C, OPS, record.ops());
                  SeriesPayload got = (SeriesPayload) x.payload();
                  assertArrayEquals(v, got.values(), x.id());
                  assertArrayEquals(h, got.horizon(), x.id());
                }
              }
              assertEquals(2, copies);
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void scalingScalesTheHorizonJitterLeavesIt() {
    List<SeriesOp> scaling = List.of(new Scaling(1, 0.3));
    List<SeriesOp> jitter = List.of(new Jitter(1, 0.5, 0.5));
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<Sample> scaled =
        run(p, "Scale", AugmentSeries.of(scaling, 3).withIncludeOriginal(false))
            .get(AugmentSeries.OK);
    PCollection<Sample> noisy =
        run(p, "Noise", AugmentSeries.of(jitter, 3).withIncludeOriginal(false))
            .get(AugmentSeries.OK);
    PAssert.that(scaled)
        .satisfies(
            rows -> {
              int copies = 0;
              for (Sample x : rows) {
                if (!x.isDerived()) {
                  continue;
                }
                copies++;
                SeriesPayload src = (SeriesPayload) TRAIN.payload();
                SeriesPayload got = (SeriesPayload) x.payload();
                Applied.Op op = x.applied().ops().get(0);
                assertEquals(Scaling.NAME, op.op());
                for (int c = 0; c < C; c++) {
                  double f = op.number("factor_" + c, Double.NaN);
                  assertNotEquals(1.0, f);
                  for (int t = 0; t < T; t++) {
                    assertEquals(
                        (float) (src.values()[t * C + c] * f), got.values()[t * C + c], 0f);
                  }
                  for (int t = 0; t < H; t++) {
                    assertEquals(
                        (float) (src.horizon()[t * C + c] * f), got.horizon()[t * C + c], 0f);
                  }
                }
              }
              assertEquals(2, copies);
              return null;
            });
    PAssert.that(noisy)
        .satisfies(
            rows -> {
              int copies = 0;
              for (Sample x : rows) {
                if (!x.isDerived()) {
                  continue;
                }
                copies++;
                SeriesPayload src = (SeriesPayload) TRAIN.payload();
                SeriesPayload got = (SeriesPayload) x.payload();
                assertArrayEquals(src.horizon(), got.horizon(), "jitter leaves the horizon");
                assertFalse(
                    java.util.Arrays.equals(src.values(), got.values()), "jitter moves the window");
              }
              assertEquals(2, copies);
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void aCopyThatOverflowsToInfinityIsDroppedAndCounted() {
    // factors of about 1e300 take any price beyond float's range
    List<SeriesOp> huge = List.of(new Scaling(1, 1e300));
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out = run(p, "Augment", AugmentSeries.of(huge, 7));
    PAssert.that(out.get(AugmentSeries.OK)).containsInAnyOrder(TRAIN, VAL, TEST);
    PAssert.that(out.get(AugmentSeries.COUNTS))
        .containsInAnyOrder(
            KV.of(CountKey.derivedFiltered(AugmentSeries.NON_FINITE), 1L),
            KV.of(CountKey.derivedFiltered(AugmentSeries.NON_FINITE), 1L));
    p.run().waitUntilFinish();
  }

  @Test
  void aNonSeriesSampleIsRejectedNotPassed() {
    Sample features =
        TRAIN.toBuilder().id("f/1").payload(new FeaturePayload(new float[] {1f}, null)).build();
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out =
        p.apply(Create.of(List.of(features)).withCoder(SampleCoder.of()))
            .apply(AugmentSeries.of(OPS, 7));
    PAssert.that(out.get(AugmentSeries.OK)).empty();
    PAssert.that(out.get(AugmentSeries.COUNTS)).empty();
    PAssert.that(out.get(AugmentSeries.REJECTED))
        .satisfies(
            r -> {
              List<String> got = new ArrayList<>();
              r.forEach(x -> got.add(x.sampleId() + " " + x.stage() + " " + x.reason()));
              assertEquals(List.of("f/1 augment_series not_series"), got);
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void negativeCopyOffsetIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> AugmentSeries.of(OPS, 1).withCopyOffset(-1));
  }

  @Test
  void theFixtureIsRealData() {
    assertTrue(PRICES.get("MSFT").size() >= 80 + T + H, "stocks.csv has MSFT monthly prices");
    assertEquals(39.81f, ((SeriesPayload) TRAIN.payload()).values()[0]);
  }
}
