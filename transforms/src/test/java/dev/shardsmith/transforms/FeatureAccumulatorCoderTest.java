package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.transforms.kernels.stats.FeatureAccumulator;
import dev.shardsmith.transforms.kernels.stats.NormalizeSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class FeatureAccumulatorCoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final NormalizeSpec SPEC =
      NormalizeSpec.DEFAULT.withScale("zscore").withImpute("median", 0);

  private static FeatureAccumulator filled(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    FeatureAccumulator a = new FeatureAccumulator();
    String[] cats = {"red", "green", "blau\u00df", "\u732b"};
    for (int i = 0; i < rows; i++) {
      float[] x = {
        (float) r.nextGaussian(),
        (float) (r.nextDouble() * 1e30),
        -(float) r.nextDouble() * 1e-30f,
        r.nextInt(10) == 0 ? Float.NaN : r.nextInt(100),
        i % 7 == 0 ? Float.POSITIVE_INFINITY : 0f
      };
      a.add(x, new String[] {i % 5 == 0 ? null : cats[r.nextInt(cats.length)]});
    }
    return a;
  }

  private static String fit(FeatureAccumulator a) throws Exception {
    return JSON.writeValueAsString(a.fit(SPEC, null).toManifest());
  }

  @Test
  void roundTripKeepsTheExactStateAndStableBytes() throws Exception {
    FeatureAccumulatorCoder coder = FeatureAccumulatorCoder.of();
    for (int rows : new int[] {0, 1, 3, 500}) {
      FeatureAccumulator a = filled(rows, rows);
      byte[] bytes = CoderUtils.encodeToByteArray(coder, a);
      FeatureAccumulator back = CoderUtils.decodeFromByteArray(coder, bytes);
      assertArrayEquals(bytes, CoderUtils.encodeToByteArray(coder, back), rows + " rows");
      assertEquals(a.rows(), back.rows());
      if (rows > 0) {
        assertEquals(fit(a), fit(back), rows + " rows");
        // Merging decoded partials equals merging the originals (what the lifted combine does).
        FeatureAccumulator more = filled(200, 99);
        FeatureAccumulator viaCoder = CoderUtils.decodeFromByteArray(coder, bytes);
        viaCoder.merge(
            CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, more)));
        a.merge(more);
        assertEquals(fit(a), fit(viaCoder), rows + " rows merged");
        assertArrayEquals(
            CoderUtils.encodeToByteArray(coder, a), CoderUtils.encodeToByteArray(coder, viaCoder));
      }
    }
  }

  @Test
  void aOneRowAccumulatorIsFarSmallerThanJavaSerialization() throws Exception {
    FeatureAccumulator a = filled(1, 7);
    int compact = CoderUtils.encodeToByteArray(FeatureAccumulatorCoder.of(), a).length;
    int java = CoderUtils.encodeToByteArray(StatsCoder.of(FeatureAccumulator.class), a).length;
    assertTrue(compact * 5 < java, "compact " + compact + " bytes, Java serialization " + java);
  }

  @Test
  void corruptBytesFailClearly() throws Exception {
    FeatureAccumulator a = filled(3, 1);
    byte[] bytes = CoderUtils.encodeToByteArray(FeatureAccumulatorCoder.of(), a);
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    a.writeTo(new DataOutputStream(payload));
    // Past the length prefix, the widths, the row count and the first column's missing count:
    // the first ExactSum's pending count and non-zero digit count, then its first digit index.
    int firstIndex = bytes.length - payload.size() + 4 + 4 + 8 + 8 + 4 + 1;
    bytes[firstIndex] = (byte) 200;
    IOException e =
        assertThrows(
            IOException.class,
            () -> FeatureAccumulatorCoder.of().decode(new ByteArrayInputStream(bytes)));
    assertTrue(e.getMessage().contains("ExactSum digit index 200"), e.getMessage());
  }
}
