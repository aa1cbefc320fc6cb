package dev.shardsmith.transforms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.LabelMap;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.transforms.kernels.Seeds;
import dev.shardsmith.transforms.kernels.shard.ShardPlan;
import dev.shardsmith.transforms.kernels.shard.ShardSink;
import dev.shardsmith.transforms.kernels.shard.WrittenFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Assigns rows to shards and writes them, deterministically: every row gets the sort key {@code
 * hash(seed, "shard-order", row id)}; a counting pass counts rows per split and per fine bucket of
 * that order (4096 buckets) and the split's raw payload bytes; each bucket's rows are ranked, so
 * each shard is a contiguous range of the split's hash order with equal rows ({@link ShardPlan}:
 * row and byte targets, a multiple of the workers, the remainder padded, dropped or left short); a
 * shard's rows are sorted by key and written by each {@link ShardSink} into {@code
 * staging/<split>/part-00000-of-000NN.<ext>}. The same input gives byte-identical files on any
 * runner, at any parallelism, after any retry.
 *
 * <p>Emits one JSON line per written file ({@code path, format, split, shard, rows, bytes, sha256,
 * classes, derived}, {@link #FILES}) for the commit step to verify, and the padding and dropped
 * counters ({@link #COUNTS}). Memory: one shard's rows at a time (the targets cap a shard).
 *
 * <pre>{@code
 * rows.apply("WriteShards", WriteShards.to(staging, seed, targets, labelsView, sinks));
 * }</pre>
 */
public final class WriteShards extends PTransform<PCollection<Sample>, PCollectionTuple> {
  private static final int BUCKET_BITS = 12;

  /** One JSON entry per written file. */
  public static final TupleTag<String> FILES = new TupleTag<>() {};

  /** {@code samples.shard_padding} and {@code samples.shard_dropped} counters. */
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<>() {};

  private static final TupleTag<KV<String, Sample>> RANKED = new TupleTag<>() {};

  /** The derived kind of a row repeated to pad the last shard. */
  public static final String PADDING = "padding";

  private final String staging;
  private final long seed;
  private final ShardPlan.Targets targets;
  private final PCollectionView<List<String>> labels;
  private final List<ShardSink> sinks;

  private WriteShards(
      String staging,
      long seed,
      ShardPlan.Targets targets,
      PCollectionView<List<String>> labels,
      List<ShardSink> sinks) {
    this.staging = staging;
    this.seed = seed;
    this.targets = targets;
    this.labels = labels;
    this.sinks = List.copyOf(sinks);
  }

  /**
   * Shards sized by {@code targets} under {@code staging}, each written by every sink (the same
   * rows in the same order in every format).
   */
  public static WriteShards to(
      Path staging,
      long seed,
      ShardPlan.Targets targets,
      PCollectionView<List<String>> labels,
      List<ShardSink> sinks) {
    if (sinks.isEmpty()) {
      throw new IllegalArgumentException("to: give at least one shard sink");
    }
    return new WriteShards(staging.toString(), seed, targets, labels, sinks);
  }

  static long orderKey(long seed, Sample row) {
    return Seeds.hash(seed, "shard-order", row.id());
  }

  static String bucketKey(long seed, Sample row) {
    return row.split().folder() + "/" + (orderKey(seed, row) >>> (64 - BUCKET_BITS));
  }

  @Override
  public PCollectionTuple expand(PCollection<Sample> rows) {
    final long seed = this.seed;
    PCollection<KV<String, Sample>> byBucket =
        rows.apply("KeyByBucket", WithKeys.of((Sample s) -> bucketKey(seed, s)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SampleCoder.of()));
    // The counting pass: rows per (split, bucket) and payload bytes per split.
    PCollectionView<Map<String, Long>> counts =
        byBucket
            .apply(
                "RowsAndBytes",
                FlatMapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via(
                        (KV<String, Sample> kv) ->
                            List.of(
                                KV.of(kv.getKey(), 1L),
                                KV.of(
                                    kv.getValue().split().folder() + BYTES,
                                    kv.getValue().payload().payloadBytes()))))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .apply("SumCounts", Sum.longsPerKey())
            .apply("CountsView", View.asMap());
    PCollectionTuple ranked =
        byBucket
            .apply("GatherBuckets", GroupByKey.create())
            .apply(
                "RankIntoShards",
                ParDo.of(new RankFn(seed, targets, counts))
                    .withSideInputs(counts)
                    .withOutputTags(RANKED, TupleTagList.of(COUNTS)));
    PCollection<String> files =
        ranked
            .get(RANKED)
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SampleCoder.of()))
            .apply("GatherShards", GroupByKey.create())
            .apply(
                "WriteShardFiles",
                ParDo.of(new WriteFn(staging, seed, labels, sinks)).withSideInputs(labels))
            .setCoder(StringUtf8Coder.of());
    return PCollectionTuple.of(FILES, files)
        .and(
            COUNTS,
            ranked.get(COUNTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
  }

  private static final String BYTES = "/bytes";

  private static Comparator<Sample> order(long seed) {
    return Comparator.<Sample, Long>comparing(s -> orderKey(seed, s), Long::compareUnsigned)
        .thenComparing(Sample::id);
  }

  /**
   * Ranks a bucket's rows within their split and keys them by {@code split/shard/shards}; pads or
   * drops the remainder as the plan says, counting both.
   */
  static final class RankFn extends DoFn<KV<String, Iterable<Sample>>, KV<String, Sample>> {
    private final long seed;
    private final ShardPlan.Targets targets;
    private final PCollectionView<Map<String, Long>> counts;

    RankFn(long seed, ShardPlan.Targets targets, PCollectionView<Map<String, Long>> counts) {
      this.seed = seed;
      this.targets = targets;
      this.counts = counts;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      String key = c.element().getKey();
      int slash = key.indexOf('/');
      String split = key.substring(0, slash);
      long bucket = Long.parseLong(key.substring(slash + 1));
      long before = 0;
      long total = 0;
      Map<String, Long> all = c.sideInput(counts);
      for (Map.Entry<String, Long> e : all.entrySet()) {
        String k = e.getKey();
        if (k.startsWith(split + "/") && !k.endsWith(BYTES)) {
          total += e.getValue();
          if (Long.parseLong(k.substring(slash + 1)) < bucket) {
            before += e.getValue();
          }
        }
      }
      ShardPlan plan = targets.plan(total, all.getOrDefault(split + BYTES, 0L));
      List<Sample> rows = new ArrayList<>();
      c.element().getValue().forEach(rows::add);
      rows.sort(order(seed));
      for (int i = 0; i < rows.size(); i++) {
        long rank = before + i;
        Sample row = rows.get(i);
        int shard = plan.shardOf(rank);
        if (shard < 0) {
          c.output(COUNTS, KV.of(CountKey.SHARD_DROPPED, 1L));
        } else {
          c.output(KV.of(split + "/" + shard + "/" + plan.shards(), row));
        }
        if (rank < plan.padding()) {
          // the first rows of the order fill the end of the last shard
          Sample pad =
              row.toBuilder()
                  .id(row.id() + "#pad")
                  .sourceIds(List.of(row.id()))
                  .derived(PADDING, 0)
                  .build();
          c.output(KV.of(split + "/" + plan.shardOf(total + rank) + "/" + plan.shards(), pad));
          c.output(COUNTS, KV.of(CountKey.SHARD_PADDING, 1L));
        }
      }
    }
  }

  /** Sorts one shard's rows and writes its file; emits the file's JSON entry. */
  static final class WriteFn extends DoFn<KV<String, Iterable<Sample>>, String> {
    private final String staging;
    private final long seed;
    private final PCollectionView<List<String>> labels;
    private final List<ShardSink> sinks;

    WriteFn(
        String staging, long seed, PCollectionView<List<String>> labels, List<ShardSink> sinks) {
      this.staging = staging;
      this.seed = seed;
      this.labels = labels;
      this.sinks = sinks;
    }

    @ProcessElement
    public void process(ProcessContext c) throws IOException {
      String[] key = c.element().getKey().split("/");
      String split = key[0];
      int shard = Integer.parseInt(key[1]);
      int shards = Integer.parseInt(key[2]);
      List<Sample> rows = new ArrayList<>();
      c.element().getValue().forEach(rows::add);
      rows.sort(order(seed));
      String base = ShardPlan.baseName(shard, shards);
      Path dir = Path.of(staging, split);
      Files.createDirectories(dir);
      LabelMap labelMap = LabelMap.declared(c.sideInput(labels));
      Map<String, Long> classes = new TreeMap<>();
      Map<String, Long> derived = new TreeMap<>();
      for (Sample s : rows) {
        classes.merge(s.label() == null ? "" : s.label(), 1L, Long::sum);
        if (s.isDerived() && !PADDING.equals(s.derivedKind())) {
          derived.merge(s.derivedKind(), 1L, Long::sum);
        }
      }
      for (ShardSink sink : sinks) {
        for (WrittenFile f : sink.write(dir, base, rows, labelMap)) {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("path", split + "/" + f.name());
          entry.put("format", f.format());
          entry.put("split", split);
          entry.put("shard", shard);
          entry.put("rows", f.rows());
          entry.put("bytes", f.bytes());
          entry.put("sha256", f.sha256());
          entry.put("classes", classes);
          entry.put("derived", derived);
          c.output(json(entry));
        }
      }
    }
  }

  /** {@code o} as compact JSON with every map's keys sorted: the form of manifest sections. */
  static String json(Object o) {
    try {
      return new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
