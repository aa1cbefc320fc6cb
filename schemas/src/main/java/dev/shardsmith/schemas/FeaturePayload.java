package dev.shardsmith.schemas;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A tabular feature vector: numeric features as float32 ({@code NaN} marks a missing value until
 * imputation) and categorical features as strings ({@code null} marks a missing one).
 */
public final class FeaturePayload implements Payload {
  private final float[] numeric;
  private final String[] categorical;

  public FeaturePayload(float[] numeric, String[] categorical) {
    this.numeric = requireNonNull(numeric, "numeric");
    this.categorical = categorical == null ? new String[0] : categorical;
  }

  public float[] numeric() {
    return numeric;
  }

  public String[] categorical() {
    return categorical;
  }

  @Override
  public Modality modality() {
    return Modality.FEATURES;
  }

  @Override
  public long payloadBytes() {
    return 4L * numeric.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeaturePayload p
        && Arrays.equals(numeric, p.numeric)
        && Arrays.equals(categorical, p.categorical);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(numeric) + Arrays.hashCode(categorical);
  }
}
