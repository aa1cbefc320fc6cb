package dev.shardsmith.transforms.kernels.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.ImagePayload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  /**
   * Everything a decode reported; with {@code pixels} false, kept frames hold no image (a long
   * video's frames do not fit the test heap) and {@link #shown} holds each one's size and sha256.
   */
  static final class Record implements VideoDecoder.Sink {
    final boolean pixels;
    final List<VideoDecoder.DecodedFrame> kept = new ArrayList<>();
    final List<String> shown = new ArrayList<>();
    final TreeMap<String, Integer> skipped = new TreeMap<>();
    final List<VideoFailure> failures = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    Record() {
      this(true);
    }

    Record(boolean pixels) {
      this.pixels = pixels;
    }

    @Override
    public void kept(VideoDecoder.DecodedFrame frame) {
      ImagePayload im = frame.image();
      shown.add(im.width() + "x" + im.height() + " " + sha256(im.bytes()));
      kept.add(
          pixels
              ? frame
              : new VideoDecoder.DecodedFrame(
                  frame.ptsMicros(), frame.index(), frame.keyFrame(), null));
    }

    @Override
    public void skipped(long ptsMicros, long index, String reason) {
      skipped.merge(reason, 1, Integer::sum);
    }

    @Override
    public void failed(VideoFailure failure) {
      failures.add(failure);
    }

    @Override
    public void warned(long ptsMicros, long index, String message) {
      warnings.add(index + " " + message);
    }

    private static String sha256(byte[] b) {
      try {
        return java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    int decoded() {
      return kept.size() + skipped.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  static Record decodeAll(Path file, FrameSelection sel) throws IOException {
    return decodeAll(file, sel, new Record());
  }

  static Record decodeAll(Path file, FrameSelection sel, Record r) throws IOException {
    VideoDecoder.Scan scan = VideoDecoder.scan(file);
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

  @ParameterizedTest
  @ValueSource(
      strings = {"tree.avi", "Megamind.avi", "vtest.avi", "damaged Megamind.avi", "half tree.avi"})
  void keyframeRangesDecodeTheSameFramesAsOnePass(String name, @TempDir Path tmp)
      throws IOException {
    Path f =
        name.startsWith("damaged ")
            ? zeroed(DATA.resolve(name.substring(8)), tmp.resolve("damaged.avi"))
            : name.startsWith("half ")
                ? half(DATA.resolve(name.substring(5)), tmp.resolve("half.avi"))
                : DATA.resolve(name);
    VideoDecoder.Scan scan = VideoDecoder.scan(f);
    assertTrue(scan.keyframes() >= 3, "keyframes " + scan.keyframes());
    Record whole = decodeAll(f, FrameSelection.all(), new Record(false));
    Record parts = new Record(false);
    for (int k = 0; k < scan.keyframes(); k++) {
      VideoDecoder.decode(f, scan, k, k + 1, FrameSelection.all(), parts);
    }
    assertEquals(whole.failures, parts.failures);
    // packed Xvid warns of the excess bytes left by a GOP's last packet when the next key packet
    // arrives, on that key frame: a range that starts there by a seek has no such bytes
    assertTrue(whole.warnings.containsAll(parts.warnings), whole.warnings + " " + parts.warnings);
    assertEquals(whole.kept.size(), parts.kept.size());
    for (int i = 0; i < whole.kept.size(); i++) {
      assertEquals(whole.kept.get(i).ptsMicros(), parts.kept.get(i).ptsMicros());
      assertEquals(whole.kept.get(i).index(), parts.kept.get(i).index());
    }
    assertEquals(whole.shown, parts.shown);
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
    // tree.avi declares 15 fps but its frames lie ~0.4 s apart: each boundary must still keep the
    // first frame at or after it, not only one that lands within 1/15 s; and so must a range
    // decoded on its own (key frames 25 and 50 at 10.67 s and 21.87 s; at 1 / 10.5 fps the 10.5 s
    // boundary falls between frame 24, 10.20 s, and key frame 25)
    Path f = DATA.resolve("tree.avi");
    VideoDecoder.Scan scan = VideoDecoder.scan(f);
    List<Long> pts =
        decodeAll(f, FrameSelection.all()).kept.stream()
            .map(VideoDecoder.DecodedFrame::ptsMicros)
            .toList();
    for (double rate : new double[] {0.25, 1 / 10.5}) {
      List<Long> expected = new ArrayList<>();
      long period = Math.round(1e6 / rate);
      for (long boundary = 0; boundary <= pts.get(pts.size() - 1); boundary += period) {
        final long b = boundary;
        expected.add(pts.stream().filter(p -> p >= b).findFirst().orElseThrow());
      }
      FrameSelection sel = new FrameSelection(FrameSelection.Mode.FPS, 1, rate, 0, 0);
      Record fps = decodeAll(f, sel);
      assertEquals(
          expected,
          fps.kept.stream().map(VideoDecoder.DecodedFrame::ptsMicros).toList(),
          "" + rate);
      assertEquals(68 - expected.size(), fps.skipped.get("sampling"));
      Record byGop = new Record();
      for (int k = 0; k < scan.keyframes(); k++) {
        VideoDecoder.decode(f, scan, k, k + 1, sel, byGop);
      }
      assertEquals(
          expected,
          byGop.kept.stream().map(VideoDecoder.DecodedFrame::ptsMicros).toList(),
          "GOP by GOP at " + rate);
    }
    assertEquals(pts.get(25), scan.keyPts()[1]);
    assertEquals(pts.get(24), scan.keyPrevPts()[1]);
    assertEquals(Long.MIN_VALUE, scan.keyPrevPts()[0]);
  }

  @Test
  void vtestDecodesEveryFrameWithIncreasingPtsAndNoMessage() throws IOException {
    Path f = DATA.resolve("vtest.avi");
    VideoDecoder.Scan scan = VideoDecoder.scan(f);
    assertEquals(795, scan.packets());
    assertEquals(768, scan.width());
    assertEquals(576, scan.height());
    assertFalse(scan.packedBFrames());
    Record r = decodeAll(f, FrameSelection.all(), new Record(false));
    assertEquals(795, r.kept.size());
    assertTrue(r.failures.isEmpty(), r.failures.toString());
    assertTrue(r.warnings.isEmpty(), r.warnings.toString());
    // 10 fps: frame i at i * 100 ms
    for (int i = 0; i < r.kept.size(); i++) {
      assertEquals(i * 100_000L, r.kept.get(i).ptsMicros());
      assertEquals(i, r.kept.get(i).index());
    }
    assertTrue(r.shown.stream().allMatch(x -> x.startsWith("768x576 ")), r.shown.get(0));
    assertEquals(795, r.shown.stream().distinct().count());
  }

  /**
   * Megamind_bugy.avi's damage is in its pictures (against Megamind.avi, every 5th frame up to 120
   * drops to 8-25 dB PSNR), not in its bitstream: FFmpeg decodes all 270 frames and logs only the
   * packed-Xvid warning that the clean Megamind.avi logs too. Warnings keep the frame.
   */
  @Test
  void packedXvidWarningsKeepTheirFramesInTheCleanAndTheBugyMegamind() throws IOException {
    assertTrue(VideoDecoder.scan(DATA.resolve("Megamind.avi")).packedBFrames());
    Record clean = decodeAll(DATA.resolve("Megamind.avi"), FrameSelection.all(), new Record(false));
    assertEquals(270, clean.kept.size());
    assertTrue(clean.failures.isEmpty(), clean.failures.toString());
    assertEquals(
        List.of(
            "98 [mpeg4] Discarding excessive bitstream in packed xvid",
            "200 [mpeg4] Discarding excessive bitstream in packed xvid"),
        clean.warnings);
    Record bugy =
        decodeAll(DATA.resolve("Megamind_bugy.avi"), FrameSelection.all(), new Record(false));
    assertEquals(270, bugy.kept.size());
    assertTrue(bugy.failures.isEmpty(), bugy.failures.toString());
    assertEquals(4, bugy.warnings.size(), bugy.warnings.toString());
    assertTrue(
        bugy.warnings.stream().allMatch(w -> w.endsWith("excessive bitstream in packed xvid")));
  }

  /**
   * Bitstream damage: Megamind.avi with 2,000 bytes zeroed at 30 % and 60 % of the file. FFmpeg's
   * MPEG-4 decoder logs errors ("Error at MB", "illegal dc vlc") and the blocks it conceals; those
   * frames are dropped with their pts and index, the rest are kept.
   */
  @Test
  void damagedBitstreamDropsTheDamagedFramesWithTheirStreamPositions(@TempDir Path tmp)
      throws IOException {
    Path damaged = zeroed(DATA.resolve("Megamind.avi"), tmp.resolve("damaged.avi"));
    Record r = decodeAll(damaged, FrameSelection.all(), new Record(false));
    List<Long> indices = r.failures.stream().map(VideoFailure::frameIndex).toList();
    assertEquals(List.of(74L, 75L, 154L), indices, r.failures.toString());
    // each failure is where the clean file has that frame: same index, same pts
    Map<Long, Long> cleanPts = new TreeMap<>();
    decodeAll(DATA.resolve("Megamind.avi"), FrameSelection.all(), new Record(false))
        .kept
        .forEach(x -> cleanPts.put(x.index(), x.ptsMicros()));
    for (VideoFailure x : r.failures) {
      assertEquals("decode_error", x.reason());
      assertEquals(cleanPts.get(x.frameIndex()), x.ptsMicros(), x.toString());
      assertTrue(x.message().length() < 600, x.message());
    }
    assertTrue(r.failures.get(0).message().contains("Error at MB"), r.failures.toString());
    assertTrue(r.failures.get(1).message().contains("concealing"), r.failures.toString());
    // the decoder swallows 4 frames of the damaged packets: 266 frames come out
    assertEquals(266, r.kept.size() + r.failures.size());
  }

  /** The first half of {@code from}'s bytes. */
  public static Path half(Path from, Path to) throws IOException {
    byte[] all = Files.readAllBytes(from);
    return Files.write(to, java.util.Arrays.copyOf(all, all.length / 2));
  }

  /** A copy of {@code from} with 2,000 bytes zeroed at 30 % and at 60 % of its length. */
  public static Path zeroed(Path from, Path to) throws IOException {
    byte[] b = Files.readAllBytes(from);
    for (double at : new double[] {0.3, 0.6}) {
      int o = (int) (b.length * at);
      java.util.Arrays.fill(b, o, o + 2000, (byte) 0);
    }
    return Files.write(to, b);
  }

  @Test
  void summaryCountsRepeatsAndShowsAtMostFourMessages() {
    assertEquals(
        "a (x3); b; c; d; and 1 more distinct messages",
        VideoDecoder.summary(List.of("a", "b", "a", "c", "a", "d", "e")));
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
    // the last, partial packet: the AVI demuxer warns, cinepak fails, the frame is dropped
    VideoFailure cut = r.failures.get(0);
    assertEquals("decode_error", cut.reason());
    assertEquals(35, cut.frameIndex());
    assertEquals("[cinepak] cinepak_decode failed", cut.message());
    assertEquals(35, r.kept.size());
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
