package dev.shardsmith.schemas;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A video frame ({@code T = 1}) or a clip of T frames of one video. Frames are images and follow
 * the image path; the presentation timestamps (microseconds) identify them within the video.
 */
public final class VideoPayload implements Payload {
  private final String videoId;
  private final long[] ptsMicros;
  private final List<ImagePayload> frames;

  public VideoPayload(String videoId, long[] ptsMicros, List<ImagePayload> frames) {
    this.videoId = requireNonNull(videoId, "videoId");
    this.ptsMicros = requireNonNull(ptsMicros, "ptsMicros");
    this.frames = List.copyOf(frames);
    if (ptsMicros.length != frames.size() || frames.isEmpty()) {
      throw new IllegalArgumentException("a clip needs one timestamp per frame, at least one");
    }
  }

  public String videoId() {
    return videoId;
  }

  public long[] ptsMicros() {
    return ptsMicros;
  }

  public List<ImagePayload> frames() {
    return frames;
  }

  @Override
  public Modality modality() {
    return Modality.VIDEO;
  }

  @Override
  public long payloadBytes() {
    return frames.stream().mapToLong(ImagePayload::payloadBytes).sum();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VideoPayload p
        && videoId.equals(p.videoId)
        && Arrays.equals(ptsMicros, p.ptsMicros)
        && frames.equals(p.frames);
  }

  @Override
  public int hashCode() {
    return Objects.hash(videoId, Arrays.hashCode(ptsMicros), frames);
  }
}
