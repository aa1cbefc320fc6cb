package dev.shardsmith.pipelines;

import static org.apache.beam.sdk.values.TypeDescriptors.kvs;
import static org.apache.beam.sdk.values.TypeDescriptors.longs;
import static org.apache.beam.sdk.values.TypeDescriptors.strings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.pipelines.config.ConfigException;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.FeatureNames;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.AssignSplits;
import dev.shardsmith.transforms.Balance;
import dev.shardsmith.transforms.CheckLeakage;
import dev.shardsmith.transforms.WriteShards;
import dev.shardsmith.transforms.kernels.shard.ShardPlan;
import dev.shardsmith.transforms.kernels.shard.SplitRow;
import dev.shardsmith.transforms.kernels.shard.SplitsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * What every pipeline (images, tabular) records besides its shards, in the same form, for {@link
 * OutputCommit} and the manifest: the label map, summed counters, rejections, the split of every
 * sample and the shard entries. Files, under the staging folder: {@code _meta/counts.tsv}, {@code
 * _meta/labels.tsv}, {@code _meta/split-summary.json}, {@code _meta/shards.jsonl}, {@code
 * rejected/rejected.jsonl} and {@code splits.parquet}; each written sorted, so its bytes do not
 * depend on bundle order.
 *
 * <pre>{@code
 * RunRecords.Labels labels = RunRecords.labels(p, declared, samples);
 * ... WriteShards.to(staging, seed, targets, labels.view(), sinks) ...
 * RunRecords.write(staging, counts, labels, summary, shardEntries, rejected, assigned);
 * }</pre>
 */
final class RunRecords {
  private RunRecords() {}

  /** The folder under staging that holds what the manifest is built from. */
  static final String META = "_meta";

  /** The label map: declared, or the sorted set of the samples' labels; also as a side input. */
  /** The configured split: mode, fractions, folds, and the rows of {@code split.freeze_from}. */
  /**
   * The train-only balance step of a run: copy counts ({@code augment.copies} when augmentation is
   * on, plus balance copies for augment-to-target), undersampling, and oversampled duplicates with
   * copy indices after the augmented ones; originals counted as kept unless augmentation leaves
   * them out.
   */
  static Balance balance(RunConfig config) {
    RunConfig.Augment aug = config.augment();
    return config
        .balance()
        .transform(
            config.seed(),
            aug.enabled() ? aug.copies() : 0,
            aug.copyOffset(),
            !aug.enabled() || aug.includeOriginal());
  }

  static AssignSplits assignSplits(RunConfig config) {
    RunConfig.SplitSpec s = config.split();
    AssignSplits assign = AssignSplits.of(s.plannerSpec(config.seed()));
    if (s.freezeFrom() == null) {
      return assign;
    }
    try {
      return assign.withFrozen(SplitsFile.read(s.freezeFrom()));
    } catch (IOException e) {
      throw new ConfigException(
          "split.freeze_from = "
              + s.freezeFrom()
              + " cannot be read as a splits.parquet: "
              + e.getMessage());
    }
  }

  record Labels(PCollection<List<String>> list, PCollectionView<List<String>> view) {}

  static Labels labels(Pipeline p, List<String> declared, PCollection<Sample> samples) {
    PCollection<List<String>> labels =
        declared.isEmpty()
            ? samples
                // every label of a multi-label sample (text) belongs in the map
                .apply("Labels", FlatMapElements.into(strings()).via((Sample s) -> s.labels()))
                .apply("DistinctLabels", Distinct.create())
                .apply("SortedLabels", Combine.globally(new WriteSortedLines.SortedListFn()))
            : p.apply("DeclaredLabels", Create.of(List.of(declared)));
    labels.setCoder(ListCoder.of(StringUtf8Coder.of()));
    return new Labels(labels, labels.apply("LabelsView", View.asSingleton()));
  }

  /**
   * The last step of every run: the leakage guard ({@link CheckLeakage}), then the shards of {@code
   * rows} in the configured formats, sizes and worker assignment ({@link WriteShards}), with {@code
   * names} for feature columns ({@link FeatureNames#NONE} for other payloads).
   */
  static PCollectionTuple writeShards(
      PCollection<Sample> rows, RunConfig config, Path staging, Labels labels, FeatureNames names) {
    RunConfig.Output o = config.output();
    return rows.apply("CheckLeakage", CheckLeakage.rows())
        .apply(
            "WriteShards",
            WriteShards.to(
                staging,
                config.seed(),
                new ShardPlan.Targets(
                    o.shardRows(),
                    o.shardBytes(),
                    o.workers(),
                    ShardPlan.EqualShards.parse(o.equalShards())),
                labels.view(),
                ShardFormats.sinks(o, names)));
  }

