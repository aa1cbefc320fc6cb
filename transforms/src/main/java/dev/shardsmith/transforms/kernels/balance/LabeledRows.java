package dev.shardsmith.transforms.kernels.balance;

/**
 * Feature rows with a class label each: {@code x} is {@code n x d}, row-major float32; {@code y}
 * holds one label per row; {@code ids} (optional, may be null) names each row for the seeds, and
 * defaults to the row index.
 */
public record LabeledRows(float[] x, int n, int d, int[] y, String[] ids) {

  public LabeledRows {
    if (n < 0 || d < 1) {
      throw new IllegalArgumentException("need n >= 0 and d >= 1, but got " + n + ", " + d);
    }
    if (x.length != (long) n * d) {
      throw new IllegalArgumentException("x must hold n x d = " + n + " x " + d + " values");
    }
    if (y.length != n) {
      throw new IllegalArgumentException("y must hold n = " + n + " labels, but has " + y.length);
    }
    if (ids != null && ids.length != n) {
      throw new IllegalArgumentException("ids must hold n = " + n + " ids, but has " + ids.length);
    }
  }

  public static LabeledRows of(float[] x, int n, int d, int[] y) {
    return new LabeledRows(x, n, d, y, null);
  }

  /** The id that seeds this row's random streams. */
  public String id(int row) {
    return ids == null ? Integer.toString(row) : ids[row];
  }

  /** The feature values of rows {@code rows}, gathered into a new {@code rows.length x d} array. */
  float[] gather(int[] rows) {
    float[] out = new float[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(x, rows[i] * d, out, i * d, d);
    }
    return out;
  }
}
