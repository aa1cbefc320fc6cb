package dev.shardsmith.transforms.kernels.series;

import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * One time-series augmentation op: an immutable, validated description of parameter ranges and a
 * firing probability. {@link #draw} picks concrete parameters from a seeded stream; {@link #apply}
 * applies exactly those parameters and depends on nothing else (not on this op's ranges), so that
 * replaying a copy is {@code apply(recordedParams)}. Parameter values are {@code Double}, {@code
 * Long} or {@code String}, as {@link dev.shardsmith.schemas.Applied.Op} stores them.
 *
 * <p>A window is {@code T x C} float32 values, row-major with time first ({@code values[t * C +
 * c]}), as in {@code SeriesPayload}; the horizon is {@code H x C} in the same layout, or empty. Ops
 * work in place and keep {@code T} and {@code H}. Each op states in its Javadoc what it does to the
 * horizon: amplitude ops change it consistently with the window, the others leave it alone.
 *
 * <pre>{@code
 * SeriesOp op = new Jitter(1.0, 0.05, 0.05);
 * SortedMap<String, Object> params = op.draw(rng, 128, 3, 0);
 * op.apply(values, new float[0], 3, params); // values now carry noise
 * }</pre>
 */
public interface SeriesOp extends java.io.Serializable {
  /** The op's name in configs and in the applied-parameters record, like {@code jitter}. */
  String name();

  /** The probability that the op fires, in [0, 1]. */
  double p();

  /**
   * Draws this op's parameters for a window of {@code length} steps of {@code channels} channels
   * and a horizon of {@code horizon} steps (0: none). Deterministic: the same stream state gives
   * the same map.
   *
   * @throws IllegalArgumentException when the window is too short for this op's settings
   */
  SortedMap<String, Object> draw(SplittableRandom rng, int length, int channels, int horizon);

  /**
   * Applies {@code params} (as {@link #draw} returned them, or as recorded) to {@code values}
   * ({@code T x channels}) and {@code horizon} ({@code H x channels}, possibly empty), in place.
   *
   * @throws IllegalArgumentException when a parameter is missing, out of its range or does not fit
   *     the window
   */
  void apply(float[] values, float[] horizon, int channels, SortedMap<String, Object> params);
}
