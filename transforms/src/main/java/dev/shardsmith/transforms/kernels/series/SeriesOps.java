package dev.shardsmith.transforms.kernels.series;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.transforms.kernels.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Runs a list of {@link SeriesOp}s on one copy of a window (and its horizon) and records what
 * fired; replays such a record. Deterministic: op {@code i} draws from {@code Seeds.of(seed,
 * sampleId, "augment", firstPosition + i, copyIndex)}: first one {@code nextDouble()} that decides
 * firing ({@code < p}), then its parameters. Switching one op off never moves another's draws.
 *
 * <pre>{@code
 * List<SeriesOp> ops = List.of(new Scaling(0.5, 0.1), new Jitter(1.0, 0.03, 0.03));
 * List<Applied.Op> fired = SeriesOps.apply(values, horizon, 3, ops, seed, "aapl@128", 0, copy);
 * SeriesOps.replay(source, sourceHorizon, 3, ops, fired); // source now equals values, bit for bit
 * }</pre>
 */
public final class SeriesOps {
  private SeriesOps() {}

  /** The stage name that seeds the op streams (the same as the image ops'). */
  public static final String STAGE = "augment";

  /**
   * Applies {@code ops} in order to {@code values} ({@code T x channels}) and {@code horizon}
   * ({@code H x channels}, possibly empty), in place, and returns the records of the ops that
   * fired, with position {@code firstPosition + index}.
   */
  public static List<Applied.Op> apply(
      float[] values,
      float[] horizon,
      int channels,
      List<SeriesOp> ops,
      long seed,
      String sampleId,
      int firstPosition,
      int copyIndex) {
    SeriesParams.length("SeriesOps.apply", values, horizon, channels, 1);
    List<Applied.Op> fired =
        draw(
            ops,
            seed,
            sampleId,
            firstPosition,
            copyIndex,
            values.length / channels,
            channels,
            horizon.length / channels);
    replay(values, horizon, channels, ops, fired);
    return fired;
  }

  /**
   * Draws, without touching values, which of {@code ops} fire on a window of {@code length x
   * channels} with a horizon of {@code horizon} steps, and with what parameters: the records {@link
   * #apply} would return.
   */
  public static List<Applied.Op> draw(
      List<SeriesOp> ops,
      long seed,
      String sampleId,
      int firstPosition,
      int copyIndex,
      int length,
      int channels,
      int horizon) {
    List<Applied.Op> fired = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      SeriesOp op = ops.get(i);
      SplittableRandom rng = Seeds.of(seed, sampleId, STAGE, firstPosition + i, copyIndex);
      if (rng.nextDouble() < op.p()) {
        SortedMap<String, Object> params = op.draw(rng, length, channels, horizon);
        fired.add(new Applied.Op(op.name(), firstPosition + i, params));
      }
    }
    return fired;
  }

  /**
   * Re-applies {@code recorded} (as {@link #apply} returned them, in order) to the same source
   * window and horizon. {@code ops} supplies the implementations: each record is applied by the op
   * of the same name; ranges and {@code p} play no part.
   *
   * @throws IllegalArgumentException when a record names no op in {@code ops}
   */
  public static void replay(
      float[] values,
      float[] horizon,
      int channels,
      List<SeriesOp> ops,
      List<Applied.Op> recorded) {
    for (Applied.Op r : recorded) {
      implementation(r.op(), ops).apply(values, horizon, channels, r.params());
    }
  }

  private static SeriesOp implementation(String name, List<SeriesOp> ops) {
    List<String> names = new ArrayList<>();
    for (SeriesOp op : ops) {
      if (op.name().equals(name)) {
        return op;
      }
      names.add(op.name());
    }
    throw new IllegalArgumentException(
        "recorded op '" + name + "' is not among the ops " + names + " of this composition");
  }
}
