package dev.shardsmith.transforms;

import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.RejectedCoder;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.schemas.TextPayload;
import dev.shardsmith.transforms.kernels.text.TextAugmentSpec;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The text augmentation step, after {@link Balance}: like {@link FuseImages}, every sample passes
 * through as its original (a train original is left out when {@link #withIncludeOriginal} is
 * false), and a {@code TRAIN} sample also yields {@code copyCount} augmented copies with copy
 * indices {@code copyOffset + i}, ids {@code <id>#aug<copyIndex>}, derived kind {@code augmented},
 * the same group, labels, split, fold and payload hash, and the edits in its {@code Applied} record
 * ({@link TextAugmentSpec#augment}). Validation and test samples never get copies. A copy whose
 * edits leave (nearly) nothing ({@link TextAugmentSpec.Copy#nearEmpty()}) is dropped and counted as
 * {@code samples.derived_filtered.near_empty} in {@link #COUNTS}. Deterministic: the output depends
 * only on the input, the spec and the seed.
 *
 * <pre>{@code
 * PCollectionTuple out = samples.apply("AugmentText", AugmentText.of(spec, seed).withCopyOffset(0));
 * PCollection<Sample> rows = out.get(AugmentText.OK);
 * }</pre>
 */
public final class AugmentText extends PTransform<PCollection<Sample>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** Originals and augmented copies. */
  public static final TupleTag<Sample> OK = new TupleTag<Sample>() {};

  /** Counters: {@code samples.derived_filtered.<reason>}. */
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<KV<String, Long>>() {};

  /** A sample that is not text (a wiring bug upstream would otherwise pass silently). */
  public static final TupleTag<Rejected> REJECTED = new TupleTag<Rejected>() {};

  /** The derived kind of an augmented copy. */
  public static final String AUGMENTED = CountKey.AUGMENTED;

  /** The reason a copy is dropped when its edits left (nearly) no words. */
  public static final String NEAR_EMPTY = "near_empty";

  /** The stage name in rejected rows. */
  public static final String STAGE = "augment_text";

  private final TextAugmentSpec spec;
  private final long seed;
  private final boolean includeOriginal;
  private final int copyOffset;

  private AugmentText(TextAugmentSpec spec, long seed, boolean includeOriginal, int copyOffset) {
    this.spec = java.util.Objects.requireNonNull(spec, "spec");
    this.seed = seed;
    this.includeOriginal = includeOriginal;
    this.copyOffset = copyOffset;
  }

  public static AugmentText of(TextAugmentSpec spec, long seed) {
    return new AugmentText(spec, seed, true, 0);
  }

  /** Whether train originals are written next to their copies; default true. */
  public AugmentText withIncludeOriginal(boolean include) {
    return new AugmentText(spec, seed, include, copyOffset);
  }

  /** The first copy index (so a later run can add copies without repeating draws); default 0. */
  public AugmentText withCopyOffset(int offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("withCopyOffset: offset must be >= 0, but was " + offset);
    }
    return new AugmentText(spec, seed, includeOriginal, offset);
  }

  @Override
  public PCollectionTuple expand(PCollection<Sample> input) {
    PCollectionTuple out =
        input.apply(
            "Augment",
            ParDo.of(new AugmentFn(spec, seed, includeOriginal, copyOffset))
                .withOutputTags(OK, TupleTagList.of(List.of(COUNTS, REJECTED))));
    out.get(OK).setCoder(SampleCoder.of());
    out.get(COUNTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    out.get(REJECTED).setCoder(RejectedCoder.of());
    return out;
  }

  private static final class AugmentFn extends DoFn<Sample, Sample> {
    private static final long serialVersionUID = 1L;

    private final TextAugmentSpec spec;
    private final long seed;
    private final boolean includeOriginal;
    private final int copyOffset;

    private final Counter augmented = Metrics.counter(AugmentText.class, "augmented");
    private final Counter nearEmpty = Metrics.counter(AugmentText.class, NEAR_EMPTY);

    AugmentFn(TextAugmentSpec spec, long seed, boolean includeOriginal, int copyOffset) {
      this.spec = spec;
      this.seed = seed;
      this.includeOriginal = includeOriginal;
      this.copyOffset = copyOffset;
    }

    @ProcessElement
    public void process(@Element Sample sample, MultiOutputReceiver out) {
      if (!(sample.payload() instanceof TextPayload text)) {
        out.get(REJECTED)
            .output(
                Rejected.sample(
                    sample,
                    STAGE,
                    "not_text",
                    "AugmentText got a " + sample.payload().modality() + " payload"));
        return;
      }
      boolean train = sample.split() == Split.TRAIN;
      // a derived input (an oversampled duplicate) is written as its source's original is
      if (!train || includeOriginal || sample.isDerived()) {
        out.get(OK).output(sample);
      }
      for (int i = 0; train && i < sample.copyCount(); i++) {
        int copyIndex = copyOffset + i;
        TextAugmentSpec.Copy c = spec.augment(text.text(), seed, sample.id(), copyIndex);
        if (c.nearEmpty()) {
          nearEmpty.inc();
          out.get(COUNTS).output(KV.of(CountKey.derivedFiltered(NEAR_EMPTY), 1L));
          continue;
        }
        augmented.inc();
        out.get(OK)
            .output(
                sample.toBuilder()
                    .id(sample.id() + "#aug" + copyIndex)
                    .sourceIds(List.of(sample.id()))
                    .copyCount(0)
                    .derived(AUGMENTED, copyIndex)
                    .applied(c.applied())
                    .payload(new TextPayload(c.text()))
                    .build());
      }
    }
  }
}
