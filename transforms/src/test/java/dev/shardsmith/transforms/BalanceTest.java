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
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.Balance.SmallClass;
import dev.shardsmith.transforms.Balance.Strategy;
import dev.shardsmith.transforms.Balance.Target;
import dev.shardsmith.transforms.kernels.Seeds;
import dev.shardsmith.transforms.kernels.balance.LabeledRows;
import dev.shardsmith.transforms.kernels.balance.Reference;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

/**
 * {@link Balance} through real DirectRunner pipelines on the UCI letters subset A, B, C (300, 60,
 * 25 rows) as feature samples: class counts equal imbalanced-learn's, validation and test rows pass
 * untouched, synthetic rows lie between their recorded parents of one fold, copy indices are unique
 * per source, and two runs at different parallelisms give the same bytes.
 */
class BalanceTest {
  private static final long SEED = 11;

  /** Rows collected from a pipeline, per run and output (DirectRunner runs in this JVM). */
  private static final Map<String, List<Sample>> SEEN = new ConcurrentHashMap<>();

  private static final Map<String, List<KV<String, Long>>> COUNTED = new ConcurrentHashMap<>();

  private record Out(List<Sample> ok, List<Sample> dropped, Map<String, Long> counts) {}

  private static TestPipeline pipeline(int parallelism) {
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setTargetParallelism(parallelism);
    return TestPipeline.fromOptions(o).enableAbandonedNodeEnforcement(false);
  }

  private static String collect(PCollection<Sample> rows) {
    String key = UUID.randomUUID().toString();
    PAssert.that(rows)
        .satisfies(
            it -> {
              List<Sample> l = new ArrayList<>();
              it.forEach(l::add);
              l.sort(Comparator.comparing(Sample::id));
              SEEN.put(key, l);
              return null;
            });
    return key;
  }

  /** Runs every balance on {@code in} in one pipeline (a job costs seconds to start). */
  private static List<Out> runAll(List<Balance> balances, List<Sample> in, int parallelism) {
    TestPipeline p = pipeline(parallelism);
    PCollection<Sample> input = p.apply(Create.of(in).withCoder(SampleCoder.of()));
    List<String[]> keys = new ArrayList<>();
    for (int i = 0; i < balances.size(); i++) {
      PCollectionTuple out = input.apply("Balance" + i, balances.get(i));
      String counts = UUID.randomUUID().toString();
      PAssert.that(out.get(Balance.COUNTS))
          .satisfies(
              it -> {
                List<KV<String, Long>> l = new ArrayList<>();
                it.forEach(l::add);
                COUNTED.put(counts, l);
                return null;
              });
      keys.add(
          new String[] {collect(out.get(Balance.OK)), collect(out.get(Balance.DROPPED)), counts});
    }
    p.run().waitUntilFinish();
    List<Out> outs = new ArrayList<>();
    for (String[] k : keys) {
      Map<String, Long> c = new TreeMap<>();
      COUNTED.remove(k[2]).forEach(kv -> c.merge(kv.getKey(), kv.getValue(), Long::sum));
      outs.add(new Out(SEEN.remove(k[0]), SEEN.remove(k[1]), c));
    }
    return outs;
  }

  private static Out run(Balance balance, List<Sample> in, int parallelism) {
    return runAll(List.of(balance), in, parallelism).get(0);
  }

  private static Out run(Balance balance, List<Sample> in) {
    return run(balance, in, 2);
  }

  private static final String[] LETTERS = {"A", "B", "C"};

