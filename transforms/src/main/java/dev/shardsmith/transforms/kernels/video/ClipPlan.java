package dev.shardsmith.transforms.kernels.video;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-length clips over a video's frames: clip {@code k} holds the frames with stream index
 * {@code k * step + j * stride}, {@code j = 0 .. frames - 1} (indices counted from 0 over the whole
 * stream), and the candidates are every {@code k} whose last frame lies within the scan's packets.
 * Pure arithmetic, so the clips do not depend on how the decoding is split.
 *
 * <pre>{@code
 * ClipPlan plan = new ClipPlan(4, 1, 4);   // back-to-back clips of 4 frames
 * plan.candidates(10);                     // 2: frames 0..3 and 4..7; 8 and 9 are in no clip
 * plan.positions(5, 10);                   // [Position(k = 1, j = 1)]
 * }</pre>
 */
public record ClipPlan(int frames, int stride, int step) implements Serializable {
  /** Frame {@code j} of clip {@code k}. */
  public record Position(long clip, int frame) {}

  public ClipPlan {
    if (frames < 2) {
      throw new IllegalArgumentException("clip frames must be >= 2, got " + frames);
    }
    if (stride < 1) {
      throw new IllegalArgumentException("clip stride must be >= 1, got " + stride);
    }
    if (step < 1) {
      throw new IllegalArgumentException("clip step must be >= 1, got " + step);
    }
  }

  /** Back-to-back clips: {@code step = frames * stride}. */
  public static ClipPlan backToBack(int frames, int stride) {
    return new ClipPlan(frames, stride, Math.multiplyExact(frames, stride));
  }

  /** Frames one clip spans from its first to its last, inclusive. */
  public long span() {
    return (long) (frames - 1) * stride + 1;
  }

  /** How many clips a stream of {@code packets} frames holds: every k with a last frame in it. */
  public long candidates(long packets) {
    return packets < span() ? 0 : (packets - span()) / step + 1;
  }

  /** Stream index of frame {@code j} of clip {@code k}. */
  public long index(long clip, int frame) {
    return clip * step + (long) frame * stride;
  }

  /**
   * Every clip position of the frame with stream index {@code index} in a stream of {@code packets}
   * frames, in clip order; empty when the frame belongs to no clip.
   */
  public List<Position> positions(long index, long packets) {
    List<Position> out = new ArrayList<>();
    long n = candidates(packets);
    for (int j = frames - 1; j >= 0; j--) {
      long start = index - (long) j * stride;
      if (start >= 0 && start % step == 0 && start / step < n) {
        out.add(new Position(start / step, j));
      }
    }
    return out;
  }
}
