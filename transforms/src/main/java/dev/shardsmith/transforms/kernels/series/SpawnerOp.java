package dev.shardsmith.transforms.kernels.series;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * {@link Spawner} as an entry of an op list ({@code {op: spawner, p, band, sigma}}): it fires with
 * probability {@code p} and draws {@link Spawner#draw}'s parameters like any op, but mixing needs a
 * partner window, which only the augmentation step has ({@code AugmentSeries} picks it among the
 * train windows of the same class and fold and adds its id to the record as {@value #PARTNER}). So
 * {@link #apply} cannot run from the parameters alone and throws; {@link #mix} is the apply with
 * the partner. Must be the first op of a list, so the other ops act on the mixed window.
 * Classification windows only: {@link #draw} rejects a horizon.
 *
 * <pre>{@code
 * new SpawnerOp(0.5, 0.1, 0.05)
 * }</pre>
 */
public record SpawnerOp(double p, double band, double sigma) implements SeriesOp {
  /** The record key that names the partner window's id. */
  public static final String PARTNER = "partner";

  public SpawnerOp {
    Params.probability(Spawner.NAME, p);
    Params.value(Spawner.NAME, "band", band, 0, 1);
    Params.value(Spawner.NAME, "sigma", sigma, 0, Double.MAX_VALUE);
  }

  @Override
  public String name() {
    return Spawner.NAME;
  }

  @Override
  public SortedMap<String, Object> draw(
      SplittableRandom rng, int length, int channels, int horizon) {
    if (horizon != 0) {
      throw new IllegalArgumentException(
          Spawner.NAME
              + ": same-class mixing is for classification windows, but the windows have a"
              + " horizon of "
              + horizon
              + " steps (set input.window.horizon: 0 or drop the op)");
    }
    return Spawner.draw(rng, length, band, sigma);
  }

  /**
   * Throws: mixing needs the partner's values, see {@link #mix}.
   *
   * @throws IllegalArgumentException always
   */
  @Override
  public void apply(
      float[] values, float[] horizon, int channels, SortedMap<String, Object> params) {
    throw new IllegalArgumentException(
        Spawner.NAME
            + " needs its partner window "
            + params.get(PARTNER)
            + ": replay it with SpawnerOp.mix(window, partner, ...)");
  }

  /** The mixed window of {@code values} and {@code partner}, as {@code params} say. */
  public static float[] mix(
      float[] values, float[] partner, int channels, SortedMap<String, Object> params) {
    return Spawner.mix(values, partner, new float[0], channels, params);
  }
}
