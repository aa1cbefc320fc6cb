package dev.shardsmith.pipelines;

import static org.apache.beam.sdk.values.TypeDescriptors.strings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.pipelines.config.TargetsConfig;
import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.AssignSplits;
import dev.shardsmith.transforms.AttachTargets;
import dev.shardsmith.transforms.Balance;
import dev.shardsmith.transforms.CheckLeakage;
import dev.shardsmith.transforms.EncodeImages;
import dev.shardsmith.transforms.FitStatistics;
import dev.shardsmith.transforms.FuseImages;
import dev.shardsmith.transforms.NormalizeImages;
import dev.shardsmith.transforms.ReadImages;
import dev.shardsmith.transforms.WriteShards;
import dev.shardsmith.transforms.kernels.image.AugmentSpec;
import dev.shardsmith.transforms.kernels.image.ImageBackend;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
import dev.shardsmith.transforms.kernels.stats.ChannelAccumulator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The image pipeline: read and validate -> filter -> group and split (exact or stable, folds,
 * freeze_from) -> balance (train only: undersample, oversampled duplicates, copy counts; {@link
 * Balance}) -> one fused step per image (decode once, preprocess every split, augment train copies)
 * -> per-channel statistics of the train originals, applied to every written row as float32 {@code
 * (x - mean) / std} only with {@code normalize.image.apply} ({@link NormalizeImages}) -> leakage
 * guard ({@link CheckLeakage}) -> assign shards and write them -> write rejections, splits and
 * counters ({@link RunRecords}). Everything is written under the run's staging folder; {@link
 * OutputCommit} verifies and commits it.
 *
 * <p>Staging layout: {@code <split>/part-*.parquet}, {@code splits.parquet}, {@code
 * rejected/rejected.jsonl}, and {@code _meta/} (counts, labels, split summary, shard entries, the
 * normalization object with the train channel statistics) for the manifest.
 */
public final class ImagePipeline {
  private ImagePipeline() {}

  /** Adds the whole run to {@code p}, writing into {@code staging}. */
  public static void build(Pipeline p, RunConfig config, Path staging) {
    RunConfig.Input in = config.input();
    ReadImages read =
        (in.root() != null
                ? ReadImages.fromFolders(in.root())
                : ReadImages.fromManifest(in.manifest()))
            .withDeclaredLabels(in.labels(), "fail".equals(in.unknownLabel()))
            .withMinSize(config.quality().minWidth(), config.quality().minHeight())
            .withMaxPixels(config.quality().maxPixels());
    PCollectionTuple sources = p.apply("ReadImages", read);
    buildFrom(
        p,
        config,
        staging,
        sources.get(ReadImages.OK),
        sources.get(ReadImages.REJECTED),
        sources.get(ReadImages.COUNTS));
  }

