package dev.shardsmith.transforms.kernels.shard;

/**
 * What a finished shard file is, as the manifest records it: its row count, its size in bytes and
 * the hex sha256 of its bytes as written (null when the writer was told not to hash).
 *
 * <p>{@code new ShardFileResult(64, 1_204_331, "9f2c...")}
 */
public record ShardFileResult(long rows, long bytes, String sha256) {
  public ShardFileResult {
    if (rows < 0 || bytes < 0) {
      throw new IllegalArgumentException("rows and bytes must be >= 0: " + rows + ", " + bytes);
    }
    if (sha256 != null && sha256.length() != 64) {
      throw new IllegalArgumentException("sha256 must be 64 hex digits, was " + sha256);
    }
  }
}
