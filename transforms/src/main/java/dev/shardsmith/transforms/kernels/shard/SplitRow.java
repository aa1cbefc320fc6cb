package dev.shardsmith.transforms.kernels.shard;

import static java.util.Objects.requireNonNull;

/**
 * One row of {@code splits.parquet}: a sample id, its group, its split ({@code train}, {@code val}
 * or {@code test}) and its fold ({@code -1} outside k-fold).
 *
 * <p>{@code new SplitRow("cats/001.jpg", "g-17", "train", 2)}
 */
public record SplitRow(String id, String group, String split, int fold) {
  public SplitRow {
    requireNonNull(id, "id");
    requireNonNull(group, "group");
    requireNonNull(split, "split");
  }
}
