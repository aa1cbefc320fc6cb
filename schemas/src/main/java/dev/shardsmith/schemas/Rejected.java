package dev.shardsmith.schemas;

import static java.util.Objects.requireNonNull;

import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * Something that could not be processed: the source (file id) it came from, the sample id where one
 * exists (else the source id), whether the whole source was refused (it then yields no sample and
 * counts under {@code sources.rejected}; otherwise under {@code samples.rejected}), the stage that
 * refused it, a short machine reason ({@code decode}, {@code truncated}, {@code too_large}, ...)
 * and a human detail. Written to {@code OUT/rejected/} and counted; never dropped.
 */
@DefaultCoder(RejectedCoder.class)
public record Rejected(
    String source,
    String sampleId,
    boolean wholeSource,
    String stage,
    String reason,
    String detail) {
  public Rejected {
    requireNonNull(source, "source");
    requireNonNull(sampleId, "sampleId");
    requireNonNull(stage, "stage");
    requireNonNull(reason, "reason");
    requireNonNull(detail, "detail");
  }

  /** A whole source (file) refused: it yields no sample. */
  public static Rejected source(String source, String stage, String reason, String detail) {
    return new Rejected(source, source, true, stage, reason, detail);
  }

  /** One sample refused after its source was read. */
  public static Rejected sample(Sample sample, String stage, String reason, String detail) {
    return new Rejected(sample.sourceIds().get(0), sample.id(), false, stage, reason, detail);
  }
}
