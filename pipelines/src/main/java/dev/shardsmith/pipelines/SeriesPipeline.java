package dev.shardsmith.pipelines;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.pipelines.config.SeriesInputConfig;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.AssignSplits;
import dev.shardsmith.transforms.AugmentSeries;
import dev.shardsmith.transforms.Balance;
import dev.shardsmith.transforms.CheckLeakage;
import dev.shardsmith.transforms.NormalizeSeries;
import dev.shardsmith.transforms.ReadSeries;
import dev.shardsmith.transforms.WriteShards;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The series pipeline ({@code input.kind: series}): read CSV/Parquet series and cut them into
 * windows ({@link ReadSeries}: bad rows and timestamps rejected, missing values imputed or the
 * window filtered; with {@code split.mode: time} each window gets its split by time position, with
 * a gap) -> split by series id otherwise ({@link AssignSplits}: the group is the series, so no
 * series straddles splits) -> per-channel normalization fitted on train ({@link NormalizeSeries};
 * when {@code normalize.scale} is not {@code none}) -> train-only balancing ({@link Balance}: none,
 * undersample, oversample) -> leakage guard ({@link CheckLeakage}) -> shards ({@link ShardFormats})
 * -> rejections, splits, statistics and counters ({@link RunRecords}). Augmentation ops are not
 * wired here yet.
 *
 * <pre>{@code
 * SeriesPipeline.build(p, RunConfig.load(Path.of("sample-data/series-demo.yaml")), staging);
 * }</pre>
 */
public final class SeriesPipeline {
  private SeriesPipeline() {}

  /**
   * Adds the whole run to {@code p}, writing into {@code staging}. Lists the files and checks the
   * first header now, so a bad column name fails here, before the pipeline runs.
   */
  public static void build(Pipeline p, RunConfig config, Path staging) {
    RunConfig.Input in = config.input();
    SeriesInputConfig.Resolved series = in.series().resolve();
    PCollectionTuple read =
        p.apply(
            "ReadSeries",
            ReadSeries.of(series.files(), series.spec()).withDeclaredLabels(in.labels()));
    PCollection<Sample> windows = read.get(ReadSeries.OK);
    RunRecords.Labels labels = RunRecords.labels(p, in.labels(), windows);

    PCollection<Sample> assigned;
    PCollection<String> summary;
    if (series.spec().timeSplit() != null) {
      assigned = windows; // ReadSeries set each window's split by time
      summary = timeSummary(windows, config);
    } else {
      PCollectionTuple split = windows.apply("AssignSplits", RunRecords.assignSplits(config));
      assigned = split.get(AssignSplits.OK);
      summary = split.get(AssignSplits.SUMMARY);
    }

    PCollection<Sample> kept = assigned;
    boolean scaling = !"none".equals(config.normalize().scale());
    PCollectionTuple normalized = null;
    if (scaling) {
      normalized = assigned.apply("Normalize", NormalizeSeries.of(config.normalize()));
      kept = normalized.get(NormalizeSeries.OK);
    }

    RunConfig.Augment aug = config.augment();
    CopyStep.Result copies =
        CopyStep.apply(
            config,
            kept,
            AugmentSeries.of(aug.series(), config.seed())
                .withIncludeOriginal(true)
                .withCopyOffset(aug.copyOffset()),
            AugmentSeries.OK,
            AugmentSeries.COUNTS,
            AugmentSeries.REJECTED);
    PCollection<Sample> rows = copies.written();

    PCollectionTuple shards = RunRecords.writeShards(rows, config, staging, labels);

    PCollectionList<KV<String, Long>> counts =
        PCollectionList.of(read.get(ReadSeries.COUNTS))
            .and(copies.counts().getAll())
            .and(shards.get(WriteShards.COUNTS));
    RunRecords.write(
        staging,
        counts,
        labels,
        summary,
        shards.get(WriteShards.FILES),
        PCollectionList.of(read.get(ReadSeries.REJECTED))
            .and(copies.rejected().getAll())
            .apply("AllRejected", Flatten.pCollections()),
        assigned);
    if (normalized != null) {
      normalized
          .get(NormalizeSeries.MANIFEST)
          .apply(
              "WriteNormalization",
              WriteSortedLines.to(staging.resolve(RunRecords.META).resolve("normalization.json")));
    }
  }

  /**
   * The split summary of a time split, in {@link AssignSplits#SUMMARY}'s form: per class the
   * windows in train, val and test ({@code targets} = {@code achieved}: a time split has no
   * per-class target), plus the gap.
   */
  private static PCollection<String> timeSummary(PCollection<Sample> windows, RunConfig config) {
    RunConfig.SplitSpec s = config.split();
    List<Double> fractions = List.of(s.train(), s.val(), s.test());
    int gap = config.input().series().spec().timeSplit().gap();
    return windows
        .apply(
            "SplitLabels",
            MapElements.into(TypeDescriptors.strings())
                .via((Sample x) -> x.split().ordinal() + "\t" + x.label()))
        .apply("SplitLabelList", Combine.globally(new WriteSortedLines.SortedListFn()))
        .apply(
            "TimeSummary",
            MapElements.into(TypeDescriptors.strings())
                .via((List<String> l) -> timeSummaryJson(l, fractions, gap)))
        .setCoder(StringUtf8Coder.of());
  }

  static String timeSummaryJson(List<String> splitLabels, List<Double> fractions, int gap) {
    Map<String, long[]> perClass = new TreeMap<>();
    for (String line : splitLabels) {
      String[] f = line.split("\t", 2);
      int i = List.of(Split.ASSIGNED).indexOf(Split.values()[Integer.parseInt(f[0])]);
      perClass.computeIfAbsent(f[1], k -> new long[3])[i]++;
    }
    Map<String, Object> classes = new TreeMap<>();
    perClass.forEach(
        (label, a) -> {
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("total", a[0] + a[1] + a[2]);
          c.put("targets", List.of(a[0], a[1], a[2]));
          c.put("achieved", List.of(a[0], a[1], a[2]));
          classes.put(label, c);
        });
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", "time");
    m.put("fractions", fractions);
    m.put("gap", gap);
    m.put("folds", 0);
    m.put("samples", Map.of("frozen", 0, "new", (long) splitLabels.size()));
    m.put("classes", classes);
    try {
      return new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
