package dev.shardsmith.pipelines;

import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.pipelines.config.TabularInputConfig;
import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.AssignSplits;
import dev.shardsmith.transforms.ReadTabular;
import dev.shardsmith.transforms.WriteShards;
import dev.shardsmith.transforms.kernels.shard.ShardPlan;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The tabular pipeline ({@code input.kind: tabular}): read CSV/Parquet rows into feature vectors
 * ({@link ReadTabular}) -> group and split (exact; exact duplicate rows share a group) -> assign
 * shards and write them with the feature names ({@link ShardFormats}) -> write rejections, splits
 * and counters ({@link RunRecords}). Every kept sample is written once: there is no augmentation,
 * and (for now) no imputation, scaling or balancing, so missing values stay NaN. Everything is
 * written under the run's staging folder; {@link OutputCommit} verifies and commits it.
 *
 * <pre>{@code
 * TabularPipeline.build(p, RunConfig.load(Path.of("sample-data/letters.yaml")), staging);
 * }</pre>
 */
public final class TabularPipeline {
  private TabularPipeline() {}

  /**
   * Adds the whole run to {@code p}, writing into {@code staging}. Lists the input files and reads
   * the first header now, so a bad column name fails here ({@link
   * dev.shardsmith.pipelines.config.ConfigException}), before the pipeline runs.
   */
  public static void build(Pipeline p, RunConfig config, Path staging) {
    RunConfig.Input in = config.input();
    TabularInputConfig.Resolved table = in.tabular().resolve();
    PCollectionTuple read =
        p.apply(
            "ReadTabular",
            ReadTabular.of(table.files(), table.spec())
                .withDeclaredLabels(in.labels(), "fail".equals(in.unknownLabel())));
    PCollection<Sample> samples = read.get(ReadTabular.OK);
    RunRecords.Labels labels = RunRecords.labels(p, in.labels(), samples);

    RunConfig.SplitSpec s = config.split();
    PCollectionTuple split =
        samples.apply(
            "AssignSplits", AssignSplits.exact(s.train(), s.val(), s.test(), config.seed()));
    PCollection<Sample> assigned = split.get(AssignSplits.OK);

    RunConfig.Output o = config.output();
    PCollectionTuple shards =
        assigned.apply(
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
                ShardFormats.sinks(o, table.spec().featureNames())));

    PCollectionList<KV<String, Long>> counts =
        PCollectionList.of(read.get(ReadTabular.COUNTS))
            .and(shards.get(WriteShards.COUNTS))
            .and(RunRecords.countAll(assigned, "CountKept", CountKey.SAMPLES_KEPT));
    RunRecords.write(
        staging,
        counts,
        labels,
        split.get(AssignSplits.SUMMARY),
        shards.get(WriteShards.FILES),
        read.get(ReadTabular.REJECTED),
        assigned);
  }
}