  /** {@link #writeShards(PCollection, RunConfig, Path, Labels, FeatureNames)} without names. */
  static PCollectionTuple writeShards(
      PCollection<Sample> rows, RunConfig config, Path staging, Labels labels) {
    return writeShards(rows, config, staging, labels, FeatureNames.NONE);
  }

  /** One {@code key} count per element of {@code xs}. */
  static PCollection<KV<String, Long>> countAll(PCollection<Sample> xs, String name, String key) {
    return xs.apply(
            name, MapElements.into(kvs(strings(), longs())).via((Sample x) -> KV.of(key, 1L)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
  }

  /** One count per rejection, under its level and reason. */
  static PCollection<KV<String, Long>> countRejected(PCollection<Rejected> rs, String name) {
    return rs.apply(
            name,
            MapElements.into(kvs(strings(), longs()))
                .via((Rejected r) -> KV.of(CountKey.rejected(r), 1L)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
  }

  /**
   * Writes the records: {@code counts} summed per key, the labels, the split summary ({@link
   * dev.shardsmith.transforms.AssignSplits#SUMMARY}), the shard entries ({@link
   * dev.shardsmith.transforms.WriteShards#FILES}), the rejections and the split of every sample in
   * {@code assigned}.
   */
  static void write(
      Path staging,
      PCollectionList<KV<String, Long>> counts,
      Labels labels,
      PCollection<String> splitSummary,
      PCollection<String> shardEntries,
      PCollection<Rejected> rejected,
      PCollection<Sample> assigned) {
    Path meta = staging.resolve(META);
    counts
        .apply("AllCounts", Flatten.pCollections())
        .apply("SumCounts", Sum.longsPerKey())
        .apply(
            "CountLines",
            MapElements.into(strings())
                .via((KV<String, Long> kv) -> kv.getKey() + "\t" + kv.getValue()))
        .apply("WriteCounts", WriteSortedLines.to(meta.resolve("counts.tsv")));
    labels
        .list()
        .apply("LabelLines", FlatMapElements.into(strings()).via((List<String> l) -> indexed(l)))
        .apply("WriteLabels", WriteSortedLines.to(meta.resolve("labels.tsv")));
    splitSummary.apply(
        "WriteSplitSummary", WriteSortedLines.to(meta.resolve("split-summary.json")));
    shardEntries.apply("WriteShardEntries", WriteSortedLines.to(meta.resolve("shards.jsonl")));
    rejected
        .apply("RejectedJson", MapElements.into(strings()).via(RunRecords::rejectedJson))
        .apply("WriteRejected", WriteSortedLines.to(staging.resolve("rejected/rejected.jsonl")));
    assigned
        .apply(
            "SplitRows",
            MapElements.into(strings())
                .via(
                    (Sample x) ->
                        x.id() + "\t" + x.group() + "\t" + x.split().folder() + "\t" + x.fold()))
        .apply(
            "WriteSplits",
            WriteSortedLines.to(staging.resolve("splits.parquet"), RunRecords::writeSplits));
  }

  /** Label lines {@code 00000\tname}, so sorting keeps the index order. */
  private static List<String> indexed(List<String> labels) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      out.add(String.format("%05d\t%s", i, labels.get(i)));
    }
    return out;
  }

  private static void writeSplits(Path file, List<String> lines) throws IOException {
    List<SplitRow> rows = new ArrayList<>(lines.size());
    for (String line : lines) {
      String[] f = line.split("\t", -1);
      rows.add(new SplitRow(f[0], f[1], f[2], Integer.parseInt(f[3])));
    }
    SplitsFile.write(file, rows);
  }

  static String rejectedJson(Rejected r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", r.source());
    m.put("sample_id", r.sampleId());
    m.put("level", r.wholeSource() ? "source" : "sample");
    m.put("stage", r.stage());
    m.put("reason", r.reason());
    m.put("detail", r.detail());
    try {
      return new ObjectMapper().writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
