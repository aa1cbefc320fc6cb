package dev.shardsmith.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShardsBenchmarkTest {
  private static long naive(byte[] b, int from) {
    long s = 0;
    for (int i = from; i < b.length; i++) {
      s += b[i] & 0xff;
    }
    return s;
  }

  @Test
  void sumBytesMatchesAByteByByteSumAtEveryLengthAndOffset() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int n : new int[] {0, 1, 7, 8, 9, 1023, 1024, 1025, 8 * 128 * 3 + 5, 100_003}) {
      byte[] b = new byte[n];
      rng.nextBytes(b);
      assertEquals(naive(b, 0), ShardsBenchmark.sumBytes(ByteBuffer.wrap(b)), "length " + n);
      if (n > 3) {
        ByteBuffer shifted = ByteBuffer.wrap(b);
        shifted.position(3);
        assertEquals(naive(b, 3), ShardsBenchmark.sumBytes(shifted), "length " + n + " from 3");
      }
    }
    // All 0xff: the 16-bit lanes must not overflow within one block of 128 longs.
    byte[] ones = new byte[1 << 20];
    java.util.Arrays.fill(ones, (byte) 0xff);
    assertEquals(255L << 20, ShardsBenchmark.sumBytes(ByteBuffer.wrap(ones)));
  }
}
