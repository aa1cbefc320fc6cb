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
}
