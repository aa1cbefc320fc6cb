package dev.shardsmith.transforms.kernels.balance;

/**
 * Settings shared by the SMOTE family: {@code k} neighbours (imbalanced-learn's {@code
 * k_neighbors}, default 5), the run seed, the sampling strategy (default {@code auto}), the
 * small-class fallback (default off) and the neighbour-search threads (default 1).
 *
 * <p>A class to oversample with {@code k} or fewer rows has fewer than {@code k} neighbours of its
 * own: by default that is an {@link IllegalArgumentException} naming the class and its count. With
 * {@link #withSmallClassFallback} {@code true}, such a class uses {@code k = count - 1} instead
 * (still an error for a class of one row).
 */
public record SmoteParams(
    int k, long seed, SamplingStrategy strategy, boolean smallClassFallback, int threads) {

  public SmoteParams {
    if (k < 1) {
      throw new IllegalArgumentException("k_neighbors must be >= 1, but was " + k);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, but was " + threads);
    }
    if (strategy == null) {
      throw new IllegalArgumentException("strategy must not be null");
    }
  }

  public static SmoteParams defaults(long seed) {
    return new SmoteParams(5, seed, SamplingStrategy.auto(), false, 1);
  }

  public SmoteParams withK(int newK) {
    return new SmoteParams(newK, seed, strategy, smallClassFallback, threads);
  }

  public SmoteParams withSeed(long newSeed) {
    return new SmoteParams(k, newSeed, strategy, smallClassFallback, threads);
  }

  public SmoteParams withStrategy(SamplingStrategy s) {
    return new SmoteParams(k, seed, s, smallClassFallback, threads);
  }

  public SmoteParams withSmallClassFallback(boolean on) {
    return new SmoteParams(k, seed, strategy, on, threads);
  }

  public SmoteParams withThreads(int n) {
    return new SmoteParams(k, seed, strategy, smallClassFallback, n);
  }

  /** The k to use for a class of {@code count} rows, or the documented error. */
  int kFor(String method, int label, int count) {
    if (count > k) {
      return k;
    }
    if (smallClassFallback && count >= 2) {
      return count - 1;
    }
    throw new IllegalArgumentException(
        method
            + ": class "
            + label
            + " has "
            + count
            + " samples, but k_neighbors="
            + k
            + " needs at least "
            + (k + 1)
            + (smallClassFallback
                ? " (the small-class fallback needs at least 2)"
                : "; lower k or enable the small-class fallback (k = count - 1)"));
  }
}
