package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.Balance.Strategy;
import dev.shardsmith.transforms.Balance.Target;
import dev.shardsmith.transforms.kernels.image.AugmentSpec;
import dev.shardsmith.transforms.kernels.image.ImageEncoding;
import dev.shardsmith.transforms.kernels.image.ImageFusion;
import dev.shardsmith.transforms.kernels.image.ImageFusion.RenderedClip;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
import dev.shardsmith.transforms.kernels.image.TreeFrames;
import dev.shardsmith.transforms.kernels.image.ops.GaussianNoise;
import dev.shardsmith.transforms.kernels.image.ops.HueSaturationValue;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import dev.shardsmith.transforms.kernels.stats.ChannelAccumulator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

/**
 * Clips of real tree.avi frames through the image path after the split, in one pipeline: Balance
 * (copy counts, an oversampled clip), FuseImages (one draw per clip and copy on every frame, a clip
 * with a bad frame rejected whole), CheckLeakage, channel statistics over every frame of the train
 * originals, and normalization of clips to float32 frames.
 */
class FuseImagesClipTest {
  private static final long SEED = 42;
  private static final long MAX_PIXELS = 50_000_000L;
  private static final PreprocessSpec PRE = new PreprocessSpec(64, 56, 56);
  private static final AugmentSpec AUG = new AugmentSpec(1, 1, 25, 0, 0.08, 1, 3.0 / 4, 4.0 / 3);
  private static final List<PixelOp> OPS =
      List.of(new GaussianNoise(1, 5, 20), new HueSaturationValue(1, -20, 20, -30, 30, -20, 20));
  private static final Map<String, List<Sample>> SEEN = new ConcurrentHashMap<>();
  private static final Map<String, ChannelAccumulator> FITTED = new ConcurrentHashMap<>();

  private static Sample clipSample(VideoPayload clip, String label, Split split) {
    String id = TreeFrames.clipId(clip);
    return Sample.builder()
        .id(id)
        // the leakage guard holds a video to one split: the val clips stand for another video
        .group(split == Split.TRAIN ? clip.videoId() : "val-" + clip.videoId())
        .labels(List.of(label))
        .split(split)
        .fold(Sample.NO_FOLD)
        .payloadHash("hash-" + id)
        .payload(clip)
        .build();
  }

  /** Collects a PCollection's rows (sorted by id) under a fresh key, read after run(). */
  private static String collect(PCollection<Sample> rows) {
    String key = "k" + SEEN.size() + "-" + System.nanoTime();
    PAssert.that(rows)
        .satisfies(
            it -> {
              List<Sample> l = new ArrayList<>();
              it.forEach(l::add);
              l.sort((a, b) -> a.id().compareTo(b.id()));
              SEEN.put(key, l);
              return null;
            });
    return key;
  }

