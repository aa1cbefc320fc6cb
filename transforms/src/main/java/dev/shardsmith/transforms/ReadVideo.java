package dev.shardsmith.transforms;

import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.RejectedCoder;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.transforms.kernels.video.FrameSelection;
import dev.shardsmith.transforms.kernels.video.VideoDecoder;
import dev.shardsmith.transforms.kernels.video.VideoFailure;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
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
 * its scanned video packets (one frame per packet, as the ranges count them), is {@code
 * samples.extracted} and {@code samples.filtered.min_size}.
 */
public final class ReadVideo extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<Sample> OK = new TupleTag<>() {};
  public static final TupleTag<Rejected> REJECTED = new TupleTag<>() {};
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<>() {};
  private static final TupleTag<Video> SCANNED = new TupleTag<>() {};

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

  private ReadVideo(
      Map<String, String> files,
      Map<String, String> labels,
      FrameSelection selection,
      int keyframesPerRange,
      FrameLimits limits) {
    this.files = files;
    this.labels = labels;
    this.selection = selection;
    this.keyframesPerRange = keyframesPerRange;
    this.limits = limits;
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
        new FrameLimits(1, 1, Long.MAX_VALUE));
  }

  public ReadVideo withSelection(FrameSelection selection) {
    return new ReadVideo(files, labels, selection, keyframesPerRange, limits);
  }

  /** Key frames per initial restriction range (default 4). */
  public ReadVideo withKeyframesPerRange(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("keyframes_per_range must be >= 1, got " + n);
    }
    return new ReadVideo(files, labels, selection, n, limits);
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
        new FrameLimits(width, height, limits.maxPixels()));
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
        new FrameLimits(limits.minWidth(), limits.minHeight(), pixels));
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    KvCoder<String, Long> countCoder = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    PCollectionTuple scanned =
        SourceFiles.spread(begin, files)
            .apply(
                "ScanKeyframes",
                ParDo.of(new ScanFn(labels, limits))
                    .withOutputTags(SCANNED, TupleTagList.of(REJECTED).and(COUNTS)));
    PCollectionTuple frames =
        scanned
            .get(SCANNED)
            .setCoder(SerializableCoder.of(Video.class))
            .apply(
                "DecodeRanges",
                ParDo.of(new DecodeFn(selection, keyframesPerRange))
                    .withOutputTags(OK, TupleTagList.of(REJECTED).and(COUNTS)));
    PCollection<Rejected> rejected =
        PCollectionList.of(scanned.get(REJECTED).setCoder(RejectedCoder.of()))
            .and(frames.get(REJECTED).setCoder(RejectedCoder.of()))
            .apply("AllRejected", Flatten.pCollections());
    PCollection<KV<String, Long>> counts =
        PCollectionList.of(scanned.get(COUNTS).setCoder(countCoder))
            .and(frames.get(COUNTS).setCoder(countCoder))
            .apply("AllCounts", Flatten.pCollections());
    return PCollectionTuple.of(OK, frames.get(OK).setCoder(SampleCoder.of()))
        .and(REJECTED, rejected)
        .and(COUNTS, counts);
  }

  /**
   * Scans one file's key frames; a file FFmpeg cannot open, or whose frames are too large, is a
   * source rejection; a video whose frames are too small is counted as filtered frames.
   */
  static final class ScanFn extends DoFn<KV<String, String>, Video> {
    private final Map<String, String> labels;
    private final FrameLimits limits;

    ScanFn(Map<String, String> labels, FrameLimits limits) {
      this.labels = labels;
      this.limits = limits;
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
        out.get(COUNTS).output(KV.of(CountKey.SAMPLES_EXTRACTED, scan.packets()));
        out.get(COUNTS).output(KV.of(CountKey.samplesFiltered("min_size"), scan.packets()));
        return;
      }
      out.get(SCANNED).output(new Video(name, file.getValue(), labels.get(name), scan));
    }
  }

  /** Splittable over key frame indices: decodes one claimed key frame's GOP at a time. */
  static final class DecodeFn extends DoFn<Video, Sample> {
    private final FrameSelection selection;
    private final int keyframesPerRange;

    DecodeFn(FrameSelection selection, int keyframesPerRange) {
      this.selection = selection;
      this.keyframesPerRange = keyframesPerRange;
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
                counts.merge(CountKey.SAMPLES_EXTRACTED, 1L, Long::sum);
                out.get(OK).output(sample(video, frame));
              }

              @Override
              public void skipped(long ptsMicros, long index, String reason) {
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
            });
        counts.forEach((key, v) -> out.get(COUNTS).output(KV.of(key, v)));
      }
    }
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
