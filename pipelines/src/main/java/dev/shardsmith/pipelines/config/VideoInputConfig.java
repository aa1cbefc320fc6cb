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
 * motion_threshold} (default 0 = off) and {@code keyframes_per_range} (default 4). {@link
 * #resolve()} lists the files.
 */
public record VideoInputConfig(
    Path base, List<String> files, FrameSelection selection, int keyframesPerRange) {

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
    return new VideoInputConfig(
        base, List.copyOf(files), new FrameSelection(mode, everyNth, fps, scene, motion), per);
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
    return m;
  }
}
