package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import java.util.List;
import java.util.SplittableRandom;

/**
 * All children in order ({@code sequence}, Albumentations' Sequential), when the node fires with
 * probability {@code p}; each child then fires with its own {@code p}.
 *
 * <pre>{@code
 * new Sequence(0.5, List.of(new Rotate(1, -10, 10, Border.CONSTANT, 0), new GaussianBlur(1, 1, 2)))
 * }</pre>
 */
public record Sequence(double p, List<PixelOp> children) implements Composition {
  public static final String NAME = "sequence";

  public Sequence {
    Params.probability(NAME, p);
    children = Compositions.checkChildren(NAME, children);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int[] choose(SplittableRandom rng) {
    int[] all = new int[children.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }
}
