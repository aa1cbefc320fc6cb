package dev.shardsmith.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * {@code manifest.json}: the commit record of a run and the index ML teams load from. Written last;
 * a dataset without one is not a dataset. Field names are snake_case in JSON ({@code
 * format_version}, {@code config_sha256}). Two runs of the same config on the same input differ
 * only in {@code runner} and {@code run} (ids and times). {@code shards} lists the data files,
 * {@code files} the other files of the dataset ({@code splits.parquet}, {@code
 * rejected/rejected.jsonl}), each with its size and sha256. {@code split_plan} is the split
 * planner's own report: mode, fractions, group count, folds, frozen and newly assigned samples, and
 * per class the target and achieved counts per split (and per fold).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    int formatVersion,
    String name,
    long seed,
    String configSha256,
    String toolVersion,
    String runner,
    String backend,
    List<String> labels,
    PixelFormat pixelFormat,
    Counts counts,
    SortedMap<String, SplitSummary> splits,
    Map<String, Object> splitPlan,
    Map<String, Object> normalization,
    List<ShardEntry> shards,
    List<ShardEntry> files,
    Workers workers,
    Map<String, Object> config,
    Map<String, Object> run) {

  public static final int FORMAT_VERSION = 1;

  /**
   * How pixels are stored: {@code dtype} {@code uint8}, or {@code float32} when {@code
   * normalize.image.apply} wrote normalized pixels; {@code values} says what a value means.
   */
  public record PixelFormat(
      String layout,
      String channelOrder,
      String dtype,
      boolean exifOrientationApplied,
      String alpha,
      String highBitDepth,
      String encoding,
      String values) {
    /** {@code values} of uint8 pixels. */
    public static final String INTENSITY = "intensity 0..255";

    /** {@code values} of normalized float32 pixels. */
    public static final String STANDARDIZED =
        "(x - mean[c]) / std[c] of the 0..255 intensity x of channel c, with normalization.image"
            + " (fitted on the train originals; 0 where std[c] = 0)";
  }

  /**
   * One split: rows written, rows per class, and the requested against the achieved fraction of the
   * originals (overall and per class; {@code max_class_error} is the largest per-class distance
   * from the request, in samples). {@code missing_classes} lists labels with no sample here.
   */
  public record SplitSummary(
      long count,
      SortedMap<String, Long> classes,
      double requested,
      double achieved,
      SortedMap<String, Double> classAchieved,
      double maxClassError,
      List<String> missingClasses) {}

  /**
   * One file of the dataset: {@code path} relative to OUT, {@code format} ({@code parquet}, {@code
   * arrow}, {@code npy}, {@code json} for a shard's meta.json, ...), its split, the index of the
   * shard it belongs to (absent for files that are not shards), {@code rows} (the first dimension),
   * size and sha256.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ShardEntry(
      String path,
      String format,
      String split,
      Integer shard,
      long rows,
      long bytes,
      String sha256) {}

  /**
   * Which shards each training worker reads: shard {@code i} of every split goes to rank {@code i
   * mod count}; {@code ranks[r][split]} lists the shard indices of rank {@code r}.
   */
  public record Workers(int count, List<SortedMap<String, List<Integer>>> ranks) {}

  /** The one JSON mapper for manifests: snake_case, sorted maps, indented. */
  public static ObjectMapper mapper() {
    return new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  public static Manifest read(Path file) throws IOException {
    return mapper().readValue(file.toFile(), Manifest.class);
  }

  public byte[] toJsonBytes() throws IOException {
    return mapper().writeValueAsBytes(this);
  }
}
