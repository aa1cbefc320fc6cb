package dev.shardsmith.transforms.kernels.shard;

import dev.shardsmith.schemas.Targets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a shard back into {@link ShardRow}s (images, video clips, text, series or features, as each
 * format holds them), by its file name: {@code *.parquet}, {@code *.arrow}, or an {@code .npy}
 * shard through its {@code *.meta.json}. Used by {@code inspect} and by tests; ML loaders read the
 * files directly (docs/consuming.md).
 *
 * <pre>{@code
 * for (ShardRow r : ShardReader.read(Path.of("OUT/train/part-00000-of-00004.arrow"))) { ... }
 * }</pre>
 */
public final class ShardReader {
  private ShardReader() {}

  /** True for the one file per shard and format that {@link #read} takes. */
  public static boolean readable(String fileName) {
    return fileName.endsWith(".parquet")
        || fileName.endsWith(".arrow")
        || fileName.endsWith(".meta.json");
  }

  /**
   * The annotation targets (boxes, keypoints, raw masks) of each row, in the order of {@link
   * #read}; {@link Targets#NONE} for rows without.
   */
  public static List<Targets> readTargets(Path file) throws IOException {
    String name = file.getFileName().toString();
    if (name.endsWith(".parquet")) {
      return ParquetShardFile.readTargets(file);
    }
    if (name.endsWith(".arrow")) {
      return ArrowShardFile.readTargets(file);
    }
    if (name.endsWith(".meta.json")) {
      return NpyShardFile.readTargets(file);
    }
    throw new IllegalArgumentException(
        file + " is not a shard this reader knows: give a .parquet, .arrow or .meta.json file");
  }

  public static List<ShardRow> read(Path file) throws IOException {
    String name = file.getFileName().toString();
    if (name.endsWith(".parquet")) {
      return ParquetShardFile.read(file);
    }
    if (name.endsWith(".arrow")) {
      return ArrowShardFile.read(file);
    }
    if (name.endsWith(".meta.json")) {
      return NpyShardFile.read(file);
    }
    throw new IllegalArgumentException(
        file + " is not a shard this reader knows: give a .parquet, .arrow or .meta.json file");
  }
}
