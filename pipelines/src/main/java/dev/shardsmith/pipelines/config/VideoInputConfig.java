package dev.shardsmith.pipelines.config;

import dev.shardsmith.transforms.kernels.video.FrameSelection;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code input} section of {@code kind: video}: video files ({@code input.files}, files or
 * globs relative to the config; extensions avi, mp4, mkv, mov, webm, m4v) whose frames follow the
 * image path. A video's label is the name of the folder holding it. Frame selection under {@code
 * input.frames}: {@code select} (all, every_nth, fps, keyframes, scene_cuts; default all), {@code
 * every_nth} (default 1), {@code fps}, {@code scene_threshold} (default 0.3), {@code
 * motion_threshold} (default 0 = off) and {@code keyframes_per_range} (default 4). Optional
 * fixed-length clips under {@code input.clips} ({@link Clips}; null when absent: one sample per
 * frame). {@link #resolve()} lists the files.
 */
public record VideoInputConfig(
    Path base, List<String> files, FrameSelection selection, int keyframesPerRange, Clips clips) {

  /**
   * Clips of {@code frames} (T >= 2) decoded frames, {@code stride} (S >= 1) apart, a clip starting
   * every {@code step} (K >= 1, default T * S: back to back) frames: clip k holds the frames with
   * stream index {@code k*K + j*S}, j = 0..T-1.
   */
  public record Clips(int frames, int stride, int step) {
    Map<String, Object> effective() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("frames", frames);
      m.put("stride", stride);
      m.put("step", step);
      return m;
    }
  }

  static final List<String> EXTENSIONS = List.of(".avi", ".mp4", ".mkv", ".mov", ".webm", ".m4v");

  static VideoInputConfig parse(Section in, Path base) {
    List<String> files = in.strings("files");
    if (files.isEmpty()) {
      throw new ConfigException(
          in.key("files")
              + " is required for input.kind = video: list one or more video files or globs"
              + " relative to the config file");
    }
    Section f = in.section("frames");
    String select =
        f.choice("select", "all", List.of("all", "every_nth", "fps", "keyframes", "scene_cuts"));
    FrameSelection.Mode mode = FrameSelection.Mode.valueOf(select.toUpperCase(Locale.ROOT));
    int everyNth = (int) f.integer("every_nth", 1, 1, 1_000_000);
    double fps = f.number("fps", 1, 1e-6, 1000);
    double scene = f.number("scene_threshold", 0.3, 1e-6, 0.999999);
    double motion = f.number("motion_threshold", 0, 0, 0.999999);
    int per = (int) f.integer("keyframes_per_range", 4, 1, 1_000_000);
    if (mode != FrameSelection.Mode.EVERY_NTH && f.has("every_nth")) {
      throw new ConfigException(f.key("every_nth") + " is set, but frames.select = " + select);
    }
    if (mode != FrameSelection.Mode.FPS && f.has("fps")) {
      throw new ConfigException(f.key("fps") + " is set, but frames.select = " + select);
    }
    if (mode != FrameSelection.Mode.SCENE_CUTS && f.has("scene_threshold")) {
      throw new ConfigException(
          f.key("scene_threshold") + " is set, but frames.select = " + select);
    }
    f.finish();
    Section c = in.section("clips"); // absent or null: one sample per frame
    Clips clips = in.has("clips") ? parseClips(c) : null;
    if (clips != null && mode != FrameSelection.Mode.ALL) {
      throw new ConfigException(
          f.key("select")
              + " = "
              + select
              + " is not allowed with input.clips: a clip takes every frame at its own stride and"
              + " step; use select: all (or leave it out)");
    }
    if (clips != null && motion > 0) {
      throw new ConfigException(
          f.key("motion_threshold")
              + " = "
              + motion
              + " is not allowed with input.clips: skipping frames would tear clips apart; use 0"
              + " (or leave it out)");
    }
    return new VideoInputConfig(
        base,
        List.copyOf(files),
        new FrameSelection(mode, everyNth, fps, scene, motion),
        per,
        clips);
  }

  private static Clips parseClips(Section c) {
    if (!c.has("frames")) {
      throw new ConfigException(
          c.key("frames")
              + " is required when input.clips is given: the clip length T, an integer >= 2");
    }
    int frames = (int) c.integer("frames", 0, 2, 10_000);
    int stride = (int) c.integer("stride", 1, 1, 100_000);
    int step = (int) c.integer("step", (long) frames * stride, 1, 1_000_000_000);
    c.finish();
    return new Clips(frames, stride, step);
  }

  /**
   * Clips are N x T x H x W x C pixel tensors: they need {@code output.image_encoding: raw}.
   *
   * @throws ConfigException naming {@code output.image_encoding} otherwise
   */
  static void checkClipEncoding(VideoInputConfig video, String encoding) {
    if (video != null && video.clips() != null && !encoding.equals("raw")) {
      throw new ConfigException(
          "output.image_encoding = "
              + encoding
              + " is not allowed with input.clips: a clip is written as a T x H x W x C pixel"
              + " tensor; use raw");
    }
  }

  /** The video files by name (path relative to the config); a glob matching nothing fails. */
  public Map<String, Path> resolve() {
    Map<String, Path> out = new TreeMap<>();
    for (String pattern : files) {
      Map<String, Path> found =
          InputFiles.expand(base, pattern, n -> EXTENSIONS.stream().anyMatch(n::endsWith));
      if (found.isEmpty()) {
        throw new ConfigException(
            "input.files has \"" + pattern + "\": no video file (" + EXTENSIONS + ") matches");
      }
      out.putAll(found);
    }
    return out;
  }

  /** Each video's label: the name of the folder holding it. */
  public static Map<String, String> labels(Map<String, Path> files) {
    Map<String, String> out = new TreeMap<>();
    files.forEach(
        (name, path) ->
            out.put(name, path.toAbsolutePath().normalize().getParent().getFileName().toString()));
    return out;
  }

  Map<String, Object> effective() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("files", files);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("select", selection.mode().key());
    switch (selection.mode()) {
      case EVERY_NTH -> f.put("every_nth", selection.everyNth());
      case FPS -> f.put("fps", selection.fps());
      case SCENE_CUTS -> f.put("scene_threshold", selection.sceneThreshold());
      default -> {}
    }
    f.put("motion_threshold", selection.motionThreshold());
    f.put("keyframes_per_range", keyframesPerRange);
    m.put("frames", f);
    if (clips != null) {
      m.put("clips", clips.effective());
    }
    return m;
  }
}
