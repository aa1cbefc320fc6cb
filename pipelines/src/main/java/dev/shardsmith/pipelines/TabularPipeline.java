package dev.shardsmith.pipelines;

import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.pipelines.config.TabularInputConfig;
import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.FeatureNames;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.AssignSplits;
import dev.shardsmith.transforms.Balance;
import dev.shardsmith.transforms.NormalizeFeatures;
import dev.shardsmith.transforms.ReadTabular;
import dev.shardsmith.transforms.WriteShards;
import dev.shardsmith.transforms.kernels.stats.NormalizeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The tabular pipeline ({@code input.kind: tabular}): read CSV/Parquet rows into feature vectors
 * ({@link ReadTabular}) -> group and split (exact duplicate rows share a group) -> train-only
 * statistics applied to every split ({@link NormalizeFeatures}: max_missing filter, imputation,
 * scaling, PCA) -> train-only balancing ({@link Balance}: undersampling, oversampling, the SMOTE
 * family) -> assign shards and write them with the feature names ({@link ShardFormats}) -> write
 * rejections, splits, statistics and counters ({@link RunRecords}). Everything is written under the
 * run's staging folder; {@link OutputCommit} verifies and commits it.
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

    PCollectionTuple split = samples.apply("AssignSplits", RunRecords.assignSplits(config));
    PCollection<Sample> assigned = split.get(AssignSplits.OK);

    // Train-only statistics (quality.max_missing filter, imputation, scaling, PCA), applied to
    // every split before balancing, so SMOTE works in the scaled space.
    NormalizeSpec norm = config.normalize();
    PCollectionTuple normalized =
        assigned.apply("Normalize", NormalizeFeatures.of(norm).withFolds(config.split().folds()));
    PCollection<Sample> kept = normalized.get(NormalizeFeatures.OK);

    // Train only: undersampling, oversampled duplicates and SMOTE rows (no augmentation here).
    PCollectionTuple balanced =
        kept.apply("Balance", config.balance().transform(config.seed(), 0, 0, true));
    PCollection<Sample> rows = balanced.get(Balance.OK);

    PCollectionTuple shards =
        RunRecords.writeShards(
            rows, config, staging, labels, writtenNames(table.spec().featureNames(), norm));

    PCollectionList<KV<String, Long>> counts =
        PCollectionList.of(read.get(ReadTabular.COUNTS))
            .and(shards.get(WriteShards.COUNTS))
            .and(normalized.get(NormalizeFeatures.COUNTS))
            .and(balanced.get(Balance.COUNTS))
            .and(RunRecords.countAll(kept, "CountKept", CountKey.SAMPLES_KEPT));
    RunRecords.write(
        staging,
        counts,
        labels,
        split.get(AssignSplits.SUMMARY),
        shards.get(WriteShards.FILES),
        read.get(ReadTabular.REJECTED),
        kept);
    normalized
        .get(NormalizeFeatures.MANIFEST)
        .apply(
            "WriteNormalization",
            WriteSortedLines.to(staging.resolve(RunRecords.META).resolve("normalization.json")));
  }

  /**
   * The written columns: the input's, or with PCA {@code pc0 .. pc<N-1>} (or, when the component
   * count follows from {@code pca.variance}, positional names {@code f0, f1, ...}).
   */
  private static FeatureNames writtenNames(FeatureNames input, NormalizeSpec norm) {
    if (norm.pcaComponents() > 0) {
      List<String> pcs = new ArrayList<>();
      for (int i = 0; i < norm.pcaComponents(); i++) {
        pcs.add("pc" + i);
      }
      return new FeatureNames(pcs, input.categorical());
    }
    return norm.pcaVariance() > 0 ? FeatureNames.NONE : input;
  }
}
