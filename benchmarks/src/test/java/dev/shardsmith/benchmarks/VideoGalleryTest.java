package dev.shardsmith.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.transforms.kernels.image.ImageEncoding;
import dev.shardsmith.transforms.kernels.image.ImageFusion;
import dev.shardsmith.transforms.kernels.image.ImageHeaders;
import dev.shardsmith.transforms.kernels.video.FrameSelection;
import dev.shardsmith.transforms.kernels.video.VideoDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video strips of {@code docs/augmentations.md} are what the tool renders today (byte for byte,
 * twice alike, the committed files under {@code docs/video} included), and they show what the
 * decoder does: each strip's timeline and thumbnails are the frames its selection keeps, the key
 * frames strip holds the packet scan's key frames, and every frame of a clip copy is the one
 * recorded draw.
 */
class VideoGalleryTest {
  /** Tests run in the module directory; the committed video lives at the repository root. */
  private static final Path VIDEO = Path.of("..").resolve(VideoGallery.DEFAULT_VIDEO);

  private static final Path DOCS = Path.of("..", "docs", "video");

  private static VideoGallery.Gallery gallery;
  private static VideoDecoder.Scan scan;

  @BeforeAll
  static void render() throws Exception {
    gallery = VideoGallery.render(VIDEO);
    scan = VideoDecoder.scan(VIDEO);
  }

  @Test
  void committedStripsAreTheCurrentRenderingAndRenderingIsDeterministic() throws Exception {
    VideoGallery.Gallery again = VideoGallery.render(VIDEO);
    assertEquals(VideoGallery.selections().keySet(), gallery.strips().keySet());
    for (Map.Entry<String, VideoGallery.Strip> e : gallery.strips().entrySet()) {
      byte[] png = e.getValue().png();
      assertArrayEquals(
          again.strips().get(e.getKey()).png(), png, e.getKey() + " not deterministic");
      assertTrue(png.length < 110_000, e.getKey() + ": " + png.length + " bytes");
      BufferedImage img = read(png);
      assertEquals(VideoGallery.width(), img.getWidth(), e.getKey());
      assertEquals(VideoGallery.selectionHeight(), img.getHeight(), e.getKey());
      assertArrayEquals(
          Files.readAllBytes(DOCS.resolve(e.getKey() + ".png")),
          png,
          "docs/video/" + e.getKey() + ".png is stale: rerun VideoGallery");
    }
    byte[] clip = gallery.clip().png();
    assertArrayEquals(again.clip().png(), clip, "the clip strip is not deterministic");
    assertTrue(clip.length < 150_000, "clip: " + clip.length + " bytes");
    BufferedImage img = read(clip);
    assertEquals(VideoGallery.clipWidth(), img.getWidth());
    assertEquals(VideoGallery.clipHeight(), img.getHeight());
    assertArrayEquals(
        Files.readAllBytes(DOCS.resolve("clip.png")),
        clip,
        "docs/video/clip.png is stale: rerun VideoGallery");
  }

  @Test
  void stripsKeepWhatEachSelectionPromises() {
    Map<String, List<Long>> kept = new LinkedHashMap<>();
    List<Long> allPts = null;
    for (Map.Entry<String, VideoGallery.Strip> e : gallery.strips().entrySet()) {
      List<VideoGallery.Mark> frames = e.getValue().frames();
      // every decoded frame once, in stream order
      assertEquals(
          LongStream.range(0, scan.packets()).boxed().toList(),
          frames.stream().map(VideoGallery.Mark::index).toList(),
          e.getKey());
      kept.put(e.getKey(), e.getValue().kept().stream().map(VideoGallery.Mark::index).toList());
      if (e.getKey().equals("all")) {
        allPts = frames.stream().map(VideoGallery.Mark::ptsMicros).toList();
      }
    }
    assertEquals(68, scan.packets());
    assertEquals(LongStream.range(0, 68).boxed().toList(), kept.get("all"));

    // key frames: exactly the packet scan's key frames (the decoder is not asked)
    assertEquals(
        LongStream.of(scan.keyIndex()).boxed().toList(), kept.get("keyframes"), "keyframes");
    assertEquals(3, kept.get("keyframes").size());

    int n = VideoGallery.selections().get("every_nth").everyNth();
    assertEquals(
        LongStream.range(0, 68).filter(i -> i % n == 0).boxed().toList(), kept.get("every_nth"));

    // fps: the first frame at or after each 1/fps boundary
    double fps = VideoGallery.selections().get("fps").fps();
    long period = Math.round(1e6 / fps);
    List<Long> firstAfter = new ArrayList<>();
    for (long b = 0; b <= allPts.get(allPts.size() - 1); b += period) {
      final long boundary = b;
      List<Long> pts = allPts;
      firstAfter.add((long) pts.indexOf(pts.stream().filter(p -> p >= boundary).findFirst().get()));
    }
    assertEquals(firstAfter, kept.get("fps"));

    // scene cuts and motion restart at every key frame, so each keeps the key frames and more
    for (String mode : List.of("scene_cuts", "motion")) {
      List<Long> k = kept.get(mode);
      assertTrue(k.containsAll(kept.get("keyframes")), mode + " " + k);
      assertTrue(k.size() > 3 && k.size() < 68, mode + " " + k);
    }
  }

