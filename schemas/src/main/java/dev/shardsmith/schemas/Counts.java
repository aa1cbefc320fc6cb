package dev.shardsmith.schemas;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The two counting levels of DESIGN.md invariant 3, as the manifest shows them. Built from the flat
 * counters of {@link CountKey}; {@link #violations()} lists every equation that does not hold.
 */
public record Counts(Sources sources, Samples samples) {

  /** Source (file) level: {@code read = ok + sum(rejected)}. */
  public record Sources(long read, long ok, SortedMap<String, Long> rejected) {}

  /** Sample level: {@code extracted = kept + filtered + rejected} and the written-rows equation. */
  @JsonPropertyOrder({
    "extracted",
    "kept",
    "filtered",
    "rejected",
    "dropped_by_balance",
    "originals_omitted",
    "derived",
    "derived_filtered",
    "shard_padding",
    "shard_dropped",
    "written"
  })
  public record Samples(
      long extracted,
      long kept,
      SortedMap<String, Long> filtered,
      SortedMap<String, Long> rejected,
      @JsonProperty("dropped_by_balance") long droppedByBalance,
      @JsonProperty("originals_omitted") long originalsOmitted,
      SortedMap<String, Long> derived,
      @JsonProperty("derived_filtered") SortedMap<String, Long> derivedFiltered,
      @JsonProperty("shard_padding") long shardPadding,
      @JsonProperty("shard_dropped") long shardDropped,
      long written) {}

  public static Counts fromFlat(Map<String, Long> flat) {
    SortedMap<String, Long> derived = new TreeMap<>();
    for (String kind : List.of(CountKey.AUGMENTED, CountKey.OVERSAMPLED, CountKey.SMOTE)) {
      derived.put(kind, 0L);
    }
    derived.putAll(byPrefix(flat, "samples.derived."));
    return new Counts(
        new Sources(
            get(flat, CountKey.SOURCES_READ),
            get(flat, CountKey.SOURCES_OK),
            byPrefix(flat, "sources.rejected.")),
        new Samples(
            get(flat, CountKey.SAMPLES_EXTRACTED),
            get(flat, CountKey.SAMPLES_KEPT),
            byPrefix(flat, "samples.filtered."),
            byPrefix(flat, "samples.rejected."),
            get(flat, CountKey.DROPPED_BY_BALANCE),
            get(flat, CountKey.ORIGINALS_OMITTED),
            derived,
            byPrefix(flat, "samples.derived_filtered."),
            get(flat, CountKey.SHARD_PADDING),
            get(flat, CountKey.SHARD_DROPPED),
            get(flat, CountKey.SAMPLES_WRITTEN)));
  }

  /** Every equation of invariant 3 that does not hold, as readable sentences; empty when sound. */
  public List<String> violations() {
    List<String> out = new ArrayList<>();
    long srcRejected = sum(sources.rejected());
    if (sources.read() != sources.ok() + srcRejected) {
      out.add(
          "sources.read "
              + sources.read()
              + " != ok "
              + sources.ok()
              + " + rejected "
              + srcRejected);
    }
    long filtered = sum(samples.filtered());
    long rejected = sum(samples.rejected());
    if (samples.extracted() != samples.kept() + filtered + rejected) {
      out.add(
          "samples.extracted "
              + samples.extracted()
              + " != kept "
              + samples.kept()
              + " + filtered "
              + filtered
              + " + rejected "
              + rejected);
    }
    long expected =
        samples.kept()
            - samples.droppedByBalance()
            - samples.originalsOmitted()
            + sum(samples.derived())
            + samples.shardPadding()
            - samples.shardDropped();
    if (samples.written() != expected) {
      out.add(
          "samples.written "
              + samples.written()
              + " != kept - dropped_by_balance"
              + " - originals_omitted + derived + shard_padding - shard_dropped = "
              + expected);
    }
    return out;
  }

  private static long get(Map<String, Long> flat, String key) {
    return flat.getOrDefault(key, 0L);
  }

  private static SortedMap<String, Long> byPrefix(Map<String, Long> flat, String prefix) {
    SortedMap<String, Long> out = new TreeMap<>();
    flat.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.merge(k.substring(prefix.length()), v, Long::sum);
          }
        });
    return out;
  }

  private static long sum(Map<String, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }
}
