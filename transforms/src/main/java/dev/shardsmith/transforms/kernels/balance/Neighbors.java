package dev.shardsmith.transforms.kernels.balance;

/**
 * The result of a k-nearest-neighbour search: for query {@code i}, its {@code j}-th neighbour
 * ({@code j = 0} nearest) is data row {@code indices[i * k + j]} at Euclidean distance {@code
 * distances[i * k + j]} (exact, in double precision). Neighbours are ordered by (distance, row
 * index), so ties are always in ascending row order.
 */
public record Neighbors(int queries, int k, int[] indices, double[] distances) {

  public Neighbors {
    if (indices.length != (long) queries * k || distances.length != (long) queries * k) {
      throw new IllegalArgumentException(
          "indices and distances must hold queries x k = " + queries + " x " + k + " entries");
    }
  }

  /** The data row of query {@code i}'s {@code j}-th nearest neighbour. */
  public int index(int i, int j) {
    return indices[i * k + j];
  }

  /** The exact Euclidean distance from query {@code i} to its {@code j}-th nearest neighbour. */
  public double distance(int i, int j) {
    return distances[i * k + j];
  }
}
