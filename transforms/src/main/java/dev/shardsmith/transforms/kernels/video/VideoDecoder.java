package dev.shardsmith.transforms.kernels.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import dev.shardsmith.schemas.ImagePayload;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes videos with JavaCV's {@link FFmpegFrameGrabber}: a quick packet scan that finds the key
 * frames ({@link #scan}), and the decoding of one keyframe range into RGB frames with their
 * presentation timestamps, selected by a {@link FrameSelection} ({@link #decode}).
 *
 * <p>Damaged input: FFmpeg conceals most decode errors and logs them (single-threaded decoding, so
 * a message belongs to this thread's frame). A frame during whose decode FFmpeg logged an error
 * ({@code AV_LOG_ERROR} or worse) or reported concealing damaged blocks (its {@code AV_LOG_INFO}
 * "concealing N DC, N AC, N MV errors") is dropped and reported as a {@link VideoFailure} ({@code
 * decode_error}, with its pts and frame index); a warning ({@code AV_LOG_WARNING}, such as packed
 * Xvid's "Discarding excessive bitstream in packed xvid", which clean files also log) keeps the
 * frame and is reported to {@link Sink#warned}. Damage at the end of the stream reports a lost
 * frame. A stream whose last packet ends more than one second before the duration its header
 * declares reports one {@code truncated} failure. A file FFmpeg cannot open throws {@link
 * IOException} (a source rejection).
 */
public final class VideoDecoder {
  private VideoDecoder() {}

  /**
   * What a packet scan found: key frames (pts in microseconds, pts in the stream's time base, or
   * {@code AV_NOPTS_VALUE}, for seeking, and packet index), the tail, the frame size the stream's
   * header declares, and whether its key frames declare packed B-frames (DivX user data {@code
   * DivX503b1393p}: a B-frame stored in the packet of the frame before the key frame).
   */
  public record Scan(
      long[] keyPts,
      long[] keyPrevPts,
      long[] keyStreamPts,
      long[] keyIndex,
      long packets,
      long lastPts,
      long declaredEndMicros,
      double fps,
      int width,
      int height,
      boolean packedBFrames)
      implements Serializable {
    public int keyframes() {
      return keyPts.length;
    }
  }

  /** One decoded frame: its pts (microseconds), index in the video, key flag and RGB pixels. */
  public record DecodedFrame(long ptsMicros, long index, boolean keyFrame, ImagePayload image) {}

  /** Receives the outcome of {@link #decode}, frame by frame. */
  public interface Sink {
    void kept(DecodedFrame frame);

    /** A decoded frame left out: reason {@code sampling} or {@code motion}. */
    void skipped(long ptsMicros, long index, String reason);

    void failed(VideoFailure failure);

    /**
     * FFmpeg warned (but reported no damage) while decoding frame {@code index}, which was then
     * kept or skipped as usual; {@code message} is FFmpeg's. Default: ignored (the frame is whole).
     */
    default void warned(long ptsMicros, long index, String message) {}
  }

  // ---- FFmpeg messages of this thread ----

  /** An FFmpeg message; {@code damage}: an error, or a report of concealed (made-up) blocks. */
  private record Logged(boolean damage, String text) {}

  private static final ThreadLocal<List<Logged>> MESSAGES = new ThreadLocal<>();
  private static LogCallback callback;

  private static final class Collector extends LogCallback {
    @Override
    public void call(int level, BytePointer msg) {
      List<Logged> sink = MESSAGES.get();
      if (sink == null || level > AV_LOG_INFO) {
        return;
      }
      String text = msg.getString().trim().replaceAll(" @ 0x[0-9a-f]+", "");
      // error_resilience.c logs the blocks it had to invent at AV_LOG_INFO: damage all the same
      boolean concealed = text.matches("(\\[\\w+\\] )?concealing \\d+ DC.*");
      if (level <= AV_LOG_ERROR || concealed) {
        sink.add(new Logged(true, text));
      } else if (level <= AV_LOG_WARNING) {
        sink.add(new Logged(false, text));
      }
    }
  }

  private static synchronized void installLog() {
    if (callback == null) {
      callback = new Collector().retainReference();
      av_log_set_level(AV_LOG_INFO);
      avutil.setLogCallback(callback);
    }
  }

  /**
   * The distinct messages of one frame, at most {@link #SHOWN} of them, each with its count when
   * repeated (a damaged MPEG-4 frame can log thousands of identical lines).
   */
  static String summary(List<String> messages) {
    Map<String, Integer> n = new LinkedHashMap<>();
    messages.forEach(m -> n.merge(m, 1, Integer::sum));
    List<String> shown = new ArrayList<>();
    for (Map.Entry<String, Integer> e : n.entrySet()) {
      if (shown.size() == SHOWN) {
        shown.add("and " + (n.size() - SHOWN) + " more distinct messages");
        break;
      }
      shown.add(e.getKey() + (e.getValue() > 1 ? " (x" + e.getValue() + ")" : ""));
    }
    return String.join("; ", shown);
  }

  private static final int SHOWN = 4;

  private static String summary(List<Logged> messages, boolean damage) {
    return summary(messages.stream().filter(m -> m.damage() == damage).map(Logged::text).toList());
  }

  private static boolean damaged(List<Logged> messages) {
    return messages.stream().anyMatch(Logged::damage);
  }

  private static FFmpegFrameGrabber open(Path file, boolean rgb) throws IOException {
    installLog();
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
    if (rgb) {
      g.setPixelFormat(AV_PIX_FMT_RGB24);
    } else {
      // a packet scan converts no pixels: no w x h x 3 buffer for a header that may claim a bomb
      g.setImageMode(FrameGrabber.ImageMode.RAW);
    }
    g.setVideoOption("threads", "1");
    try {
      g.start();
    } catch (FFmpegFrameGrabber.Exception e) {
      close(g);
      throw new IOException("cannot open " + file.getFileName() + ": " + e.getMessage(), e);
    }
    if (videoStream(g) < 0 || g.getImageWidth() <= 0) {
      close(g);
      throw new IOException("no video stream in " + file.getFileName());
    }
    return g;
  }

  private static int videoStream(FFmpegFrameGrabber g) {
    AVFormatContext fc = g.getFormatContext();
    for (int i = 0; i < fc.nb_streams(); i++) {
      if (fc.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
        return i;
      }
    }
    return -1;
  }

  private static void close(FFmpegFrameGrabber g) {
    try {
      g.stop();
      g.release();
    } catch (FFmpegFrameGrabber.Exception e) {
      // closing never loses data already read
    }
  }

  /**
   * Reads the packets of {@code file}'s video stream (no decoding): the key frames and the tail.
   *
   * @throws IOException when FFmpeg cannot open the file or it has no video stream
   */
  public static Scan scan(Path file) throws IOException {
    FFmpegFrameGrabber g = open(file, false);
    MESSAGES.set(new ArrayList<>());
    try {
      AVFormatContext fc = g.getFormatContext();
      int vs = videoStream(g);
      AVRational tb = fc.streams(vs).time_base();
      List<long[]> keys = new ArrayList<>();
      List<Long> allPts = new ArrayList<>();
      long n = 0;
      long last = 0;
      boolean packed = false;
      AVPacket p;
      while ((p = g.grabPacket()) != null) {
        if (p.stream_index() == vs) {
          long ts = p.pts() != AV_NOPTS_VALUE ? p.pts() : p.dts();
          // microseconds as FFmpegFrameGrabber computes a frame's timestamp (truncated), so a key
          // frame's packet pts equals its decoded frame's pts exactly
          long ptsUs = ts == AV_NOPTS_VALUE ? last : 1_000_000L * ts * tb.num() / tb.den();
          if ((p.flags() & AV_PKT_FLAG_KEY) != 0 || n == 0) {
            keys.add(new long[] {ptsUs, n, ts});
            packed |= declaresPackedBFrames(p);
          }
          last = Math.max(last, ptsUs);
          allPts.add(ptsUs);
          n++;
        }
        av_packet_unref(p);
      }
      double fps = g.getVideoFrameRate() > 0 ? g.getVideoFrameRate() : 25;
      long declaredFrames = fc.streams(vs).nb_frames();
      long declaredEnd =
          declaredFrames > 0 ? Math.round(declaredFrames * 1e6 / fps) : fc.duration();
      long[] kp = new long[keys.size()];
      long[] ki = new long[keys.size()];
      long[] ks = new long[keys.size()];
      for (int i = 0; i < kp.length; i++) {
        kp[i] = keys.get(i)[0];
        ki[i] = keys.get(i)[1];
        ks[i] = keys.get(i)[2];
      }
      return new Scan(
          kp,
          previousPts(kp, allPts),
          ks,
          ki,
          n,
          last,
          declaredEnd,
          fps,
          g.getImageWidth(),
          g.getImageHeight(),
          packed);
    } catch (FFmpegFrameGrabber.Exception e) {
      throw new IOException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
    } finally {
      MESSAGES.remove();
      close(g);
    }
  }

  /**
   * Per key frame, the latest pts of the stream before its own (presentation order, whatever the
   * packet order); {@link Long#MIN_VALUE} when none, as for the first.
   */
  private static long[] previousPts(long[] keyPts, List<Long> allPts) {
    long[] sorted = allPts.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] out = new long[keyPts.length];
    for (int i = 0; i < keyPts.length; i++) {
      int at = java.util.Arrays.binarySearch(sorted, keyPts[i]);
      int below = at >= 0 ? at : -at - 1;
      while (below > 0 && sorted[below - 1] >= keyPts[i]) {
        below--;
      }
      out[i] = below == 0 ? Long.MIN_VALUE : sorted[below - 1];
    }
    return out;
  }

  private static final java.util.regex.Pattern PACKED =
      java.util.regex.Pattern.compile("DivX\\d+(Build|b)\\d+p");

  /** Whether MPEG-4 user data in {@code p} declares packed B-frames, as FFmpeg reads it. */
  private static boolean declaresPackedBFrames(AVPacket p) {
    int size = Math.min(p.size(), 4096);
    if (size <= 0 || p.data() == null) {
      return false;
    }
    byte[] b = new byte[size];
    p.data().get(b);
    return PACKED.matcher(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)).find();
  }

  /**
   * Decodes the frames of keyframe range {@code [fromKey, toKey)} of {@code scan} (seeking to key
   * frame {@code fromKey}, then every frame whose pts is before key frame {@code toKey}'s; the last
   * range decodes to the end) and passes each to {@code sink}, selected by {@code selection}. The
   * last range also reports a truncated tail.
   *
   * <p>A range owns the frames whose pts lies in {@code [keyPts[fromKey], keyPts[toKey])}: borders
   * are found by pts, not by counting frames, because a decoder may swallow the frames of damaged
   * packets (counting would then run into the next range and decode its first frames twice), and a
   * packet may hold no picture (the first packet of opencv-doc's packed-Xvid Megamind AVIs). Frames
   * decoded before the range's first frame with a pts before the range belong to the previous range
   * and are passed over (leading frames of an open GOP). With packed B-frames ({@link
   * Scan#packedBFrames}) the frame shown at a key frame's pts is a B-frame stored in the previous
   * GOP, so decoding starts at the previous key frame and passes over that GOP's frames. A frame's
   * index counts decoded frames from the last frame met at a key packet's pts, whose packet index
   * the scan gives, so a swallowed frame shifts only the indices of its own GOP. Decoding a range
   * thus gives the frames, pixels, failures and indices of one pass over the whole file; only
   * packed-Xvid's warning about excess bytes at the end of a GOP (met when the next key packet
   * arrives) is not repeated by the range that starts at that key frame.
   *
   * @throws IOException when FFmpeg cannot open the file
   */
  public static void decode(
      Path file, Scan scan, int fromKey, int toKey, FrameSelection selection, Sink sink)
      throws IOException {
    FFmpegFrameGrabber g = open(file, true);
    List<Logged> messages = new ArrayList<>();
    MESSAGES.set(messages);
    long startPts = scan.keyPts()[fromKey];
    long endPts = toKey < scan.keyframes() ? scan.keyPts()[toKey] : Long.MAX_VALUE;
    long frameUs = Math.max(1, Math.round(1e6 / scan.fps()));
    long index = scan.keyIndex()[fromKey];
    long prevPts = startPts - frameUs;
    Selector selector = new Selector(selection, frameUs, scan.keyPrevPts()[fromKey]);
    boolean started = false;
    try {
      int seekKey = scan.packedBFrames() ? fromKey - 1 : fromKey;
      if (seekKey > 0) {
        seek(g, file, scan, seekKey);
      }
      messages.clear();
      while (true) {
        Frame f;
        try {
          f = g.grabImage();
        } catch (FFmpegFrameGrabber.Exception e) {
          messages.add(new Logged(true, e.getMessage()));
          f = null;
        }
        if (f == null) {
          if (damaged(messages)) {
            sink.failed(
                new VideoFailure(
                    prevPts + frameUs, index, "decode_error", summary(messages, true)));
          } else if (!messages.isEmpty()) {
            sink.warned(prevPts + frameUs, index, summary(messages, false));
          }
          break;
        }
        long pts = f.timestamp;
        if (pts <= prevPts) {
          pts = prevPts + frameUs; // flushed frames without a timestamp follow the previous one
        }
        if (pts >= endPts) {
          break;
        }
        if (!started && f.timestamp < startPts) {
          messages.clear(); // the previous range's frame, and its messages
          continue;
        }
        started = true;
        // the picture of a key packet (by its pts: a damaged key frame may lose its key flag)
        int key = Arrays.binarySearch(scan.keyPts(), pts);
        if (key >= 0) {
          index = scan.keyIndex()[key];
        }
        prevPts = pts;
        long i = index++;
        if (damaged(messages)) {
          sink.failed(new VideoFailure(pts, i, "decode_error", summary(messages, true)));
          messages.clear();
          continue;
        }
        if (!messages.isEmpty()) {
          sink.warned(pts, i, summary(messages, false));
          messages.clear();
        }
        ImagePayload image = rgb(f);
        String skip = selector.skipReason(pts, i, f.keyFrame, image);
        if (skip == null) {
          sink.kept(new DecodedFrame(pts, i, f.keyFrame, image));
        } else {
          sink.skipped(pts, i, skip);
        }
      }
      if (toKey >= scan.keyframes()
          && scan.lastPts() + frameUs + 1_000_000 < scan.declaredEndMicros()) {
        sink.failed(
            new VideoFailure(
                scan.lastPts(),
                scan.packets(),
                "truncated",
                "stream ends at pts "
                    + scan.lastPts()
                    + " us after "
                    + scan.packets()
                    + " packets; its header declares "
                    + scan.declaredEndMicros()
                    + " us"));
      }
    } finally {
      MESSAGES.remove();
      close(g);
    }
  }

  /**
   * Seeks a just-opened grabber's demuxer to key packet {@code key}, decoding nothing. {@link
   * FFmpegFrameGrabber#setVideoTimestamp} is not used: it seeks half a second early and decodes up
   * to the target inside the call, so the messages of those frames (the previous range's) and of
   * the target frame itself could not be told apart.
   */
  private static void seek(FFmpegFrameGrabber g, Path file, Scan scan, int key)
      throws IOException, FFmpegFrameGrabber.Exception {
    long ts = scan.keyStreamPts()[key];
    if (ts == AV_NOPTS_VALUE) {
      g.setVideoTimestamp(scan.keyPts()[key]);
      return;
    }
    int r = av_seek_frame(g.getFormatContext(), videoStream(g), ts, AVSEEK_FLAG_BACKWARD);
    if (r < 0) {
      throw new IOException(
          "cannot seek "
              + file.getFileName()
              + " to key frame "
              + key
              + " (pts "
              + scan.keyPts()[key]
              + " us): FFmpeg error "
              + r);
    }
  }

  /** Interleaved RGB bytes of a {@code AV_PIX_FMT_RGB24} frame, row padding removed. */
  static ImagePayload rgb(Frame f) {
    int w = f.imageWidth;
    int h = f.imageHeight;
    int row = w * 3;
    byte[] px = new byte[row * h];
    ByteBuffer b = ((ByteBuffer) f.image[0]).duplicate();
    for (int y = 0; y < h; y++) {
      b.position(y * f.imageStride);
      b.get(px, y * row, row);
    }
    return ImagePayload.raw(px, w, h, 3);
  }

  /** The per-range state of a {@link FrameSelection}. */
  static final class Selector {
    private static final int BINS = 32;
    private final FrameSelection s;
    private final long frameUs;
    private double[] prevHist;
    private float[] lastKeptGray;
    private long prevPts;

    /**
     * {@code before}: the pts of the stream's frame just before the range ({@link
     * Scan#keyPrevPts}), {@link Long#MIN_VALUE} at the start of the stream.
     */
    Selector(FrameSelection s, long frameUs, long before) {
      this.s = s;
      this.frameUs = frameUs;
      this.prevPts = before;
    }

    /** Null when the frame is kept, else {@code sampling} or {@code motion}. */
    String skipReason(long pts, long index, boolean key, ImagePayload image) {
      // the previous frame of the stream (one nominal frame earlier for the very first), also
      // across a range border: frames far apart (tree.avi's ~0.4 s at a declared 15 fps) must
      // not step over a boundary
      long before = prevPts == Long.MIN_VALUE ? pts - frameUs : prevPts;
      prevPts = pts;
      boolean selected =
          switch (s.mode()) {
            case ALL -> true;
            case EVERY_NTH -> index % s.everyNth() == 0;
            case FPS -> Math.floor(pts * s.fps() / 1e6) > Math.floor(before * s.fps() / 1e6);
            case KEYFRAMES -> key;
            case SCENE_CUTS -> {
              double[] h = histogram(image);
              boolean cut = prevHist == null || distance(prevHist, h) > s.sceneThreshold();
              prevHist = h;
              yield cut;
            }
          };
      if (!selected) {
        return "sampling";
      }
      if (s.motionThreshold() > 0) {
        float[] gray = gray(image);
        if (lastKeptGray != null && meanAbsDiff(lastKeptGray, gray) < s.motionThreshold()) {
          return "motion";
        }
        lastKeptGray = gray;
      }
      return null;
    }

    static double[] histogram(ImagePayload image) {
      byte[] p = image.bytes();
      double[] h = new double[BINS];
      int n = p.length / 3;
      for (int i = 0; i < n; i++) {
        double y = luma(p, i * 3);
        h[Math.min(BINS - 1, (int) (y * BINS / 256))]++;
      }
      for (int i = 0; i < BINS; i++) {
        h[i] /= n;
      }
      return h;
    }

    static double distance(double[] a, double[] b) {
      double d = 0;
      for (int i = 0; i < a.length; i++) {
        d += Math.abs(a[i] - b[i]);
      }
      return d / 2;
    }

    static float[] gray(ImagePayload image) {
      byte[] p = image.bytes();
      int w = image.width();
      int h = image.height();
      float[] g = new float[((h + 3) / 4) * ((w + 3) / 4)];
      int k = 0;
      for (int y = 0; y < h; y += 4) {
        for (int x = 0; x < w; x += 4) {
          g[k++] = (float) (luma(p, (y * w + x) * 3) / 255);
        }
      }
      return g;
    }

    static double meanAbsDiff(float[] a, float[] b) {
      double d = 0;
      for (int i = 0; i < a.length; i++) {
        d += Math.abs(a[i] - b[i]);
      }
      return d / a.length;
    }

    private static double luma(byte[] p, int o) {
      return 0.299 * (p[o] & 0xff) + 0.587 * (p[o + 1] & 0xff) + 0.114 * (p[o + 2] & 0xff);
    }
  }
}
