package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.transforms.kernels.stats.ColumnAccumulator;
import dev.shardsmith.transforms.kernels.stats.CovarianceAccumulator;
import dev.shardsmith.transforms.kernels.stats.FeatureAccumulator;
import dev.shardsmith.transforms.kernels.stats.Float32Histogram;
import dev.shardsmith.transforms.kernels.stats.NormalizeSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/**
 * The shuffled statistics records: canonical bytes (equal state, equal bytes, whatever the merge
 * order), exact round trips, bounded sizes (a record must fit Flink's sort buffer, about 1.3 MB),
 * and clear errors on corrupt bytes.
 */
class CompactCoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final NormalizeSpec SPEC =
      NormalizeSpec.DEFAULT.withScale("zscore").withImpute("median", 0);

  /** Flink 1.19's largest sort-buffer record at the embedded runner's default memory. */
  private static final int FLINK_RECORD_LIMIT = 1_409_024;

  private static List<float[]> numericRows(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(
          new float[] {
            (float) r.nextGaussian(),
            (float) (r.nextDouble() * 1e30),
            -(float) r.nextDouble() * 1e-30f,
            r.nextInt(10) == 0 ? Float.NaN : r.nextInt(100),
            i % 7 == 0 ? Float.POSITIVE_INFINITY : -3f * (float) r.nextGaussian()
          });
    }
    return rows;
  }

  private static String category(int i, SplittableRandom r) {
    String[] cats = {"red", "green", "blau\u00df", "\u732b"};
    return i % 5 == 0 ? null : cats[r.nextInt(cats.length)];
  }

  /** The rows accumulated in {@code parts} bundles of random sizes, merged in random order. */
  private static FeatureAccumulator partitioned(List<float[]> rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    SplittableRandom cats = new SplittableRandom(1);
    List<FeatureAccumulator> bundles = new ArrayList<>();
    FeatureAccumulator current = new FeatureAccumulator();
    for (int i = 0; i < rows.size(); i++) {
      current.add(rows.get(i), new String[] {category(i, cats)});
      if (r.nextInt(40) == 0) {
        bundles.add(current);
        current = new FeatureAccumulator();
      }
    }
    bundles.add(current);
    FeatureAccumulator out = new FeatureAccumulator();
    while (!bundles.isEmpty()) {
      out.merge(bundles.remove(r.nextInt(bundles.size())));
    }
    return out;
  }

  private static byte[] bytes(ColumnAccumulator c) throws Exception {
    return CoderUtils.encodeToByteArray(CompactCoder.COLUMN, c);
  }

  @Test
  void columnPartsHaveCanonicalBytesAndRoundTripExactly() throws Exception {
    List<float[]> rows = numericRows(500, 3);
    FeatureAccumulator a = partitioned(rows, 1);
    FeatureAccumulator b = partitioned(rows, 2);
    Map<Integer, ColumnAccumulator> decoded = new TreeMap<>();
    assertEquals(List.of(-1, 0, 1, 2, 3, 4, 5), new ArrayList<>(a.parts().keySet()));
    for (Map.Entry<Integer, ColumnAccumulator> e : a.parts().entrySet()) {
      byte[] x = bytes(e.getValue());
      assertArrayEquals(x, bytes(b.parts().get(e.getKey())), "column " + e.getKey());
      ColumnAccumulator back = CoderUtils.decodeFromByteArray(CompactCoder.COLUMN, x);
      assertArrayEquals(x, bytes(back), "column " + e.getKey() + " re-encoded");
      decoded.put(e.getKey(), back);
    }
    String fit = JSON.writeValueAsString(a.fit(SPEC, null).toManifest());
    assertEquals(
        fit,
        JSON.writeValueAsString(FeatureAccumulator.of(decoded).fit(SPEC, null).toManifest()),
        "decoded parts reassemble to the same statistics");
    // merged() leaves its inputs alone (the DirectRunner checks that inputs are not mutated).
    ColumnAccumulator c0 = a.parts().get(0);
    byte[] before = bytes(c0);
    ColumnAccumulator m = ColumnAccumulator.merged(c0, b.parts().get(0));
    assertArrayEquals(before, bytes(c0));
    assertEquals(2 * c0.rows(), m.rows());
  }

  @Test
  void exactSumBytesDependOnTheValueOnly() throws Exception {
    // Negative totals normalise to a sign-filled top; the encoding trims it.
    SplittableRandom r = new SplittableRandom(5);
    float[] xs = new float[1000];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = (float) (r.nextGaussian() - 0.5);
    }
    ColumnAccumulator forward = ColumnAccumulator.numeric();
    ColumnAccumulator halves = ColumnAccumulator.numeric();
    ColumnAccumulator second = ColumnAccumulator.numeric();
    for (int i = 0; i < xs.length; i++) {
      forward.add(xs[i]);
      (i % 2 == 0 ? halves : second).add(xs[xs.length - 1 - i]);
    }
    halves.merge(second);
    assertArrayEquals(bytes(forward), bytes(halves));
    // Two exact sums, min/max and a histogram of N(0, 1) values: a few kilobytes at most.
    assertTrue(bytes(forward).length < 8_000, bytes(forward).length + " bytes");
  }

  @Test
  void theWorstNumericColumnStillFitsFlinksLargestRecord() throws Exception {
    // One value in every finite bucket: 2 signs x 255 exponents x 128 mantissa prefixes.
    ColumnAccumulator c = ColumnAccumulator.numeric();
    for (int top = 0; top < 1 << 16; top++) {
      float f = Float.intBitsToFloat(top << 16);
      if (Float.isFinite(f)) {
        c.add(f);
        c.add(Float.intBitsToFloat((top << 16) | 0xFFFF));
      }
    }
    assertEquals(65_280, c.histogram().bucketCount());
    int size = bytes(c).length;
    assertTrue(size < FLINK_RECORD_LIMIT / 2, size + " bytes");
    ColumnAccumulator back = CoderUtils.decodeFromByteArray(CompactCoder.COLUMN, bytes(c));
    assertEquals(c.histogram().median(), back.histogram().median());
    assertEquals(c.histogram().medianIsExact(), back.histogram().medianIsExact());
  }

  @Test
  void exactMedianCountersAndCovarianceRoundTrip() throws Exception {
    SplittableRandom r = new SplittableRandom(9);
    Float32Histogram h = new Float32Histogram();
    List<Float> xs = new ArrayList<>();
    for (int i = 0; i < 20_001; i++) {
      xs.add((float) (r.nextGaussian() * 3 + 10));
    }
    xs.forEach(h::add);
    Float32Histogram.ExactMedian m = h.exactCounter();
    xs.forEach(m::add);
    byte[] em = CoderUtils.encodeToByteArray(CompactCoder.EXACT_MEDIAN, m);
    Float32Histogram.ExactMedian back =
        CoderUtils.decodeFromByteArray(CompactCoder.EXACT_MEDIAN, em);
    assertEquals(m.median(), back.median());
    assertArrayEquals(em, CoderUtils.encodeToByteArray(CompactCoder.EXACT_MEDIAN, back));

    CovarianceAccumulator cov = new CovarianceAccumulator();
    for (int i = 0; i < 2000; i++) {
      float[] x = new float[32];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) r.nextGaussian();
      }
      cov.add(x);
    }
    byte[] cb = CoderUtils.encodeToByteArray(CompactCoder.COVARIANCE, cov);
    CovarianceAccumulator cback = CoderUtils.decodeFromByteArray(CompactCoder.COVARIANCE, cb);
    assertArrayEquals(cov.covariance(), cback.covariance());
    assertArrayEquals(cov.mean(), cback.mean());
    // d = 32: 560 exact sums; far below the record bound (Java serialization took ~300 kB).
    assertTrue(cb.length < 40_000, cb.length + " bytes");
  }

  @Test
  void corruptBytesFailClearly() throws Exception {
    ColumnAccumulator c = ColumnAccumulator.numeric();
    c.add(1.5f);
    byte[] b = bytes(c);
    // Length prefix (1 byte), kind (1), rows (8), missing (8): the first ExactSum's low index.
    b[1 + 1 + 8 + 8] = (byte) 70;
    IOException e =
        assertThrows(
            IOException.class, () -> CompactCoder.COLUMN.decode(new ByteArrayInputStream(b)));
    assertTrue(e.getMessage().contains("ExactSum digits 70"), e.getMessage());
    byte[] kind = bytes(c);
    kind[1] = 9;
    e =
        assertThrows(
            IOException.class, () -> CompactCoder.COLUMN.decode(new ByteArrayInputStream(kind)));
    assertTrue(e.getMessage().contains("bad ColumnAccumulator kind 9"), e.getMessage());
  }
}
