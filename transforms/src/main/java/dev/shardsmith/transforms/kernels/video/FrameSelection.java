package dev.shardsmith.transforms.kernels.video;

import java.io.Serializable;
import java.util.Locale;

/**
 * Which decoded frames of a video are kept.
 *
 * <ul>
 *   <li>{@code mode}: {@link Mode#ALL}; {@link Mode#EVERY_NTH} (frame index {@code i} of the video,
 *       counted from 0 over its whole stream, kept when {@code i % everyNth == 0}); {@link
 *       Mode#FPS} (a frame is kept when it is the first at or after a {@code 1 / fps} boundary:
 *       {@code floor(pts * fps) > floor(prev * fps)}, {@code prev} the pts of the stream's previous
 *       frame, also across a range border (the scan records it per key frame), or one nominal frame
 *       duration earlier for the stream's first frame); {@link Mode#KEYFRAMES} (frames the stream
 *       marks as key frames); {@link Mode#SCENE_CUTS} (the first frame of a decoded range and every
 *       frame whose gray histogram, 32 bins of luma {@code 0.299 R + 0.587 G + 0.114 B}, differs
 *       from the previous decoded frame's by a total-variation distance {@code 0.5 * sum |h_i -
 *       g_i|} in [0, 1] above {@code sceneThreshold}).
 *   <li>{@code motionThreshold} (0 = off): after the mode, a frame whose mean absolute gray
 *       difference (in [0, 1], luma / 255, every 4th pixel in each direction) from the last
 *       <em>kept</em> frame is below it is dropped (reason {@code motion}).
 * </ul>
 *
 * State that spans frames (the previous frame of scene cuts, the last kept frame of motion
 * skipping) restarts at each decoded keyframe range, so a range's result does not depend on the
 * ranges before it.
 */
public record FrameSelection(
    Mode mode, int everyNth, double fps, double sceneThreshold, double motionThreshold)
    implements Serializable {
  /** Selection modes. */
  public enum Mode {
    ALL,
    EVERY_NTH,
    FPS,
    KEYFRAMES,
    SCENE_CUTS;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public FrameSelection {
    if (mode == null) {
      throw new IllegalArgumentException(
          "mode: give one of all, every_nth, fps, keyframes, scene_cuts");
    }
    if (mode == Mode.EVERY_NTH && everyNth < 1) {
      throw new IllegalArgumentException("every_nth must be >= 1, got " + everyNth);
    }
    if (mode == Mode.FPS && !(fps > 0)) {
      throw new IllegalArgumentException("fps must be > 0, got " + fps);
    }
    if (mode == Mode.SCENE_CUTS && !(sceneThreshold > 0 && sceneThreshold < 1)) {
      throw new IllegalArgumentException(
          "scene_threshold must be in (0, 1), got " + sceneThreshold);
    }
    if (!(motionThreshold >= 0 && motionThreshold < 1)) {
      throw new IllegalArgumentException(
          "motion_threshold must be in [0, 1) (0 = off), got " + motionThreshold);
    }
  }

  /** Every decoded frame. */
  public static FrameSelection all() {
    return new FrameSelection(Mode.ALL, 1, 0, 0, 0);
  }

  public FrameSelection withMotionThreshold(double threshold) {
    return new FrameSelection(mode, everyNth, fps, sceneThreshold, threshold);
  }
}
