package dev.shardsmith.pipelines;

import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.pipelines.config.VideoInputConfig;
import dev.shardsmith.transforms.ReadVideo;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The video pipeline: {@link ReadVideo} decodes the selected frames of each video (a splittable
 * read over key frame ranges) into image samples whose group is the video, so no video straddles
 * splits; the frames then take the image path of {@link ImagePipeline} unchanged (split, balance,
 * fused preprocess and augment, statistics, shards). Frames the selection leaves out count as
 * {@code samples.filtered.frame_skip}; decode failures are sample-level rejections. With {@code
 * input.clips}, samples are clips of T raw frames ({@link ReadVideo#withClips}) that the fused step
 * renders with one set of parameters per clip.
 */
public final class VideoPipeline {
  private VideoPipeline() {}

  /** Adds the whole run to {@code p}, writing into {@code staging}. */
  public static void build(Pipeline p, RunConfig config, Path staging) {
    VideoInputConfig v = config.input().video();
    Map<String, Path> files = v.resolve();
    ReadVideo reader =
        ReadVideo.of(files, VideoInputConfig.labels(files))
            .withSelection(v.selection())
            .withKeyframesPerRange(v.keyframesPerRange())
            .withMinSize(config.quality().minWidth(), config.quality().minHeight())
            .withMaxPixels(config.quality().maxPixels());
    VideoInputConfig.Clips clips = v.clips();
    if (clips != null) {
      reader = reader.withClips(clips.frames(), clips.stride(), clips.step());
    }
    PCollectionTuple read = p.apply("ReadVideo", reader);
    ImagePipeline.buildFrom(
        p,
        config,
        staging,
        // raw RGB frames and clips go straight into the fused image step (no PNG round trip)
        read.get(ReadVideo.OK),
        read.get(ReadVideo.REJECTED),
        read.get(ReadVideo.COUNTS));
  }
}
