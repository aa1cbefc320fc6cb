package dev.shardsmith.transforms.kernels.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.kernels.image.ImageFusion.Rendered;
import dev.shardsmith.transforms.kernels.image.ImageFusion.RenderedClip;
import dev.shardsmith.transforms.kernels.image.ops.GaussianNoise;
import dev.shardsmith.transforms.kernels.image.ops.HueSaturationValue;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Raw frames and clips through the fused render, on real frames of tree.avi: raw pixels render
 * byte-equal to their lossless PNG, and a clip is every frame rendered with one draw.
 */
class ClipFusionTest {
  static final long MAX_PIXELS = 50_000_000L;
  static final long SEED = 42;

  /** Always flips and rotates: every copy's frames must share both, and noise and a colour op. */
  static final AugmentSpec FLIP_ROTATE = new AugmentSpec(1, 1, 25, 0, 0.08, 1, 3.0 / 4, 4.0 / 3);

  static final List<PixelOp> NOISE_COLOUR =
      List.of(new GaussianNoise(1, 5, 20), new HueSaturationValue(1, -20, 20, -30, 30, -20, 20));

  /** Downscales 240 -> 64 (decode reduction 2) and crops. */
  static final PreprocessSpec PRE = new PreprocessSpec(64, 56, 56);

  static ImagePayload png(ImagePayload raw) {
    byte[] b =
        ImageEncoding.encode(raw.bytes(), raw.width(), raw.height(), raw.channels(), "png", 0);
    return ImagePayload.encoded(b, "png", raw.width(), raw.height(), raw.channels(), 1);
  }

  /** The rows of one image payload: its original and copies 0..copies-1. */
  static List<Rendered> rows(
      ImagePayload p, PreprocessSpec pre, AugmentSpec aug, List<PixelOp> ops, int copies)
      throws BadImageException {
    ImageHeader h = ImageHeaders.of(p, MAX_PIXELS);
    List<Applied> draws = new ArrayList<>();
    draws.add(ImageFusion.draw(h, pre, aug, ops, SEED, "tree.avi@0", Sample.ORIGINAL));
    for (int i = 0; i < copies; i++) {
      draws.add(ImageFusion.draw(h, pre, aug, ops, SEED, "tree.avi@0", i));
    }
    return ImageFusion.renderAll(p.bytes(), h, pre, draws, ops);
  }