  @Test
  void clipsTakeTheImagePathAfterTheSplitWithOneDrawPerClipAndCopy() throws Exception {
    // two train clips of "tree", one of "bush" (oversampled once), one val clip, one bad clip
    VideoPayload a = TreeFrames.clip(0, 2, 3);
    VideoPayload b = TreeFrames.clip(20, 2, 3);
    VideoPayload c = TreeFrames.clip(40, 1, 3);
    VideoPayload v = TreeFrames.clip(50, 1, 3);
    VideoPayload good = TreeFrames.clip(60, 1, 3);
    List<ImagePayload> frames = new ArrayList<>(good.frames());
    ImagePayload f1 = frames.get(1);
    frames.set(1, ImagePayload.raw(Arrays.copyOf(f1.bytes(), 10 * 10 * 3), 10, 10, 3));
    VideoPayload bad = new VideoPayload("tree.avi", good.ptsMicros(), frames);
    List<Sample> in =
        List.of(
            clipSample(a, "tree", Split.TRAIN),
            clipSample(b, "tree", Split.TRAIN),
            clipSample(c, "bush", Split.TRAIN),
            clipSample(v, "tree", Split.VAL),
            clipSample(bad, "tree", Split.VAL));

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<Sample> planned =
        p.apply(Create.of(in).withCoder(SampleCoder.of()))
            .apply(
                "Balance",
                Balance.train(Strategy.OVERSAMPLE, Target.max(), SEED).withCopies(2, 0, true))
            .get(Balance.OK);
    PCollectionTuple fused =
        planned.apply("Fuse", FuseImages.of(PRE, AUG, SEED, MAX_PIXELS).withPixelOps(OPS));
    PCollection<Sample> rows = fused.get(FuseImages.OK).apply("Leakage", CheckLeakage.rows());
    PCollection<ChannelAccumulator> channels = rows.apply("Channels", FitStatistics.channels());
    PCollection<Sample> normalized =
        rows.apply("Normalize", NormalizeImages.with(channels.apply(View.asSingleton())));
    String rowsKey = collect(rows);
    String normalizedKey = collect(normalized);
    String badId = TreeFrames.clipId(bad);
    PAssert.thatSingleton(channels)
        .satisfies(
            acc -> {
              FITTED.put(rowsKey, acc);
              return null;
            });
    PAssert.that(fused.get(FuseImages.REJECTED))
        .satisfies(
            rs -> {
              List<String> got = new ArrayList<>();
              rs.forEach(r -> got.add(r.sampleId() + "|" + r.stage() + "|" + r.reason()));
              assertEquals(List.of(badId + "|fuse|bad_header"), got);
              rs.forEach(
                  r ->
                      assertTrue(
                          r.detail().contains("clip frame 1 of 3")
                              && r.detail().contains("10x10 but frame 0 is 320x240"),
                          r.detail()));
              return null;
            });
    p.run().waitUntilFinish();

    List<Sample> out = SEEN.remove(rowsKey);
    Map<String, VideoPayload> sources = new TreeMap<>();
    for (Sample s : in) {
      sources.put(s.id(), (VideoPayload) s.payload());
    }
    TreeSet<String> ids = new TreeSet<>();
    ChannelAccumulator expected = new ChannelAccumulator();
    for (Sample s : out) {
      ids.add(s.id());
      String source = s.sourceIds().isEmpty() ? s.id() : s.sourceIds().get(0);
      VideoPayload src = sources.get(source);
      VideoPayload got = (VideoPayload) s.payload();
      assertEquals(src.videoId(), got.videoId(), s.id());
      assertArrayEquals(src.ptsMicros(), got.ptsMicros(), s.id());
      // the kernel's render of this row: one draw for (id of the drawn sample, copy index)
      boolean oversampled = Balance.OVERSAMPLED.equals(s.derivedKind());
      int copy = oversampled || !s.isDerived() ? Sample.ORIGINAL : s.copyIndex();
      String drawnId = oversampled ? s.id() : source;
      RenderedClip want =
          ImageFusion.renderClip(src, PRE, AUG, OPS, SEED, drawnId, copy, MAX_PIXELS);
      assertEquals(want.applied(), s.applied(), s.id());
      assertEquals(3, got.frames().size());
      for (int t = 0; t < 3; t++) {
        ImagePayload f = got.frames().get(t);
        assertTrue(f.isRaw() && !f.isFloat32(), s.id());
        assertEquals(56, f.width());
        assertArrayEquals(want.frames().get(t).rgb(), f.bytes(), s.id() + " frame " + t);
      }
      if (s.split() == Split.TRAIN && !s.isDerived()) {
        for (ImagePayload f : got.frames()) {
          expected.add(f.bytes(), f.channels()); // each frame as an image
        }
      }
    }
    String ta = TreeFrames.clipId(a);
    String tb = TreeFrames.clipId(b);
    String tc = TreeFrames.clipId(c);
    assertEquals(
        new TreeSet<>(
            List.of(
                ta,
                ta + "#aug0",
                ta + "#aug1",
                tb,
                tb + "#aug0",
                tb + "#aug1",
                tc,
                tc + "#aug0",
                tc + "#aug1",
                // the max class counts rows with their copies: 2 x 3 against 1 x 3
                tc + "#oversampled2",
                tc + "#oversampled3",
                tc + "#oversampled4",
                TreeFrames.clipId(v))),
        ids);

    // statistics over every frame of the train original clips: 3 clips x 3 frames
    ChannelAccumulator acc = FITTED.remove(rowsKey);
    assertEquals(9, acc.images());
    assertEquals(expected.pixels(), acc.pixels());
    for (int ch = 0; ch < 3; ch++) {
      assertEquals(expected.sum(ch), acc.sum(ch));
      assertEquals(expected.sumOfSquares(ch), acc.sumOfSquares(ch));
    }

    // normalization: every frame of every clip as float32, as each frame alone normalizes
    List<Sample> norm = SEEN.remove(normalizedKey);
    assertEquals(out.size(), norm.size());
    for (int i = 0; i < out.size(); i++) {
      VideoPayload raw = (VideoPayload) out.get(i).payload();
      VideoPayload fl = (VideoPayload) norm.get(i).payload();
      assertEquals(out.get(i).id(), norm.get(i).id());
      assertArrayEquals(raw.ptsMicros(), fl.ptsMicros());
      for (int t = 0; t < 3; t++) {
        assertTrue(fl.frames().get(t).isFloat32());
        assertEquals(NormalizeImages.normalized(raw.frames().get(t), expected), fl.frames().get(t));
      }
    }
  }

