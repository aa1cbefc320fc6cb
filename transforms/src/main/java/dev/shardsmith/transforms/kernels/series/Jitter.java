package dev.shardsmith.transforms.kernels.series;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;

/**
 * Additive gaussian noise ({@code jitter}, Um et al. 2017; tsaug's {@code AddNoise}): every value
 * of the window gets its own {@code N(0, sigma^2)} draw, {@code sigma} uniform in {@code [sigmaMin,
 * sigmaMax]} in the series' units. Value {@code i} becomes {@code v + (float) sigma * (float)
 * Gaussians.standard(noise_seed, i)} in float arithmetic ({@link Gaussians#addScaled}), so the
 * record holds only {@code sigma} and {@code noise_seed}. <b>Horizon:</b> unchanged (noise is an
 * input corruption, not a change of the signal to forecast).
 *
 * <pre>{@code
 * new Jitter(1.0, 0.03, 0.03)
 * }</pre>
 */
public record Jitter(double p, double sigmaMin, double sigmaMax) implements SeriesOp {
  public static final String NAME = "jitter";

  public Jitter {
    Params.probability(NAME, p);
    Params.range(NAME, "sigma", sigmaMin, sigmaMax, 0, Double.MAX_VALUE);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(
      SplittableRandom rng, int length, int channels, int horizon) {
    SeriesParams.length(NAME, length, channels, 1);
    SortedMap<String, Object> m = Params.params();
    m.put("sigma", Params.uniform(rng, sigmaMin, sigmaMax));
    m.put("noise_seed", rng.nextLong());
    return m;
  }

  @Override
  public void apply(
      float[] values, float[] horizon, int channels, SortedMap<String, Object> params) {
    SeriesParams.length(NAME, values, horizon, channels, 1);
    double sigma = Params.number(NAME, params, "sigma", 0, Double.MAX_VALUE);
    long seed = Params.seed(NAME, params, "noise_seed");
    Gaussians.addScaled(values, (float) sigma, seed);
  }
}