  static void assertSameRows(List<Rendered> want, List<Rendered> got, String what) {
    assertEquals(want.size(), got.size(), what);
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.get(i).applied(), got.get(i).applied(), what + " row " + i);
      assertEquals(want.get(i).width(), got.get(i).width(), what + " row " + i);
      assertEquals(want.get(i).channels(), got.get(i).channels(), what + " row " + i);
      assertArrayEquals(want.get(i).rgb(), got.get(i).rgb(), what + " row " + i);
    }
  }

  @Test
  void rawFramesRenderByteEqualToTheirLosslessPng() throws BadImageException {
    List<PreprocessSpec> pres =
        List.of(
            PreprocessSpec.KEEP, // full size, reduction 1
            PRE, // 240 -> 64: reduction 2
            new PreprocessSpec(40, 40, 40), // 240 -> 40: reduction 4
            new PreprocessSpec(224, 200, 200)); // an upscale of the crop, reduction 1
    Set<Long> reductions = new TreeSet<>();
    for (int i : new int[] {0, 17, 40}) {
      ImagePayload raw = TreeFrames.frame(i);
      assertTrue(raw.isRaw());
      // a gray frame too: 1-channel raw pixels against a gray PNG
      byte[] gray = new byte[raw.width() * raw.height()];
      for (int k = 0; k < gray.length; k++) {
        gray[k] = raw.bytes()[3 * k + 1];
      }
      ImagePayload rawGray = ImagePayload.raw(gray, raw.width(), raw.height(), 1);
      for (PreprocessSpec pre : pres) {
        for (ImagePayload p : List.of(raw, rawGray)) {
          List<Rendered> fromRaw = rows(p, pre, FLIP_ROTATE, NOISE_COLOUR, 2);
          List<Rendered> fromPng = rows(png(p), pre, FLIP_ROTATE, NOISE_COLOUR, 2);
          assertSameRows(fromPng, fromRaw, "frame " + i + " " + p.channels() + "ch " + pre);
          for (Rendered r : fromRaw) {
            for (Applied.Op op : r.applied().ops()) {
              if (ImageFusion.PREPROCESS.equals(op.op())) {
                reductions.add((long) op.number(ImageFusion.DECODE_REDUCTION, -1));
              }
            }
          }
        }
      }
    }
    // the reduced decodes (imdecode's resize for formats without DCT scaling) were exercised
    assertEquals(Set.of(1L, 2L, 4L), reductions);
  }

  @Test
  void everyFrameOfAClipEqualsThatFrameRenderedAloneWithTheClipsOneDraw() throws BadImageException {
    VideoPayload clip = TreeFrames.clip(10, 3, 4);
    String id = TreeFrames.clipId(clip);
    for (int copy : new int[] {Sample.ORIGINAL, 0, 1}) {
      RenderedClip c =
          ImageFusion.renderClip(clip, PRE, FLIP_ROTATE, NOISE_COLOUR, SEED, id, copy, MAX_PIXELS);
      assertEquals(4, c.frames().size());
      Set<String> ops = new TreeSet<>();
      c.applied().ops().forEach(op -> ops.add(op.op()));
      if (copy != Sample.ORIGINAL) {
        assertTrue(
            ops.containsAll(Set.of("hflip", "rotate", "gaussian_noise", "hue_saturation_value")),
            ops.toString());
      }
      for (int t = 0; t < 4; t++) {
        ImagePayload frame = clip.frames().get(t);
        // the frame as an image sample of the clip's id, drawn on its own header
        ImageHeader h = ImageHeaders.of(frame, MAX_PIXELS);
        Applied alone = ImageFusion.draw(h, PRE, FLIP_ROTATE, NOISE_COLOUR, SEED, id, copy);
        for (ImagePayload p : List.of(frame, png(frame))) {
          ImageHeader hp = ImageHeaders.of(p, MAX_PIXELS);
          Rendered r =
              ImageFusion.renderAll(p.bytes(), hp, PRE, List.of(alone), NOISE_COLOUR).get(0);
          assertEquals(r.applied(), c.applied(), "copy " + copy + " frame " + t);
          assertArrayEquals(r.rgb(), c.frames().get(t).rgb(), "copy " + copy + " frame " + t);
          assertEquals(c.applied(), c.frames().get(t).applied());
        }
        // and the clip's record replays the frame
        Rendered replayed = ImageFusion.replay(frame.bytes(), h, PRE, c.applied(), NOISE_COLOUR);
        assertArrayEquals(replayed.rgb(), c.frames().get(t).rgb());
      }
    }
  }

  @Test
  void copiesDifferAndAClipRendersTheSameBytesTwice() throws BadImageException {
    VideoPayload clip = TreeFrames.clip(0, 1, 3);
    String id = TreeFrames.clipId(clip);
    ImageHeader h = ImageFusion.clipHeader(clip, MAX_PIXELS);
    List<Applied> draws = new ArrayList<>();
    for (int copy : new int[] {Sample.ORIGINAL, 0, 1, 2}) {
      draws.add(ImageFusion.draw(h, PRE, FLIP_ROTATE, NOISE_COLOUR, SEED, id, copy));
    }
    List<RenderedClip> once;
    List<RenderedClip> twice;
    try (ImageBackend cpu = ImageBackend.open(ImageBackend.Kind.CPU)) {
      once = ImageFusion.renderClip(clip, h, PRE, draws, NOISE_COLOUR, cpu);
      twice = ImageFusion.renderClip(clip, h, PRE, draws, NOISE_COLOUR, cpu);
    }
    for (int r = 0; r < draws.size(); r++) {
      assertEquals(once.get(r).applied(), twice.get(r).applied());
      for (int t = 0; t < 3; t++) {
        assertArrayEquals(once.get(r).frames().get(t).rgb(), twice.get(r).frames().get(t).rgb());
      }
      // one row alone renders what it renders beside the others
      RenderedClip alone =
          ImageFusion.renderClip(clip, PRE, FLIP_ROTATE, NOISE_COLOUR, SEED, id, r - 1, MAX_PIXELS);
      assertEquals(once.get(r).applied(), alone.applied());
      assertArrayEquals(once.get(r).frames().get(2).rgb(), alone.frames().get(2).rgb());
    }
    for (int a = 0; a < draws.size(); a++) {
      for (int b = a + 1; b < draws.size(); b++) {
        assertNotEquals(once.get(a).applied(), once.get(b).applied(), a + " vs " + b);
        for (int t = 0; t < 3; t++) {
          assertFalse(
              Arrays.equals(once.get(a).frames().get(t).rgb(), once.get(b).frames().get(t).rgb()),
              "rows " + a + " and " + b + " frame " + t);
        }
      }
    }
    // another clip id draws differently
    assertNotEquals(
        draws.get(1), ImageFusion.draw(h, PRE, FLIP_ROTATE, NOISE_COLOUR, SEED, id + "x", 0));
  }

  @Test
  void aBadFrameFailsTheWholeClipNamingIt() {
    VideoPayload good = TreeFrames.clip(0, 1, 4);
    List<ImagePayload> frames = new ArrayList<>(good.frames());
    // frame 2 as a PNG cut short
    byte[] b = png(frames.get(2)).bytes();
    frames.set(2, ImagePayload.encoded(Arrays.copyOf(b, b.length / 2), "png", 0, 0, 3, 1));
    VideoPayload cut = new VideoPayload("tree.avi", good.ptsMicros(), frames);
    BadImageException e =
        assertThrows(
            BadImageException.class,
            () ->
                ImageFusion.renderClip(
                    cut, PRE, FLIP_ROTATE, NOISE_COLOUR, SEED, "tree.avi@0", 0, MAX_PIXELS));
    assertEquals(BadImageException.TRUNCATED, e.reason());
    assertTrue(
        e.getMessage().startsWith("clip frame 2 of 4 (pts " + good.ptsMicros()[2] + " us): "),
        e.getMessage());

    // frame 3 of another size
    frames = new ArrayList<>(good.frames());
    ImagePayload f = frames.get(3);
    frames.set(3, ImagePayload.raw(Arrays.copyOf(f.bytes(), 160 * 240 * 3), 160, 240, 3));
    VideoPayload mixed = new VideoPayload("tree.avi", good.ptsMicros(), frames);
    e = assertThrows(BadImageException.class, () -> ImageFusion.clipHeader(mixed, MAX_PIXELS));
    assertEquals(BadImageException.BAD_HEADER, e.reason());
    assertTrue(e.getMessage().contains("clip frame 3 of 4"), e.getMessage());
    assertTrue(e.getMessage().contains("160x240 but frame 0 is 320x240"), e.getMessage());

    // a frame over the pixel limit
    e = assertThrows(BadImageException.class, () -> ImageFusion.clipHeader(good, 320 * 240 - 1));
    assertEquals(BadImageException.TOO_LARGE, e.reason());
    assertTrue(e.getMessage().startsWith("clip frame 0 of 4"), e.getMessage());
  }

  @Test
  void rawHeadersRefuseWhatCannotRender() {
    ImagePayload two = ImagePayload.raw(new byte[4 * 4 * 2], 4, 4, 2);
    BadImageException e =
        assertThrows(BadImageException.class, () -> ImageHeaders.of(two, MAX_PIXELS));
    assertEquals(BadImageException.BAD_HEADER, e.reason());
    assertTrue(e.getMessage().contains("1 or 3 channels, got 2"), e.getMessage());
    ImagePayload floats = ImagePayload.rawFloat32(new byte[4 * 4 * 3 * 4], 4, 4, 3);
    IllegalArgumentException f =
        assertThrows(IllegalArgumentException.class, () -> ImageHeaders.of(floats, MAX_PIXELS));
    assertTrue(f.getMessage().contains("float32"), f.getMessage());
    // a raw header with bytes that do not fill it is a decode error, not a crash
    ImageHeader h = new ImageHeader(ImageHeader.RAW, 4, 4, 3, 8, 1);
    e = assertThrows(BadImageException.class, () -> ImageDecoding.decodeRgb(new byte[5], h, 1));
    assertEquals(BadImageException.DECODE, e.reason());
    assertTrue(e.getMessage().contains("expected 4x4x3 = 48 bytes, got 5"), e.getMessage());
  }
}