  @Test
  void aRawFrameGivesTheRowsItsLosslessPngGives() throws Exception {
    List<Sample> raw = new ArrayList<>();
    List<Sample> png = new ArrayList<>();
    for (int i : new int[] {3, 33, 63}) {
      ImagePayload f = TreeFrames.frame(i);
      byte[] b = ImageEncoding.encode(f.bytes(), f.width(), f.height(), 3, "png", 0);
      Sample s =
          Sample.builder()
              .id("tree.avi@" + i)
              .group("tree.avi")
              .labels(List.of("tree"))
              .split(Split.TRAIN)
              .payloadHash("hash-" + i)
              .copyCount(2)
              .payload(f)
              .build();
      raw.add(s);
      png.add(s.toBuilder().payload(ImagePayload.encoded(b, "png", 0, 0, 3, 1)).build());
    }
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    FuseImages fuse = FuseImages.of(PRE, AUG, SEED, MAX_PIXELS).withPixelOps(OPS);
    String fromRaw =
        collect(
            p.apply("Raw", Create.of(raw).withCoder(SampleCoder.of()))
                .apply("FuseRaw", fuse)
                .get(FuseImages.OK));
    String fromPng =
        collect(
            p.apply("Png", Create.of(png).withCoder(SampleCoder.of()))
                .apply("FusePng", fuse)
                .get(FuseImages.OK));
    p.run().waitUntilFinish();
    List<Sample> a = SEEN.remove(fromRaw);
    List<Sample> b = SEEN.remove(fromPng);
    assertEquals(9, a.size()); // 3 originals, 6 copies
    assertEquals(b, a); // ids, records and pixels
  }

  @Test
  void encodingAClipIsAClearError() {
    Sample clip = clipSample(TreeFrames.clip(0, 1, 2), "tree", Split.TRAIN);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    p.apply(Create.of(List.of(clip)).withCoder(SampleCoder.of()))
        .apply("Encode", EncodeImages.as("png", 0));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    StringBuilder chain = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      chain.append(t.getMessage()).append(" | ");
    }
    assertTrue(
        chain.toString().contains(clip.id() + " is a clip")
            && chain.toString().contains("output.image_encoding must be raw for them, not png"),
        chain.toString());
  }
}
