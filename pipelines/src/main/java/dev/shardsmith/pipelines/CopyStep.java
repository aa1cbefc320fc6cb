package dev.shardsmith.pipelines;

import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.Balance;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The train-only middle of a text or series run, after the split (and any statistics): balance
 * ({@link Balance}: undersampling, oversampled duplicates, augment-to-target copy counts), then the
 * modality's copy-making step (applied only when some sample can get a copy), then train originals
 * left out when {@code augment.include_original} is false. Counts every term of invariant 3 these
 * steps touch: kept samples (the originals through the step, plus those undersampling dropped),
 * balance counts, omitted originals, the step's {@code derived_filtered} counters and rejections.
 *
 * <pre>{@code
 * CopyStep.Result r = CopyStep.apply(config, kept,
 *     AugmentText.of(spec, seed).withIncludeOriginal(true).withCopyOffset(offset),
 *     AugmentText.OK, AugmentText.COUNTS, AugmentText.REJECTED);
 * }</pre>
 */
final class CopyStep {
  private CopyStep() {}

  /** The rows to write, the counters and the rejections of the step. */
  record Result(
      PCollection<Sample> written,
      PCollectionList<KV<String, Long>> counts,
      PCollectionList<Rejected> rejected) {}

  static Result apply(
      RunConfig config,
      PCollection<Sample> kept,
      PTransform<PCollection<Sample>, PCollectionTuple> augment,
      TupleTag<Sample> ok,
      TupleTag<KV<String, Long>> countsTag,
      TupleTag<Rejected> rejectedTag) {
    RunConfig.Augment aug = config.augment();
    PCollectionTuple balanced = kept.apply("Balance", RunRecords.balance(config));
    PCollection<Sample> rows = balanced.get(Balance.OK);
    PCollectionList<KV<String, Long>> counts =
        PCollectionList.of(balanced.get(Balance.COUNTS))
            // samples undersampling dropped were kept before it
            .and(
                RunRecords.countAll(
                    balanced.get(Balance.DROPPED), "CountKeptDropped", CountKey.SAMPLES_KEPT));
    PCollectionList<Rejected> rejected = PCollectionList.empty(kept.getPipeline());
    boolean augmenting =
        aug.enabled()
            && (aug.copies() > 0 || config.balance().strategy() == Balance.Strategy.AUGMENT);
    if (augmenting) {
      PCollectionTuple augmented = rows.apply("Augment", augment);
      rows = augmented.get(ok);
      rejected = rejected.and(augmented.get(rejectedTag));
      counts =
          counts
              // samples.derived_filtered.<reason>: copies the step discarded
              .and(augmented.get(countsTag))
              .and(RunRecords.countRejected(augmented.get(rejectedTag), "CountAugmentRejects"));
    }
    Originals o = originals(config, rows);
    counts = counts.and(o.counts().getAll());
    PCollection<Sample> written = o.written();
    return new Result(written, counts, rejected);
  }

  /** The rows to write, and the counts of the kept originals and of the omitted ones. */
  record Originals(PCollection<Sample> written, PCollectionList<KV<String, Long>> counts) {}

  /**
   * After the copy-making step: the originals that came through are the kept samples; train
   * originals are then left out when {@code augment.include_original} is false (counted, per
   * invariant 3).
   */
  static Originals originals(RunConfig config, PCollection<Sample> rows) {
    RunConfig.Augment aug = config.augment();
    boolean omitOriginals = aug.enabled() && !aug.includeOriginal();
    PCollection<Sample> originals =
        rows.apply("Originals", Filter.by((Sample x) -> !x.isDerived()));
    PCollection<Sample> omitted =
        originals.apply(
            "OmittedOriginals", Filter.by((Sample x) -> omitOriginals && x.split() == Split.TRAIN));
    PCollection<Sample> written =
        rows.apply(
            "OmitOriginals",
            Filter.by((Sample x) -> x.isDerived() || !(omitOriginals && x.split() == Split.TRAIN)));
    return new Originals(
        written,
        PCollectionList.of(RunRecords.countAll(originals, "CountKept", CountKey.SAMPLES_KEPT))
            .and(RunRecords.countAll(omitted, "CountOmitted", CountKey.ORIGINALS_OMITTED)));
  }
}
