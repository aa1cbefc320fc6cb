package dev.shardsmith.pipelines;

import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.pipelines.config.VideoInputConfig;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.EncodeImages;
import dev.shardsmith.transforms.ReadVideo;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;
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
            .withKeyframesPerRange(v.keyframesPerRange());
    VideoInputConfig.Clips clips = v.clips();
    if (clips != null) {
      reader = reader.withClips(clips.frames(), clips.stride(), clips.step());
    }
    PCollectionTuple read = p.apply("ReadVideo", reader);
    PCollection<Sample> samples = read.get(ReadVideo.OK);
    if (clips == null) {
      // the fused image step decodes once from encoded bytes: frames travel as lossless PNG
      samples = samples.apply("FramesAsPng", EncodeImages.as("png", 0));
    } // clips travel as raw RGB frames: the fused step takes them undecoded
    ImagePipeline.buildFrom(
        p, config, staging, samples, read.get(ReadVideo.REJECTED), read.get(ReadVideo.COUNTS));
  }
}
