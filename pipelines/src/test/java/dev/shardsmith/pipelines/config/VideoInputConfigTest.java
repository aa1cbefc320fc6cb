package dev.shardsmith.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shardsmith.transforms.kernels.video.FrameSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code input.kind: video} keys: defaults, the effective config, and every bad key. */
class VideoInputConfigTest {
  @TempDir Path base;

  private RunConfig parse(String yaml) throws Exception {
    return RunConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml), base);
  }

  private String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  private static final String VIDEO = "name: v\ninput:\n  kind: video\n  files: [v/*.avi]\n";

  @Test
  void defaultsTheEffectiveConfigAndResolve() throws Exception {
    RunConfig c = parse(VIDEO);
    VideoInputConfig v = c.input().video();
    assertEquals("video", c.input().kind());
    assertEquals(FrameSelection.Mode.ALL, v.selection().mode());
    assertEquals(0.0, v.selection().motionThreshold());
    assertEquals(4, v.keyframesPerRange());
    Map<?, ?> in = (Map<?, ?>) c.effective().get("input");
    assertEquals("video_files", in.get("layout"));
    assertEquals(
        Map.of("select", "all", "motion_threshold", 0.0, "keyframes_per_range", 4),
        in.get("frames"));
    Files.createDirectories(base.resolve("v/clips"));
    Files.writeString(base.resolve("v/a.avi"), "x");
    Files.writeString(base.resolve("v/notes.txt"), "x");
    assertEquals(List.of("v/a.avi"), List.copyOf(v.resolve().keySet()));
    assertEquals(Map.of("v/a.avi", "v"), VideoInputConfig.labels(v.resolve()));
    VideoInputConfig fps =
        parse(VIDEO + "  frames: {select: fps, fps: 2.5, motion_threshold: 0.05}\n")
            .input()
            .video();
    assertEquals(new FrameSelection(FrameSelection.Mode.FPS, 1, 2.5, 0.3, 0.05), fps.selection());
  }

  @Test
  void everyBadKeyIsNamed() throws Exception {
    assertTrue(error("name: v\ninput: {kind: video}\n").contains("input.files"));
    assertTrue(error(VIDEO + "  frames: {select: sometimes}\n").contains("input.frames.select"));
    assertTrue(
        error(VIDEO + "  frames: {select: every_nth, every_nth: 0}\n")
            .contains("input.frames.every_nth"));
    assertTrue(
        error(VIDEO + "  frames: {select: keyframes, fps: 2}\n").contains("input.frames.fps"));
    assertTrue(
        error(VIDEO + "  frames: {motion_threshold: 1.5}\n")
            .contains("input.frames.motion_threshold"));
    assertTrue(error(VIDEO + "  frames: {speed: 2}\n").contains("input.frames.speed"));
    ConfigException e =
        assertThrows(ConfigException.class, () -> parse(VIDEO).input().video().resolve());
    assertTrue(e.getMessage().contains("v/*.avi"), e.getMessage());
  }

  @Test
  void clipsDefaultToBackToBackAndAreInTheEffectiveConfig() throws Exception {
    assertEquals(null, parse(VIDEO).input().video().clips());
    assertTrue(!((Map<?, ?>) parse(VIDEO).effective().get("input")).containsKey("clips"));
    RunConfig c = parse(VIDEO + "  clips: {frames: 4}\n");
    assertEquals(new VideoInputConfig.Clips(4, 1, 4), c.input().video().clips());
    assertEquals(
        new VideoInputConfig.Clips(4, 2, 8),
        parse(VIDEO + "  clips: {frames: 4, stride: 2}\n").input().video().clips());
    assertEquals(
        new VideoInputConfig.Clips(3, 2, 1),
        parse(VIDEO + "  clips: {frames: 3, stride: 2, step: 1}\n").input().video().clips());
    assertEquals(
        Map.of("frames", 4, "stride", 1, "step", 4),
        ((Map<?, ?>) c.effective().get("input")).get("clips"));
    assertEquals(null, parse(VIDEO + "  clips: null\n").input().video().clips());
  }

  @Test
  void everyBadClipValueIsNamed() throws Exception {
    Map<String, String> bad =
        Map.ofEntries(
            Map.entry("  clips: {}\n", "input.clips.frames is required"),
            Map.entry("  clips: {stride: 2}\n", "input.clips.frames is required"),
            Map.entry("  clips: 4\n", "input.clips must be a mapping"),
            Map.entry("  clips: {frames: 1}\n", "input.clips.frames = 1 is out of range"),
            Map.entry("  clips: {frames: 2.5}\n", "input.clips.frames = 2.5 must be an integer"),
            Map.entry("  clips: {frames: 4, stride: 0}\n", "input.clips.stride = 0 is out of"),
            Map.entry("  clips: {frames: 4, step: 0}\n", "input.clips.step = 0 is out of range"),
            Map.entry("  clips: {frames: 4, step: -3}\n", "input.clips.step = -3 is out of"),
            Map.entry("  clips: {frames: 4, step: two}\n", "input.clips.step = \"two\" must be"),
            Map.entry("  clips: {frames: 4, length: 2}\n", "input.clips.length is not a known"),
            Map.entry(
                "  clips: {frames: 4}\n  frames: {select: every_nth, every_nth: 2}\n",
                "input.frames.select = every_nth is not allowed with input.clips"),
            Map.entry(
                "  clips: {frames: 4}\n  frames: {select: keyframes}\n",
                "input.frames.select = keyframes is not allowed with input.clips"),
            Map.entry(
                "  clips: {frames: 4}\n  frames: {motion_threshold: 0.1}\n",
                "input.frames.motion_threshold = 0.1 is not allowed with input.clips"),
            Map.entry(
                "  clips: {frames: 4}\noutput: {image_encoding: png, formats: [parquet]}\n",
                "output.image_encoding = png is not allowed with input.clips"));
    bad.forEach(
        (yaml, message) -> {
          String e = error(VIDEO + yaml);
          assertTrue(e.contains(message), yaml + " -> " + e);
        });
  }
}
