package dev.shardsmith.transforms;

import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
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
 * and the edits in its {@code Applied} record. A copy whose edits leave (nearly) nothing is dropped
 * and counted as {@code samples.derived_filtered.<reason>} in {@link #COUNTS}.
 *
 * <p>CONTRACT STUB: the text-ops work replaces the body; the factory, tags and wither signatures
 * stay.
 */
public final class AugmentText extends PTransform<PCollection<Sample>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** Originals and augmented copies. */
  public static final TupleTag<Sample> OK = new TupleTag<Sample>() {};

  /** Counters: {@code samples.derived_filtered.<reason>}. */
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<KV<String, Long>>() {};

  /** Not used by the stub; kept so callers can flatten it with other rejections. */
  public static final TupleTag<Rejected> REJECTED = new TupleTag<Rejected>() {};

  private final TextAugmentSpec spec;
  private final long seed;
  private final boolean includeOriginal;
  private final int copyOffset;

  private AugmentText(TextAugmentSpec spec, long seed, boolean includeOriginal, int copyOffset) {
    this.spec = spec;
    this.seed = seed;
    this.includeOriginal = includeOriginal;
    this.copyOffset = copyOffset;
  }

  public static AugmentText of(TextAugmentSpec spec, long seed) {
    return new AugmentText(spec, seed, true, 0);
  }

  public AugmentText withIncludeOriginal(boolean include) {
    return new AugmentText(spec, seed, include, copyOffset);
  }

  public AugmentText withCopyOffset(int offset) {
    return new AugmentText(spec, seed, includeOriginal, offset);
  }

  @Override
  public PCollectionTuple expand(PCollection<Sample> input) {
    throw new UnsupportedOperationException("AugmentText is a contract stub");
  }
}
