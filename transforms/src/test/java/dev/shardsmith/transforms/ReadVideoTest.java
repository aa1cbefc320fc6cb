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
    Map<String, Path> files =
        Map.of("bugy.avi", DATA.resolve("Megamind_bugy.avi"), "half.avi", half, "bad.avi", bad);
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
              assertTrue(l.contains("bugy.avi decode_error"), l.toString());
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
              assertEquals(3L, c.get("sources.read"), c.toString());
              assertEquals(2L, c.get("sources.ok"), c.toString());
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
}
