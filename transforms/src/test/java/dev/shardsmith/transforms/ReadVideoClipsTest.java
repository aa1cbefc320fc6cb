package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.kernels.video.ClipPlan;
import dev.shardsmith.transforms.kernels.video.FrameSelection;
import dev.shardsmith.transforms.kernels.video.VideoDecoder;
import dev.shardsmith.transforms.kernels.video.VideoDecoderTest;
import dev.shardsmith.transforms.kernels.video.VideoFailure;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
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

/**
 * {@link ReadVideo#withClips}: on real videos (tree.avi committed in sample-data; opencv-doc's
 * Megamind.avi with damaged bytes; tree.avi cut in half), clips are exactly the frames a one-pass
 * decode gives at the clip's indices, whatever the range split, and every clip candidate is counted
 * once.
 */
class ReadVideoClipsTest {
  static final Path DATA = VideoDecoderTest.videos();
  static final Path TREE = committedTree();
  @TempDir Path dir;

  private static Path committedTree() {
    Path d = DATA;
    while (!d.getFileName().toString().equals("sample-data")) {
      d = d.getParent();
    }
    return d.resolve("video/tree/tree.avi");
  }

  /** What a one-pass kernel decode gives per frame index: pts and sha of the RGB bytes. */
  record OnePass(
      long packets, TreeMap<Long, Long> pts, TreeMap<Long, String> sha, List<VideoFailure> failed)
      implements java.io.Serializable {
    static OnePass of(Path file) throws Exception {
      return of(file, Integer.MAX_VALUE);
    }

    /** The kernel's decode in ranges of {@code per} key frames, as the pipeline splits them. */
    static OnePass of(Path file, int per) throws Exception {
      VideoDecoder.Scan scan = VideoDecoder.scan(file);
      OnePass o = new OnePass(scan.packets(), new TreeMap<>(), new TreeMap<>(), new ArrayList<>());
      VideoDecoder.Sink sink =
          new VideoDecoder.Sink() {
            @Override
            public void kept(VideoDecoder.DecodedFrame f) {
              o.pts.put(f.index(), f.ptsMicros());
              o.sha.put(f.index(), ReadImages.sha256(f.image().bytes()));
            }

            @Override
            public void skipped(long pts, long index, String reason) {
              throw new AssertionError("select all skipped frame " + index);
            }

            @Override
            public void failed(VideoFailure f) {
              o.failed.add(f);
            }
          };
      for (int k = 0; k < scan.keyframes(); k += per) {
        int to = (int) Math.min(scan.keyframes(), (long) k + per);
        VideoDecoder.decode(file, scan, k, to, FrameSelection.all(), sink);
      }
      return o;
    }

    /** The clips of {@code plan} with every frame decoded, shown as {@link #show}. */
    List<String> clips(String name, String label, ClipPlan plan) {
      List<String> out = new ArrayList<>();
      for (long k = 0; k < plan.candidates(packets); k++) {
        List<Long> p = new ArrayList<>();
        List<String> s = new ArrayList<>();
        for (int j = 0; j < plan.frames(); j++) {
          p.add(pts.get(plan.index(k, j)));
          s.add(sha.get(plan.index(k, j)));
        }
        if (!p.contains(null) && failedIn(plan, k).isEmpty()) {
          out.add(name + "@" + p.get(0) + " " + name + " [" + label + "] " + p + " " + s);
        }
      }
      return out;
    }

    List<Long> failedIn(ClipPlan plan, long k) {
      List<Long> out = new ArrayList<>();
      for (VideoFailure f : failed) {
        if (f.reason().equals("decode_error")
            && plan.positions(f.frameIndex(), packets).stream().anyMatch(q -> q.clip() == k)) {
          out.add(f.frameIndex());
        }
      }
      return out;
    }

    /** Frame indices of clip {@code k} that neither decoded nor failed. */
    List<Long> missingIn(ClipPlan plan, long k) {
      List<Long> out = new ArrayList<>();
      for (int j = 0; j < plan.frames(); j++) {
        long i = plan.index(k, j);
        if (!pts.containsKey(i) && failed.stream().noneMatch(f -> f.frameIndex() == i)) {
          out.add(i);
        }
      }
      return out;
    }

    /** Decoded frames that belong to no clip of {@code plan}. */
    long unused(ClipPlan plan) {
      return pts.keySet().stream().filter(i -> plan.positions(i, packets).isEmpty()).count();
    }
  }

