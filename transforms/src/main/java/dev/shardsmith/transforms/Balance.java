package dev.shardsmith.transforms;

import static org.apache.beam.sdk.values.TypeDescriptors.integers;
import static org.apache.beam.sdk.values.TypeDescriptors.kvs;
import static org.apache.beam.sdk.values.TypeDescriptors.longs;
import static org.apache.beam.sdk.values.TypeDescriptors.strings;

import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.Seeds;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Rebalances the classes of the {@code TRAIN} split (DESIGN.md data flow, "[train only] balance");
 * validation and test samples pass through untouched, so they are never undersampled, oversampled
 * or augmented (invariant 2). Classes are the samples' first labels.
 *
 * <ul>
 *   <li>{@link Strategy#NONE}: every train sample gets {@code copyCount = augmentCopies}.
 *   <li>{@link Strategy#UNDERSAMPLE}: each class keeps exactly {@code min(n_c, target)} samples,
 *       those first in the order of {@code hash(seed, "undersample", id)} (imbalanced-learn's
 *       RandomUnderSampler counts); the others go to {@link #DROPPED} and are counted as {@code
 *       samples.dropped_by_balance} in {@link #COUNTS}.
 *   <li>{@link Strategy#OVERSAMPLE}: each class gets {@code e_c = max(0, target - n_c r)} exact
 *       duplicates ({@code derivedKind = oversampled}), spread over its samples as evenly as
 *       possible: each gets {@code floor(e_c / n_c)}, the first {@code e_c mod n_c} in the order of
 *       {@code hash(seed, "oversample", id)} one more. {@code r} is the rows each original already
 *       yields: {@code augmentCopies + (includeOriginal ? 1 : 0)}; with no augmentation, {@code r =
 *       1} and the counts are imbalanced-learn's RandomOverSampler's.
 *   <li>{@link Strategy#AUGMENT}: the same plan (order {@code hash(seed, "augment", id)}), but the
 *       extra rows are augmented copies: a sample's {@code copyCount} becomes {@code augmentCopies
 *       + e_i}, rendered by the image engine ({@link FuseImages}).
 *   <li>{@link Strategy#SMOTE}, {@link Strategy#BORDERLINE_SMOTE}, {@link Strategy#ADASYN}, {@link
 *       Strategy#SMOTE_NC}: feature rows only ({@code FeaturePayload}); see {@link SmoteRows}.
 * </ul>
 *
 * <p>Copy indices are global per source: a train sample's augmented copies take {@code copyOffset
 * .. copyOffset + copyCount - 1}; its oversampled duplicates and SMOTE children take the indices
 * right after {@code copyOffset + augmentCopies}, so no two rows derived from one source share a
 * copy index (nor the augmentation draws keyed on it). A derived row's id is {@code <source
 * id>#<kind><copyIndex>}.
 *
 * <p>Bounded memory for undersample, oversample and augment: a counting pass builds per class a
 * histogram over {@value #BUCKETS} hash buckets; the bucket where a class's quota is reached is the
 * only one whose (hash, id) pairs meet on one worker (about {@code n_c / 65536} of them per class).
 * SMOTE holds one fold's train rows (see {@link SmoteRows}). Deterministic: the output depends only
 * on the input set, the settings and the seed, never on bundle order.
 *
 * <pre>{@code
 * PCollectionTuple b =
 *     samples.apply("Balance",
 *         Balance.train(Balance.Strategy.OVERSAMPLE, Balance.Target.max(), seed)
 *             .withCopies(augmentCopies, copyOffset, includeOriginal));
 * PCollection<Sample> planned = b.get(Balance.OK);
 * }</pre>
 */
public final class Balance extends PTransform<PCollection<Sample>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** Every split's samples with their copy counts, plus the derived rows made here. */
  public static final TupleTag<Sample> OK = new TupleTag<Sample>() {};

  /** Train samples left out by undersampling. */
  public static final TupleTag<Sample> DROPPED = new TupleTag<Sample>() {};

  /** {@code samples.dropped_by_balance} counts (derived rows are counted where written). */
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<KV<String, Long>>() {};

  /** The derived kind of an oversampled duplicate. */
  public static final String OVERSAMPLED = CountKey.OVERSAMPLED;

  /** Hash buckets of the counting pass (the top 16 bits of the rank hash). */
  public static final int BUCKETS = 1 << 16;

  /** Rebalancing strategies, by their config names. */
  public enum Strategy {
    NONE,
    UNDERSAMPLE,
    OVERSAMPLE,
    AUGMENT,
    SMOTE,
    BORDERLINE_SMOTE,
    ADASYN,
    SMOTE_NC;

    /** The name as the config writes it: {@code borderline_smote}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this strategy interpolates feature rows (the SMOTE family). */
    public boolean interpolates() {
      return ordinal() >= SMOTE.ordinal();
    }
  }

  /** What a SMOTE strategy does with a class of {@code k} or fewer train samples. */
  public enum SmallClass {
    /** Fail the run naming the class, its count and k (default). */
    ERROR,
    /** Use {@code k = n_c - 1} for that class (still an error for a class of one sample). */
    REDUCE_K,
    /** Leave that class as it is: no synthetic rows. */
    SKIP
  }

  /**
   * The per-class count a strategy aims at: {@code min} or {@code max} over the classes' counts,
   * their {@code median} (the upper one for an even number of classes), or a fixed {@code count}.
   */
  public record Target(String kind, long count) implements Serializable {
    public Target {
      if (!List.of("min", "max", "median", "count").contains(kind)) {
        throw new IllegalArgumentException(
            "target kind must be min, max, median or count: " + kind);
      }
      if (kind.equals("count") ? count < 1 : count != 0) {
        throw new IllegalArgumentException("a count target must be >= 1, but was " + count);
      }
    }

    public static Target min() {
      return new Target("min", 0);
    }

    public static Target max() {
      return new Target("max", 0);
    }

    public static Target median() {
      return new Target("median", 0);
    }

    public static Target count(long n) {
      return new Target("count", n);
    }

    /** The target over per-class counts (each >= 1). */
    public long resolve(Iterable<Long> classCounts) {
      List<Long> sorted = new ArrayList<>();
      classCounts.forEach(sorted::add);
      Collections.sort(sorted);
      if (kind.equals("count")) {
        return count;
      }
      if (sorted.isEmpty()) {
        return 0;
      }
      switch (kind) {
        case "min":
          return sorted.get(0);
        case "max":
          return sorted.get(sorted.size() - 1);
        default:
          int h = sorted.size() / 2;
          return sorted.size() % 2 == 1
              ? sorted.get(h)
              : (sorted.get(h - 1) + sorted.get(h) + 1) / 2;
      }
    }

    @Override
    public String toString() {
      return kind.equals("count") ? Long.toString(count) : kind;
    }
  }

  final Strategy strategy;
  final Target target;
  final long seed;
  final int augmentCopies;
  final int copyOffset;
  final boolean includeOriginal;
  final int k;
  final int m;
  final SmallClass smallClass;
  final int threads;

  private Balance(
      Strategy strategy,
      Target target,
      long seed,
      int augmentCopies,
      int copyOffset,
      boolean includeOriginal,
      int k,
      int m,
      SmallClass smallClass,
      int threads) {
    this.strategy = strategy;
    this.target = target;
    this.seed = seed;
    this.augmentCopies = augmentCopies;
    this.copyOffset = copyOffset;
    this.includeOriginal = includeOriginal;
    this.k = k;
    this.m = m;
    this.smallClass = smallClass;
    this.threads = threads;
  }

  /**
   * Balances the train split with {@code strategy} towards {@code target}. Defaults: no
   * augmentation copies, copy offset 0, originals included, {@code k = 5}, {@code m = 10}, small
   * classes an error, one neighbour-search thread.
   */
  public static Balance train(Strategy strategy, Target target, long seed) {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(target, "target");
    if (strategy == Strategy.UNDERSAMPLE && target.kind().equals("max")
        || strategy != Strategy.UNDERSAMPLE && target.kind().equals("min")) {
      throw new IllegalArgumentException(
          strategy.configName() + ": target " + target + " is not allowed for this strategy");
    }
    return new Balance(strategy, target, seed, 0, 0, true, 5, 10, SmallClass.ERROR, 1);
  }

  /** No rebalancing: train samples only get their augmentation copy count. */
  public static Balance none(long seed) {
    return train(Strategy.NONE, Target.max(), seed);
  }

  /**
   * The augmentation plan the copy indices continue: {@code copies} augmented copies per train
   * sample from {@code offset}, and whether train originals are written (both default 0 / true).
   */
  public Balance withCopies(int copies, int offset, boolean original) {
    if (copies < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "withCopies: copies and offset must be >= 0, but were " + copies + ", " + offset);
    }
    return new Balance(strategy, target, seed, copies, offset, original, k, m, smallClass, threads);
  }

  /** SMOTE's {@code k_neighbors} (default 5) and Borderline-SMOTE's {@code m_neighbors} (10). */
  public Balance withNeighbors(int kNeighbors, int mNeighbors) {
    if (kNeighbors < 1 || mNeighbors < 1) {
      throw new IllegalArgumentException(
          "withNeighbors: k and m must be >= 1, but were " + kNeighbors + ", " + mNeighbors);
    }
    return new Balance(
        strategy,
        target,
        seed,
        augmentCopies,
        copyOffset,
        includeOriginal,
        kNeighbors,
        mNeighbors,
        smallClass,
        threads);
  }

  /** What a SMOTE strategy does with a class of k or fewer samples; default {@code ERROR}. */
  public Balance withSmallClass(SmallClass s) {
    return new Balance(
        strategy,
        target,
        seed,
        augmentCopies,
        copyOffset,
        includeOriginal,
        k,
        m,
        Objects.requireNonNull(s, "smallClass"),
        threads);
  }

  /** Neighbour-search threads for the SMOTE family; default 1. */
  public Balance withThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("withThreads: n must be >= 1, but was " + n);
    }
    return new Balance(
        strategy, target, seed, augmentCopies, copyOffset, includeOriginal, k, m, smallClass, n);
  }

  /** The first copy index after the augmentation copies: where balance copies start. */
  int firstBalanceCopy() {
    return copyOffset + augmentCopies;
  }

  /** Rows a train original yields before balancing (itself if written, plus its copies). */
  int rowsPerOriginal() {
    return augmentCopies + (includeOriginal ? 1 : 0);
  }

  static String classOf(Sample s) {
    return s.label() == null ? "" : s.label();
  }

  @Override
  public PCollectionTuple expand(PCollection<Sample> in) {
    PCollection<Sample> others =
        in.apply("NotTrain", Filter.by((Sample s) -> s.split() != Split.TRAIN));
    PCollection<Sample> train =
        in.apply("Train", Filter.by((Sample s) -> s.split() == Split.TRAIN))
            .apply(
                "SetCopyCounts",
                MapElements.into(new org.apache.beam.sdk.values.TypeDescriptor<Sample>() {})
                    .via((Sample s) -> s.toBuilder().copyCount(augmentCopies).build()))
            .setCoder(SampleCoder.of());
    PCollection<KV<String, Long>> noCounts =
        in.getPipeline()
            .apply(
                "NoCounts",
                org.apache.beam.sdk.transforms.Create.empty(
                    KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
    if (strategy == Strategy.NONE) {
      return tuple(in, others, train, null, noCounts);
    }
    if (strategy.interpolates()) {
      PCollection<Sample> synthetic = train.apply("SmoteRows", new SmoteRows(this));
      return tuple(in, others, train, synthetic, noCounts);
    }
    return planCopies(in, others, train);
  }

  private PCollectionTuple tuple(
      PCollection<Sample> in,
      PCollection<Sample> others,
      PCollection<Sample> train,
      PCollection<Sample> extra,
      PCollection<KV<String, Long>> counts) {
    PCollectionList<Sample> all = PCollectionList.of(others).and(train);
    if (extra != null) {
      all = all.and(extra);
    }
    PCollection<Sample> ok =
        all.apply("AllRows", Flatten.pCollections()).setCoder(SampleCoder.of());
    PCollection<Sample> dropped =
        in.getPipeline()
            .apply("NoneDropped", org.apache.beam.sdk.transforms.Create.empty(SampleCoder.of()));
    return PCollectionTuple.of(OK, ok).and(DROPPED, dropped).and(COUNTS, counts);
  }

  /** The hash that ranks a class's samples for this strategy. */
  long rank(String id) {
    return Seeds.hash(seed, strategy.configName(), id);
  }

  static int bucket(long hash) {
    return (int) (hash >>> 48);
  }

  /**
   * Undersample, oversample and augment: a counting pass per (class, bucket), per-class quotas and
   * their threshold bucket, the boundary bucket's exact ranks, then one pass that plans every
   * sample.
   */
  private PCollectionTuple planCopies(
      PCollection<Sample> in, PCollection<Sample> others, PCollection<Sample> train) {
    PCollection<KV<KV<String, Integer>, Long>> histogram =
        train
            .apply(
                "ClassBuckets",
                MapElements.into(kvs(strings(), integers()))
                    .via((Sample s) -> KV.of(classOf(s), bucket(rank(s.id())))))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()))
            .apply("CountBuckets", Count.perElement());
    PCollectionView<Map<String, Long>> classCounts =
        histogram
            .apply(
                "BucketTotals",
                MapElements.into(kvs(strings(), longs()))
                    .via(
                        (KV<KV<String, Integer>, Long> kv) ->
                            KV.of(kv.getKey().getKey(), kv.getValue())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .apply("ClassTotals", Sum.longsPerKey())
            .apply("ClassCountsView", View.asMap());
    PCollectionView<Map<String, List<Long>>> quotas =
        histogram
            .apply(
                "ByClass",
                MapElements.into(kvs(strings(), kvs(integers(), longs())))
                    .via(
                        (KV<KV<String, Integer>, Long> kv) ->
                            KV.of(
                                kv.getKey().getKey(),
                                KV.of(kv.getKey().getValue(), kv.getValue()))))
            .setCoder(
                KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarIntCoder.of(), VarLongCoder.of())))
            .apply("GroupBuckets", GroupByKey.create())
            .apply("Quotas", ParDo.of(new QuotaFn(this, classCounts)).withSideInputs(classCounts))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(VarLongCoder.of())))
            .apply("QuotasView", View.asMap());
    PCollectionView<Map<String, Long>> boundary =
        train
            .apply("BoundaryRows", ParDo.of(new BoundaryFn(this, quotas)).withSideInputs(quotas))
            .setCoder(
                KvCoder.of(
                    StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of())))
            .apply("GroupBoundary", GroupByKey.create())
            .apply("RankBoundary", ParDo.of(new RankBoundaryFn(quotas)).withSideInputs(quotas))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .apply("BoundaryView", View.asMap());
    PCollectionTuple planned =
        train.apply(
            "Plan",
            ParDo.of(new PlanFn(this, quotas, boundary))
                .withSideInputs(quotas, boundary)
                .withOutputTags(OK, TupleTagList.of(DROPPED).and(COUNTS)));
    PCollection<Sample> ok =
        PCollectionList.of(others)
            .and(planned.get(OK).setCoder(SampleCoder.of()))
            .apply("AllRows", Flatten.pCollections())
            .setCoder(SampleCoder.of());
    return PCollectionTuple.of(OK, ok)
        .and(DROPPED, planned.get(DROPPED).setCoder(SampleCoder.of()))
        .and(
            COUNTS,
            planned.get(COUNTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
  }

  // A class's quota as a list of longs: how many of its samples are "selected" (the first in rank
  // order), the bucket where the quota is reached, how many of that bucket are selected, and the
  // per-sample extra copies (oversample/augment; selected samples get one more).
  static final int Q_QUOTA = 0;
  static final int Q_BUCKET = 1;
  static final int Q_NEED = 2;
  static final int Q_BASE = 3;

  /** Turns one class's bucket histogram into its quota and threshold bucket. */
  static final class QuotaFn
      extends DoFn<KV<String, Iterable<KV<Integer, Long>>>, KV<String, List<Long>>> {
    private final Balance spec;
    private final PCollectionView<Map<String, Long>> classCounts;

    QuotaFn(Balance spec, PCollectionView<Map<String, Long>> classCounts) {
      this.spec = spec;
      this.classCounts = classCounts;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Map<String, Long> counts = c.sideInput(classCounts);
      String label = c.element().getKey();
      long n = counts.get(label);
      long quota;
      long base = 0;
      if (spec.strategy == Strategy.UNDERSAMPLE) {
        quota = Math.min(n, spec.target.resolve(counts.values()));
      } else {
        long r = spec.rowsPerOriginal();
        List<Long> rows = new ArrayList<>();
        counts.values().forEach(v -> rows.add(v * r));
        long extra = Math.max(0, spec.target.resolve(rows) - n * r);
        base = extra / n;
        quota = extra % n;
        if (spec.augmentCopies + base > Integer.MAX_VALUE / 4) {
          throw new IllegalArgumentException(
              "balance: class '"
                  + label
                  + "' would need "
                  + (spec.augmentCopies + base)
                  + " copies per sample");
        }
      }
      long[] hist = new long[BUCKETS];
      for (KV<Integer, Long> kv : c.element().getValue()) {
        hist[kv.getKey()] += kv.getValue();
      }
      long bucket = -1;
      long need = 0;
      long before = 0;
      for (int b = 0; b < BUCKETS && quota > 0; b++) {
        if (before + hist[b] >= quota) {
          bucket = b;
          need = quota - before;
          break;
        }
        before += hist[b];
      }
      c.output(KV.of(label, List.of(quota, bucket, need, base)));
    }
  }

  /** Emits the (hash, id) of each sample in its class's threshold bucket. */
  static final class BoundaryFn extends DoFn<Sample, KV<String, KV<Long, String>>> {
    private final Balance spec;
    private final PCollectionView<Map<String, List<Long>>> quotas;

    BoundaryFn(Balance spec, PCollectionView<Map<String, List<Long>>> quotas) {
      this.spec = spec;
      this.quotas = quotas;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Sample s = c.element();
      String label = classOf(s);
      long h = spec.rank(s.id());
      if (bucket(h) == c.sideInput(quotas).get(label).get(Q_BUCKET)) {
        c.output(KV.of(label, KV.of(h, s.id())));
      }
    }
  }

  /** Keeps the first {@code need} of a threshold bucket in (hash, id) order. */
  static final class RankBoundaryFn
      extends DoFn<KV<String, Iterable<KV<Long, String>>>, KV<String, Long>> {
    private final PCollectionView<Map<String, List<Long>>> quotas;

    RankBoundaryFn(PCollectionView<Map<String, List<Long>>> quotas) {
      this.quotas = quotas;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<KV<Long, String>> rows = new ArrayList<>();
      c.element().getValue().forEach(rows::add);
      // one bucket shares the top 16 bits, so signed order equals unsigned order here
      rows.sort(
          (a, b) -> {
            int byHash = Long.compare(a.getKey(), b.getKey());
            return byHash != 0 ? byHash : a.getValue().compareTo(b.getValue());
          });
      long need = c.sideInput(quotas).get(c.element().getKey()).get(Q_NEED);
      for (int i = 0; i < need; i++) {
        c.output(KV.of(rows.get(i).getValue(), 1L));
      }
    }
  }

  /** Plans one train sample: kept or dropped; its copy count or its duplicates. */
  static final class PlanFn extends DoFn<Sample, Sample> {
    private final Balance spec;
    private final PCollectionView<Map<String, List<Long>>> quotas;
    private final PCollectionView<Map<String, Long>> boundary;
    private final Counter dropped = Metrics.counter(Balance.class, "dropped_by_balance");
    private final Counter duplicates = Metrics.counter(Balance.class, "oversampled");
    private final Counter extraCopies = Metrics.counter(Balance.class, "augment_copies");

    PlanFn(
        Balance spec,
        PCollectionView<Map<String, List<Long>>> quotas,
        PCollectionView<Map<String, Long>> boundary) {
      this.spec = spec;
      this.quotas = quotas;
      this.boundary = boundary;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Sample s = c.element();
      List<Long> q = c.sideInput(quotas).get(classOf(s));
      int b = bucket(spec.rank(s.id()));
      boolean selected =
          b < q.get(Q_BUCKET) || b == q.get(Q_BUCKET) && c.sideInput(boundary).containsKey(s.id());
      switch (spec.strategy) {
        case UNDERSAMPLE:
          if (selected) {
            c.output(s);
          } else {
            dropped.inc();
            c.output(DROPPED, s);
            c.output(COUNTS, KV.of(CountKey.DROPPED_BY_BALANCE, 1L));
          }
          return;
        case AUGMENT:
          {
            int extra = (int) (q.get(Q_BASE) + (selected ? 1 : 0));
            extraCopies.inc(extra);
            c.output(s.toBuilder().copyCount(spec.augmentCopies + extra).build());
            return;
          }
        case OVERSAMPLE:
          {
            c.output(s);
            int extra = (int) (q.get(Q_BASE) + (selected ? 1 : 0));
            for (int i = 0; i < extra; i++) {
              int copyIndex = spec.firstBalanceCopy() + i;
              duplicates.inc();
              c.output(
                  s.toBuilder()
                      .id(s.id() + "#" + OVERSAMPLED + copyIndex)
                      .sourceIds(List.of(s.id()))
                      .copyCount(0)
                      .derived(OVERSAMPLED, copyIndex)
                      .build());
            }
            return;
          }
        default:
          throw new IllegalStateException("PlanFn does not run " + spec.strategy);
      }
    }
  }
}
