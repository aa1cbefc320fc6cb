package dev.shardsmith.pipelines;

import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.AssignSplits;
import dev.shardsmith.transforms.AugmentText;
import dev.shardsmith.transforms.CheckLeakage;
import dev.shardsmith.transforms.ReadText;
import dev.shardsmith.transforms.WriteShards;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The text pipeline ({@code input.kind: text}): read JSONL, CSV, class folders of {@code .txt}
 * files or fortune files ({@link ReadText}: invalid UTF-8 and bad labels rejected, empty and
 * too-long texts filtered) -> group and split (identical texts share a group) -> train-only
 * balancing ({@link Balance}: undersampling, oversampled duplicates, augment-to-target copy counts)
 * -> augmented copies of train samples ({@link AugmentText}; applied only when some sample can get
 * a copy) -> train originals left out when {@code augment.include_original} is false (counted) ->
 * leakage guard ({@link CheckLeakage}) -> assign shards and write Parquet and Arrow ({@link
 * ShardFormats}) -> write rejections, splits and counters ({@link RunRecords}). Everything is
 * written under the run's staging folder; {@link OutputCommit} verifies and commits it.
 *
 * <pre>{@code
 * TextPipeline.build(p, RunConfig.load(Path.of("sample-data/text-demo.yaml")), staging);
 * }</pre>
 */
public final class TextPipeline {
  private TextPipeline() {}

  /**
   * Adds the whole run to {@code p}, writing into {@code staging}. Lists the sources now, so a
   * pattern matching nothing fails here ({@link dev.shardsmith.pipelines.config.ConfigException}).
   */
  public static void build(Pipeline p, RunConfig config, Path staging) {
    RunConfig.Input in = config.input();
    PCollectionTuple read =
        p.apply(
            "ReadText",
            ReadText.of(in.text().resolve(), in.text().spec())
                .withDeclaredLabels(in.labels(), "fail".equals(in.unknownLabel())));
    PCollection<Sample> samples = read.get(ReadText.OK);
    RunRecords.Labels labels = RunRecords.labels(p, in.labels(), samples);

    PCollectionTuple split = samples.apply("AssignSplits", RunRecords.assignSplits(config));
    PCollection<Sample> assigned = split.get(AssignSplits.OK);

    RunConfig.Augment aug = config.augment();
    CopyStep.Result copies =
        CopyStep.apply(
            config,
            assigned,
            AugmentText.of(aug.text(), config.seed())
                .withIncludeOriginal(true)
                .withCopyOffset(aug.copyOffset()),
            AugmentText.OK,
            AugmentText.COUNTS,
            AugmentText.REJECTED);
    PCollection<Sample> written = copies.written();

    PCollectionTuple shards = RunRecords.writeShards(written, config, staging, labels);

    PCollection<Rejected> rejected =
        PCollectionList.of(read.get(ReadText.REJECTED))
            .and(copies.rejected().getAll())
            .apply("AllRejected", Flatten.pCollections());
    PCollectionList<KV<String, Long>> counts =
        PCollectionList.of(read.get(ReadText.COUNTS))
            .and(copies.counts().getAll())
            .and(shards.get(WriteShards.COUNTS));
    RunRecords.write(
        staging,
        counts,
        labels,
        split.get(AssignSplits.SUMMARY),
        shards.get(WriteShards.FILES),
        rejected,
        assigned);
  }
}