  /**
   * A clip as id, group, labels, pts and per-frame sha; "BAD" when its payload hash is not the
   * sha256 of its frames' bytes in order or a frame is not raw RGB.
   */
  static String show(Sample s) {
    VideoPayload v = (VideoPayload) s.payload();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    List<Long> pts = new ArrayList<>();
    List<String> sha = new ArrayList<>();
    boolean ok = v.videoId().equals(s.group());
    for (int j = 0; j < v.frames().size(); j++) {
      ImagePayload f = v.frames().get(j);
      ok &= f.isRaw() && f.channels() == 3 && f.bytes().length == f.width() * f.height() * 3;
      all.writeBytes(f.bytes());
      pts.add(v.ptsMicros()[j]);
      sha.add(ReadImages.sha256(f.bytes()));
    }
    ok &= ReadImages.sha256(all.toByteArray()).equals(s.payloadHash());
    return s.id() + " " + s.group() + " " + s.labels() + " " + pts + " " + sha + (ok ? "" : " BAD");
  }

  private static PCollection<KV<String, Long>> sums(PCollectionTuple read, String name) {
    PCollection<KV<String, Long>> kept =
        read.get(ReadVideo.OK)
            .apply(
                "Kept" + name,
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via((Sample s) -> KV.of("kept", 1L)));
    PCollection<KV<String, Long>> shuffled =
        read.get(ReadVideo.CLIP_FRAMES)
            .apply("Shuffled" + name, Count.globally())
            .apply(
                "ShuffledKv" + name,
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via((Long n) -> KV.of("shuffled_frames", n)));
    return PCollectionList.of(read.get(ReadVideo.COUNTS))
        .and(kept)
        .and(shuffled)
        .apply("Flatten" + name, Flatten.pCollections())
        .apply("Sum" + name, Sum.longsPerKey());
  }

  private static Map<String, Long> map(Iterable<KV<String, Long>> kvs) {
    Map<String, Long> c = new HashMap<>();
    kvs.forEach(kv -> c.put(kv.getKey(), kv.getValue()));
    return c;
  }

  @Test
  void clipsAreTheFramesOfAOnePassDecodeForEveryRangeSize() throws Exception {
    OnePass tree = OnePass.of(TREE);
    assertEquals(68, tree.pts().size());
    assertEquals(68, tree.packets());
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    // back to back; overlapping and strided (step 2 < T * S = 6); strided with frames in no clip
    List<ClipPlan> plans =
        List.of(ClipPlan.backToBack(4, 1), new ClipPlan(3, 2, 2), new ClipPlan(5, 3, 19));
    for (ClipPlan plan : plans) {
      List<String> expected = tree.clips("tree.avi", "tree", plan);
      assertEquals(plan.candidates(68), expected.size());
      long unused = tree.unused(plan);
      for (int per : new int[] {1, 2, 4}) {
        String name = plan.frames() + "x" + plan.stride() + "+" + plan.step() + "/" + per;
        PCollectionTuple read =
            p.apply(
                "Read" + name,
                ReadVideo.of(Map.of("tree.avi", TREE), Map.of("tree.avi", "tree"))
                    .withKeyframesPerRange(per)
                    .withClips(plan.frames(), plan.stride(), plan.step()));
        PAssert.that(
                read.get(ReadVideo.OK)
                    .apply(
                        "Show" + name,
                        MapElements.into(TypeDescriptors.strings()).via(ReadVideoClipsTest::show)))
            .containsInAnyOrder(expected);
        PAssert.that(read.get(ReadVideo.REJECTED)).empty();
        PAssert.that(sums(read, name))
            .satisfies(
                kvs -> {
                  Map<String, Long> c = map(kvs);
                  assertEquals((long) expected.size(), c.get("samples.extracted"), c.toString());
                  assertEquals((long) expected.size(), c.get("kept"), c.toString());
                  assertEquals(unused, c.getOrDefault(ReadVideo.FRAMES_UNUSED, 0L), c.toString());
                  // only frames of a clip travel to the grouping, once per clip holding them
                  assertEquals(
                      expected.size() * (long) plan.frames(), c.get("shuffled_frames"), name);
                  return null;
                });
      }
    }
    // the third plan leaves frames out: 3 clips of frames +0, +3, .., +12 from 0, 19 and 38
    assertEquals(3, plans.get(2).candidates(68));
    assertEquals(68 - 3 * 5, tree.unused(plans.get(2)));
    p.run().waitUntilFinish();
  }

