package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.kernels.video.FrameSelection;
import dev.shardsmith.transforms.kernels.video.VideoDecoder;
import dev.shardsmith.transforms.kernels.video.VideoDecoderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadVideoTest {
  static final Path DATA = VideoDecoderTest.videos();
  @TempDir Path dir;

  private static String show(Sample s) {
    return s.id() + " " + s.group() + " " + s.labels() + " " + s.payloadHash();
  }

  /** The frames one kernel pass over the whole file decodes, shown as {@link #show}. */
  private static List<String> onePass(String name, Path file, String label) throws Exception {
    VideoDecoder.Scan scan = VideoDecoder.scan(file);
    List<String> out = new ArrayList<>();
    VideoDecoder.decode(
        file,
        scan,
        0,
        scan.keyframes(),
        FrameSelection.all(),
        new VideoDecoder.Sink() {
          @Override
          public void kept(VideoDecoder.DecodedFrame f) {
            out.add(
                ReadVideo.frameId(name, f.ptsMicros())
                    + " "
                    + name
                    + " "
                    + List.of(label)
                    + " "
                    + ReadImages.sha256(f.image().bytes()));
          }

          @Override
          public void skipped(long pts, long index, String reason) {}

          @Override
          public void failed(dev.shardsmith.transforms.kernels.video.VideoFailure f) {}
        });
    return out;
  }

  @Test
  void framesAreTheSameForEveryRangeSizeAndRun() throws Exception {
    Path tree = DATA.resolve("tree.avi");
    List<String> expected = onePass("tree.avi", tree, "tree");
    assertEquals(68, expected.size());
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    for (int per : new int[] {1, 2, 4}) {
      PCollectionTuple read =
          p.apply(
              "Read" + per,
              ReadVideo.of(Map.of("tree.avi", tree), Map.of("tree.avi", "tree"))
                  .withKeyframesPerRange(per));
      PAssert.that(
              read.get(ReadVideo.OK)
                  .apply(
                      "Show" + per,
                      MapElements.into(TypeDescriptors.strings()).via(ReadVideoTest::show)))
          .containsInAnyOrder(expected);
    }
    p.run().waitUntilFinish();
  }

  @Test
  void damagedCutAndUnreadableVideosKeepTheirGoodFramesAndCountEveryFrame() throws Exception {
    byte[] all = Files.readAllBytes(DATA.resolve("tree.avi"));
    Path half = dir.resolve("half.avi");
    Files.write(half, Arrays.copyOf(all, all.length / 2));
    Path bad = dir.resolve("bad.avi");
    Files.writeString(bad, "not a video");
    Path damaged = VideoDecoderTest.zeroed(DATA.resolve("Megamind.avi"), dir.resolve("dmg.avi"));
    Map<String, Path> files =
        Map.of(
            "bugy.avi",
            DATA.resolve("Megamind_bugy.avi"),
            "damaged.avi",
            damaged,
            "half.avi",
            half,
            "bad.avi",
            bad);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple read =
        p.apply(
            ReadVideo.of(files, Map.of())
                .withSelection(
                    new FrameSelection(FrameSelection.Mode.EVERY_NTH, 3, 0, 0, 0)
                        .withMotionThreshold(0.01)));
    PAssert.that(
            read.get(ReadVideo.REJECTED)
                .apply(
                    "Reasons",
                    MapElements.into(TypeDescriptors.strings())
                        .via((Rejected r) -> r.source() + " " + r.reason())))
        .satisfies(
            rs -> {
              List<String> l = new ArrayList<>();
              rs.forEach(l::add);
              assertTrue(l.contains("bad.avi unreadable"), l.toString());
              assertTrue(l.contains("half.avi truncated"), l.toString());
              assertTrue(l.contains("half.avi decode_error"), l.toString());
              assertTrue(l.contains("damaged.avi decode_error"), l.toString());
              // its damage is in the pictures, not the bitstream: only warnings, frames kept
              assertTrue(l.stream().noneMatch(x -> x.startsWith("bugy.avi")), l.toString());
              return null;
            });
    PAssert.that(
            read.get(ReadVideo.OK)
                .apply("Groups", MapElements.into(TypeDescriptors.strings()).via(Sample::group)))
        .satisfies(
            gs -> {
              long bugy =
                  StreamSupport.stream(gs.spliterator(), false).filter("bugy.avi"::equals).count();
              long halfKept =
                  StreamSupport.stream(gs.spliterator(), false).filter("half.avi"::equals).count();
              assertTrue(bugy > 10 && halfKept > 3, bugy + " " + halfKept);
              return null;
            });
    // the kept frames join the counters, so one check sees invariant 3 at the read:
    // extracted = kept + filtered + rejected
    PCollection<KV<String, Long>> kept =
        read.get(ReadVideo.OK)
            .apply(
                "CountKept",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via((Sample s) -> KV.of("kept", 1L)));
    PAssert.that(
            PCollectionList.of(read.get(ReadVideo.COUNTS))
                .and(kept)
                .apply(Flatten.pCollections())
                .apply("Sum", Sum.longsPerKey()))
        .satisfies(
            kvs -> {
              Map<String, Long> c = new HashMap<>();
              kvs.forEach(kv -> c.put(kv.getKey(), kv.getValue()));
              assertEquals(4L, c.get("sources.read"), c.toString());
              assertEquals(3L, c.get("sources.ok"), c.toString());
              // bugy's 4 packed-Xvid warnings and damaged.avi's 2 (frames 96 and 195)
              assertEquals(6L, c.get(ReadVideo.DECODE_WARNINGS), c.toString());
              // damaged.avi's frames 74, 75 and 154, half.avi's last, cut packet
              assertEquals(4L, c.get("samples.rejected.decode_error"), c.toString());
              // 270 + 266 (the decoder swallows 4 damaged frames) + 36 + 1 truncated tail
              assertEquals(573L, c.get("samples.extracted"), c.toString());
              assertEquals(1L, c.get("sources.rejected.unreadable"), c.toString());
              long motion = c.getOrDefault(ReadVideo.MOTION_SKIPPED, 0L);
              assertTrue(motion > 0, c.toString());
              assertTrue(c.get("samples.filtered.frame_skip") > motion, c.toString());
              assertEquals(
                  c.get("samples.extracted"),
                  c.get("kept")
                      + c.get("samples.filtered.frame_skip")
                      + c.get("samples.rejected.decode_error")
                      + c.get("samples.rejected.truncated"),
                  c.toString());
              return null;
            });
    p.run().waitUntilFinish();
  }

  /** Counters summed per key, with {@code kept} = the samples of {@code OK}. */
  private static PCollection<KV<String, Long>> totals(String step, PCollectionTuple read) {
    PCollection<KV<String, Long>> kept =
        read.get(ReadVideo.OK)
            .apply(
                step + "Kept",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via((Sample s) -> KV.of("kept", 1L)));
    return PCollectionList.of(read.get(ReadVideo.COUNTS))
        .and(kept)
        .apply(step + "All", Flatten.pCollections())
        .apply(step + "Sum", Sum.longsPerKey());
  }

  private static Map<String, Long> asMap(Iterable<KV<String, Long>> kvs) {
    Map<String, Long> c = new HashMap<>();
    kvs.forEach(kv -> c.put(kv.getKey(), kv.getValue()));
    return c;
  }

  @Test
  void frameSizeFromTheHeaderFiltersSmallAndRejectsLargeVideosBeforeAnyDecode() throws Exception {
    Map<String, Path> files =
        Map.of(
            "tree.avi", DATA.resolve("tree.avi"),
            "megamind.avi", DATA.resolve("Megamind.avi"),
            "vtest.avi", DATA.resolve("vtest.avi"));
    FrameSelection every30 = new FrameSelection(FrameSelection.Mode.EVERY_NTH, 30, 0, 0, 0);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    // tree.avi is 320 x 240: narrower than 321, so its 68 frames are filtered without a decode;
    // vtest.avi's 768 x 576 = 442,368 pixels exceed 400,000; Megamind.avi's 720 x 528 pass
    PCollectionTuple read =
        p.apply(
            ReadVideo.of(files, Map.of())
                .withSelection(every30)
                .withMinSize(321, 1)
                .withMaxPixels(400_000));
    PAssert.that(
            read.get(ReadVideo.REJECTED)
                .apply(
                    "Reasons",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Rejected r) ->
                                r.source()
                                    + " "
                                    + r.wholeSource()
                                    + " "
                                    + r.reason()
                                    + " "
                                    + r.detail())))
        .containsInAnyOrder(
            "vtest.avi true too_large frames of 768 x 576 = 442368 pixels exceed"
                + " quality.max_pixels = 400000");
    PAssert.that(
            read.get(ReadVideo.OK)
                .apply("Groups", MapElements.into(TypeDescriptors.strings()).via(Sample::group)))
        .containsInAnyOrder(java.util.Collections.nCopies(9, "megamind.avi"));
    PAssert.that(totals("Q", read))
        .satisfies(
            kvs -> {
              Map<String, Long> c = asMap(kvs);
              assertEquals(3L, c.get("sources.read"), c.toString());
              assertEquals(2L, c.get("sources.ok"), c.toString());
              assertEquals(1L, c.get("sources.rejected.too_large"), c.toString());
              // tree.avi's 68 frames (its 68 video packets) and Megamind.avi's 270
              assertEquals(68L, c.get("samples.filtered.min_size"), c.toString());
              assertEquals(68L + 270, c.get("samples.extracted"), c.toString());
              assertEquals(261L, c.get("samples.filtered.frame_skip"), c.toString());
              assertEquals(9L, c.get("kept"), c.toString());
              // Megamind.avi's packed-Xvid warnings (frames 98 and 200), frames kept
              assertEquals(2L, c.get(ReadVideo.DECODE_WARNINGS), c.toString());
              return null;
            });
    p.run().waitUntilFinish();
  }

  /**
   * tree.avi with its AVI headers (avih and the stream's BITMAPINFOHEADER) claiming 16000 x 16000
   * frames: FFmpeg opens it with that size, and the scan rejects it before any frame is decoded.
   */
  @Test
  void aHeaderClaimingHugeFramesIsTooLargeBeforeAnyDecode() throws Exception {
    byte[] b = Files.readAllBytes(DATA.resolve("tree.avi"));
    java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    String ascii = new String(b, 0, 4096, java.nio.charset.StandardCharsets.ISO_8859_1);
    int avih = ascii.indexOf("avih");
    int strf = ascii.indexOf("strf");
    le.putInt(avih + 40, 16000).putInt(avih + 44, 16000);
    le.putInt(strf + 12, 16000).putInt(strf + 16, 16000);
    Path bomb = Files.write(dir.resolve("bomb.avi"), b);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple read =
        p.apply(ReadVideo.of(Map.of("bomb.avi", bomb), Map.of()).withMaxPixels(100_000_000));
    PAssert.that(
            read.get(ReadVideo.REJECTED)
                .apply(
                    "Show",
                    MapElements.into(TypeDescriptors.strings())
                        .via((Rejected r) -> r.reason() + ": " + r.detail())))
        .containsInAnyOrder(
            "too_large: frames of 16000 x 16000 = 256000000 pixels exceed quality.max_pixels"
                + " = 100000000");
    PAssert.that(read.get(ReadVideo.OK)).empty();
    PAssert.that(totals("B", read))
        .containsInAnyOrder(KV.of("sources.read", 1L), KV.of("sources.rejected.too_large", 1L));
    p.run().waitUntilFinish();
  }

  @Test
  void badQualityLimitsNameTheMethodAndValue() {
    ReadVideo r = ReadVideo.of(Map.of("t.avi", DATA.resolve("tree.avi")), Map.of());
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> r.withMinSize(0, 5));
    assertEquals("withMinSize: sizes must be >= 1, got 0 x 5", e.getMessage());
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> r.withMaxPixels(0));
    assertEquals("withMaxPixels: must be >= 1, got 0", e.getMessage());
  }
}
