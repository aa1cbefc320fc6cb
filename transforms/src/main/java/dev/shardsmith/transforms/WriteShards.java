package dev.shardsmith.transforms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Assigns rows to shards and writes them, deterministically: every row gets the sort key {@code
 * hash(seed, "shard-order", row id)}; a counting pass counts rows per split and per fine bucket of
 * that order (4096 buckets); each bucket's rows are ranked, so each shard is a contiguous range of
 * the split's hash order with equal rows ({@link ShardPlan}); a shard's rows are sorted by key and
 * written by each {@link ShardSink} into {@code staging/<split>/part-00000-of-000NN.<ext>}. The
 * same input gives byte-identical files on any runner, at any parallelism, after any retry.
 *
 * <p>Emits one JSON line per written file ({@code path, format, split, rows, bytes, sha256,
 * classes, derived}) for the commit step to verify. Memory: one shard's rows at a time (shard size
 * is capped by {@code shardRows}).
 *
 * <pre>{@code
 * rows.apply("WriteShards", WriteShards.to(staging, seed, 1000, labelsView, sinks));
 * }</pre>
 */
public final class WriteShards extends PTransform<PCollection<Sample>, PCollection<String>> {
  private static final int BUCKET_BITS = 12;

  private final String staging;
  private final long seed;
  private final int shardRows;
  private final PCollectionView<List<String>> labels;
  private final List<ShardSink> sinks;

  private WriteShards(
      String staging,
      long seed,
      int shardRows,
      PCollectionView<List<String>> labels,
      List<ShardSink> sinks) {
    this.staging = staging;
    this.seed = seed;
    this.shardRows = shardRows;
    this.labels = labels;
    this.sinks = List.copyOf(sinks);
  }

  /**
   * Shards of at most {@code shardRows} rows under {@code staging}, each written by every sink (the
   * same rows in the same order in every format).
   */
  public static WriteShards to(
      Path staging,
      long seed,
      int shardRows,
      PCollectionView<List<String>> labels,
      List<ShardSink> sinks) {
    if (shardRows < 1) {
      throw new IllegalArgumentException("to: shardRows must be >= 1, was " + shardRows);
    }
    if (sinks.isEmpty()) {
      throw new IllegalArgumentException("to: give at least one shard sink");
    }
    return new WriteShards(staging.toString(), seed, shardRows, labels, sinks);
  }

  static long orderKey(long seed, Sample row) {
    return Seeds.hash(seed, "shard-order", row.id());
  }

  static String bucketKey(long seed, Sample row) {
    return row.split().folder() + "/" + (orderKey(seed, row) >>> (64 - BUCKET_BITS));
  }

  @Override
  public PCollection<String> expand(PCollection<Sample> rows) {
    final long seed = this.seed;
    PCollection<KV<String, Sample>> byBucket =
        rows.apply("KeyByBucket", WithKeys.of((Sample s) -> bucketKey(seed, s)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SampleCoder.of()));
    PCollectionView<Map<String, Long>> bucketCounts =
        byBucket
            .apply(
                "OnePerRow",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via((KV<String, Sample> kv) -> KV.of(kv.getKey(), 1L)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .apply("CountPerBucket", Sum.longsPerKey())
            .apply("BucketCountsView", View.asMap());
    return byBucket
        .apply("GatherBuckets", GroupByKey.create())
        .apply(
            "RankIntoShards",
            ParDo.of(new RankFn(seed, shardRows, bucketCounts)).withSideInputs(bucketCounts))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SampleCoder.of()))
        .apply("GatherShards", GroupByKey.create())
        .apply(
            "WriteShardFiles",
            ParDo.of(new WriteFn(staging, seed, labels, sinks)).withSideInputs(labels))
        .setCoder(StringUtf8Coder.of());
  }

  private static Comparator<Sample> order(long seed) {
    return Comparator.<Sample, Long>comparing(s -> orderKey(seed, s), Long::compareUnsigned)
        .thenComparing(Sample::id);
  }

  /** Ranks a bucket's rows within their split and keys them by {@code split/shard/shards}. */
  static final class RankFn extends DoFn<KV<String, Iterable<Sample>>, KV<String, Sample>> {
    private final long seed;
    private final int shardRows;
    private final PCollectionView<Map<String, Long>> counts;

    RankFn(long seed, int shardRows, PCollectionView<Map<String, Long>> counts) {
      this.seed = seed;
      this.shardRows = shardRows;
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
      for (Map.Entry<String, Long> e : c.sideInput(counts).entrySet()) {
        String k = e.getKey();
        if (k.startsWith(split + "/")) {
          total += e.getValue();
          if (Long.parseLong(k.substring(slash + 1)) < bucket) {
            before += e.getValue();
          }
        }
      }
      ShardPlan plan = ShardPlan.of(total, shardRows);
      List<Sample> rows = new ArrayList<>();
      c.element().getValue().forEach(rows::add);
      rows.sort(order(seed));
      for (int i = 0; i < rows.size(); i++) {
        int shard = plan.shardOf(before + i);
        c.output(KV.of(split + "/" + shard + "/" + plan.shards(), rows.get(i)));
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
      String base = String.format("part-%05d-of-%05d", shard, shards);
      Path dir = Path.of(staging, split);
      Files.createDirectories(dir);
      LabelMap labelMap = LabelMap.declared(c.sideInput(labels));
      Map<String, Long> classes = new TreeMap<>();
      Map<String, Long> derived = new TreeMap<>();
      for (Sample s : rows) {
        classes.merge(s.label() == null ? "" : s.label(), 1L, Long::sum);
        if (s.isDerived()) {
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
