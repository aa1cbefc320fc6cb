package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Exactly one child ({@code one_of}, Albumentations' OneOf), when the node fires with probability
 * {@code p}: child {@code i} is picked with probability {@code weights[i] / sum(weights)} (weights
 * >= 0, not all 0; empty = equal weights), then fires with its own {@code p} (set a child's {@code
 * p} to 1 for "always the picked one").
 *
 * <pre>{@code
 * new OneOf(1.0, List.of(new GaussianBlur(1, 1, 2), new MedianBlur(1, 3, 5)), List.of(3.0, 1.0))
 * }</pre>
 */
public record OneOf(double p, List<PixelOp> children, List<Double> weights) implements Composition {
  public static final String NAME = "one_of";

  public OneOf {
    Params.probability(NAME, p);
    children = Compositions.checkChildren(NAME, children);
    weights = weights == null ? List.of() : List.copyOf(weights);
    if (!weights.isEmpty()) {
      if (weights.size() != children.size()) {
        throw new IllegalArgumentException(
            NAME
                + ".weights must have one weight per op ("
                + children.size()
                + "), but has "
                + weights.size());
      }
      double sum = 0;
      for (double w : weights) {
        if (!(w >= 0 && Double.isFinite(w))) {
          throw new IllegalArgumentException(
              NAME + ".weights must be finite and >= 0, but were " + weights);
        }
        sum += w;
      }
      if (!(sum > 0)) {
        throw new IllegalArgumentException(NAME + ".weights must not all be 0: " + weights);
      }
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int[] choose(SplittableRandom rng) {
    int n = children.size();
    if (weights.isEmpty()) {
      return new int[] {rng.nextInt(n)};
    }
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    double u = rng.nextDouble() * sum;
    double acc = 0;
    int last = 0;
    for (int i = 0; i < n; i++) {
      if (weights.get(i) > 0) {
        last = i;
        acc += weights.get(i);
        if (u < acc) {
          return new int[] {i};
        }
      }
    }
    return new int[] {last};
  }
}
