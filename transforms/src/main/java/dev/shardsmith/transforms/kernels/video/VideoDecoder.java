package dev.shardsmith.transforms.kernels.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import dev.shardsmith.schemas.ImagePayload;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Decodes videos with JavaCV's {@link FFmpegFrameGrabber}: a quick packet scan that finds the key
 * frames ({@link #scan}), and the decoding of one keyframe range into RGB frames with their
 * presentation timestamps, selected by a {@link FrameSelection} ({@link #decode}).
 *
 * <p>Damaged input: FFmpeg conceals most decode errors and logs them. Every FFmpeg warning or error
 * logged while a frame is decoded (single-threaded decoding, so the message belongs to this
 * thread's frame) drops that frame and reports a {@link VideoFailure} ({@code decode_error}, with
 * its pts and frame index); a message at the end of the stream reports a lost frame. A stream whose
 * last packet ends more than one second before the duration its header declares reports one {@code
 * truncated} failure. A file FFmpeg cannot open throws {@link IOException} (a source rejection).
 */
public final class VideoDecoder {
  private VideoDecoder() {}

  /** What a packet scan found: key frames (pts in microseconds and frame index) and the tail. */
  public record Scan(
      long[] keyPts,
      long[] keyIndex,
      long packets,
      long lastPts,
      long declaredEndMicros,
      double fps)
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
  }

  // ---- FFmpeg messages of this thread ----

  private static final ThreadLocal<List<String>> MESSAGES = new ThreadLocal<>();
  private static LogCallback callback;

  private static final class Collector extends LogCallback {
    @Override
    public void call(int level, BytePointer msg) {
      List<String> sink = MESSAGES.get();
      if (sink != null && level <= AV_LOG_WARNING) {
        sink.add(msg.getString().trim().replaceAll(" @ 0x[0-9a-f]+", ""));
      }
    }
  }

  private static synchronized void installLog() {
    if (callback == null) {
      callback = new Collector().retainReference();
      av_log_set_level(AV_LOG_WARNING);
      avutil.setLogCallback(callback);
    }
  }

  private static FFmpegFrameGrabber open(Path file, boolean rgb) throws IOException {
    installLog();
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
    if (rgb) {
      g.setPixelFormat(AV_PIX_FMT_RGB24);
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
      AVRational us = av_make_q(1, 1_000_000);
      List<long[]> keys = new ArrayList<>();
      long n = 0;
      long last = 0;
      AVPacket p;
      while ((p = g.grabPacket()) != null) {
        if (p.stream_index() == vs) {
          long ts = p.pts() != AV_NOPTS_VALUE ? p.pts() : p.dts();
          long ptsUs = ts == AV_NOPTS_VALUE ? last : av_rescale_q(ts, tb, us);
          if ((p.flags() & AV_PKT_FLAG_KEY) != 0 || n == 0) {
            keys.add(new long[] {ptsUs, n});
          }
          last = Math.max(last, ptsUs);
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
      for (int i = 0; i < kp.length; i++) {
        kp[i] = keys.get(i)[0];
        ki[i] = keys.get(i)[1];
      }
      return new Scan(kp, ki, n, last, declaredEnd, fps);
    } catch (FFmpegFrameGrabber.Exception e) {
      throw new IOException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
    } finally {
      MESSAGES.remove();
      close(g);
    }
  }

  /**
   * Decodes the frames of keyframe range {@code [fromKey, toKey)} of {@code scan} (seeking to key
   * frame {@code fromKey}, then as many frames as the scan counted packets up to key frame {@code
   * toKey}: one frame per video packet, as in AVI, MP4 and MKV without packed bitstreams; the last
   * range decodes to the end) and passes each to {@code sink}, selected by {@code selection}. The
   * last range also reports a truncated tail.
   *
   * @throws IOException when FFmpeg cannot open the file
   */
  public static void decode(
      Path file, Scan scan, int fromKey, int toKey, FrameSelection selection, Sink sink)
      throws IOException {
    FFmpegFrameGrabber g = open(file, true);
    List<String> messages = new ArrayList<>();
    MESSAGES.set(messages);
    long startPts = scan.keyPts()[fromKey];
    long endIndex = toKey < scan.keyframes() ? scan.keyIndex()[toKey] : Long.MAX_VALUE;
    long frameUs = Math.max(1, Math.round(1e6 / scan.fps()));
    long index = scan.keyIndex()[fromKey];
    long prevPts = startPts - frameUs;
    Selector selector = new Selector(selection, frameUs);
    try {
      if (fromKey > 0) {
        g.setVideoTimestamp(startPts);
      }
      messages.clear();
      while (true) {
        Frame f;
        try {
          f = g.grabImage();
        } catch (FFmpegFrameGrabber.Exception e) {
          messages.add(e.getMessage());
          f = null;
        }
        if (f == null) {
          if (!messages.isEmpty()) {
            sink.failed(
                new VideoFailure(
                    prevPts + frameUs, index, "decode_error", String.join("; ", messages)));
          }
          break;
        }
        long pts = f.timestamp;
        if (pts <= prevPts) {
          pts = prevPts + frameUs; // flushed frames without a timestamp follow the previous one
        }
        if (index >= endIndex) {
          break;
        }
        prevPts = pts;
        long i = index++;
        if (!messages.isEmpty()) {
          sink.failed(new VideoFailure(pts, i, "decode_error", String.join("; ", messages)));
          messages.clear();
          continue;
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
    private long prevPts = Long.MIN_VALUE;

    Selector(FrameSelection s, long frameUs) {
      this.s = s;
      this.frameUs = frameUs;
    }

    /** Null when the frame is kept, else {@code sampling} or {@code motion}. */
    String skipReason(long pts, long index, boolean key, ImagePayload image) {
      // the previous decoded frame of the range (one nominal frame earlier for its first): frames
      // far apart (tree.avi's ~0.4 s at a declared 15 fps) must not step over a boundary
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
