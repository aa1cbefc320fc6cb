package dev.shardsmith.pipelines;

import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.FeatureNames;
import dev.shardsmith.transforms.kernels.shard.ArrowShardFile;
import dev.shardsmith.transforms.kernels.shard.NpyShardFile;
import dev.shardsmith.transforms.kernels.shard.ParquetShardFile;
import dev.shardsmith.transforms.kernels.shard.ShardSink;
import java.util.ArrayList;
import java.util.List;

/** The shard sinks that {@code output.formats} and its per-format settings ask for, in order. */
final class ShardFormats {
  private ShardFormats() {}

  /** The sinks, naming the features of feature-vector rows {@code names}. */
  static List<ShardSink> sinks(RunConfig.Output o, FeatureNames names) {
    List<ShardSink> sinks = new ArrayList<>();
    for (String format : o.formats()) {
      switch (format) {
        case "parquet" ->
            sinks.add(
                ParquetShardFile.sink(
                    ParquetShardFile.Options.defaults()
                        .withCompression(ParquetShardFile.Compression.parse(o.parquetCompression()))
                        .withRowGroupBytes(o.parquetRowGroupBytes())
                        .withFeatureNames(names)));
        case "arrow" ->
            sinks.add(
                ArrowShardFile.sink(
                    ArrowShardFile.Options.defaults()
                        .withCompression(ArrowShardFile.Compression.parse(o.arrowCompression()))
                        .withFeatureNames(names)));
        case "npy" ->
            sinks.add(
                NpyShardFile.sink(
                    NpyShardFile.Options.defaults()
                        .withFloat16("float16".equals(o.npyFloat()))
                        .withFeatureNames(names)));
        default -> throw new IllegalArgumentException("no sink for format " + format);
      }
    }
    return sinks;
  }
}
