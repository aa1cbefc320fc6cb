package dev.shardsmith.transforms.kernels.shard;

/**
 * How one split's rows divide into shards: {@code shards = ceil(rows / targetRows)} files, each of
 * {@code ceil(rows / shards)} rows except the last, which may be short by less than {@code shards}.
 * A row's shard follows from its rank in the split's seeded hash order, so each shard is a
 * contiguous range of that order and the file count is known before anything is written.
 *
 * <pre>{@code
 * ShardPlan plan = ShardPlan.of(105, 100); // 2 shards of 53 and 52 rows
 * int shard = plan.shardOf(rank);
 * }</pre>
 */
public record ShardPlan(long rows, int shards, long rowsPerShard) {

  public static ShardPlan of(long rows, long targetRows) {
    if (rows < 0 || targetRows < 1) {
      throw new IllegalArgumentException(
          "rows must be >= 0 and targetRows >= 1, but were " + rows + ", " + targetRows);
    }
    if (rows == 0) {
      return new ShardPlan(0, 0, 0);
    }
    long shards = (rows + targetRows - 1) / targetRows;
    if (shards > 99_999) {
      throw new IllegalArgumentException(
          rows + " rows at " + targetRows + " rows per shard make more than 99999 shards");
    }
    return new ShardPlan(rows, (int) shards, (rows + shards - 1) / shards);
  }

  public int shardOf(long rank) {
    if (rank < 0 || rank >= rows) {
      throw new IllegalArgumentException("rank " + rank + " is outside [0, " + rows + ")");
    }
    return (int) (rank / rowsPerShard);
  }

  public long rowsIn(int shard) {
    return Math.min(rowsPerShard, rows - shard * rowsPerShard);
  }

  /** {@code part-00000-of-00002.parquet}. */
  public String fileName(int shard, String extension) {
    return String.format("part-%05d-of-%05d.%s", shard, shards, extension);
  }
}
