package dev.shardsmith.transforms.kernels.image;

import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.kernels.video.FrameSelection;
import dev.shardsmith.transforms.kernels.video.VideoDecoder;
import dev.shardsmith.transforms.kernels.video.VideoFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real frames of the committed {@code sample-data/video/tree/tree.avi} (opencv-doc, 320x240),
 * decoded once by {@link VideoDecoder} into raw RGB payloads, for the clip and raw-frame tests.
 */
public final class TreeFrames {
  private TreeFrames() {}

  public static final Path TREE = Path.of("../sample-data/video/tree/tree.avi");

  private static List<VideoDecoder.DecodedFrame> frames;

  /** Every decoded frame of tree.avi, in stream order. */
  public static synchronized List<VideoDecoder.DecodedFrame> all() {
    if (frames == null) {
      List<VideoDecoder.DecodedFrame> kept = new ArrayList<>();
      try {
        VideoDecoder.Scan scan = VideoDecoder.scan(TREE);
        VideoDecoder.decode(
            TREE,
            scan,
            0,
            scan.keyframes(),
            FrameSelection.all(),
            new VideoDecoder.Sink() {
              @Override
              public void kept(VideoDecoder.DecodedFrame frame) {
                kept.add(frame);
              }

              @Override
              public void skipped(long ptsMicros, long index, String reason) {}

              @Override
              public void failed(VideoFailure failure) {
                throw new IllegalStateException("tree.avi failed: " + failure);
              }
            });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      frames = List.copyOf(kept);
    }
    return frames;
  }

  /** The raw RGB frame at stream index {@code i}. */
  public static ImagePayload frame(int i) {
    return all().get(i).image();
  }

  /** A clip of the frames at stream indices {@code first, first + stride, ...}, T of them. */
  public static VideoPayload clip(int first, int stride, int t) {
    long[] pts = new long[t];
    List<ImagePayload> images = new ArrayList<>();
    for (int j = 0; j < t; j++) {
      VideoDecoder.DecodedFrame f = all().get(first + j * stride);
      pts[j] = f.ptsMicros();
      images.add(f.image());
    }
    return new VideoPayload("tree.avi", pts, images);
  }

  /** The id a clip sample gets: {@code <video>@<pts of its first frame in us>}. */
  public static String clipId(VideoPayload clip) {
    return clip.videoId() + "@" + clip.ptsMicros()[0];
  }
}
