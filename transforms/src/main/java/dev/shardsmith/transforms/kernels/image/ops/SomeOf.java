package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code n} distinct children ({@code some_of}, Albumentations' SomeOf), when the node fires with
 * probability {@code p}: {@code n} uniform in {@code [nMin, nMax]} (within [0, number of
 * children]), the children picked uniformly without replacement. They run in configured order, or,
 * with {@code shuffle}, in the drawn order. Each picked child then fires with its own {@code p}.
 *
 * <pre>{@code
 * new SomeOf(1.0, List.of(new Invert(1), new Equalize(1), new Posterize(1, 4, 6)), 1, 2, false)
 * }</pre>
 */
public record SomeOf(double p, List<PixelOp> children, int nMin, int nMax, boolean shuffle)
    implements Composition {
  public static final String NAME = "some_of";

  public SomeOf {
    Params.probability(NAME, p);
    children = Compositions.checkChildren(NAME, children);
    Params.range(NAME, "n", nMin, nMax, 0, children.size());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int[] choose(SplittableRandom rng) {
    int n = (int) Params.uniformInt(rng, nMin, nMax);
    int[] picked = Arrays.copyOf(OpParams.permutation(rng, children.size()), n);
    if (!shuffle) {
      Arrays.sort(picked);
    }
    return picked;
  }
}
