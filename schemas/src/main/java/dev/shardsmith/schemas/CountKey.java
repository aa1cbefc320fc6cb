package dev.shardsmith.schemas;

/**
 * Names of the flat counters that stages emit and the run sums into {@link Counts}: every term of
 * DESIGN.md invariant 3. Reason and kind names are open-ended ({@code samples.filtered.min_size}).
 */
public final class CountKey {
  private CountKey() {}

  public static final String SOURCES_READ = "sources.read";
  public static final String SOURCES_OK = "sources.ok";
  public static final String SAMPLES_EXTRACTED = "samples.extracted";
  public static final String SAMPLES_KEPT = "samples.kept";
  public static final String DROPPED_BY_BALANCE = "samples.dropped_by_balance";
  public static final String ORIGINALS_OMITTED = "samples.originals_omitted";
  public static final String SHARD_PADDING = "samples.shard_padding";
  public static final String SHARD_DROPPED = "samples.shard_dropped";
  public static final String SAMPLES_WRITTEN = "samples.written";

  /** Derived kinds; each is counted as written rows. */
  public static final String AUGMENTED = "augmented";

  public static final String OVERSAMPLED = "oversampled";
  public static final String SMOTE = "smote";

  public static String sourcesRejected(String reason) {
    return "sources.rejected." + reason;
  }

  public static String samplesFiltered(String reason) {
    return "samples.filtered." + reason;
  }

  public static String samplesRejected(String reason) {
    return "samples.rejected." + reason;
  }

  public static String derived(String kind) {
    return "samples.derived." + kind;
  }

  public static String derivedFiltered(String reason) {
    return "samples.derived_filtered." + reason;
  }

  /** The counter for a rejection, by its level. */
  public static String rejected(Rejected r) {
    return r.wholeSource() ? sourcesRejected(r.reason()) : samplesRejected(r.reason());
  }
}
