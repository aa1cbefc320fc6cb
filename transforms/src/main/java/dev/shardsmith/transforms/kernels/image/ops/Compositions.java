package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.transforms.kernels.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Draws an ordered op list that may nest {@link Composition}s, and finds the op that implements a
 * recorded entry. Positions number the composition in pre-order, flattened: an op list starting at
 * {@code first} gives its first node {@code first}, a composition's children follow it, so every
 * node (leaf or composition) owns one position and one stream {@code Seeds.of(seed, sampleId,
 * "augment", position, copyIndex)}: its first {@code nextDouble()} decides firing ({@code < p}),
 * the rest draws its parameters (a leaf) or its choice of children (a composition). Two ops of the
 * same kind at different positions therefore draw different values, and switching one op off never
 * moves another's draws. Only leaves that fired are recorded, in the order they run.
 *
 * <pre>{@code
 * List<Applied.Op> fired = Compositions.draw(ops, seed, "cats/1.jpg", 3, copyIndex, 224, 224);
 * }</pre>
 */
public final class Compositions {
  private Compositions() {}

  /** The stage name that seeds the op streams. */
  public static final String STAGE = "augment";

  static List<PixelOp> checkChildren(String op, List<PixelOp> children) {
    if (children == null || children.isEmpty()) {
      throw new IllegalArgumentException(op + ".ops must list at least one op");
    }
    for (PixelOp c : children) {
      if (c == null) {
        throw new IllegalArgumentException(op + ".ops must not hold null");
      }
    }
    return List.copyOf(children);
  }

  /** The number of positions {@code op} takes: 1, plus its children's for a composition. */
  public static int size(PixelOp op) {
    int n = 1;
    if (op instanceof Composition c) {
      for (PixelOp child : c.children()) {
        n += size(child);
      }
    }
    return n;
  }

  /** The number of positions a list takes. */
  public static int size(List<PixelOp> ops) {
    int n = 0;
    for (PixelOp op : ops) {
      n += size(op);
    }
    return n;
  }

  /** Every leaf op of {@code ops} by its position, numbered from {@code first}. */
  public static Map<Integer, PixelOp> leaves(List<PixelOp> ops, int first) {
    Map<Integer, PixelOp> out = new HashMap<>();
    int pos = first;
    for (PixelOp op : ops) {
      collect(op, pos, out);
      pos += size(op);
    }
    return out;
  }

  private static void collect(PixelOp op, int pos, Map<Integer, PixelOp> out) {
    if (op instanceof Composition c) {
      int child = pos + 1;
      for (PixelOp ch : c.children()) {
        collect(ch, child, out);
        child += size(ch);
      }
    } else {
      out.put(pos, op);
    }
  }

  /**
   * Draws which ops of {@code ops} fire on a {@code width x height} image and with what parameters,
   * without touching pixels: the records, in run order. Each op draws on the frame size that the
   * geometric ops before it leave.
   */
  public static List<Applied.Op> draw(
      List<PixelOp> ops,
      long seed,
      String sampleId,
      int first,
      int copyIndex,
      int width,
      int height) {
    List<Applied.Op> fired = new ArrayList<>();
    int[] frame = {width, height};
    int pos = first;
    for (PixelOp op : ops) {
      draw(op, pos, seed, sampleId, copyIndex, frame, fired);
      pos += size(op);
    }
    return List.copyOf(fired);
  }

  private static void draw(
      PixelOp op,
      int pos,
      long seed,
      String sampleId,
      int copyIndex,
      int[] frame,
      List<Applied.Op> fired) {
    SplittableRandom rng = Seeds.of(seed, sampleId, STAGE, pos, copyIndex);
    if (!(rng.nextDouble() < op.p())) {
      return;
    }
    if (op instanceof Composition c) {
      int[] starts = new int[c.children().size()];
      int child = pos + 1;
      for (int i = 0; i < starts.length; i++) {
        starts[i] = child;
        child += size(c.children().get(i));
      }
      for (int i : c.choose(rng)) {
        draw(c.children().get(i), starts[i], seed, sampleId, copyIndex, frame, fired);
      }
      return;
    }
    SortedMap<String, Object> params = op.draw(rng, frame[0], frame[1]);
    fired.add(new Applied.Op(op.name(), pos, params));
    if (op instanceof GeometricOp g) {
      int[] next = g.outputSize(params, frame[0], frame[1]);
      frame[0] = next[0];
      frame[1] = next[1];
    }
  }

  /**
   * The op that implements a recorded entry: a geometric op by its name alone (its map depends on
   * the recorded parameters only), else the leaf of {@code ops} at the recorded position if it has
   * the recorded name, else the first leaf of that name.
   *
   * @throws IllegalArgumentException when no op of that name is known
   */
  public static PixelOp implementation(
      Applied.Op recorded, Map<Integer, PixelOp> leaves, List<PixelOp> ops) {
    PixelOp at = leaves.get(recorded.position());
    if (at != null && at.name().equals(recorded.op())) {
      return at;
    }
    GeometricOp g = GeometricOps.forName(recorded.op());
    if (g != null) {
      return g;
    }
    for (PixelOp leaf : leaves.values()) {
      if (leaf.name().equals(recorded.op())) {
        return leaf;
      }
    }
    throw new IllegalArgumentException(
        "replay: recorded op "
            + recorded.op()
            + " is not one of "
            + leaves.values().stream().map(PixelOp::name).distinct().sorted().toList()
            + " nor a geometric op "
            + GeometricOps.NAMES);
  }
}
