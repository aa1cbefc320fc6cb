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

  /** A scanned video: name, path, label (may be null) and its key frames. */
  record Video(String name, String path, String label, VideoDecoder.Scan scan)
      implements Serializable {}

  private final Map<String, String> files;
  private final Map<String, String> labels;
  private final FrameSelection selection;
  private final int keyframesPerRange;

  private ReadVideo(
      Map<String, String> files,
      Map<String, String> labels,
      FrameSelection selection,
      int keyframesPerRange) {
    this.files = files;
    this.labels = labels;
    this.selection = selection;
    this.keyframesPerRange = keyframesPerRange;
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
    return new ReadVideo(paths, new TreeMap<>(labels), FrameSelection.all(), 4);
  }

  public ReadVideo withSelection(FrameSelection selection) {
    return new ReadVideo(files, labels, selection, keyframesPerRange);
  }

  /** Key frames per initial restriction range (default 4). */
  public ReadVideo withKeyframesPerRange(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("keyframes_per_range must be >= 1, got " + n);
    }
    return new ReadVideo(files, labels, selection, n);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    KvCoder<String, Long> countCoder = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    PCollectionTuple scanned =
        SourceFiles.spread(begin, files)
            .apply(
                "ScanKeyframes",
                ParDo.of(new ScanFn(labels))
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

  /** Scans one file's key frames; a file FFmpeg cannot open is a source rejection. */
  static final class ScanFn extends DoFn<KV<String, String>, Video> {
    private final Map<String, String> labels;

    ScanFn(Map<String, String> labels) {
      this.labels = labels;
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
      out.get(COUNTS).output(KV.of(CountKey.SOURCES_OK, 1L));
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
