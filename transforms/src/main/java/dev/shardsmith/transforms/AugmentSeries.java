package dev.shardsmith.transforms;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.SeriesPayload;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.Seeds;
import dev.shardsmith.transforms.kernels.series.SeriesOp;
import dev.shardsmith.transforms.kernels.series.SeriesOps;
import dev.shardsmith.transforms.kernels.series.SpawnerOp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The time-series augmentation step, after {@link Balance}, shaped like {@link AugmentText}: every
 * window passes through as its original (a train original is left out when {@link
 * #withIncludeOriginal} is false), and a {@code TRAIN} window also yields {@code copyCount}
 * augmented copies with copy indices {@code copyOffset + i}, ids {@code <id>#aug<copyIndex>},
 * derived kind {@code augmented}, the same group, labels, split, fold and payload hash. A copy is
 * {@link SeriesOps#apply} on fresh copies of the window's values and horizon (each op acts on the
 * horizon as its Javadoc states: amplitude ops scale it with the window, the others leave it), its
 * {@link Applied} record holds the ops that fired with their drawn parameters, so {@link
 * SeriesOps#replay} on the source rebuilds the copy bit for bit. Validation and test windows never
 * get copies. A copy with a NaN or infinite value (which the ops should never make) is dropped and
 * counted as {@code samples.derived_filtered.non_finite} in {@link #COUNTS}; a non-series sample is
 * rejected ({@code not_series}). Deterministic: op {@code i} of copy {@code k} draws from {@code
 * Seeds.of(seed, sample id, "augment", i, k)}, nothing else.
 *
 * <p><b>Same-class mixing.</b> When {@code ops} starts with a {@link SpawnerOp}, a copy for which
 * it fires is first {@link SpawnerOp#mix mixed} with a partner: another {@code TRAIN} original (not
 * derived) window of the same labels and fold, picked uniformly among them (ordered by id) with
 * {@code Seeds.of(seed, sample id, "spawner_partner", 0, k)}; the other ops then act on the mix.
 * The record's spawner entry holds the partner's id ({@value SpawnerOp#PARTNER}), and the copy's
 * {@code sourceIds} are {@code [id, partner]}, like a SMOTE row's, so the leakage check finds both
 * parents in the same split and fold. A window with no other original in its class and fold is not
 * mixed (the spawner entry is then absent from its record). Memory: the train windows are grouped
 * by (labels, fold), and one worker holds the largest group, {@code n x T x C x 4} bytes for {@code
 * n} windows (the per-class exception of DESIGN invariant 6, like SMOTE's neighbour search);
 * without a spawner nothing is grouped.
 *
 * <pre>{@code
 * PCollectionTuple out =
 *     windows.apply("AugmentSeries", AugmentSeries.of(ops, seed).withCopyOffset(0));
 * PCollection<Sample> rows = out.get(AugmentSeries.OK);
 * }</pre>
 */
public final class AugmentSeries extends PTransform<PCollection<Sample>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** Originals and augmented copies. */
  public static final TupleTag<Sample> OK = new TupleTag<Sample>() {};

  /** Counters: {@code samples.derived_filtered.<reason>}. */
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<KV<String, Long>>() {};

  /** A sample that is not a series window (a wiring bug upstream would otherwise pass silently). */
  public static final TupleTag<Rejected> REJECTED = new TupleTag<Rejected>() {};

  /** The derived kind of an augmented copy. */
  public static final String AUGMENTED = CountKey.AUGMENTED;

  /** The reason a copy is dropped when a value came out NaN or infinite. */
  public static final String NON_FINITE = "non_finite";

  /** The reason a non-series sample is rejected. */
  public static final String NOT_SERIES = "not_series";

  /** The stage name in rejected rows. */
  public static final String STAGE = "augment_series";

  private final List<SeriesOp> ops;
  private final long seed;
  private final boolean includeOriginal;
  private final int copyOffset;

  private AugmentSeries(List<SeriesOp> ops, long seed, boolean includeOriginal, int copyOffset) {
    for (int i = 1; i < ops.size(); i++) {
      if (ops.get(i) instanceof SpawnerOp) {
        throw new IllegalArgumentException(
            "spawner must be the first op (it was op " + i + "): the others act on the mix");
      }
    }
    this.ops = List.copyOf(ops);
    this.seed = seed;
    this.includeOriginal = includeOriginal;
    this.copyOffset = copyOffset;
  }

  /** Copies run {@code ops} in order (an empty list makes copies equal to their source). */
  public static AugmentSeries of(List<SeriesOp> ops, long seed) {
    return new AugmentSeries(java.util.Objects.requireNonNull(ops, "ops"), seed, true, 0);
  }

  /** Whether train originals are written next to their copies; default true. */
  public AugmentSeries withIncludeOriginal(boolean include) {
    return new AugmentSeries(ops, seed, include, copyOffset);
  }

  /** The first copy index (so a later run can add copies without repeating draws); default 0. */
  public AugmentSeries withCopyOffset(int offset) {
    return new AugmentSeries(ops, seed, includeOriginal, AugmentCopiesFn.checkCopyOffset(offset));
  }

  @Override
  public PCollectionTuple expand(PCollection<Sample> input) {
    AugmentFn fn = new AugmentFn(ops, seed, includeOriginal, copyOffset);
    if (ops.isEmpty() || !(ops.get(0) instanceof SpawnerOp)) {
      return fn.applyTo(input);
    }
    // Mixing needs the partner's values: train windows go through their (labels, fold) group.
    PCollectionTuple rest =
        fn.applyTo(input.apply("NotTrain", Filter.by(s -> s.split() != Split.TRAIN)));
    PCollectionTuple train =
        input
            .apply("Train", Filter.by(s -> s.split() == Split.TRAIN))
            .apply(
                "ByClassAndFold",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(),
                            org.apache.beam.sdk.values.TypeDescriptor.of(Sample.class)))
                    .via(s -> KV.of(s.fold() + "\u0000" + String.join("\u0000", s.labels()), s)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SampleCoder.of()))
            .apply("Group", GroupByKey.create())
            .apply(
                "Mix",
                ParDo.of(new GroupFn(fn))
                    .withOutputTags(
                        OK, org.apache.beam.sdk.values.TupleTagList.of(List.of(COUNTS, REJECTED))));
    PCollection<Sample> ok =
        PCollectionList.of(rest.get(OK))
            .and(train.get(OK).setCoder(SampleCoder.of()))
            .apply("FlattenOk", Flatten.pCollections());
    PCollection<KV<String, Long>> counts =
        PCollectionList.of(rest.get(COUNTS))
            .and(train.get(COUNTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
            .apply("FlattenCounts", Flatten.pCollections());
    PCollection<Rejected> rejected =
        PCollectionList.of(rest.get(REJECTED))
            .and(train.get(REJECTED).setCoder(dev.shardsmith.schemas.RejectedCoder.of()))
            .apply("FlattenRejected", Flatten.pCollections());
    return PCollectionTuple.of(OK, ok).and(COUNTS, counts).and(REJECTED, rejected);
  }

  /** Runs {@link AugmentFn} on each window of one (labels, fold) group, partners from the group. */
  private static final class GroupFn extends DoFn<KV<String, Iterable<Sample>>, Sample> {
    private static final long serialVersionUID = 1L;

    private final AugmentFn fn;

    GroupFn(AugmentFn fn) {
      this.fn = fn;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Sample>> group, MultiOutputReceiver out) {
      List<Sample> all = new ArrayList<>();
      group.getValue().forEach(all::add);
      all.sort(Comparator.comparing(Sample::id));
      List<Sample> partners = new ArrayList<>();
      for (Sample s : all) {
        if (!s.isDerived() && s.payload() instanceof SeriesPayload) {
          partners.add(s);
        }
      }
      fn.partners = partners;
      try {
        for (Sample s : all) {
          fn.emit(s, out);
        }
      } finally {
        fn.partners = null;
      }
    }
  }

  private static final class AugmentFn extends AugmentCopiesFn<SeriesPayload> {
    private static final long serialVersionUID = 1L;

    private final List<SeriesOp> ops;
    private final long seed;

    /** The candidate partners (train originals of the current group, by id); null outside one. */
    transient List<Sample> partners;

    AugmentFn(List<SeriesOp> ops, long seed, boolean includeOriginal, int copyOffset) {
      super(
          SeriesPayload.class,
          new Outputs(AugmentSeries.class, STAGE, NOT_SERIES, OK, COUNTS, REJECTED),
          includeOriginal,
          copyOffset);
      this.ops = ops;
      this.seed = seed;
    }

    @Override
    Copy augment(Sample sample, SeriesPayload w, int copyIndex) {
      float[] values = w.values().clone();
      float[] horizon = w.horizon().clone();
      List<Applied.Op> fired = new ArrayList<>();
      String partner = null;
      List<SeriesOp> rest = ops;
      int first = 0;
      try {
        if (!ops.isEmpty() && ops.get(0) instanceof SpawnerOp spawner) {
          rest = ops.subList(1, ops.size());
          first = 1;
          Sample mate = partner(sample, copyIndex);
          SplittableRandom rng = Seeds.of(seed, sample.id(), SeriesOps.STAGE, 0, copyIndex);
          if (mate != null && rng.nextDouble() < spawner.p()) {
            SortedMap<String, Object> params =
                spawner.draw(rng, w.length(), w.channels(), horizon.length / w.channels());
            values =
                SpawnerOp.mix(
                    values, ((SeriesPayload) mate.payload()).values(), w.channels(), params);
            params.put(SpawnerOp.PARTNER, mate.id());
            fired.add(new Applied.Op(spawner.name(), 0, params));
            partner = mate.id();
          }
        }
        fired.addAll(
            SeriesOps.apply(
                values, horizon, w.channels(), rest, seed, sample.id(), first, copyIndex));
      } catch (IllegalArgumentException e) {
        // windows have the configured length, which the config checks against the ops
        // (SeriesOpConfig.checkWindow): an op that does not fit here is a bug, not bad data
        throw new IllegalStateException(
            "series augmentation of "
                + sample.id()
                + " ("
                + w.length()
                + " x "
                + w.channels()
                + ", horizon "
                + w.horizon().length / w.channels()
                + "): "
                + e.getMessage(),
            e);
      }
      if (!finite(values) || !finite(horizon)) {
        return Copy.dropped(NON_FINITE);
      }
      return Copy.mixed(
          new SeriesPayload(w.seriesId(), w.start(), w.length(), w.channels(), values, horizon),
          Applied.of(Applied.VERSION, fired),
          partner);
    }

    /**
     * The partner of copy {@code copyIndex} of {@code sample}: uniform among the group's originals
     * other than the sample and its sources; null when there is none.
     */
    private Sample partner(Sample sample, int copyIndex) {
      if (partners == null) {
        throw new IllegalStateException(
            "spawner copy of " + sample.id() + " outside its (labels, fold) group");
      }
      List<Sample> others = new ArrayList<>();
      for (Sample s : partners) {
        if (!s.id().equals(sample.id()) && !sample.sourceIds().contains(s.id())) {
          others.add(s);
        }
      }
      if (others.isEmpty()) {
        return null;
      }
      return others.get(
          Seeds.of(seed, sample.id(), "spawner_partner", 0, copyIndex).nextInt(others.size()));
    }

    private static boolean finite(float[] v) {
      for (float x : v) {
        if (!Float.isFinite(x)) {
          return false;
        }
      }
      return true;
    }
  }
}
