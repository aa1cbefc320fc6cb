package dev.shardsmith.transforms.kernels.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;

/**
 * Exact sums and cross-products of float32 vectors (a float32 product is exact in double), so the
 * covariance matrix is the same for any partition and merge order. Memory: {@code d (d + 3) / 2}
 * exact sums of 68 longs each. It travels as one record ({@link #writeTo}: each sum in its
 * canonical form, typically 20 to 30 bytes, at most 278), so {@code d (d + 3) / 2 x 278} bytes must
 * fit a runner's largest record (Flink's sort buffer: about 1.3 MB at its default memory): always
 * for {@code d <= 95}, and for typical data up to {@code d} of about 250 to 300.
 */
public final class CovarianceAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  private int d = -1;
  private long n;
  private ExactSum[] sums;
  private ExactSum[] products;

  private void init(int width) {
    d = width;
    sums = new ExactSum[d];
    products = new ExactSum[d * (d + 1) / 2];
    for (int i = 0; i < d; i++) {
      sums[i] = new ExactSum();
    }
    for (int i = 0; i < products.length; i++) {
      products[i] = new ExactSum();
    }
  }

  public void add(float[] x) {
    if (d < 0) {
      init(x.length);
    } else if (x.length != d) {
      throw new IllegalArgumentException("expected " + d + " values, got " + x.length);
    }
    n++;
    int p = 0;
    for (int i = 0; i < d; i++) {
      sums[i].add(x[i]);
      for (int j = i; j < d; j++) {
        products[p++].add((double) x[i] * x[j]);
      }
    }
  }

  public void merge(CovarianceAccumulator o) {
    if (o.d < 0) {
      return;
    }
    if (d < 0) {
      init(o.d);
    } else if (o.d != d) {
      throw new IllegalArgumentException("widths differ: " + d + " and " + o.d);
    }
    n += o.n;
    for (int i = 0; i < d; i++) {
      sums[i].merge(o.sums[i]);
    }
    for (int i = 0; i < products.length; i++) {
      products[i].merge(o.products[i]);
    }
  }

  /** Writes the state canonically (equal sums give equal bytes); {@link #readFrom} restores it. */
  public void writeTo(DataOutput out) throws IOException {
    out.writeInt(d);
    out.writeLong(n);
    if (d < 0) {
      return;
    }
    for (ExactSum s : sums) {
      s.writeTo(out);
    }
    for (ExactSum p : products) {
      p.writeTo(out);
    }
  }

  /** Reads what {@link #writeTo} wrote. */
  public static CovarianceAccumulator readFrom(DataInput in) throws IOException {
    CovarianceAccumulator c = new CovarianceAccumulator();
    int d = in.readInt();
    c.n = in.readLong();
    if (d < -1 || d > 1 << 15) {
      throw new IOException("bad CovarianceAccumulator width " + d);
    }
    if (d < 0) {
      return c;
    }
    c.init(d);
    for (int i = 0; i < c.sums.length; i++) {
      c.sums[i] = ExactSum.readFrom(in);
    }
    for (int i = 0; i < c.products.length; i++) {
      c.products[i] = ExactSum.readFrom(in);
    }
    return c;
  }

  public long count() {
    return n;
  }

  public double[] mean() {
    double[] m = new double[Math.max(d, 0)];
    for (int i = 0; i < m.length; i++) {
      m[i] = ExactSum.ratio(sums[i].scaled(), ExactSum.BASE_EXP, BigInteger.valueOf(n));
    }
    return m;
  }

  /** The sample covariance (divisor n - 1), each entry computed exactly and rounded once. */
  public double[][] covariance() {
    if (n < 2) {
      throw new IllegalStateException("a covariance needs at least 2 rows, got " + n);
    }
    BigInteger bn = BigInteger.valueOf(n);
    BigInteger den = bn.multiply(BigInteger.valueOf(n - 1));
    BigInteger[] s = new BigInteger[d];
    for (int i = 0; i < d; i++) {
      s[i] = sums[i].scaled();
    }
    double[][] c = new double[d][d];
    int p = 0;
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        BigInteger num =
            bn.multiply(products[p++].scaled())
                .shiftLeft(-ExactSum.BASE_EXP)
                .subtract(s[i].multiply(s[j]));
        c[i][j] = ExactSum.ratio(num, 2 * ExactSum.BASE_EXP, den);
        c[j][i] = c[i][j];
      }
    }
    return c;
  }
}
