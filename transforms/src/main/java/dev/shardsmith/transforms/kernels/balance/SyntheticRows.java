package dev.shardsmith.transforms.kernels.balance;

/**
 * Synthetic rows made by the SMOTE family: row {@code i} has features {@code x[i*d .. i*d+d)},
 * label {@code y[i]}, and lies at {@code x_p + u[i] * (x_q - x_p)} between its recorded parents
 * {@code p = parent[i]} and {@code q = neighbor[i]} (row indices into the input, both of class
 * {@code y[i]}). For SMOTE-NC, {@code categories} holds {@code m x c} category codes (else null).
 */
public record SyntheticRows(
    float[] x,
    int m,
    int d,
    int[] y,
    int[] parent,
    int[] neighbor,
    double[] u,
    int[] categories,
    int c) {

  static SyntheticRows empty(int d, int c) {
    return new SyntheticRows(
        new float[0],
        0,
        d,
        new int[0],
        new int[0],
        new int[0],
        new double[0],
        c == 0 ? null : new int[0],
        c);
  }
}
