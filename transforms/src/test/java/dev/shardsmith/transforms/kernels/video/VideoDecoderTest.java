package dev.shardsmith.transforms.kernels.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real videos of Debian's opencv-doc ({@code sample-data/fetch opencv-doc}). */
public class VideoDecoderTest {
  static final Path DATA = videos();

  public static Path videos() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("sample-data"))) {
      dir = dir.getParent();
    }
    Path d = dir.resolve("sample-data/fetched/opencv-doc/usr/share/doc/opencv-doc/examples/data");
    if (!Files.isRegularFile(d.resolve("tree.avi"))) {
      throw new IllegalStateException("run sample-data/fetch opencv-doc first: no " + d);
    }
    return d;
  }

  /** Everything a decode reported. */
  static final class Record implements VideoDecoder.Sink {
    final List<VideoDecoder.DecodedFrame> kept = new ArrayList<>();
    final TreeMap<String, Integer> skipped = new TreeMap<>();
    final List<VideoFailure> failures = new ArrayList<>();

    @Override
    public void kept(VideoDecoder.DecodedFrame frame) {
      kept.add(frame);
    }

    @Override
    public void skipped(long ptsMicros, long index, String reason) {
      skipped.merge(reason, 1, Integer::sum);
    }

    @Override
    public void failed(VideoFailure failure) {
      failures.add(failure);
    }

    int decoded() {
      return kept.size() + skipped.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  static Record decodeAll(Path file, FrameSelection sel) throws IOException {
    VideoDecoder.Scan scan = VideoDecoder.scan(file);
    Record r = new Record();
    VideoDecoder.decode(file, scan, 0, scan.keyframes(), sel, r);
    return r;
  }

  @Test
  void allFramesOfTreeWithIncreasingPtsAndRgbPixels() throws IOException {
    Record r = decodeAll(DATA.resolve("tree.avi"), FrameSelection.all());
    assertEquals(68, r.kept.size());
    assertTrue(r.failures.isEmpty(), r.failures.toString());
    for (int i = 1; i < r.kept.size(); i++) {
      assertTrue(r.kept.get(i).ptsMicros() > r.kept.get(i - 1).ptsMicros());
    }
    assertEquals(320, r.kept.get(0).image().width());
    assertEquals(320 * 240 * 3, r.kept.get(0).image().bytes().length);
  }

  @Test
  void keyframeRangesDecodeTheSameFramesAsOnePass() throws IOException {
    Path f = DATA.resolve("tree.avi");
    VideoDecoder.Scan scan = VideoDecoder.scan(f);
    assertTrue(scan.keyframes() >= 3, "keyframes " + scan.keyframes());
    Record whole = decodeAll(f, FrameSelection.all());
    Record parts = new Record();
    for (int k = 0; k < scan.keyframes(); k++) {
      VideoDecoder.decode(f, scan, k, k + 1, FrameSelection.all(), parts);
    }
    assertEquals(whole.failures, parts.failures);
    assertEquals(whole.kept.size(), parts.kept.size());
    for (int i = 0; i < whole.kept.size(); i++) {
      assertEquals(whole.kept.get(i).ptsMicros(), parts.kept.get(i).ptsMicros());
      assertArrayEquals(whole.kept.get(i).image().bytes(), parts.kept.get(i).image().bytes());
    }
  }

  @Test
  void everyNthFpsKeyframesSceneCutsAndMotion() throws IOException {
    Path f = DATA.resolve("Megamind.avi");
    Record all = decodeAll(f, FrameSelection.all());
    int n = all.kept.size();
    Record nth = decodeAll(f, new FrameSelection(FrameSelection.Mode.EVERY_NTH, 10, 0, 0, 0));
    assertEquals((n + 9) / 10, nth.kept.size());
    assertEquals(n, nth.decoded());
    Record fps = decodeAll(f, new FrameSelection(FrameSelection.Mode.FPS, 1, 2, 0, 0));
    // 2 fps of a ~24 fps video: about one frame in 12
    assertTrue(Math.abs(fps.kept.size() - n / 12.0) <= 2, "fps kept " + fps.kept.size());
    Record keys = decodeAll(f, new FrameSelection(FrameSelection.Mode.KEYFRAMES, 1, 0, 0, 0));
    assertTrue(keys.kept.stream().allMatch(VideoDecoder.DecodedFrame::keyFrame));
    assertTrue(keys.kept.size() >= 1 && keys.kept.size() < n);
    Record cuts = decodeAll(f, new FrameSelection(FrameSelection.Mode.SCENE_CUTS, 1, 0, 0.3, 0));
    assertTrue(cuts.kept.size() >= 1 && cuts.kept.size() < n / 4, "cuts " + cuts.kept.size());
    Record motion = decodeAll(f, FrameSelection.all().withMotionThreshold(0.02));
    int saved = motion.skipped.getOrDefault("motion", 0);
    assertTrue(saved > 0 && saved < n, "motion skipped " + saved);
    assertEquals(n, motion.kept.size() + saved);
  }

  @Test
  void fpsKeepsTheFirstFrameAtOrAfterEachBoundaryWhenFramesAreFarApart() throws IOException {
    // tree.avi declares 15 fps but its frames lie ~0.4 s apart: at 0.25 fps each 4 s boundary
    // must still keep the first frame at or after it, not only one that lands within 1/15 s
    Path f = DATA.resolve("tree.avi");
    List<Long> pts =
        decodeAll(f, FrameSelection.all()).kept.stream()
            .map(VideoDecoder.DecodedFrame::ptsMicros)
            .toList();
    List<Long> expected = new ArrayList<>();
    for (long boundary = 0; boundary <= pts.get(pts.size() - 1); boundary += 4_000_000) {
      final long b = boundary;
      expected.add(pts.stream().filter(p -> p >= b).findFirst().orElseThrow());
    }
    Record fps = decodeAll(f, new FrameSelection(FrameSelection.Mode.FPS, 1, 0.25, 0, 0));
    assertEquals(expected, fps.kept.stream().map(VideoDecoder.DecodedFrame::ptsMicros).toList());
    assertEquals(8, fps.kept.size());
    assertEquals(68 - 8, fps.skipped.get("sampling"));
  }

  @Test
  void damagedVideoKeepsItsDecodableFramesAndReportsFailures() throws IOException {
    Record r = decodeAll(DATA.resolve("Megamind_bugy.avi"), FrameSelection.all());
    assertFalse(r.kept.isEmpty());
    assertFalse(r.failures.isEmpty());
    for (VideoFailure x : r.failures) {
      assertFalse(x.message().isBlank());
    }
    assertEquals(270, r.kept.size() + r.failures.size());
  }

  @Test
  void fileCutInHalfKeepsItsFirstHalfAndReportsTheTruncation(@TempDir Path tmp) throws IOException {
    byte[] all = Files.readAllBytes(DATA.resolve("tree.avi"));
    Path half = tmp.resolve("half.avi");
    Files.write(half, java.util.Arrays.copyOf(all, all.length / 2));
    Record r = decodeAll(half, FrameSelection.all());
    assertTrue(r.kept.size() > 10 && r.kept.size() < 68, "kept " + r.kept.size());
    assertTrue(
        r.failures.stream().anyMatch(x -> x.reason().equals("truncated")), r.failures.toString());
  }

  @Test
  void aFileThatIsNoVideoCannotBeOpened(@TempDir Path tmp) throws IOException {
    Path bad = tmp.resolve("bad.avi");
    Files.writeString(bad, "not a video");
    assertThrows(IOException.class, () -> VideoDecoder.scan(bad));
  }

  @Test
  void badSelectionNamesTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FrameSelection(FrameSelection.Mode.EVERY_NTH, 0, 0, 0, 0));
    assertTrue(e.getMessage().contains("every_nth"));
  }
}