  /** The letters rows as train feature samples; {@code categorical} makes columns 0, 1 strings. */
  private static List<Sample> letters(boolean categorical) throws Exception {
    LabeledRows rows = Reference.letters("letters-abc.data");
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < rows.n(); i++) {
      float[] x = Arrays.copyOfRange(rows.x(), i * 16, i * 16 + 16);
      FeaturePayload f =
          categorical
              ? new FeaturePayload(
                  Arrays.copyOfRange(x, 2, 16), new String[] {"c" + (int) x[0], "c" + (int) x[1]})
              : new FeaturePayload(x, null);
      out.add(sample(String.format("r%04d", i), LETTERS[rows.y()[i]], Split.TRAIN, f));
    }
    return out;
  }

  private static Sample sample(String id, String label, Split split, FeaturePayload f) {
    return Sample.builder()
        .id(id)
        .group("g-" + id)
        .labels(List.of(label))
        .split(split)
        .payloadHash("h-" + id)
        .payload(f)
        .build();
  }

  /** Validation and test rows: copies of the first rows with their own ids. */
  private static List<Sample> heldOut(List<Sample> train) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Sample s = train.get(i * 11);
      out.add(
          s.toBuilder()
              .id("held-" + i)
              .sourceIds(List.of("held-" + i))
              .split(i % 2 == 0 ? Split.VAL : Split.TEST)
              .build());
    }
    return out;
  }

  private static SortedMap<String, Integer> trainCounts(List<Sample> rows) {
    SortedMap<String, Integer> c = new TreeMap<>();
    for (Sample s : rows) {
      if (s.split() == Split.TRAIN) {
        c.merge(s.label(), 1, Integer::sum);
      }
    }
    return c;
  }

  private static SortedMap<String, Integer> referenceCounts(String method) throws Exception {
    SortedMap<String, Integer> c = new TreeMap<>();
    for (String l :
        Reference.run(
            "counts", Reference.resource("letters/letters-abc.data").toString(), method)) {
      String[] p = l.split(" ");
      c.put(LETTERS[Integer.parseInt(p[0])], Integer.parseInt(p[1]));
    }
    return c;
  }

  @Test
  void classCountsAfterEachStrategyEqualImbalancedLearn() throws Exception {
    Reference.require();
    List<Sample> train = letters(false);
    Map<String, Strategy> methods =
        Map.of(
            "under", Strategy.UNDERSAMPLE,
            "over", Strategy.OVERSAMPLE,
            "smote", Strategy.SMOTE,
            "borderline", Strategy.BORDERLINE_SMOTE,
            "adasyn", Strategy.ADASYN);
    List<String> names = new ArrayList<>(methods.keySet());
    List<Balance> balances = new ArrayList<>();
    for (String name : names) {
      Strategy s = methods.get(name);
      balances.add(Balance.train(s, s == Strategy.UNDERSAMPLE ? Target.min() : Target.max(), SEED));
    }
    List<Out> outs = runAll(balances, train, 2);
    for (int i = 0; i < names.size(); i++) {
      assertEquals(referenceCounts(names.get(i)), trainCounts(outs.get(i).ok()), names.get(i));
    }
    Out nc = run(Balance.train(Strategy.SMOTE_NC, Target.max(), SEED), letters(true));
    assertEquals(referenceCounts("smotenc"), trainCounts(nc.ok()));
    // the figures themselves, so a reference change cannot pass unnoticed
    assertEquals(Map.of("A", 25, "B", 25, "C", 25), referenceCounts("under"));
    assertEquals(Map.of("A", 300, "B", 300, "C", 300), referenceCounts("over"));
  }

  @Test
  void undersampleKeepsTheFirstInHashOrderAndCountsTheDropped() throws Exception {
    List<Sample> train = letters(false);
    Out out = run(Balance.train(Strategy.UNDERSAMPLE, Target.count(40), SEED), train);
    assertEquals(Map.of("A", 40, "B", 40, "C", 25), trainCounts(out.ok()));
    assertEquals(Map.of(CountKey.DROPPED_BY_BALANCE, 300L - 40 + 60 - 40), out.counts());
    assertEquals(300 - 40 + 60 - 40, out.dropped().size());
    // independent check: per class, the kept ids are the 40 smallest (unsigned hash, id)
    for (String label : List.of("A", "B")) {
      List<String> ids = new ArrayList<>();
      for (Sample s : train) {
        if (s.label().equals(label)) {
          ids.add(s.id());
        }
      }
      ids.sort(
          (a, b) -> {
            int c =
                Long.compareUnsigned(
                    Seeds.hash(SEED, "undersample", a), Seeds.hash(SEED, "undersample", b));
            return c != 0 ? c : a.compareTo(b);
          });
      Set<String> kept = new HashSet<>();
      for (Sample s : out.ok()) {
        if (s.label().equals(label)) {
          kept.add(s.id());
        }
      }
      assertEquals(new HashSet<>(ids.subList(0, 40)), kept, label);
    }
  }

  @Test
  void validationAndTestRowsPassUntouchedByEveryStrategy() throws Exception {
    List<Sample> train = letters(false);
    List<Sample> held = heldOut(train);
    List<Sample> in = new ArrayList<>(train);
    in.addAll(held);
    List<Sample> sortedHeld = new ArrayList<>(held);
    sortedHeld.sort(Comparator.comparing(Sample::id));
    List<Strategy> strategies =
        List.of(
            Strategy.NONE,
            Strategy.UNDERSAMPLE,
            Strategy.OVERSAMPLE,
            Strategy.AUGMENT,
            Strategy.SMOTE,
            Strategy.ADASYN);
    List<Balance> balances = new ArrayList<>();
    for (Strategy s : strategies) {
      balances.add(
          Balance.train(s, s == Strategy.UNDERSAMPLE ? Target.min() : Target.max(), SEED)
              .withCopies(2, 0, true));
    }
    List<Out> outs = runAll(balances, in, 2);
    for (int i = 0; i < strategies.size(); i++) {
      List<Sample> notTrain = new ArrayList<>();
      for (Sample x : outs.get(i).ok()) {
        if (x.split() != Split.TRAIN) {
          notTrain.add(x);
        }
      }
      assertEquals(sortedHeld, notTrain, strategies.get(i).toString());
      for (Sample x : outs.get(i).dropped()) {
        assertEquals(Split.TRAIN, x.split());
      }
      assertTrue(trainCounts(outs.get(i).ok()).size() == 3);
    }
  }

  /** Every smote row: parents of its class and fold, features on the recorded segment. */
  private static void assertOnSegments(List<Sample> in, List<Sample> out, String method) {
    Map<String, Sample> byId = new HashMap<>();
    in.forEach(s -> byId.put(s.id(), s));
    int made = 0;
    for (Sample s : out) {
      if (!s.isDerived()) {
        continue;
      }
      made++;
      assertEquals("smote", s.derivedKind());
      Sample p = byId.get(s.sourceIds().get(0));
      Sample q = byId.get(s.sourceIds().get(1));
      assertNotEquals(p.id(), q.id());
      assertEquals(p.label(), s.label());
      assertEquals(q.label(), s.label());
      assertEquals(p.fold(), s.fold(), "fold of " + s.id());
      assertEquals(q.fold(), s.fold(), "both parents from one fold: " + s.id());
      assertEquals(p.group(), s.group());
      assertEquals(p.split(), s.split());
      assertEquals(p.id() + "#smote" + s.copyIndex(), s.id());
      Applied.Op op = s.applied().ops().get(s.applied().ops().size() - 1);
      assertEquals("smote", op.op());
      assertEquals(method, op.params().get("method"));
      assertEquals(p.id(), op.params().get("parent"));
      assertEquals(q.id(), op.params().get("neighbour"));
      double u = op.number("u", -1);
      assertTrue(u >= 0 && u < 1, "u in [0, 1): " + u);
      float[] a = ((FeaturePayload) p.payload()).numeric();
      float[] b = ((FeaturePayload) q.payload()).numeric();
      float[] x = ((FeaturePayload) s.payload()).numeric();
      for (int t = 0; t < x.length; t++) {
        assertEquals((float) (a[t] + u * ((double) b[t] - a[t])), x[t], 0f, s.id() + "[" + t + "]");
      }
    }
    assertTrue(made > 0, method + " made no rows");
  }

  @Test
  void everySyntheticRowLiesBetweenItsRecordedParentsOfOneFold() throws Exception {
    List<Sample> train = new ArrayList<>();
    for (Sample s : letters(false)) {
      train.add(s.toBuilder().fold((int) Long.remainderUnsigned(Seeds.hash(3, s.id()), 3)).build());
    }
    List<Strategy> strategies = List.of(Strategy.SMOTE, Strategy.BORDERLINE_SMOTE, Strategy.ADASYN);
    List<Balance> balances = new ArrayList<>();
    strategies.forEach(s -> balances.add(Balance.train(s, Target.max(), SEED)));
    List<Out> outs = runAll(balances, train, 2);
    for (int i = 0; i < strategies.size(); i++) {
      Strategy s = strategies.get(i);
      Out out = outs.get(i);
      assertOnSegments(train, out.ok(), s.configName());
      // each fold is balanced on its own: per fold, SMOTE brings every class to the fold's max
      if (s == Strategy.SMOTE) {
        for (int f = 0; f < 3; f++) {
          SortedMap<String, Integer> c = new TreeMap<>();
          int fold = f;
          out.ok().stream()
              .filter(x -> x.fold() == fold)
              .forEach(x -> c.merge(x.label(), 1, Integer::sum));
          assertEquals(1, new HashSet<>(c.values()).size(), "fold " + f + ": " + c);
        }
      }
    }
    List<Sample> mixed = letters(true);
    Out nc = run(Balance.train(Strategy.SMOTE_NC, Target.max(), SEED), mixed);
    assertOnSegments(mixed, nc.ok(), "smote_nc");
    for (Sample s : nc.ok()) {
      String[] cats = ((FeaturePayload) s.payload()).categorical();
      assertEquals(2, cats.length);
      assertTrue(cats[0].startsWith("c") && cats[1].startsWith("c"), s.id());
    }
  }

  @Test
  void copyIndicesAreGlobalPerSourceAfterTheAugmentedCopies() throws Exception {
    List<Sample> train = letters(false);
    Out out =
        run(Balance.train(Strategy.OVERSAMPLE, Target.max(), SEED).withCopies(2, 3, true), train);
    // r = 3 rows per original (itself + 2 copies): A has 900, B gets 900 - 180 = 720 duplicates
    Map<String, Set<Integer>> indices = new HashMap<>();
    Map<String, Integer> rows = new TreeMap<>();
    for (Sample s : out.ok()) {
      String source = s.sourceIds().get(0);
      Set<Integer> mine = indices.computeIfAbsent(source, k -> new HashSet<>());
      if (s.isDerived()) {
        assertEquals(Balance.OVERSAMPLED, s.derivedKind());
        assertEquals(0, s.copyCount());
        assertEquals(source + "#oversampled" + s.copyIndex(), s.id());
        assertTrue(mine.add(s.copyIndex()), "copy index reused: " + s.id());
        rows.merge(s.label(), 1, Integer::sum);
      } else {
        assertEquals(2, s.copyCount(), s.id());
        for (int i = 3; i < 5; i++) {
          assertTrue(mine.add(i), "augmented copy index reused: " + s.id() + " " + i);
        }
        rows.merge(s.label(), 3, Integer::sum);
      }
    }
    assertEquals(Map.of("A", 900, "B", 900, "C", 900), rows);
    for (Map.Entry<String, Set<Integer>> e : indices.entrySet()) {
      Set<Integer> contiguous = new HashSet<>();
      for (int i = 0; i < e.getValue().size(); i++) {
        contiguous.add(3 + i);
      }
      assertEquals(contiguous, e.getValue(), "indices of " + e.getKey() + " from copy_offset");
    }
  }

  @Test
  void augmentToTargetSetsCopyCountsInsteadOfDuplicating() throws Exception {
    List<Sample> train = letters(false);
    Out out =
        run(Balance.train(Strategy.AUGMENT, Target.median(), SEED).withCopies(1, 0, false), train);
    // r = 1 (one copy, originals left out): class rows 300, 60, 25; median 60
    Map<String, Integer> rows = new TreeMap<>();
    Map<String, Set<Integer>> spread = new TreeMap<>();
    for (Sample s : out.ok()) {
      assertFalse(s.isDerived());
      rows.merge(s.label(), s.copyCount(), Integer::sum);
      spread.computeIfAbsent(s.label(), k -> new HashSet<>()).add(s.copyCount());
    }
    assertEquals(Map.of("A", 300, "B", 60, "C", 60), rows);
    // 60 rows over 25 samples: 2 or 3 each (35 extra = 1 each + 10 one more)
    assertEquals(Set.of(2, 3), spread.get("C"));
  }

  @Test
  void aClassWithKOrFewerSamplesIsAClearErrorOrItsDocumentedFallback() throws Exception {
    List<Sample> train = new ArrayList<>();
    for (Sample s : letters(false)) {
      if (!s.label().equals("C") || train.stream().filter(x -> x.label().equals("C")).count() < 4) {
        train.add(s);
      }
    }
    Throwable e =
        assertThrows(
            Throwable.class, () -> run(Balance.train(Strategy.SMOTE, Target.max(), SEED), train));
    String message = rootMessage(e);
    assertTrue(
        message.contains(
            "balance.strategy smote: class 'C' has 4 train samples, but k_neighbors = 5 needs at"
                + " least 6; lower balance.k_neighbors or set balance.small_class"),
        message);
    List<Out> fallbacks =
        runAll(
            List.of(
                Balance.train(Strategy.SMOTE, Target.max(), SEED).withSmallClass(SmallClass.SKIP),
                Balance.train(Strategy.SMOTE, Target.max(), SEED)
                    .withSmallClass(SmallClass.REDUCE_K)),
            train,
            2);
    assertEquals(Map.of("A", 300, "B", 300, "C", 4), trainCounts(fallbacks.get(0).ok()));
    assertEquals(Map.of("A", 300, "B", 300, "C", 300), trainCounts(fallbacks.get(1).ok()));
  }

  private static Sample photo(String id, String file, String label, int bytes) throws Exception {
    byte[] b =
        java.nio.file.Files.readAllBytes(java.nio.file.Path.of("../sample-data/photos/" + file));
    return Sample.builder()
        .id(id)
        .group("g-" + id)
        .labels(List.of(label))
        .split(Split.TRAIN)
        .payloadHash("h-" + id)
        .payload(ImagePayload.encoded(bytes < 0 ? b : Arrays.copyOf(b, bytes), "jpeg", 0, 0, 3, 1))
        .build();
  }

  @Test
  void oversampledImagesAreRenderedLikeTheirSourceAndADamagedOneIsRejectedOnce() throws Exception {
    // class "fish": 2 samples, one damaged; class "other": 4: each fish sample gets 1 duplicate
    List<Sample> in =
        List.of(
            photo("fish.jpg", "HappyFish.jpg", "fish", -1),
            photo("bad.jpg", "orange.jpg", "fish", 3000),
            photo("a.jpg", "home.jpg", "other", -1),
            photo("b.jpg", "apple.jpg", "other", -1),
            photo("c.jpg", "baboon.jpg", "other", -1),
            photo("d.jpg", "messi5.jpg", "other", -1));
    TestPipeline p = pipeline(2);
    PCollection<Sample> planned =
        p.apply(Create.of(in).withCoder(SampleCoder.of()))
            .apply("Balance", Balance.train(Strategy.OVERSAMPLE, Target.max(), SEED))
            .get(Balance.OK);
    FuseImages fuse =
        FuseImages.of(
            new dev.shardsmith.transforms.kernels.image.PreprocessSpec(32, 32, 32),
            null,
            SEED,
            50_000_000L);
    PCollectionTuple fused = planned.apply("Fuse", fuse);
    String ok = collect(fused.get(FuseImages.OK));
    PAssert.that(fused.get(FuseImages.REJECTED))
        .satisfies(
            rs -> {
              List<String> ids = new ArrayList<>();
              rs.forEach(r -> ids.add(r.sampleId() + "/" + r.reason()));
              // the damaged source once; its duplicate (same bytes) is not a second sample
              assertEquals(List.of("bad.jpg/truncated"), ids);
              return null;
            });
    String withoutOriginals =
        collect(
            planned
                .apply(
                    "Good",
                    org.apache.beam.sdk.transforms.Filter.by(s -> !s.id().startsWith("bad")))
                .apply("FuseNoOriginals", fuse.withIncludeOriginal(false))
                .get(FuseImages.OK));
    p.run().waitUntilFinish();
    List<Sample> rows = SEEN.remove(ok);
    List<String> ids = new ArrayList<>();
    rows.forEach(r -> ids.add(r.id()));
    assertEquals(
        List.of("a.jpg", "b.jpg", "c.jpg", "d.jpg", "fish.jpg", "fish.jpg#oversampled0"), ids);
    assertEquals(
        rows.get(4).payload(), rows.get(5).payload(), "a duplicate has its source's pixels");
    assertEquals(rows.get(4).applied(), rows.get(5).applied());
    assertTrue(rows.get(5).image().isRaw());
    assertEquals(List.of("fish.jpg"), rows.get(5).sourceIds());
    // include_original false leaves out train originals, never the duplicates
    List<String> kept = new ArrayList<>();
    SEEN.remove(withoutOriginals).forEach(r -> kept.add(r.id()));
    assertEquals(List.of("fish.jpg#oversampled0"), kept);
  }

  @Test
  void targetsResolveOverTheClassCounts() {
    List<Long> odd = List.of(25L, 300L, 60L);
    List<Long> even = List.of(25L, 300L, 60L, 41L);
    assertEquals(25, Target.min().resolve(odd));
    assertEquals(300, Target.max().resolve(odd));
    assertEquals(60, Target.median().resolve(odd));
    assertEquals(51, Target.median().resolve(even), "upper median of 41 and 60: ceil(50.5)");
    assertEquals(7, Target.count(7).resolve(odd));
    assertThrows(IllegalArgumentException.class, () -> Target.count(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> Balance.train(Strategy.UNDERSAMPLE, Target.max(), SEED));
    assertThrows(
        IllegalArgumentException.class, () -> Balance.train(Strategy.SMOTE, Target.min(), SEED));
  }

  @Test
  void smoteOnImagesIsAClearError() {
    Sample img =
        Sample.builder()
            .id("a.png")
            .labels(List.of("x"))
            .split(Split.TRAIN)
            .payloadHash("h")
            .payload(ImagePayload.encoded(new byte[] {1}, "png", 1, 1, 3, 1))
            .build();
    Throwable e =
        assertThrows(
            Throwable.class,
            () -> run(Balance.train(Strategy.SMOTE, Target.max(), SEED), List.of(img)));
    assertTrue(
        rootMessage(e).contains("needs feature rows, but train sample a.png is"), rootMessage(e));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  private static byte[] bytes(List<Sample> rows) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Sample s : rows) {
      SampleCoder.of().encode(s, out);
    }
    return out.toByteArray();
  }

  @Test
  void twoRunsAtDifferentParallelismGiveTheSameBytes() throws Exception {
    List<Sample> in = new ArrayList<>(letters(false));
    in.addAll(heldOut(in));
    List<Balance> balances =
        List.of(
            Balance.train(Strategy.SMOTE, Target.max(), SEED),
            Balance.train(Strategy.OVERSAMPLE, Target.median(), SEED).withCopies(1, 0, true),
            Balance.train(Strategy.UNDERSAMPLE, Target.min(), SEED),
            Balance.train(Strategy.UNDERSAMPLE, Target.min(), SEED + 1));
    List<Out> one = runAll(balances, in, 1);
    List<Out> four = runAll(balances, in, 4);
    for (int i = 0; i < balances.size(); i++) {
      byte[] a = bytes(one.get(i).ok());
      assertArrayEquals(a, bytes(four.get(i).ok()), balances.get(i).strategy.toString());
      assertTrue(a.length > 0);
    }
    // and the seed matters
    assertNotEquals(one.get(2).ok(), one.get(3).ok());
  }
}