  @Test
  void aCutVideoKeepsItsClipsBeforeTheCutAndCountsEveryCandidate() throws Exception {
    byte[] all = Files.readAllBytes(TREE);
    Path half = dir.resolve("half.avi");
    Files.write(half, Arrays.copyOf(all, all.length / 2));
    // the pipeline's split points (one key frame per range): the tail of a cut stream decodes
    // differently after a seek than in one pass, which the clips must mirror
    OnePass halfPass = OnePass.of(half, 1);
    ClipPlan plan = ClipPlan.backToBack(4, 1);
    List<String> expected = new ArrayList<>(OnePass.of(TREE).clips("tree.avi", "tree", plan));
    List<String> halfClips = halfPass.clips("half.avi", "tree", plan);
    assertTrue(halfClips.size() > 3 && halfClips.size() < 17, halfClips.toString());
    expected.addAll(halfClips);
    long candidates = plan.candidates(68) + plan.candidates(halfPass.packets());

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple read =
        p.apply(
            ReadVideo.of(Map.of("tree.avi", TREE, "half.avi", half), Map.of())
                .withKeyframesPerRange(1)
                .withClips(plan.frames(), plan.stride(), plan.step()));
    PAssert.that(
            read.get(ReadVideo.OK)
                .apply(
                    "Show",
                    MapElements.into(TypeDescriptors.strings())
                        .via((Sample s) -> show(s).replace(" [] ", " [tree] "))))
        .containsInAnyOrder(expected);
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
              // a clip cut short by the end of the stream is either no candidate (the scan
              // counts only the packets present) or an incomplete or failed clip
              assertTrue(l.contains("half.avi truncated"), l.toString());
              assertTrue(l.stream().allMatch(x -> x.startsWith("half.avi ")), l.toString());
              return null;
            });
    PAssert.that(sums(read, ""))
        .satisfies(
            kvs -> {
              Map<String, Long> c = map(kvs);
              assertEquals(2L, c.get("sources.ok"), c.toString());
              // invariant 3 at the read: extracted = candidates + one per truncated stream
              assertEquals(1L, c.get("samples.rejected.truncated"), c.toString());
              assertEquals(candidates + 1, c.get("samples.extracted"), c.toString());
              assertEquals(
                  c.get("samples.extracted"),
                  c.get("kept")
                      + c.getOrDefault("samples.rejected.decode_error", 0L)
                      + c.getOrDefault("samples.rejected.incomplete_clip", 0L)
                      + 1,
                  c.toString());
              assertEquals((long) expected.size(), c.get("kept"), c.toString());
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void aDamagedVideoRejectsTheClipsOfItsBadOrLostFramesAndKeepsTheRest() throws Exception {
    // Megamind.avi with 2,000 bytes zeroed at 30 % and 60 %: FFmpeg reports damage on frames 74,
    // 75 and 154 and swallows 4 frames; its packed Xvid also shows no picture for packet 0
    Path damaged = VideoDecoderTest.zeroed(DATA.resolve("Megamind.avi"), dir.resolve("dmg.avi"));
    OnePass ref = OnePass.of(damaged, 1);
    // clips of frames 8k .. 8k+3: half of the 720x528 frames travel, which bounds the heap
    ClipPlan plan = new ClipPlan(4, 1, 8);
    TreeSet<Long> badClips = new TreeSet<>();
    TreeSet<Long> lostClips = new TreeSet<>();
    for (long k = 0; k < plan.candidates(ref.packets()); k++) {
      if (!ref.failedIn(plan, k).isEmpty()) {
        badClips.add(k);
      } else if (!ref.missingIn(plan, k).isEmpty()) {
        lostClips.add(k);
      }
    }
    assertFalse(badClips.isEmpty(), ref.failed().toString());
    assertFalse(lostClips.isEmpty(), "no clip lost a frame");
    List<String> good = ref.clips("dmg.avi", "dmg", plan);
    assertEquals(plan.candidates(ref.packets()), good.size() + badClips.size() + lostClips.size());
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple read =
        p.apply(
            ReadVideo.of(Map.of("dmg.avi", damaged), Map.of("dmg.avi", "dmg"))
                .withKeyframesPerRange(1)
                .withClips(plan.frames(), plan.stride(), plan.step()));
    PAssert.that(
            read.get(ReadVideo.OK)
                .apply(
                    "Show",
                    MapElements.into(TypeDescriptors.strings()).via(ReadVideoClipsTest::show)))
        .containsInAnyOrder(good);
    PAssert.that(read.get(ReadVideo.REJECTED))
        .satisfies(
            rs -> {
              TreeSet<Long> bad = new TreeSet<>();
              TreeSet<Long> lost = new TreeSet<>();
              java.util.regex.Pattern where =
                  java.util.regex.Pattern.compile(
                      "(?s)clip (\\d+) \\(frames (\\d+) to (\\d+) step 1 of "
                          + ref.packets()
                          + " packets\\): (.+)");
              for (Rejected r : rs) {
                assertTrue(!r.wholeSource() && r.source().equals("dmg.avi"), r.toString());
                java.util.regex.Matcher m = where.matcher(r.detail());
                assertTrue(m.matches(), r.detail());
                long k = Long.parseLong(m.group(1));
                assertEquals(plan.index(k, 0), Long.parseLong(m.group(2)), r.detail());
                assertEquals(plan.index(k, 3), Long.parseLong(m.group(3)), r.detail());
                Long first = ref.pts().get(plan.index(k, 0));
                assertEquals(first == null ? "dmg.avi@clip" + k : "dmg.avi@" + first, r.sampleId());
                if (r.reason().equals("decode_error")) {
                  // each failed frame's pts and index, and that index lies in the clip
                  for (long index : ref.failedIn(plan, k)) {
                    assertTrue(r.detail().contains(", index " + index + ": "), r.detail());
                  }
                  bad.add(k);
                } else {
                  assertEquals(ReadVideo.INCOMPLETE_CLIP, r.reason(), r.toString());
                  assertTrue(
                      m.group(4).startsWith("frames at index " + ref.missingIn(plan, k)),
                      r.detail());
                  lost.add(k);
                }
              }
              assertEquals(badClips, bad);
              assertEquals(lostClips, lost);
              return null;
            });
    PAssert.that(sums(read, ""))
        .satisfies(
            kvs -> {
              Map<String, Long> c = map(kvs);
              assertEquals(
                  plan.candidates(ref.packets()), c.get("samples.extracted"), c.toString());
              assertEquals(
                  c.get("samples.extracted"),
                  c.get("kept")
                      + c.get("samples.rejected.decode_error")
                      + c.get("samples.rejected." + ReadVideo.INCOMPLETE_CLIP),
                  c.toString());
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void aVideoShorterThanOneClipGivesNoClipAndShufflesNoFrame() throws Exception {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    // 40 frames 2 apart span 79 frames; tree.avi has 68
    PCollectionTuple read =
        p.apply(ReadVideo.of(Map.of("tree.avi", TREE), Map.of()).withClips(40, 2, 80));
    PAssert.that(read.get(ReadVideo.OK)).empty();
    PAssert.that(read.get(ReadVideo.REJECTED)).empty();
    PAssert.that(sums(read, ""))
        .containsInAnyOrder(
            KV.of("sources.read", 1L),
            KV.of("sources.ok", 1L),
            KV.of(ReadVideo.FRAMES_UNUSED, 68L),
            KV.of("shuffled_frames", 0L));
    p.run().waitUntilFinish();
  }

  @Test
  void assemblyRejectsAClipWithAFailedOrMissingFrameAndNamesIt() {
    ClipPlan plan = new ClipPlan(3, 2, 10);
    ImagePayload px = ImagePayload.raw(new byte[] {1, 2, 3, 4, 5, 6}, 2, 1, 3);
    ImagePayload py = ImagePayload.raw(new byte[] {9, 8, 7, 6, 5, 4}, 2, 1, 3);
    ReadVideo.ClipFrame marker = ReadVideo.ClipFrame.candidate(40);
    // clip 1 holds frames 10, 12, 14
    List<KV<KV<String, Long>, Iterable<ReadVideo.ClipFrame>>> clips =
        List.of(
            KV.of(
                KV.of("v.avi", 1L),
                List.of(
                    ReadVideo.ClipFrame.decoded(2, 14, 1400, py),
                    marker,
                    ReadVideo.ClipFrame.decoded(0, 10, 1000, px),
                    ReadVideo.ClipFrame.decoded(1, 12, 1200, py))),
            KV.of(
                KV.of("v.avi", 2L),
                List.of(
                    marker,
                    ReadVideo.ClipFrame.decoded(0, 20, 2000, px),
                    ReadVideo.ClipFrame.failed(1, 22, 2200, "corrupt macroblock"),
                    ReadVideo.ClipFrame.decoded(2, 24, 2400, py))),
            KV.of(KV.of("v.avi", 0L), List.of(marker, ReadVideo.ClipFrame.decoded(1, 2, 200, px))),
            KV.of(KV.of("v.avi", 3L), List.of(marker)));
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out =
        p.apply(
                org.apache.beam.sdk.transforms.Create.of(clips)
                    .withCoder(
                        org.apache.beam.sdk.coders.KvCoder.of(
                            org.apache.beam.sdk.coders.KvCoder.of(
                                org.apache.beam.sdk.coders.StringUtf8Coder.of(),
                                org.apache.beam.sdk.coders.VarLongCoder.of()),
                            org.apache.beam.sdk.coders.IterableCoder.of(
                                ReadVideo.ClipFrame.CODER))))
            .apply(
                org.apache.beam.sdk.transforms.ParDo.of(
                        new ReadVideo.AssembleFn(plan, Map.of("v.avi", "cat")))
                    .withOutputTags(
                        ReadVideo.OK,
                        org.apache.beam.sdk.values.TupleTagList.of(ReadVideo.REJECTED)
                            .and(ReadVideo.COUNTS)));
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(px.bytes());
    all.writeBytes(py.bytes());
    all.writeBytes(py.bytes());
    PAssert.that(out.get(ReadVideo.OK).setCoder(dev.shardsmith.schemas.SampleCoder.of()))
        .containsInAnyOrder(
            Sample.builder()
                .id("v.avi@1000")
                .sourceIds(List.of("v.avi"))
                .group("v.avi")
                .labels(List.of("cat"))
                .payloadHash(ReadImages.sha256(all.toByteArray()))
                .payload(
                    new VideoPayload("v.avi", new long[] {1000, 1200, 1400}, List.of(px, py, py)))
                .build());
    PAssert.that(out.get(ReadVideo.REJECTED).setCoder(dev.shardsmith.schemas.RejectedCoder.of()))
        .containsInAnyOrder(
            new Rejected(
                "v.avi",
                "v.avi@2000",
                false,
                "read",
                "decode_error",
                "clip 2 (frames 20 to 24 step 2 of 40 packets): frame pts 2200 us, index 22:"
                    + " corrupt macroblock"),
            new Rejected(
                "v.avi",
                "v.avi@clip0",
                false,
                "read",
                "incomplete_clip",
                "clip 0 (frames 0 to 4 step 2 of 40 packets): frames at index [0, 4] never"
                    + " arrived (1 of 3 decoded)"),
            new Rejected(
                "v.avi",
                "v.avi@clip3",
                false,
                "read",
                "incomplete_clip",
                "clip 3 (frames 30 to 34 step 2 of 40 packets): frames at index [30, 32, 34]"
                    + " never arrived (0 of 3 decoded)"));
    PAssert.that(
            out.get(ReadVideo.COUNTS)
                .setCoder(
                    org.apache.beam.sdk.coders.KvCoder.of(
                        org.apache.beam.sdk.coders.StringUtf8Coder.of(),
                        org.apache.beam.sdk.coders.VarLongCoder.of())))
        .containsInAnyOrder(
            KV.of("samples.rejected.decode_error", 1L),
            KV.of("samples.rejected.incomplete_clip", 1L),
            KV.of("samples.rejected.incomplete_clip", 1L));
    p.run().waitUntilFinish();
  }

  @Test
  void clipsRefuseASelectionThatDropsFrames() {
    ReadVideo r =
        ReadVideo.of(Map.of("tree.avi", TREE), Map.of())
            .withSelection(new FrameSelection(FrameSelection.Mode.EVERY_NTH, 2, 0, 0, 0))
            .withClips(4, 1, 4);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> p.apply(r));
    assertTrue(e.getMessage().contains("withClips"), e.getMessage());
  }
}
