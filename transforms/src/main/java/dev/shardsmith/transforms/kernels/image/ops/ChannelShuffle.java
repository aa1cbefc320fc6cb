package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Permutes the R, G and B channels ({@code channel_shuffle}, Albumentations' ChannelShuffle): a
 * permutation uniform over all 6 (the identity included, as in Albumentations). Params: {@code
 * order}, like {@code "2,0,1"}: output channel {@code k} is input channel {@code order[k]}.
 *
 * <pre>{@code
 * new ChannelShuffle(0.5)
 * }</pre>
 */
public record ChannelShuffle(double p) implements PixelOp {
  public static final String NAME = "channel_shuffle";

  public ChannelShuffle {
    Params.probability(NAME, p);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    int[] perm = OpParams.permutation(rng, 3);
    SortedMap<String, Object> m = Params.params();
    m.put("order", perm[0] + "," + perm[1] + "," + perm[2]);
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    String order = Params.string(NAME, params, "order");
    int[] perm = parse(order);
    byte[] in = RgbPixels.read(rgb);
    byte[] out = new byte[in.length];
    for (int i = 0; i < in.length; i += 3) {
      out[i] = in[i + perm[0]];
      out[i + 1] = in[i + perm[1]];
      out[i + 2] = in[i + perm[2]];
    }
    RgbPixels.write(rgb, out);
  }

  private static int[] parse(String order) {
    String[] parts = order.split(",", -1);
    boolean ok = parts.length == 3;
    int[] perm = new int[3];
    boolean[] seen = new boolean[3];
    for (int k = 0; ok && k < 3; k++) {
      ok = parts[k].length() == 1 && parts[k].charAt(0) >= '0' && parts[k].charAt(0) <= '2';
      if (ok) {
        perm[k] = parts[k].charAt(0) - '0';
        ok = !seen[perm[k]];
        seen[perm[k]] = true;
      }
    }
    if (!ok) {
      throw new IllegalArgumentException(
          NAME + ": parameter order must be a permutation like 2,0,1, but was " + order);
    }
    return perm;
  }
}
