package dev.shardsmith.transforms.kernels.shard;

import dev.shardsmith.schemas.LabelMap;
import dev.shardsmith.schemas.Sample;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes one shard's rows, in the given order, in one format: {@code parquet} ({@code
 * <base>.parquet}), {@code arrow} ({@code <base>.arrow}) or {@code npy} ({@code <base>.x.npy},
 * {@code <base>.y.npy}, ... and {@code <base>.meta.json}). Every format of a run writes the same
 * rows in the same order. Deterministic: the same rows give byte-identical files. Never writes an
 * empty shard.
 *
 * <pre>{@code
 * List<WrittenFile> files = ParquetShardFile.sink(options).write(dir, "part-00000-of-00004", rows, labels);
 * }</pre>
 */
public interface ShardSink extends Serializable {
  /** {@code parquet}, {@code arrow} or {@code npy}. */
  String format();

  /** Writes the files of shard {@code baseName} into {@code dir}; returns each file written. */
  List<WrittenFile> write(Path dir, String baseName, List<Sample> rows, LabelMap labels)
      throws IOException;
}
