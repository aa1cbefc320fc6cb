package dev.shardsmith.transforms;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SeriesPayload;
import dev.shardsmith.transforms.kernels.series.SeriesOp;
import dev.shardsmith.transforms.kernels.series.SeriesOps;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

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
    return new AugmentFn(ops, seed, includeOriginal, copyOffset).applyTo(input);
  }

  private static final class AugmentFn extends AugmentCopiesFn<SeriesPayload> {
    private static final long serialVersionUID = 1L;

    private final List<SeriesOp> ops;
    private final long seed;

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
      List<Applied.Op> fired;
      try {
        fired =
            SeriesOps.apply(values, horizon, w.channels(), ops, seed, sample.id(), 0, copyIndex);
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
      return Copy.of(
          new SeriesPayload(w.seriesId(), w.start(), w.length(), w.channels(), values, horizon),
          Applied.of(Applied.VERSION, fired));
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