  @Test
  void timelineAndThumbnailsShowTheKeptFrames() throws Exception {
    for (Map.Entry<String, VideoGallery.Strip> e : gallery.strips().entrySet()) {
      BufferedImage img = read(e.getValue().png());
      List<VideoGallery.Mark> frames = e.getValue().frames();
      double step = (double) VideoGallery.width() / frames.size();
      for (int i = 0; i < frames.size(); i++) {
        // the upper part of a tick is drawn for kept frames only
        int x = (int) Math.round((i + 0.5) * step);
        int rgb = img.getRGB(x, VideoGallery.LINE + 5) & 0xffffff;
        assertEquals(
            frames.get(i).kept(),
            rgb != 0xffffff,
            e.getKey() + " tick of frame " + i + ": " + Integer.toHexString(rgb));
      }
      int shown = Math.min(VideoGallery.COLS, e.getValue().kept().size());
      int labelY = VideoGallery.LINE + VideoGallery.TIMELINE + VideoGallery.TH + 2;
      for (int t = 0; t < VideoGallery.COLS; t++) {
        // a thumbnail's label strip is dark; no thumbnail leaves the strip white
        int rgb = img.getRGB(t * VideoGallery.TW + VideoGallery.TW - 3, labelY) & 0xffffff;
        assertEquals(t < shown, rgb != 0xffffff, e.getKey() + " thumbnail " + t);
      }
    }
  }

  @Test
  void everyFrameOfAClipCopyIsTheOneRecordedDraw() throws Exception {
    VideoGallery.Clip clip = gallery.clip();
    int k = VideoGallery.CLIP_K;
    int s = VideoGallery.CLIP_STRIDE;
    int t = VideoGallery.CLIP_T;
    List<Long> expected = new ArrayList<>();
    for (int j = 0; j < t; j++) {
      expected.add((long) k * t * s + (long) j * s);
    }
    assertEquals(expected, clip.indices());
    List<VideoGallery.Mark> all = gallery.strips().get("all").frames();
    assertEquals(
        VideoGallery.VIDEO_NAME + "@" + all.get(expected.get(0).intValue()).ptsMicros(), clip.id());

    List<List<Applied>> rows = clip.applied();
    assertEquals(1 + VideoGallery.CLIP_COPIES, rows.size());
    for (int r = 0; r < rows.size(); r++) {
      for (Applied a : rows.get(r)) {
        assertEquals(rows.get(r).get(0), a, "row " + r + ": the frames of a clip copy differ");
      }
    }
    for (int c = 1; c < rows.size(); c++) {
      assertTrue(rows.get(c).get(0).ops().size() > rows.get(0).get(0).ops().size(), "copy " + c);
      assertNotEquals(rows.get(0).get(0), rows.get(c).get(0));
    }
    assertNotEquals(rows.get(1).get(0), rows.get(2).get(0), "two copies drew the same");

    // the pixels in the strip are the replay of that one record on each frame
    Map<Long, ImagePayload> frames = new LinkedHashMap<>();
    VideoGallery.decode(VIDEO, scan, FrameSelection.all(), frames);
    BufferedImage img = read(clip.png());
    for (int r = 0; r < rows.size(); r++) {
      for (int j = 0; j < t; j++) {
        // replayed from a lossless PNG of the frame: the encoded-image path, not the raw one
        ImagePayload f = frames.get(expected.get(j));
        byte[] png = ImageEncoding.encode(f.bytes(), f.width(), f.height(), f.channels(), "png", 0);
        byte[] rgb =
            ImageFusion.replay(
                    png,
                    ImageHeaders.read(png, Long.MAX_VALUE),
                    VideoGallery.CLIP_PRE,
                    rows.get(r).get(j),
                    VideoGallery.clipPixelOps())
                .rgb();
        int x0 = j * VideoGallery.CW;
        int y0 = 2 * VideoGallery.LINE + 2 + r * (VideoGallery.CH + 2);
        for (int y = 0; y < VideoGallery.CH; y++) {
          for (int x = 0; x < VideoGallery.CW; x++) {
            int o = (y * VideoGallery.CW + x) * 3;
            int want = (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff);
            int got = img.getRGB(x0 + x, y0 + y) & 0xffffff;
            if (want != got) {
              throw new AssertionError(
                  "row " + r + " frame " + j + " pixel " + x + "," + y + " is not the replay");
            }
          }
        }
      }
    }
  }

  @Test
  void aDamagedVideoIsAnErrorNotAShorterStrip(@TempDir Path tmp) throws IOException {
    byte[] bytes = Files.readAllBytes(VIDEO);
    Path half = tmp.resolve("half.avi");
    Files.write(half, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    IOException e = assertThrows(IOException.class, () -> VideoGallery.render(half));
    assertTrue(e.getMessage().contains("half.avi did not decode cleanly"), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  private static BufferedImage read(byte[] png) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertTrue(img != null, "not a readable PNG");
    return img;
  }
}
