package dev.shardsmith.benchmarks;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.kernels.image.AugmentSpec;
import dev.shardsmith.transforms.kernels.image.BadImageException;
import dev.shardsmith.transforms.kernels.image.ImageBackend;
import dev.shardsmith.transforms.kernels.image.ImageEncoding;
import dev.shardsmith.transforms.kernels.image.ImageFusion;
import dev.shardsmith.transforms.kernels.image.ImageHeader;
import dev.shardsmith.transforms.kernels.image.ImageHeaders;
import dev.shardsmith.transforms.kernels.image.Interpolation;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
import dev.shardsmith.transforms.kernels.image.ops.HueSaturationValue;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import dev.shardsmith.transforms.kernels.image.ops.Resize;
import dev.shardsmith.transforms.kernels.video.FrameSelection;
import dev.shardsmith.transforms.kernels.video.FrameSelection.Mode;
import dev.shardsmith.transforms.kernels.video.VideoDecoder;
import dev.shardsmith.transforms.kernels.video.VideoFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Renders the video frame strips in {@code docs/augmentations.md} from the committed {@value
 * #DEFAULT_VIDEO} (opencv-doc's {@code tree.avi}: 68 frames, 320x240, key frames at 0, 25, 50).
 *
 * <p>One strip per frame selection ({@link #selections()}): the video is decoded through {@link
 * VideoDecoder#decode} one keyframe range (GOP) at a time, as {@code ReadVideo} claims them, with
 * that {@link FrameSelection}; a timeline has one tick per decoded frame (kept: tall and blue, key
 * frames with a dark cap; left out: short and gray), then the first {@value #COLS} kept frames as
 * thumbnails, each labelled with its frame index and pts (seconds).
 *
 * <p>One strip for a clip ({@value #CLIP_T} frames, stride {@value #CLIP_STRIDE}, clip {@value
 * #CLIP_K} of the CLIPS contract): the original row and {@value #CLIP_COPIES} augmented copies.
 * Each copy's parameters are drawn ONCE with {@link ImageFusion#draw} for the clip id and copy
 * index (on the clip's header, {@link ImageFusion#clipHeader}), and that one {@link Applied} is
 * rendered on every frame with {@link ImageFusion#renderClip}, from the raw frames, as {@code
 * FuseImages} renders a clip.
 *
 * <p>Every thumbnail is a frame through {@link ImageFusion} with the preprocess of {@link #PRE} (a
 * {@code preprocess.ops} area resize to {@value #TW}x{@value #TH}; {@link #CLIP_PRE}, {@value
 * #CW}x{@value #CH}, for the clip), so a strip shows what a run with that preprocess writes.
 * Deterministic: seed {@value #SEED}, single-threaded FFmpeg, PNG through {@link ImageEncoding}.
 *
 * <pre>{@code
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt)" \
 *     dev.shardsmith.benchmarks.VideoGallery docs/video
 * }</pre>
 */
public final class VideoGallery {
  private VideoGallery() {}

  public static final String DEFAULT_VIDEO = "sample-data/video/tree/tree.avi";

  /**
   * The committed video's name in sample ids: its path relative to {@code
   * sample-data/video-demo.yaml}. Another video is named by its file name.
   */
  public static final String VIDEO_NAME = "video/tree/tree.avi";

  static String name(Path video) {
    return video.normalize().endsWith(DEFAULT_VIDEO) ? VIDEO_NAME : video.getFileName().toString();
  }

  public static final long SEED = 42;

  /** Thumbnail size of the selection strips: the 320x240 frame at 5/16, aspect kept. */
  public static final int TW = 100;

  public static final int TH = 75;

  /** Thumbnail size of the clip strip (a quarter of the frame: 12 thumbnails, one small PNG). */
  public static final int CW = 80;

  public static final int CH = 60;

  /** Thumbnails per selection strip: the first kept frames. */
  public static final int COLS = 6;

  /** Width of the clip strip's text column (each row's draw, one op a line). */
  public static final int CLIP_TEXT = 300;

  /** Height of a text line (strip header, thumbnail label, clip row header). */
  public static final int LINE = 16;

  /** Height of the timeline (one tick per decoded frame). */
  public static final int TIMELINE = 18;

  public static final int CLIP_T = 4;
  public static final int CLIP_STRIDE = 3;
  public static final int CLIP_K = 1;
  public static final int CLIP_COPIES = 2;

  /** Thumbnails: keep the frame, area-resize it (a {@code preprocess.ops} resize). */
  public static final PreprocessSpec PRE = thumbnails(TW, TH);

  /** The clip's preprocess. */
  public static final PreprocessSpec CLIP_PRE = thumbnails(CW, CH);

  static PreprocessSpec thumbnails(int w, int h) {
    return new PreprocessSpec(0, 0, 0, List.of(new Resize(1, w, h, Interpolation.AREA)));
  }

  /**
   * The clip's shared augmentation: hflip at 0.5 and rotate +-15 (shorthands), then a colour op.
   */
  public static final AugmentSpec CLIP_AUG = new AugmentSpec(0.5, 1, 15, 0, 0.08, 1, 0.75, 4.0 / 3);

  public static List<PixelOp> clipPixelOps() {
    return List.of(new HueSaturationValue(1, -30, 30, -40, 40, -30, 30));
  }

  /** The selections drawn, by strip name (the file name without {@code .png}). */
  public static Map<String, FrameSelection> selections() {
    Map<String, FrameSelection> m = new LinkedHashMap<>();
    m.put("all", FrameSelection.all());
    m.put("every_nth", new FrameSelection(Mode.EVERY_NTH, 12, 0, 0, 0));
    m.put("fps", new FrameSelection(Mode.FPS, 1, 0.2, 0, 0));
    m.put("keyframes", new FrameSelection(Mode.KEYFRAMES, 1, 0, 0, 0));
    m.put("scene_cuts", new FrameSelection(Mode.SCENE_CUTS, 1, 0, 0.08, 0));
    m.put("motion", FrameSelection.all().withMotionThreshold(0.08));
    return m;
  }

  /** The config lines of a selection, as they appear in the strip's header. */
  static String configOf(FrameSelection s) {
    String select =
        switch (s.mode()) {
          case ALL, KEYFRAMES -> "select: " + s.mode().key();
          case EVERY_NTH -> "select: every_nth, every_nth: " + s.everyNth();
          case FPS -> "select: fps, fps: " + s.fps();
          case SCENE_CUTS -> "select: scene_cuts, scene_threshold: " + s.sceneThreshold();
        };
    return s.motionThreshold() > 0 ? select + ", motion_threshold: " + s.motionThreshold() : select;
  }

  /** One decoded frame as the strip saw it: its index, pts, key flag and whether it was kept. */
  public record Mark(long index, long ptsMicros, boolean keyFrame, boolean kept) {}

  /** A rendered strip: its PNG, the header line and every decoded frame in stream order. */
  public record Strip(byte[] png, String header, List<Mark> frames) {
    public List<Mark> kept() {
      return frames.stream().filter(Mark::kept).toList();
    }
  }

  /** The clip strip: its PNG, the frame indices and per row (original, copies) what was applied. */
  public record Clip(byte[] png, String id, List<Long> indices, List<List<Applied>> applied) {}

  /** Every strip of {@code video}: the selections by name, then {@code "clip"}. */
  public record Gallery(Map<String, Strip> strips, Clip clip) {}

  /** Decodes {@code video} one keyframe range at a time with {@code s}; frames kept, by index. */
  static List<Mark> decode(
      Path video, VideoDecoder.Scan scan, FrameSelection s, Map<Long, ImagePayload> keptPixels)
      throws IOException {
    List<Mark> marks = new ArrayList<>();
    List<VideoFailure> failures = new ArrayList<>();
    for (int k = 0; k < scan.keyframes(); k++) {
      VideoDecoder.decode(
          video,
          scan,
          k,
          k + 1,
          s,
          new VideoDecoder.Sink() {
            @Override
            public void kept(VideoDecoder.DecodedFrame f) {
              marks.add(new Mark(f.index(), f.ptsMicros(), f.keyFrame(), true));
              keptPixels.put(f.index(), f.image());
            }

            @Override
            public void skipped(long ptsMicros, long index, String reason) {
              boolean key = false;
              for (long ki : scan.keyIndex()) {
                key |= ki == index;
              }
              marks.add(new Mark(index, ptsMicros, key, false));
            }

            @Override
            public void failed(VideoFailure failure) {
              failures.add(failure);
            }
          });
    }
    if (!failures.isEmpty()) {
      throw new IOException(video.getFileName() + " did not decode cleanly: " + failures);
    }
    return marks;
  }

  /** Renders every strip of {@code video} in memory. */
  public static Gallery render(Path video) throws IOException, BadImageException {
    VideoDecoder.Scan scan = VideoDecoder.scan(video);
    Map<String, Strip> strips = new LinkedHashMap<>();
    Map<Long, ImagePayload> allFrames = new LinkedHashMap<>();
    for (Map.Entry<String, FrameSelection> e : selections().entrySet()) {
      Map<Long, ImagePayload> pixels = new LinkedHashMap<>();
      List<Mark> marks = decode(video, scan, e.getValue(), pixels);
      if (e.getValue().mode() == Mode.ALL && e.getValue().motionThreshold() == 0) {
        allFrames = pixels;
      }
      List<Mark> kept = marks.stream().filter(Mark::kept).toList();
      String header =
          String.format(
              Locale.ROOT,
              "%s: kept %d of %d frames%s",
              configOf(e.getValue()),
              kept.size(),
              marks.size(),
              kept.size() > COLS ? " (first " + COLS + " shown)" : "");
      List<byte[]> thumbs = new ArrayList<>();
      List<String> labels = new ArrayList<>();
      for (Mark m : kept.subList(0, Math.min(COLS, kept.size()))) {
        thumbs.add(original(pixels.get(m.index()), frameId(name(video), m.ptsMicros())));
        labels.add(frameLabel(m));
      }
      strips.put(
          e.getKey(), new Strip(selectionStrip(header, marks, thumbs, labels), header, marks));
    }
    return new Gallery(strips, clip(name(video), allFrames, strips.get("all").frames()));
  }

  /** The id of the frame at {@code pts}: {@code <video>@<pts in us>}, as {@code ReadVideo}. */
  static String frameId(String video, long ptsMicros) {
    return video + "@" + ptsMicros;
  }

  private static String frameLabel(Mark m) {
    return String.format(
        Locale.ROOT, "#%d %.2fs%s", m.index(), m.ptsMicros() / 1e6, m.keyFrame() ? " K" : "");
  }

  /** The frame's original row (preprocess only) at thumbnail size, from its raw pixels. */
  static byte[] original(ImagePayload frame, String id) throws BadImageException {
    ImageHeader h = ImageHeaders.of(frame, Long.MAX_VALUE);
    return ImageFusion.render(frame.bytes(), h, PRE, null, SEED, id, Sample.ORIGINAL).rgb();
  }

  /**
   * The clip of the CLIPS contract: frames {@code k*K + j*S}, {@code K = T*S}; its original row and
   * {@value #CLIP_COPIES} copies, each drawn once and rendered on every frame.
   */
  static Clip clip(String video, Map<Long, ImagePayload> frames, List<Mark> all)
      throws BadImageException {
    long first = (long) CLIP_K * CLIP_T * CLIP_STRIDE;
    List<Long> indices = new ArrayList<>();
    List<Mark> marks = new ArrayList<>();
    for (int j = 0; j < CLIP_T; j++) {
      long i = first + (long) j * CLIP_STRIDE;
      indices.add(i);
      marks.add(all.stream().filter(m -> m.index() == i).findFirst().orElseThrow());
    }
    String id = frameId(video, marks.get(0).ptsMicros());
    List<ImagePayload> clipFrames = indices.stream().map(frames::get).toList();
    VideoPayload payload =
        new VideoPayload(video, marks.stream().mapToLong(Mark::ptsMicros).toArray(), clipFrames);
    ImageHeader h = ImageFusion.clipHeader(payload, Long.MAX_VALUE);
    List<Applied> draws = new ArrayList<>();
    draws.add(ImageFusion.draw(h, CLIP_PRE, CLIP_AUG, clipPixelOps(), SEED, id, Sample.ORIGINAL));
    for (int c = 0; c < CLIP_COPIES; c++) {
      // ONE draw per (clip id, copy index), on the clip's frame size: every frame shares it
      draws.add(ImageFusion.draw(h, CLIP_PRE, CLIP_AUG, clipPixelOps(), SEED, id, c));
    }
    List<List<byte[]>> rows = new ArrayList<>();
    List<List<Applied>> applied = new ArrayList<>();
    try (ImageBackend cpu = ImageBackend.open(ImageBackend.Kind.CPU)) {
      for (ImageFusion.RenderedClip r :
          ImageFusion.renderClip(payload, h, CLIP_PRE, draws, clipPixelOps(), cpu)) {
        rows.add(r.frames().stream().map(ImageFusion.Rendered::rgb).toList());
        applied.add(r.frames().stream().map(ImageFusion.Rendered::applied).toList());
      }
    }
    List<List<String>> rowText = new ArrayList<>();
    rowText.add(List.of("original", "(preprocess only)"));
    for (int c = 0; c < CLIP_COPIES; c++) {
      List<String> lines = new ArrayList<>();
      lines.add("copy " + c + ", drawn once:");
      lines.addAll(describe(draws.get(c + 1)));
      rowText.add(lines);
    }
    String header =
        String.format(
            Locale.ROOT,
            "clip %s: T=%d, stride %d; each copy one draw for all %d frames",
            id,
            CLIP_T,
            CLIP_STRIDE,
            CLIP_T);
    List<String> labels = marks.stream().map(VideoGallery::frameLabel).toList();
    return new Clip(clipStrip(header, labels, rowText, rows), id, List.copyOf(indices), applied);
  }

  /** The augment ops of a record (preprocess left out), one a line, rounded, seeds left out. */
  static List<String> describe(Applied a) {
    List<String> lines = new ArrayList<>();
    for (Applied.Op op : a.ops()) {
      if (op.position() < 0 || ImageFusion.PREPROCESS.equals(op.op())) {
        continue;
      }
      List<String> ps = new ArrayList<>();
      op.params()
          .forEach(
              (k, v) -> {
                if (!k.endsWith("seed") && !k.equals("border") && !k.equals("fill")) {
                  ps.add(
                      k
                          + "="
                          + (v instanceof Double d
                              ? String.format(Locale.ROOT, "%.1f", d)
                              : v.toString()));
                }
              });
      lines.add(ps.isEmpty() ? op.op() : op.op() + " " + String.join(" ", ps));
    }
    return lines.isEmpty() ? List.of("nothing fired") : lines;
  }

  // ---- drawing ----

  private static final Scalar WHITE = new Scalar(255, 255, 255, 0);
  private static final Scalar INK = new Scalar(30, 30, 30, 0);
  private static final Scalar LABEL_BG = new Scalar(32, 32, 32, 0);
  private static final Scalar KEPT = new Scalar(40, 110, 200, 0); // RGB
  private static final Scalar SKIPPED = new Scalar(200, 200, 200, 0);

  /** Strip width: {@value #COLS} thumbnails. */
  public static int width() {
    return COLS * TW;
  }

  /** Height of a selection strip: header, timeline, one row of labelled thumbnails. */
  public static int selectionHeight() {
    return LINE + TIMELINE + TH + LINE;
  }

  /** Width of the clip strip: {@value #CLIP_T} thumbnails and the text column. */
  public static int clipWidth() {
    return CLIP_T * CW + CLIP_TEXT;
  }

  /** Height of the clip strip: header, frame labels, then one row of thumbnails per row. */
  public static int clipHeight() {
    return LINE + LINE + (1 + CLIP_COPIES) * (CH + 2);
  }

  private static byte[] selectionStrip(
      String header, List<Mark> marks, List<byte[]> thumbs, List<String> labels) {
    try (Mat img = new Mat(selectionHeight(), width(), CV_8UC3, WHITE)) {
      text(img, header, 4, LINE - 4, INK, 0.4);
      double step = (double) width() / marks.size();
      int top = LINE;
      for (int i = 0; i < marks.size(); i++) {
        Mark m = marks.get(i);
        int x0 = (int) Math.round(i * step) + 1;
        int x1 = Math.max(x0, (int) Math.round((i + 1) * step) - 2);
        int y0 = m.kept() ? top + 2 : top + 9;
        fill(img, x0, y0, x1, top + TIMELINE - 3, m.kept() ? KEPT : SKIPPED);
        if (m.keyFrame()) {
          fill(img, x0, top, x1, top + 2, INK);
        }
      }
      int y = LINE + TIMELINE;
      for (int i = 0; i < thumbs.size(); i++) {
        tile(img, thumbs.get(i), i * TW, y, TW, TH);
        fill(img, i * TW, y + TH, i * TW + TW - 1, y + TH + LINE - 1, LABEL_BG);
        text(img, labels.get(i), i * TW + 4, y + TH + LINE - 4, WHITE, 0.35);
      }
      return png(img);
    }
  }

  private static byte[] clipStrip(
      String header, List<String> labels, List<List<String>> rowText, List<List<byte[]>> rows) {
    try (Mat img = new Mat(clipHeight(), clipWidth(), CV_8UC3, WHITE)) {
      text(img, header, 4, LINE - 4, INK, 0.4);
      fill(img, 0, LINE, CLIP_T * CW - 1, 2 * LINE - 1, LABEL_BG);
      for (int j = 0; j < labels.size(); j++) {
        text(img, labels.get(j), j * CW + 4, 2 * LINE - 4, WHITE, 0.35);
      }
      for (int r = 0; r < rows.size(); r++) {
        int y = 2 * LINE + 2 + r * (CH + 2);
        for (int j = 0; j < rows.get(r).size(); j++) {
          tile(img, rows.get(r).get(j), j * CW, y, CW, CH);
        }
        List<String> lines = rowText.get(r);
        for (int l = 0; l < lines.size(); l++) {
          text(img, lines.get(l), CLIP_T * CW + 6, y + 11 + l * 14, INK, 0.35);
        }
      }
      return png(img);
    }
  }

  private static void tile(Mat img, byte[] rgb, int x, int y, int w, int h) {
    if (rgb.length != w * h * 3) {
      throw new IllegalStateException(
          "a thumbnail of " + rgb.length + " bytes is not " + w + "x" + h);
    }
    try (BytePointer data = new BytePointer(rgb);
        Mat t = new Mat(h, w, CV_8UC3, data);
        Rect r = new Rect(x, y, w, h);
        Mat roi = img.apply(r)) {
      t.copyTo(roi);
    }
  }

  private static void fill(Mat img, int x0, int y0, int x1, int y1, Scalar color) {
    try (Point a = new Point(x0, y0);
        Point b = new Point(x1, y1)) {
      rectangle(img, a, b, color, FILLED, LINE_8, 0);
    }
  }

  private static void text(Mat img, String s, int x, int y, Scalar color, double scale) {
    try (Point p = new Point(x, y)) {
      putText(img, s, p, FONT_HERSHEY_SIMPLEX, scale, color, 1, LINE_AA, false);
    }
  }

  /** {@code rgb} as PNG. */
  private static byte[] png(Mat rgb) {
    return ImageEncoding.encode(rgb, "png", 9);
  }

  /** Writes every strip of {@code video} under {@code dir}; returns one line per file. */
  public static List<String> write(Path video, Path dir) throws IOException, BadImageException {
    Files.createDirectories(dir);
    Gallery g = render(video);
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Strip> e : g.strips().entrySet()) {
      Path out = dir.resolve(e.getKey() + ".png");
      Files.write(out, e.getValue().png());
      lines.add(
          String.format(
              Locale.ROOT,
              "wrote %s (%d bytes): %s; kept %s",
              out,
              e.getValue().png().length,
              e.getValue().header(),
              e.getValue().kept().stream().map(Mark::index).toList()));
    }
    Path out = dir.resolve("clip.png");
    Files.write(out, g.clip().png());
    lines.add(
        String.format(
            Locale.ROOT,
            "wrote %s (%d bytes): clip %s frames %s; copies %s",
            out,
            g.clip().png().length,
            g.clip().id(),
            g.clip().indices(),
            g.clip().applied().subList(1, g.clip().applied().size()).stream()
                .map(row -> row.get(0).toJson())
                .toList()));
    return lines;
  }

  /** {@code VideoGallery [OUT_DIR (docs/video)] [VIDEO (sample-data/video/tree/tree.avi)]}. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "docs/video");
    Path video = Path.of(args.length > 1 ? args[1] : DEFAULT_VIDEO);
    for (String line : write(video, dir)) {
      System.out.println(line);
    }
  }
}
