package dev.shardsmith.transforms.kernels.balance;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How many synthetic rows each class gets, as imbalanced-learn's {@code sampling_strategy}: {@link
 * #auto()} ('auto', i.e. 'not majority') raises every class except the majority to the majority's
 * count; {@link #targets} asks for an explicit final count per listed class (never below its
 * current count; unlisted classes get nothing).
 */
public final class SamplingStrategy {
  private final SortedMap<Integer, Integer> targets; // null for auto

  private SamplingStrategy(SortedMap<Integer, Integer> targets) {
    this.targets = targets;
  }

  public static SamplingStrategy auto() {
    return new SamplingStrategy(null);
  }

  /** Final per-class counts, e.g. {@code Map.of(1, 500, 2, 300)}. */
  public static SamplingStrategy targets(Map<Integer, Integer> finalCounts) {
    return new SamplingStrategy(new TreeMap<>(finalCounts));
  }

  /** Class label -> number of synthetic rows to make, for the classes that get any (sorted). */
  public SortedMap<Integer, Integer> toGenerate(int[] y) {
    SortedMap<Integer, Integer> counts = classCounts(y);
    SortedMap<Integer, Integer> out = new TreeMap<>();
    if (targets == null) {
      int max = 0;
      for (int c : counts.values()) {
        max = Math.max(max, c);
      }
      for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
        if (e.getValue() < max) {
          out.put(e.getKey(), max - e.getValue());
        }
      }
      return out;
    }
    for (Map.Entry<Integer, Integer> e : targets.entrySet()) {
      int have = counts.getOrDefault(e.getKey(), 0);
      if (have == 0) {
        throw new IllegalArgumentException(
            "sampling target for class " + e.getKey() + ", which has no samples");
      }
      if (e.getValue() < have) {
        throw new IllegalArgumentException(
            "sampling target for class "
                + e.getKey()
                + " is "
                + e.getValue()
                + ", below its current count "
                + have
                + " (oversampling never removes rows)");
      }
      if (e.getValue() > have) {
        out.put(e.getKey(), e.getValue() - have);
      }
    }
    return out;
  }

  static SortedMap<Integer, Integer> classCounts(int[] y) {
    SortedMap<Integer, Integer> counts = new TreeMap<>();
    for (int label : y) {
      counts.merge(label, 1, Integer::sum);
    }
    return counts;
  }

  @Override
  public String toString() {
    return targets == null ? "auto" : targets.toString();
  }
}