  /**
   * Everything after reading, on samples another reader made (e.g. video frames, {@link
   * VideoPipeline}): its rejections and counters join the run's.
   */
  static void buildFrom(
      Pipeline p,
      RunConfig config,
      Path staging,
      PCollection<Sample> samples,
      PCollection<Rejected> readRejected,
      PCollection<KV<String, Long>> readCounts) {
    RunConfig.Input in = config.input();
    PCollectionList<Rejected> targetRejects = PCollectionList.empty(p);
    PCollectionList<KV<String, Long>> targetCounts = PCollectionList.empty(p);
    TargetsConfig t = config.targets();
    if (t.any()) {
      AttachTargets attach =
          t.annotations()
              ? AttachTargets.annotations(t.format(), t.path(), t.classes())
                  .withSegmentationMasks(t.segmentationMasks())
              : AttachTargets.masks(t.masks());
      if (t.annotations() && t.masks() != null) {
        attach = attach.withMasks(t.masks());
      }
      PCollectionTuple annotated = samples.apply("AttachTargets", attach);
      samples = annotated.get(AttachTargets.OK);
      targetRejects = targetRejects.and(annotated.get(AttachTargets.REJECTED));
      targetCounts = targetCounts.and(annotated.get(AttachTargets.COUNTS));
    }

    RunRecords.Labels labels = RunRecords.labels(p, in.labels(), samples);

    PCollectionTuple split = samples.apply("AssignSplits", RunRecords.assignSplits(config));
    PCollection<Sample> assigned = split.get(AssignSplits.OK);

    RunConfig.Augment aug = config.augment();
    // Train only: copy counts, undersampling and oversampled duplicates
    PCollectionTuple balanced = assigned.apply("Balance", RunRecords.balance(config));
    PCollection<Sample> planned = balanced.get(Balance.OK);
    PCollection<Sample> droppedByBalance = balanced.get(Balance.DROPPED);

    RunConfig.Preprocess pre = config.preprocess();
    PCollectionTuple fused =
        planned.apply(
            "FuseImages",
            FuseImages.of(
                    new PreprocessSpec(pre.resize(), pre.cropWidth(), pre.cropHeight(), pre.ops()),
                    new AugmentSpec(
                        aug.hflipP(),
                        aug.rotateP(),
                        aug.rotateLimit(),
                        aug.rrcP(),
                        aug.rrcScale()[0],
                        aug.rrcScale()[1],
                        aug.rrcRatio()[0],
                        aug.rrcRatio()[1]),
                    config.seed(),
                    config.quality().maxPixels())
                .withPixelOps(aug.ops())
                .withMinVisibility(t.minVisibility())
                .withKeypointFlipPairs(t.keypointFlipPairs())
                .withIncludeOriginal(true)
                .withCopyOffset(aug.copyOffset())
                .withBackend(
                    ImageBackend.Kind.valueOf(
                        config.compute().backend().toUpperCase(java.util.Locale.ROOT))));
    PCollection<Sample> rows = fused.get(FuseImages.OK);
    // Channel statistics of the preprocessed train originals: always recorded; applied to every
    // written row (all splits, originals and copies) only when normalize.image.apply asks.
    boolean applyChannels = config.normalize().imageApply();
    PCollection<ChannelAccumulator> channels = rows.apply("FitChannels", FitStatistics.channels());
    PCollection<String> normalization =
        channels.apply(
            "NormalizationJson",
            MapElements.into(strings())
                .via((ChannelAccumulator c) -> normalizationJson(c, applyChannels)));

    // originals that survived the fused step are the kept samples (train ones maybe omitted)
    CopyStep.Originals kept = CopyStep.originals(config, rows);
    PCollection<Sample> written = kept.written();

    if (applyChannels) {
      // float32 pixels; the config allows this only with the raw encoding
      written =
          written.apply(
              "NormalizeImages",
              NormalizeImages.with(channels.apply("ChannelsView", View.asSingleton())));
    }
    RunConfig.Output o = config.output();
    if (!o.imageEncoding().equals("raw")) {
      written = written.apply("EncodeImages", EncodeImages.as(o.imageEncoding(), o.imageQuality()));
    }
    PCollectionTuple shards = RunRecords.writeShards(written, config, staging, labels);
    PCollection<String> shardEntries = shards.get(WriteShards.FILES);

    PCollection<Rejected> rejected =
        PCollectionList.of(readRejected)
            .and(targetRejects.getAll())
            .and(fused.get(FuseImages.REJECTED))
            .apply("AllRejected", Flatten.pCollections());

    PCollectionList<KV<String, Long>> counts =
        PCollectionList.of(readCounts)
            .and(targetCounts.getAll())
            .and(shards.get(WriteShards.COUNTS))
            .and(kept.counts().getAll())
            // samples undersampling dropped were kept (validated, not filtered) before it
            .and(RunRecords.countAll(droppedByBalance, "CountKeptDropped", CountKey.SAMPLES_KEPT))
            .and(balanced.get(Balance.COUNTS))
            .and(RunRecords.countRejected(fused.get(FuseImages.REJECTED), "CountFuseRejects"));
    RunRecords.write(
        staging, counts, labels, split.get(AssignSplits.SUMMARY), shardEntries, rejected, assigned);
    normalization.apply(
        "WriteNormalization",
        WriteSortedLines.to(staging.resolve(RunRecords.META).resolve("normalization.json")));
  }

  /** The manifest's {@code normalization} object of an image run. */
  static String normalizationJson(ChannelAccumulator channels, boolean applied) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("applied", applied);
    m.put("image", channels.toManifest());
    try {
      return new ObjectMapper().writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
