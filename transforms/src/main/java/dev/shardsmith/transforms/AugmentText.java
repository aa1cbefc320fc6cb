package dev.shardsmith.transforms;

import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.TextPayload;
import dev.shardsmith.transforms.kernels.text.TextAugmentSpec;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

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
    return new AugmentText(spec, seed, includeOriginal, AugmentCopiesFn.checkCopyOffset(offset));
  }

  @Override
  public PCollectionTuple expand(PCollection<Sample> input) {
    return new AugmentFn(spec, seed, includeOriginal, copyOffset).applyTo(input);
  }

  private static final class AugmentFn extends AugmentCopiesFn<TextPayload> {
    private static final long serialVersionUID = 1L;

    private final TextAugmentSpec spec;
    private final long seed;

    AugmentFn(TextAugmentSpec spec, long seed, boolean includeOriginal, int copyOffset) {
      super(
          TextPayload.class,
          new Outputs(AugmentText.class, STAGE, "not_text", OK, COUNTS, REJECTED),
          includeOriginal,
          copyOffset);
      this.spec = spec;
      this.seed = seed;
    }

    @Override
    Copy augment(Sample sample, TextPayload text, int copyIndex) {
      TextAugmentSpec.Copy c = spec.augment(text.text(), seed, sample.id(), copyIndex);
      return c.nearEmpty()
          ? Copy.dropped(NEAR_EMPTY)
          : Copy.of(new TextPayload(c.text()), c.applied());
    }
  }
}
