package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.pipelines.config.ConfigException;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Counts;
import dev.shardsmith.schemas.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video pipeline end to end on the DirectRunner: the demo (tree.avi, committed) twice, and a
 * run over opencv-doc's damaged Megamind_bugy.avi, tree.avi cut in half and tree.avi whole ({@code
 * sample-data/fetch opencv-doc}). Counts satisfy invariant 3; Parquet is read by DuckDB.
 */
class VideoPipelineTest {
  private static final Path SAMPLE = Path.of("../sample-data").toAbsolutePath().normalize();
  private static final Path FETCHED =
      SAMPLE.resolve("fetched/opencv-doc/usr/share/doc/opencv-doc/examples/data");
  private static final List<String> DIRECT = List.of("--runner=DirectRunner");

  @TempDir Path tmp;

  /** id -> split | group | sha of the image bytes, from every Parquet shard. */
  private static Map<String, String> rows(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT id, split, \"group\", sha256(image) FROM read_parquet('"
                    + dir
                    + "/*/*.parquet')")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
      }
    }
    return out;
  }

  @Test
  void demoRunsTwiceToTheSameFramesWithSoundCounts() throws Exception {
    Manifest a =
        Runs.run(
            RunConfig.load(SAMPLE.resolve("video-demo.yaml")).withOutputDir(tmp.resolve("a")),
            DIRECT);
    Manifest b =
        Runs.run(
            RunConfig.load(SAMPLE.resolve("video-demo.yaml")).withOutputDir(tmp.resolve("b")),
            DIRECT);
    Counts c = a.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(68, c.samples().extracted());
    long skipped = c.samples().filtered().getOrDefault("frame_skip", 0L);
    assertTrue(skipped > 0 && skipped < 68, "frame_skip " + skipped);
    assertEquals(skipped, ((Number) a.run().get("frames_motion_skipped")).longValue());
    assertEquals(68 - skipped, c.samples().kept());
    Map<String, String> ra = rows(tmp.resolve("a"));
    assertEquals(ra, rows(tmp.resolve("b")));
    assertEquals(c.samples().written(), ra.size());
    // ids are <video>@<pts>; one video, one group, one split
    assertTrue(
        ra.keySet().stream().allMatch(id -> id.matches("video/tree/tree\\.avi@\\d+(#.*)?.*")),
        ra.keySet().toString());
    assertEquals(
        1, ra.values().stream().map(v -> v.split("\\|")[0] + v.split("\\|")[1]).distinct().count());
  }

  @Test
  void damagedAndCutVideosKeepTheirGoodFramesAndNoVideoStraddlesSplits() throws Exception {
    Path data = tmp.resolve("in");
    for (String d : List.of("bugy", "half", "tree", "vtest")) {
      Files.createDirectories(data.resolve(d));
    }
    Files.copy(FETCHED.resolve("Megamind_bugy.avi"), data.resolve("bugy/bugy.avi"));
    byte[] tree = Files.readAllBytes(FETCHED.resolve("tree.avi"));
    Files.write(data.resolve("half/half.avi"), java.util.Arrays.copyOf(tree, tree.length / 2));
    Files.copy(FETCHED.resolve("tree.avi"), data.resolve("tree/tree.avi"));
    Files.copy(FETCHED.resolve("Megamind.avi"), data.resolve("vtest/megamind.avi"));
    Files.writeString(data.resolve("tree/broken.avi"), "no video");
    Path cfg = data.resolve("run.yaml");
    Files.writeString(
        cfg,
        "name: damaged\n"
            + "input:\n"
            + "  kind: video\n"
            + "  files: ['*/*.avi']\n"
            + "  frames: {select: every_nth, every_nth: 5}\n"
            + "split: {mode: exact, train: 0.5, val: 0.25, test: 0.25}\n"
            + "preprocess: {resize: 32, crop: 32}\n"
            + "augment: {enabled: false}\n"
            + "output: {formats: [parquet], mode: overwrite}\n");
    Path out = tmp.resolve("out");
    Manifest m = Runs.run(RunConfig.load(cfg).withOutputDir(out), DIRECT);
    Counts c = m.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(5, c.sources().read());
    assertEquals(1L, c.sources().rejected().get("unreadable"));
    assertTrue(c.samples().rejected().getOrDefault("decode_error", 0L) > 0, c.toString());
    assertEquals(1L, c.samples().rejected().get("truncated"), c.toString());
    Map<String, String> rows = rows(out);
    Map<String, String> splitOfVideo = new TreeMap<>();
    for (Map.Entry<String, String> e : rows.entrySet()) {
      String[] v = e.getValue().split("\\|");
      String video = e.getKey().substring(0, e.getKey().lastIndexOf('@'));
      // the group is the video, or another video holding a byte-identical frame (half.avi is
      // tree.avi's first half): AssignSplits joins such groups, so neither straddles splits
      assertTrue(splitOfVideo.size() <= 4 && v[1].endsWith(".avi"), "the group of " + e.getKey());
      String prev = splitOfVideo.putIfAbsent(video, v[0]);
      assertTrue(prev == null || prev.equals(v[0]), "video " + video + " straddles splits");
    }
    assertEquals(4, splitOfVideo.size(), splitOfVideo + " " + c + " " + m.splits());
    assertTrue(Files.readString(out.resolve("rejected/rejected.jsonl")).contains("pts "));
  }

  @Test
  void qualityKeysFilterSmallAndRejectLargeVideosFromTheirHeaders() throws Exception {
    Path data = tmp.resolve("q");
    for (String d : List.of("small", "large", "ok")) {
      Files.createDirectories(data.resolve(d));
    }
    Files.copy(FETCHED.resolve("tree.avi"), data.resolve("small/tree.avi")); // 320 x 240
    Files.copy(FETCHED.resolve("vtest.avi"), data.resolve("large/vtest.avi")); // 768 x 576
    Files.copy(FETCHED.resolve("Megamind.avi"), data.resolve("ok/megamind.avi")); // 720 x 528
    Path cfg = data.resolve("run.yaml");
    Files.writeString(
        cfg,
        "name: quality\n"
            + "input:\n"
            + "  kind: video\n"
            + "  files: ['*/*.avi']\n"
            + "  frames: {select: every_nth, every_nth: 30}\n"
            + "quality: {min_width: 321, max_pixels: 400000}\n"
            + "preprocess: {resize: 32, crop: 32}\n"
            + "augment: {enabled: false}\n"
            + "output: {formats: [parquet], mode: overwrite}\n");
    Path out = tmp.resolve("qout");
    Manifest m = Runs.run(RunConfig.load(cfg).withOutputDir(out), DIRECT);
    Counts c = m.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(3, c.sources().read());
    assertEquals(2, c.sources().ok());
    assertEquals(Map.of("too_large", 1L), c.sources().rejected());
    // tree.avi's 68 frames, never decoded, and Megamind.avi's 270
    assertEquals(68 + 270, c.samples().extracted());
    assertEquals(Map.of("min_size", 68L, "frame_skip", 261L), c.samples().filtered());
    assertEquals(9, c.samples().kept());
    assertEquals(2L, ((Number) m.run().get("decode_warnings")).longValue());
    assertTrue(rows(out).keySet().stream().allMatch(id -> id.startsWith("ok/megamind.avi@")));
    assertTrue(
        Files.readString(out.resolve("rejected/rejected.jsonl"))
            .contains("768 x 576 = 442368 pixels exceed quality.max_pixels = 400000"));
  }

  @Test
  void aSelectionKeyOfAnotherModeIsAConfigError() throws Exception {
    Path cfg = tmp.resolve("bad.yaml");
    Files.writeString(
        cfg,
        "name: bad\ninput:\n  kind: video\n  files: ['x/*.avi']\n  frames: {select: keyframes, fps: 2}\n");
    ConfigException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ConfigException.class, () -> RunConfig.load(cfg));
    assertTrue(e.getMessage().contains("input.frames.fps"), e.getMessage());
  }
}
