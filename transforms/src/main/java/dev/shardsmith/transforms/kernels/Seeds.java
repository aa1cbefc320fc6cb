package dev.shardsmith.transforms.kernels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The one source of randomness and of stable hash orders. Every random choice derives from {@code
 * (seed, sample id, stage, op position, copy index)} through a counter-based hash, never from the
 * clock, {@code new Random()} or bundle order, so a run is byte-identical on any runner, at any
 * parallelism, after any retry.
 *
 * <pre>{@code
 * SplittableRandom rng = Seeds.of(config.seed(), sample.id(), "rotate", opPosition, copyIndex);
 * long order = Seeds.hash(seed, "shard-order", rowId);
 * }</pre>
 */
public final class Seeds {
  private Seeds() {}

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** A random stream for one op of one copy of one sample. */
  public static SplittableRandom of(
      long seed, String sampleId, String stage, int opPosition, int copyIndex) {
    long h = mix(seed ^ 0x5EED5EED5EED5EEDL);
    h = absorb(h, sampleId);
    h = absorb(h, stage);
    h = mix(h ^ (opPosition * GOLDEN));
    h = mix(h ^ ((copyIndex + 1L) * 0xC2B2AE3D27D4EB4FL));
    return new SplittableRandom(h);
  }

  /** A stable 64-bit hash of the seed and the given parts (for hash orders and split ranks). */
  public static long hash(long seed, String... parts) {
    long h = mix(seed ^ 0x243F6A8885A308D3L);
    for (String p : parts) {
      h = absorb(h, p);
    }
    return h;
  }

  /**
   * {@code hash(seed, stage, prefix + rest)} without building the joined string: the split kernel
   * ranks a million {@code "sha256:" + hash} group names with it.
   */
  public static long hashJoined(long seed, String stage, String prefix, String rest) {
    // UTF-8 of a joined string is the two encodings joined; for ASCII each is one fast copy.
    byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] r = rest.getBytes(StandardCharsets.UTF_8);
    byte[] b = Arrays.copyOf(p, p.length + r.length);
    System.arraycopy(r, 0, b, p.length, r.length);
    return absorb(absorb(mix(seed ^ 0x243F6A8885A308D3L), stage), b);
  }

  /** Absorbs a string: its UTF-8 bytes eight at a time, then its length. */
  private static long absorb(long h, String s) {
    return absorb(h, s.getBytes(StandardCharsets.UTF_8));
  }

  private static long absorb(long h, byte[] b) {
    int i = 0;
    for (; i + 8 <= b.length; i += 8) {
      h = mix(h ^ (long) LE_LONG.get(b, i)) + GOLDEN;
    }
    long w = 0;
    for (int j = 0; i + j < b.length; j++) {
      w |= (b[i + j] & 0xFFL) << (8 * j);
    }
    return mix(h ^ w ^ ((long) b.length << 56)) + GOLDEN;
  }

  /** The SplitMix64 finalizer: a bijective avalanche mix of 64 bits. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
