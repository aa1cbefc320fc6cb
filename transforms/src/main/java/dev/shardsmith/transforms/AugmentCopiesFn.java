package dev.shardsmith.transforms;

import static java.util.Objects.requireNonNull;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Payload;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.RejectedCoder;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The shape every per-modality augmentation step shares ({@link AugmentText}, {@link
 * AugmentSeries}): a sample of the wrong payload type is rejected with reason {@code notReason};
 * every other sample passes through as its original (a train original is left out when {@code
 * includeOriginal} is false, unless it is itself derived), and a {@code TRAIN} sample also yields
 * {@code copyCount} copies with copy indices {@code copyOffset + i}, ids {@code
 * <id>#aug<copyIndex>}, derived kind {@code augmented}, the same group, labels, split, fold and
 * payload hash, and the subclass's payload and {@link Applied} record. A copy the subclass drops is
 * counted as {@code samples.derived_filtered.<reason>} on the {@code counts} tag. Validation and
 * test samples never get copies.
 *
 * @param <P> the payload type this step augments
 */
abstract class AugmentCopiesFn<P extends Payload> extends DoFn<Sample, Sample> {
  private static final long serialVersionUID = 1L;

  /**
   * One augmented copy: a payload and its record, or the reason it was dropped; {@code partner} is
   * the id of a second parent (same-class mixing), else null.
   */
  record Copy(Payload payload, Applied applied, String droppedReason, String partner) {
    static Copy of(Payload payload, Applied applied) {
      return mixed(payload, applied, null);
    }

    /** A copy made from its source and {@code partner} (a sample id, or null for none). */
    static Copy mixed(Payload payload, Applied applied, String partner) {
      return new Copy(
          requireNonNull(payload, "payload"), requireNonNull(applied, "applied"), null, partner);
    }

    static Copy dropped(String reason) {
      return new Copy(null, null, requireNonNull(reason, "reason"), null);
    }
  }

  /** The tags and names of the owning transform. */
  record Outputs(
      Class<?> owner,
      String stage,
      String notReason,
      TupleTag<Sample> ok,
      TupleTag<KV<String, Long>> counts,
      TupleTag<Rejected> rejected)
      implements java.io.Serializable {}

  private final Class<P> payloadType;
  private final Outputs outputs;
  private final boolean includeOriginal;
  private final int copyOffset;
  private final Counter augmented;

  AugmentCopiesFn(Class<P> payloadType, Outputs outputs, boolean includeOriginal, int copyOffset) {
    this.payloadType = payloadType;
    this.outputs = outputs;
    this.includeOriginal = includeOriginal;
    this.copyOffset = copyOffset;
    this.augmented = Metrics.counter(outputs.owner(), "augmented");
  }

  /** Checks a {@code withCopyOffset} argument. */
  static int checkCopyOffset(int offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("withCopyOffset: offset must be >= 0, but was " + offset);
    }
    return offset;
  }

  /** Applies this DoFn to {@code input} as step {@code "Augment"}, with explicit coders. */
  PCollectionTuple applyTo(PCollection<Sample> input) {
    PCollectionTuple out =
        input.apply(
            "Augment",
            ParDo.of(this)
                .withOutputTags(
                    outputs.ok(), TupleTagList.of(List.of(outputs.counts(), outputs.rejected()))));
    out.get(outputs.ok()).setCoder(SampleCoder.of());
    out.get(outputs.counts()).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    out.get(outputs.rejected()).setCoder(RejectedCoder.of());
    return out;
  }

  /** Copy {@code copyIndex} of {@code sample}, whose payload is {@code payload}. */
  abstract Copy augment(Sample sample, P payload, int copyIndex);

  @ProcessElement
  public void process(@Element Sample sample, MultiOutputReceiver out) {
    emit(sample, out);
  }

  /** The original (when kept) and the copies of {@code sample}, or its rejection. */
  void emit(Sample sample, MultiOutputReceiver out) {
    if (!payloadType.isInstance(sample.payload())) {
      out.get(outputs.rejected())
          .output(
              Rejected.sample(
                  sample,
                  outputs.stage(),
                  outputs.notReason(),
                  outputs.owner().getSimpleName()
                      + " got a "
                      + sample.payload().modality()
                      + " payload"));
      return;
    }
    P payload = payloadType.cast(sample.payload());
    boolean train = sample.split() == Split.TRAIN;
    // a derived input (an oversampled duplicate) is written as its source's original is
    if (!train || includeOriginal || sample.isDerived()) {
      out.get(outputs.ok()).output(sample);
    }
    for (int i = 0; train && i < sample.copyCount(); i++) {
      int copyIndex = copyOffset + i;
      Copy c = augment(sample, payload, copyIndex);
      if (c.droppedReason() != null) {
        Metrics.counter(outputs.owner(), c.droppedReason()).inc();
        out.get(outputs.counts()).output(KV.of(CountKey.derivedFiltered(c.droppedReason()), 1L));
        continue;
      }
      augmented.inc();
      out.get(outputs.ok())
          .output(
              sample.toBuilder()
                  .id(sample.id() + "#aug" + copyIndex)
                  .sourceIds(
                      c.partner() == null
                          ? List.of(sample.id())
                          : List.of(sample.id(), c.partner()))
                  .copyCount(0)
                  .derived(CountKey.AUGMENTED, copyIndex)
                  .applied(c.applied())
                  .payload(c.payload())
                  .build());
    }
  }
}
