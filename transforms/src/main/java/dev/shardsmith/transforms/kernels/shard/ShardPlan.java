package dev.shardsmith.transforms.kernels.shard;

/**
 * How one split's rows divide into shards. The shard count is the larger of {@code ceil(rows /
 * targetRows)} and {@code ceil(payloadBytes / targetBytes)} (raw payload bytes from the counting
 * pass; 0 means no target), rounded up to a multiple of {@code workers} and never above the row
 * count (and never below {@code workers} when there are enough rows). Every shard has {@code
 * rowsPerShard} rows, except as {@link EqualShards} says for the remainder:
 *
 * <ul>
 *   <li>{@code ALLOW_SHORT}: {@code ceil(rows / shards)} per shard; the last is short by less than
 *       the shard count;
 *   <li>{@code PAD}: the same, and the last shard is filled with copies of the split's first rows
 *       in hash order ({@link #padding()} rows, fewer than the shard count);
 *   <li>{@code DROP}: {@code floor(rows / shards)} per shard; the last {@link #dropped()} rows of
 *       the hash order are left out.
 * </ul>
 *
 * A row's shard follows from its rank in the split's seeded hash order, so each shard is a
 * contiguous range of that order and the file count is known before anything is written.
 *
 * <pre>{@code
 * ShardPlan plan = ShardPlan.of(105, 0, 100, 0, 1, EqualShards.ALLOW_SHORT); // 53 + 52 rows
 * int shard = plan.shardOf(rank); // -1 for a dropped row
 * }</pre>
 */
public record ShardPlan(long rows, int shards, long rowsPerShard, EqualShards mode) {

  /** What happens to the rows that do not fill the last shard. */
  public enum EqualShards {
    ALLOW_SHORT,
    PAD,
    DROP;

    public static EqualShards parse(String s) {
      return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** The configured targets: each split's plan follows from them and its counts. */
  public record Targets(long rows, long bytes, int workers, EqualShards mode)
      implements java.io.Serializable {
    public Targets {
      if (rows < 0 || bytes < 0 || workers < 1 || (rows == 0 && bytes == 0)) {
        throw new IllegalArgumentException(
            "targets: rows and bytes >= 0 (not both 0), workers >= 1; were "
                + rows
                + ", "
                + bytes
                + ", "
                + workers);
      }
    }

    public ShardPlan plan(long splitRows, long splitBytes) {
      return ShardPlan.of(splitRows, splitBytes, rows, bytes, workers, mode);
    }
  }

  /** Most shards a split may have (the file name has five digits). */
  public static final int MAX_SHARDS = 99_999;

  /** A row target only, remainder allowed short. */
  public static ShardPlan of(long rows, long targetRows) {
    return of(rows, 0, targetRows, 0, 1, EqualShards.ALLOW_SHORT);
  }

  public static ShardPlan of(
      long rows,
      long payloadBytes,
      long targetRows,
      long targetBytes,
      int workers,
      EqualShards mode) {
    if (rows < 0 || payloadBytes < 0 || targetRows < 0 || targetBytes < 0 || workers < 1) {
      throw new IllegalArgumentException(
          "rows, bytes and targets must be >= 0 and workers >= 1, but were "
              + rows
              + ", "
              + payloadBytes
              + ", "
              + targetRows
              + ", "
              + targetBytes
              + ", "
              + workers);
    }
    if (targetRows == 0 && targetBytes == 0) {
      throw new IllegalArgumentException("give a row target, a byte target or both");
    }
    if (rows == 0) {
      return new ShardPlan(0, 0, 0, mode);
    }
    long shards = 1;
    if (targetRows > 0) {
      shards = Math.max(shards, ceilDiv(rows, targetRows));
    }
    if (targetBytes > 0) {
      shards = Math.max(shards, ceilDiv(payloadBytes, targetBytes));
    }
    shards = ceilDiv(shards, workers) * workers;
    if (shards > rows) {
      // never an empty shard: fewer rows than workers x shards gives one row per shard, as
      // many shards as rows (a multiple of workers only when rows allow it)
      shards = rows >= workers ? (rows / workers) * workers : rows;
    }
    if (shards > MAX_SHARDS) {
      throw new IllegalArgumentException(
          rows
              + " rows make "
              + shards
              + " shards, more than "
              + MAX_SHARDS
              + ": raise output.shard_rows or output.shard_bytes");
    }
    long per = mode == EqualShards.DROP ? rows / shards : ceilDiv(rows, shards);
    return new ShardPlan(rows, (int) shards, per, mode);
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** The shard of the row at {@code rank} in the split's hash order; -1 when it is dropped. */
  public int shardOf(long rank) {
    if (rank < 0 || rank >= rows + padding()) {
      throw new IllegalArgumentException(
          "rank " + rank + " is outside [0, " + (rows + padding()) + ")");
    }
    long shard = rank / rowsPerShard;
    return shard >= shards ? -1 : (int) shard;
  }

  /** Rows written to {@code shard}, padding included. */
  public long rowsIn(int shard) {
    if (mode == EqualShards.ALLOW_SHORT) {
      return Math.min(rowsPerShard, rows - shard * rowsPerShard);
    }
    return rowsPerShard;
  }

  /** Padding rows added at the end of the order (ranks {@code rows .. rows + padding - 1}). */
  public long padding() {
    return mode == EqualShards.PAD ? shards * rowsPerShard - rows : 0;
  }

  /** Rows of the split left out to make shards equal. */
  public long dropped() {
    return mode == EqualShards.DROP ? rows - shards * rowsPerShard : 0;
  }

  /** {@code part-00000-of-00002}, without extension. */
  public String baseName(int shard) {
    return baseName(shard, shards);
  }

  /** The file name stem of shard {@code shard} of {@code shards}. */
  public static String baseName(int shard, int shards) {
    return String.format("part-%05d-of-%05d", shard, shards);
  }
}
