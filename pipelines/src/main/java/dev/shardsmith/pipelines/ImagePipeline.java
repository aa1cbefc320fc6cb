package dev.shardsmith.pipelines;

import static org.apache.beam.sdk.values.TypeDescriptors.kvs;
import static org.apache.beam.sdk.values.TypeDescriptors.longs;
import static org.apache.beam.sdk.values.TypeDescriptors.strings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.AssignSplits;
import dev.shardsmith.transforms.EncodeImages;
import dev.shardsmith.transforms.FuseImages;
import dev.shardsmith.transforms.ReadImages;
import dev.shardsmith.transforms.WriteShards;
import dev.shardsmith.transforms.kernels.image.AugmentSpec;
import dev.shardsmith.transforms.kernels.image.ImageBackend;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
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
import org.apache.beam.sdk.transforms.Filter;
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
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The image pipeline: read and validate -> filter -> group and split (exact) -> set copy counts
 * (train only) -> one fused step per image (decode once, preprocess every split, augment train
 * copies) -> assign shards and write Parquet -> write rejections, splits and counters. Everything
 * is written under the run's staging folder; {@link OutputCommit} verifies and commits it.
 *
 * <p>Staging layout: {@code <split>/part-*.parquet}, {@code splits.parquet}, {@code
 * rejected/rejected.jsonl}, and {@code _meta/} (counts, labels, split summary, shard entries) for
 * the manifest.
 */
public final class ImagePipeline {
  private ImagePipeline() {}

  static final String META = "_meta";

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
    PCollection<Sample> samples = sources.get(ReadImages.OK);

    PCollection<List<String>> labels =
        in.labels().isEmpty()
            ? samples
                .apply("Labels", MapElements.into(strings()).via((Sample s) -> s.label()))
                .apply("DistinctLabels", Distinct.create())
                .apply("SortedLabels", Combine.globally(new WriteSortedLines.SortedListFn()))
            : p.apply("DeclaredLabels", Create.of(List.of(in.labels())));
    labels.setCoder(ListCoder.of(StringUtf8Coder.of()));
    PCollectionView<List<String>> labelsView = labels.apply("LabelsView", View.asSingleton());

    RunConfig.SplitSpec s = config.split();
    PCollectionTuple split =
        samples.apply(
            "AssignSplits", AssignSplits.exact(s.train(), s.val(), s.test(), config.seed()));
    PCollection<Sample> assigned = split.get(AssignSplits.OK);

    RunConfig.Augment aug = config.augment();
    int copies = aug.enabled() ? aug.copies() : 0;
    PCollection<Sample> planned =
        assigned
            .apply(
                "PlanCopies",
                MapElements.into(new TypeDescriptor<Sample>() {})
                    .via(
                        (Sample x) ->
                            x.toBuilder().copyCount(x.split() == Split.TRAIN ? copies : 0).build()))
            .setCoder(SampleCoder.of());

    RunConfig.Preprocess pre = config.preprocess();
    PCollectionTuple fused =
        planned.apply(
            "FuseImages",
            FuseImages.of(
                    pre.resize() == 0
                        ? PreprocessSpec.KEEP
                        : new PreprocessSpec(pre.resize(), pre.cropWidth(), pre.cropHeight()),
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
                .withIncludeOriginal(true)
                .withCopyOffset(aug.copyOffset())
                .withBackend(
                    ImageBackend.Kind.valueOf(
                        config.compute().backend().toUpperCase(java.util.Locale.ROOT))));
    PCollection<Sample> rows = fused.get(FuseImages.OK);

    // Originals that survived the fused step are the kept samples; train originals are then
    // left out when augment.include_original is false (counted, per invariant 3).
    boolean omitOriginals = aug.enabled() && !aug.includeOriginal();
    PCollection<Sample> originals =
        rows.apply("Originals", Filter.by((Sample x) -> !x.isDerived()));
    PCollection<Sample> omitted =
        originals.apply(
            "OmittedOriginals", Filter.by((Sample x) -> omitOriginals && x.split() == Split.TRAIN));
    PCollection<Sample> written =
        rows.apply(
            "OmitOriginals",
            Filter.by((Sample x) -> x.isDerived() || !(omitOriginals && x.split() == Split.TRAIN)));

    RunConfig.Output o = config.output();
    if (!o.imageEncoding().equals("raw")) {
      written = written.apply("EncodeImages", EncodeImages.as(o.imageEncoding(), o.imageQuality()));
    }
    PCollectionTuple shards =
        written.apply(
            "WriteShards",
            WriteShards.to(
                staging,
                config.seed(),
                new ShardPlan.Targets(
                    o.shardRows(),
                    o.shardBytes(),
                    o.workers(),
                    ShardPlan.EqualShards.parse(o.equalShards())),
                labelsView,
                ShardFormats.sinks(o)));
    PCollection<String> shardEntries = shards.get(WriteShards.FILES);

    PCollection<Rejected> rejected =
        PCollectionList.of(sources.get(ReadImages.REJECTED))
            .and(fused.get(FuseImages.REJECTED))
            .apply("AllRejected", Flatten.pCollections());

    PCollection<KV<String, Long>> counts =
        PCollectionList.of(sources.get(ReadImages.COUNTS))
            .and(shards.get(WriteShards.COUNTS))
            .and(countAll(originals, "CountKept", CountKey.SAMPLES_KEPT))
            .and(countAll(omitted, "CountOmitted", CountKey.ORIGINALS_OMITTED))
            .and(
                fused
                    .get(FuseImages.REJECTED)
                    .apply(
                        "CountFuseRejects",
                        MapElements.into(kvs(strings(), longs()))
                            .via((Rejected r) -> KV.of(CountKey.rejected(r), 1L)))
                    .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
            .apply("AllCounts", Flatten.pCollections())
            .apply("SumCounts", Sum.longsPerKey());

    Path meta = staging.resolve(META);
    counts
        .apply(
            "CountLines",
            MapElements.into(strings())
                .via((KV<String, Long> kv) -> kv.getKey() + "\t" + kv.getValue()))
        .apply("WriteCounts", WriteSortedLines.to(meta.resolve("counts.tsv")));
    labels
        .apply("LabelLines", FlatMapElements.into(strings()).via((List<String> l) -> indexed(l)))
        .apply("WriteLabels", WriteSortedLines.to(meta.resolve("labels.tsv")));
    split
        .get(AssignSplits.SUMMARY)
        .apply("WriteSplitSummary", WriteSortedLines.to(meta.resolve("split-summary.json")));
    shardEntries.apply("WriteShardEntries", WriteSortedLines.to(meta.resolve("shards.jsonl")));
    rejected
        .apply("RejectedJson", MapElements.into(strings()).via(ImagePipeline::rejectedJson))
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
            WriteSortedLines.to(staging.resolve("splits.parquet"), ImagePipeline::writeSplits));
  }

  private static PCollection<KV<String, Long>> countAll(
      PCollection<Sample> xs, String name, String key) {
    return xs.apply(
            name, MapElements.into(kvs(strings(), longs())).via((Sample x) -> KV.of(key, 1L)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
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
