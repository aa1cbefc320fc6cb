package dev.shardsmith.transforms;

import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.RejectedCoder;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.kernels.video.ClipPlan;
import dev.shardsmith.transforms.kernels.video.FrameSelection;
import dev.shardsmith.transforms.kernels.video.VideoDecoder;
import dev.shardsmith.transforms.kernels.video.VideoFailure;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads videos into frame samples ({@link VideoDecoder}): one sample per kept frame, its payload
 * the frame's RGB pixels ({@code ImagePayload.raw}), its id {@code <video>@<pts in microseconds>},
 * its group the video (so no video straddles splits), its label the one given for the video (none
 * when null). Same outputs as {@link ReadImages}: samples ({@link #OK}), rejections ({@link
 * #REJECTED}) and counters ({@link #COUNTS}).
 *
 * <p>Splitting: a first step scans each video's packets for its key frames (a file FFmpeg cannot
 * open is a source rejection, {@code sources.rejected.unreadable}); a splittable DoFn then takes
 * the restriction {@code [0, keyframes)} over key frame indices, splits it deterministically into
 * ranges of {@code keyframesPerRange} key frames, and claims and decodes one key frame's GOP at a
 * time (seek to the key frame, decode up to the next one). Selection state that spans frames (scene
 * cuts' previous frame, motion skipping's last kept frame) restarts at every key frame, so the
 * frames kept do not depend on how a runner splits or checkpoints the ranges.
 *
 * <p>Counters: every decoded frame and every failure is {@code samples.extracted}; frames the
 * selection leaves out are {@code samples.filtered.frame_skip}, of which motion skipping's are also
 * reported as {@code video.frames.motion_skipped} (not part of invariant 3); each {@link
 * VideoFailure} is a sample-level rejection ({@code samples.rejected.decode_error} or {@code
 * samples.rejected.truncated}) with its pts and frame index in the detail, and the run goes on.
 * Frames decoded with an FFmpeg warning (no damage reported) are kept and counted as {@code
 * video.decode_warnings} (not part of invariant 3).
 *
 * <p>Quality, from the frame size in the stream's header, before any frame is decoded ({@link
 * #withMaxPixels}, {@link #withMinSize}): a video whose frames have more pixels than allowed is a
 * rejected source ({@code sources.rejected.too_large}); a video whose frames are narrower or lower
 * than the minimum is read (a {@code sources.ok}) but not decoded: each of its frames, counted as
 * its scanned video packets (one frame per packet, as the ranges count them), or with clips each
 * clip candidate, is {@code samples.extracted} and {@code samples.filtered.min_size}.
 *
 * <p>Clips ({@link #withClips}, a {@link ClipPlan}): samples are clips of T frames instead. Clip k
 * of a video holds the frames with stream index {@code k*step + j*stride}, j = 0..T-1; the
 * candidates are every k whose last index is below the scan's packet count. The decode step sends
 * each decoded frame, and each frame failure as a marker, once to every clip holding it, keyed by
 * (video, k); frames in no clip are counted ({@code video.frames.unused}, not part of invariant 3)
 * and dropped before the shuffle. A GroupByKey per clip (at most T frames and one candidate marker:
 * bounded memory) assembles it in frame order into a sample: id {@code <video>@<pts of its first
 * frame in us>}, group the video, payload a {@link VideoPayload} of T raw RGB frames, payload hash
 * the sha256 of the T frames' bytes in order. A clip with a failed frame is rejected {@code
 * decode_error} (the detail names each failed frame's pts, index and FFmpeg message), one with a
 * frame that never arrived {@code incomplete_clip} (id {@code <video>@clip<k>} when its first frame
 * is the missing one). {@code samples.extracted} is the candidate count, computed from the scan, so
 * it does not depend on how ranges split; a {@code truncated} stream still adds one rejected
 * sample.
 *
 * <pre>{@code
 * PCollectionTuple read = p.apply(ReadVideo.of(files, labels).withClips(8, 2, 16));
 * }</pre>
 */
public final class ReadVideo extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<Sample> OK = new TupleTag<>() {};
  public static final TupleTag<Rejected> REJECTED = new TupleTag<>() {};
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<>() {};
  private static final TupleTag<Video> SCANNED = new TupleTag<>() {};
  private static final TupleTag<KV<KV<String, Long>, ClipFrame>> CANDIDATES = new TupleTag<>() {};

  /**
   * With clips: every frame on its way to its clips, keyed by (video, clip index), before they are
   * grouped (in the output so tests can see that frames in no clip are never shuffled).
   */
  static final TupleTag<KV<KV<String, Long>, ClipFrame>> CLIP_FRAMES = new TupleTag<>() {};

  /** Info counter of decoded frames (or frame failures) that belong to no clip. */
  public static final String FRAMES_UNUSED = "video.frames.unused";

  /** Rejection reason of a clip with a frame that never arrived. */
  public static final String INCOMPLETE_CLIP = "incomplete_clip";

  /** Counter of frames motion skipping left out (also in {@code samples.filtered.frame_skip}). */
  public static final String MOTION_SKIPPED = "video.frames.motion_skipped";

  /** Filter reason of frames the selection left out. */
  public static final String FRAME_SKIP = "frame_skip";

  /**
   * Counter of decodes (a frame, or the end of the stream) during which FFmpeg warned but reported
   * no damage; the frame is kept (not part of invariant 3).
   */
  public static final String DECODE_WARNINGS = "video.decode_warnings";

  /** Frame size limits checked on the header at the scan. */
  record FrameLimits(int minWidth, int minHeight, long maxPixels) implements Serializable {}

  /** A scanned video: name, path, label (may be null) and its key frames. */
  record Video(String name, String path, String label, VideoDecoder.Scan scan)
      implements Serializable {}

  private final Map<String, String> files;
  private final Map<String, String> labels;
  private final FrameSelection selection;
  private final int keyframesPerRange;
  private final FrameLimits limits;
  private final ClipPlan clips; // null: one sample per frame

  private ReadVideo(
      Map<String, String> files,
      Map<String, String> labels,
      FrameSelection selection,
      int keyframesPerRange,
      FrameLimits limits,
      ClipPlan clips) {
    this.files = files;
    this.labels = labels;
    this.selection = selection;
    this.keyframesPerRange = keyframesPerRange;
    this.limits = limits;
    this.clips = clips;
  }

  /**
   * Reads {@code files}: video name (e.g. its path relative to the config) to file; {@code labels}:
   * name to label, absent for unlabelled videos.
   *
   * @throws IllegalArgumentException when {@code files} is empty
   */
  public static ReadVideo of(Map<String, Path> files, Map<String, String> labels) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("of: give at least one video file");
    }
    Map<String, String> paths = new TreeMap<>();
    files.forEach((name, path) -> paths.put(name, path.toAbsolutePath().toString()));
    return new ReadVideo(
        paths,
        new TreeMap<>(labels),
        FrameSelection.all(),
        4,
        new FrameLimits(1, 1, Long.MAX_VALUE),
        null);
  }

  public ReadVideo withSelection(FrameSelection selection) {
    return new ReadVideo(files, labels, selection, keyframesPerRange, limits, clips);
  }

  /**
   * Emits clips of {@code frames} decoded frames ({@code >= 2}), {@code stride} apart ({@code >=
   * 1}), one starting every {@code step} frames ({@code >= 1}) instead of single frames; see the
   * class comment. Needs the selection {@code all} without motion skipping.
   */
  public ReadVideo withClips(int frames, int stride, int step) {
    return new ReadVideo(
        files, labels, selection, keyframesPerRange, limits, new ClipPlan(frames, stride, step));
  }

  /** Key frames per initial restriction range (default 4). */
  public ReadVideo withKeyframesPerRange(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("keyframes_per_range must be >= 1, got " + n);
    }
    return new ReadVideo(files, labels, selection, n, limits, clips);
  }

  /**
   * Filters (reason {@code min_size}, every frame, none decoded) videos whose frames are narrower
   * or lower than this; default 1 x 1.
   */
  public ReadVideo withMinSize(int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "withMinSize: sizes must be >= 1, got " + width + " x " + height);
    }
    return new ReadVideo(
        files,
        labels,
        selection,
        keyframesPerRange,
        new FrameLimits(width, height, limits.maxPixels()),
        clips);
  }

  /**
   * Rejects (source reason {@code too_large}) videos whose header declares frames of more pixels
   * than this; default unlimited.
   */
  public ReadVideo withMaxPixels(long pixels) {
    if (pixels < 1) {
      throw new IllegalArgumentException("withMaxPixels: must be >= 1, got " + pixels);
    }
    return new ReadVideo(
        files,
        labels,
        selection,
        keyframesPerRange,
        new FrameLimits(limits.minWidth(), limits.minHeight(), pixels),
        clips);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    if (clips != null
        && (selection.mode() != FrameSelection.Mode.ALL || selection.motionThreshold() > 0)) {
      throw new IllegalArgumentException(
          "withClips: clips take every frame at their own stride and step, but the selection is "
              + selection);
    }
    KvCoder<String, Long> countCoder = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    PCollectionTuple scanned =
        SourceFiles.spread(begin, files)
            .apply(
                "ScanKeyframes",
                ParDo.of(new ScanFn(labels, limits, clips))
                    .withOutputTags(SCANNED, TupleTagList.of(REJECTED).and(COUNTS)));
    PCollection<Video> videos = scanned.get(SCANNED).setCoder(SerializableCoder.of(Video.class));
    PCollectionTuple frames =
        videos.apply(
            "DecodeRanges",
            ParDo.of(new DecodeFn(selection, keyframesPerRange, clips))
                .withOutputTags(
                    OK,
                    clips == null
                        ? TupleTagList.of(REJECTED).and(COUNTS)
                        : TupleTagList.of(REJECTED).and(COUNTS).and(CLIP_FRAMES)));
    PCollectionList<Rejected> rejected =
        PCollectionList.of(scanned.get(REJECTED).setCoder(RejectedCoder.of()))
            .and(frames.get(REJECTED).setCoder(RejectedCoder.of()));
    PCollectionList<KV<String, Long>> counts =
        PCollectionList.of(scanned.get(COUNTS).setCoder(countCoder))
            .and(frames.get(COUNTS).setCoder(countCoder));
    PCollection<Sample> samples = frames.get(OK).setCoder(SampleCoder.of());
    PCollection<KV<KV<String, Long>, ClipFrame>> clipFrames = null;
    if (clips != null) {
      KvCoder<KV<String, Long>, ClipFrame> partCoder =
          KvCoder.of(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()), ClipFrame.CODER);
      clipFrames = frames.get(CLIP_FRAMES).setCoder(partCoder);
      PCollectionTuple candidates =
          videos.apply(
              "ClipCandidates",
              ParDo.of(new CandidatesFn(clips))
                  .withOutputTags(CANDIDATES, TupleTagList.of(COUNTS)));
      PCollectionTuple assembled =
          PCollectionList.of(candidates.get(CANDIDATES).setCoder(partCoder))
              .and(clipFrames)
              .apply("ClipParts", Flatten.pCollections())
              .apply("GroupClips", GroupByKey.create())
              .apply(
                  "AssembleClips",
                  ParDo.of(new AssembleFn(clips, labels))
                      .withOutputTags(OK, TupleTagList.of(REJECTED).and(COUNTS)));
      samples = assembled.get(OK).setCoder(SampleCoder.of());
      rejected = rejected.and(assembled.get(REJECTED).setCoder(RejectedCoder.of()));
      counts =
          counts
              .and(candidates.get(COUNTS).setCoder(countCoder))
              .and(assembled.get(COUNTS).setCoder(countCoder));
    }
    PCollectionTuple out =
        PCollectionTuple.of(OK, samples)
            .and(REJECTED, rejected.apply("AllRejected", Flatten.pCollections()))
            .and(COUNTS, counts.apply("AllCounts", Flatten.pCollections()));
    return clipFrames == null ? out : out.and(CLIP_FRAMES, clipFrames);
  }

  /**
   * Scans one file's key frames; a file FFmpeg cannot open, or whose frames are too large, is a
   * source rejection; a video whose frames are too small is counted as filtered samples.
   */
  static final class ScanFn extends DoFn<KV<String, String>, Video> {
    private final Map<String, String> labels;
    private final FrameLimits limits;
    private final ClipPlan clips; // null: one sample per frame

    ScanFn(Map<String, String> labels, FrameLimits limits, ClipPlan clips) {
      this.labels = labels;
      this.limits = limits;
      this.clips = clips;
    }

    @ProcessElement
    public void process(@Element KV<String, String> file, MultiOutputReceiver out) {
      String name = file.getKey();
      out.get(COUNTS).output(KV.of(CountKey.SOURCES_READ, 1L));
      VideoDecoder.Scan scan;
      try {
        scan = VideoDecoder.scan(Path.of(file.getValue()));
      } catch (IOException e) {
        Rejected r = Rejected.source(name, "read", "unreadable", e.getMessage());
        out.get(REJECTED).output(r);
        out.get(COUNTS).output(KV.of(CountKey.rejected(r), 1L));
        return;
      }
      long pixels = (long) scan.width() * scan.height();
      if (pixels > limits.maxPixels()) {
        Rejected r =
            Rejected.source(
                name,
                "read",
                "too_large",
                "frames of "
                    + scan.width()
                    + " x "
                    + scan.height()
                    + " = "
                    + pixels
                    + " pixels exceed quality.max_pixels = "
                    + limits.maxPixels());
        out.get(REJECTED).output(r);
        out.get(COUNTS).output(KV.of(CountKey.rejected(r), 1L));
        return;
      }
      out.get(COUNTS).output(KV.of(CountKey.SOURCES_OK, 1L));
      if (scan.width() < limits.minWidth() || scan.height() < limits.minHeight()) {
        // its samples, none decoded: a frame per packet, or the clip candidates
        long samples = clips == null ? scan.packets() : clips.candidates(scan.packets());
        if (samples > 0) {
          out.get(COUNTS).output(KV.of(CountKey.SAMPLES_EXTRACTED, samples));
          out.get(COUNTS).output(KV.of(CountKey.samplesFiltered("min_size"), samples));
        }
        return;
      }
      out.get(SCANNED).output(new Video(name, file.getValue(), labels.get(name), scan));
    }
  }

  /**
   * Splittable over key frame indices: decodes one claimed key frame's GOP at a time. With clips,
   * each decoded frame (or frame failure) goes to {@link #CLIP_FRAMES} once per clip holding it,
   * keyed by (video, clip index); a frame in no clip is only counted ({@link #FRAMES_UNUSED}).
   */
  static final class DecodeFn extends DoFn<Video, Sample> {
    private final FrameSelection selection;
    private final int keyframesPerRange;
    private final ClipPlan clips;

    DecodeFn(FrameSelection selection, int keyframesPerRange, ClipPlan clips) {
      this.selection = selection;
      this.keyframesPerRange = keyframesPerRange;
      this.clips = clips;
    }

    @GetInitialRestriction
    public OffsetRange initial(@Element Video video) {
      return new OffsetRange(0, video.scan().keyframes());
    }

    @SplitRestriction
    public void split(@Restriction OffsetRange range, OutputReceiver<OffsetRange> out) {
      for (long from = range.getFrom(); from < range.getTo(); from += keyframesPerRange) {
        out.output(new OffsetRange(from, Math.min(range.getTo(), from + keyframesPerRange)));
      }
    }

    @ProcessElement
    public void process(
        @Element Video video,
        RestrictionTracker<OffsetRange, Long> tracker,
        MultiOutputReceiver out)
        throws IOException {
      Path path = Path.of(video.path());
      long packets = video.scan().packets();
      for (long k = tracker.currentRestriction().getFrom(); tracker.tryClaim(k); k++) {
        Map<String, Long> counts = new TreeMap<>();
        VideoDecoder.decode(
            path,
            video.scan(),
            (int) k,
            (int) k + 1,
            selection,
            new VideoDecoder.Sink() {
              @Override
              public void kept(VideoDecoder.DecodedFrame frame) {
                if (clips != null) {
                  toClips(
                      frame.index(),
                      p ->
                          ClipFrame.decoded(
                              p.frame(), frame.index(), frame.ptsMicros(), frame.image()));
                  return;
                }
                counts.merge(CountKey.SAMPLES_EXTRACTED, 1L, Long::sum);
                out.get(OK).output(sample(video, frame));
              }

              @Override
              public void skipped(long ptsMicros, long index, String reason) {
                if (clips != null) {
                  throw new IllegalStateException(
                      "frame " + index + " skipped (" + reason + ") in clip mode (a bug)");
                }
                counts.merge(CountKey.SAMPLES_EXTRACTED, 1L, Long::sum);
                counts.merge(CountKey.samplesFiltered(FRAME_SKIP), 1L, Long::sum);
                if (reason.equals("motion")) {
                  counts.merge(MOTION_SKIPPED, 1L, Long::sum);
                }
              }

              @Override
              public void warned(long ptsMicros, long index, String message) {
                counts.merge(DECODE_WARNINGS, 1L, Long::sum);
              }

              @Override
              public void failed(VideoFailure f) {
                if (clips != null && !f.reason().equals("truncated")) {
                  // a frame's failure is a failure of every clip holding it
                  toClips(
                      f.frameIndex(),
                      p -> ClipFrame.failed(p.frame(), f.frameIndex(), f.ptsMicros(), f.message()));
                  return;
                }
                Rejected r =
                    new Rejected(
                        video.name(),
                        frameId(video.name(), f.ptsMicros()),
                        false,
                        "read",
                        f.reason(),
                        "pts "
                            + f.ptsMicros()
                            + " us, frame "
                            + f.frameIndex()
                            + ": "
                            + f.message());
                counts.merge(CountKey.SAMPLES_EXTRACTED, 1L, Long::sum);
                counts.merge(CountKey.rejected(r), 1L, Long::sum);
                out.get(REJECTED).output(r);
              }

              private void toClips(
                  long index, java.util.function.Function<ClipPlan.Position, ClipFrame> part) {
                List<ClipPlan.Position> at = clips.positions(index, packets);
                if (at.isEmpty()) {
                  counts.merge(FRAMES_UNUSED, 1L, Long::sum);
                }
                for (ClipPlan.Position p : at) {
                  out.get(CLIP_FRAMES).output(KV.of(KV.of(video.name(), p.clip()), part.apply(p)));
                }
              }
            });
        counts.forEach((key, v) -> out.get(COUNTS).output(KV.of(key, v)));
      }
    }
  }

  /**
   * One marker per clip candidate of a video (so a clip none of whose frames arrived is still
   * accounted for), and its {@code samples.extracted}: the count comes from the scan alone, so it
   * does not depend on how the decoding was split.
   */
  static final class CandidatesFn extends DoFn<Video, KV<KV<String, Long>, ClipFrame>> {
    private final ClipPlan clips;

    CandidatesFn(ClipPlan clips) {
      this.clips = clips;
    }

    @ProcessElement
    public void process(@Element Video video, MultiOutputReceiver out) {
      long n = clips.candidates(video.scan().packets());
      for (long k = 0; k < n; k++) {
        out.get(CANDIDATES)
            .output(KV.of(KV.of(video.name(), k), ClipFrame.candidate(video.scan().packets())));
      }
      if (n > 0) {
        out.get(COUNTS).output(KV.of(CountKey.SAMPLES_EXTRACTED, n));
      }
    }
  }

  /**
   * Assembles one clip from its candidate marker and at most T frames (bounded memory), in frame
   * order, into a clip sample; a clip with a failed frame is rejected {@code decode_error}, one
   * with a frame that never arrived {@code incomplete_clip}.
   */
  static final class AssembleFn extends DoFn<KV<KV<String, Long>, Iterable<ClipFrame>>, Sample> {
    private final ClipPlan clips;
    private final Map<String, String> labels;

    AssembleFn(ClipPlan clips, Map<String, String> labels) {
      this.clips = clips;
      this.labels = labels;
    }

    @ProcessElement
    public void process(
        @Element KV<KV<String, Long>, Iterable<ClipFrame>> clip, MultiOutputReceiver out) {
      String video = clip.getKey().getKey();
      long k = clip.getKey().getValue();
      ClipFrame[] at = new ClipFrame[clips.frames()];
      long packets = -1;
      for (ClipFrame f : clip.getValue()) {
        if (f.position() == ClipFrame.CANDIDATE) {
          packets = f.index();
        } else if (at[f.position()] != null) {
          throw new IllegalStateException(
              "frame " + f.index() + " of " + video + " decoded twice (a bug)");
        } else {
          at[f.position()] = f;
        }
      }
      if (packets < 0) {
        throw new IllegalStateException("clip " + k + " of " + video + " is no candidate (a bug)");
      }
      String id = at[0] != null ? frameId(video, at[0].ptsMicros()) : video + "@clip" + k;
      List<String> failed = new ArrayList<>();
      List<Long> missing = new ArrayList<>();
      for (int j = 0; j < at.length; j++) {
        if (at[j] == null) {
          missing.add(clips.index(k, j));
        } else if (at[j].failure() != null) {
          failed.add(
              "frame pts "
                  + at[j].ptsMicros()
                  + " us, index "
                  + at[j].index()
                  + ": "
                  + at[j].failure());
        }
      }
      if (!failed.isEmpty() || !missing.isEmpty()) {
        String where =
            "clip "
                + k
                + " (frames "
                + clips.index(k, 0)
                + " to "
                + clips.index(k, clips.frames() - 1)
                + " step "
                + clips.stride()
                + " of "
                + packets
                + " packets): ";
        String lost =
            missing.isEmpty()
                ? ""
                : "frames at index "
                    + missing
                    + " never arrived ("
                    + (clips.frames() - missing.size())
                    + " of "
                    + clips.frames()
                    + " decoded)";
        Rejected r =
            new Rejected(
                video,
                id,
                false,
                "read",
                failed.isEmpty() ? INCOMPLETE_CLIP : "decode_error",
                where
                    + String.join("; ", failed)
                    + (failed.isEmpty() || lost.isEmpty() ? "" : "; ")
                    + lost);
        out.get(REJECTED).output(r);
        out.get(COUNTS).output(KV.of(CountKey.rejected(r), 1L));
        return;
      }
      long[] pts = new long[at.length];
      List<ImagePayload> frames = new ArrayList<>(at.length);
      MessageDigest sha = sha256();
      for (int j = 0; j < at.length; j++) {
        pts[j] = at[j].ptsMicros();
        frames.add(at[j].image());
        sha.update(at[j].image().bytes());
      }
      String label = labels.get(video);
      out.get(OK)
          .output(
              Sample.builder()
                  .id(id)
                  .sourceIds(List.of(video))
                  .group(video)
                  .labels(label == null ? List.of() : List.of(label))
                  .payloadHash(HexFormat.of().formatHex(sha.digest()))
                  .payload(new VideoPayload(video, pts, frames))
                  .build());
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * One frame on its way to a clip: its position j in the clip, stream index, pts and RGB pixels,
   * or FFmpeg's message when it failed; or a clip's candidate marker ({@link #CANDIDATE}, index =
   * the scan's packet count). Coded compactly (no Java serialization of pixels).
   */
  record ClipFrame(int position, long index, long ptsMicros, ImagePayload image, String failure) {
    static final int CANDIDATE = -1;
    static final Coder<ClipFrame> CODER = new ClipFrameCoder();

    static ClipFrame decoded(int position, long index, long pts, ImagePayload image) {
      return new ClipFrame(position, index, pts, image, null);
    }

    static ClipFrame failed(int position, long index, long pts, String message) {
      return new ClipFrame(position, index, pts, null, message);
    }

    static ClipFrame candidate(long packets) {
      return new ClipFrame(CANDIDATE, packets, 0, null, null);
    }
  }

  static final class ClipFrameCoder extends AtomicCoder<ClipFrame> {
    @Override
    public void encode(ClipFrame f, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeInt(f.position());
      out.writeLong(f.index());
      out.writeLong(f.ptsMicros());
      if (f.image() != null) {
        out.writeByte(1);
        out.writeInt(f.image().width());
        out.writeInt(f.image().height());
        out.writeInt(f.image().channels());
        out.writeInt(f.image().bytes().length);
        out.write(f.image().bytes());
      } else if (f.failure() != null) {
        out.writeByte(2);
        byte[] m = f.failure().getBytes(StandardCharsets.UTF_8);
        out.writeInt(m.length);
        out.write(m);
      } else {
        out.writeByte(0);
      }
      out.flush();
    }

    @Override
    public ClipFrame decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      int position = in.readInt();
      long index = in.readLong();
      long pts = in.readLong();
      byte kind = in.readByte();
      if (kind == 1) {
        int w = in.readInt();
        int h = in.readInt();
        int c = in.readInt();
        byte[] px = new byte[in.readInt()];
        in.readFully(px);
        return ClipFrame.decoded(position, index, pts, ImagePayload.raw(px, w, h, c));
      }
      if (kind == 2) {
        byte[] m = new byte[in.readInt()];
        in.readFully(m);
        return ClipFrame.failed(position, index, pts, new String(m, StandardCharsets.UTF_8));
      }
      return new ClipFrame(position, index, pts, null, null);
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** A frame's id: {@code <video>@<pts in microseconds>}. */
  public static String frameId(String video, long ptsMicros) {
    return video + "@" + ptsMicros;
  }

  static Sample sample(Video video, VideoDecoder.DecodedFrame frame) {
    return Sample.builder()
        .id(frameId(video.name(), frame.ptsMicros()))
        .sourceIds(List.of(video.name()))
        .group(video.name())
        .labels(video.label() == null ? List.of() : List.of(video.label()))
        .payloadHash(ReadImages.sha256(frame.image().bytes()))
        .payload(frame.image())
        .build();
  }
}
