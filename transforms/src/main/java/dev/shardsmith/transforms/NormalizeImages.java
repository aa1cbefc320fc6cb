package dev.shardsmith.transforms;

import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Payload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.kernels.stats.ChannelAccumulator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Applies per-channel image statistics (a singleton side input from {@link
 * FitStatistics#channels()}, fitted on the train originals) to every row of every split, originals
 * and augmented copies alike: each uint8 pixel {@code x} of channel {@code c} becomes the float32
 * {@code (x - mean_c) / std_c} ({@code 0} for a channel whose std is 0), so rows leave as {@link
 * ImagePayload#RAW_FLOAT32} with the same shape and targets; a clip ({@link VideoPayload}) has each
 * of its frames normalized so. Deterministic, one row at a time.
 *
 * <pre>{@code
 * PCollectionView<ChannelAccumulator> fit =
 *     rows.apply("FitChannels", FitStatistics.channels()).apply(View.asSingleton());
 * PCollection<Sample> normalized = rows.apply("NormalizeImages", NormalizeImages.with(fit));
 * }</pre>
 */
public final class NormalizeImages extends PTransform<PCollection<Sample>, PCollection<Sample>> {
  private static final long serialVersionUID = 1L;

  private final PCollectionView<ChannelAccumulator> fit;

  private NormalizeImages(PCollectionView<ChannelAccumulator> fit) {
    this.fit = fit;
  }

  /** Normalizes with the channel statistics in {@code fit}. */
  public static NormalizeImages with(PCollectionView<ChannelAccumulator> fit) {
    return new NormalizeImages(fit);
  }

  @Override
  public PCollection<Sample> expand(PCollection<Sample> rows) {
    return rows.apply("Apply", ParDo.of(new ApplyFn(fit)).withSideInputs(fit))
        .setCoder(SampleCoder.of());
  }

  /** {@code p}'s uint8 pixels normalized by {@code channels}, as float32 pixels. */
  public static ImagePayload normalized(ImagePayload p, ChannelAccumulator channels) {
    if (!ImagePayload.RAW.equals(p.format())) {
      throw new IllegalStateException(
          "image normalization needs decoded uint8 pixels, got " + p.format());
    }
    if (channels.images() == 0) {
      throw new IllegalStateException(
          "normalize.image.apply: the channel statistics were fitted on 0 train originals (the"
              + " train split is empty: split.train is 0, or every train image was rejected or"
              + " filtered), so val/test images cannot be standardized: raise split.train, or set"
              + " normalize.image.apply: false to only record the statistics");
    }
    if (p.channels() != channels.channels()) {
      throw new IllegalStateException(
          "image has "
              + p.channels()
              + " channels but the statistics were fitted on "
              + channels.channels()
              + " (over "
              + channels.images()
              + " train originals)");
    }
    float[] values = channels.normalize(p.bytes());
    ByteBuffer le = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    le.asFloatBuffer().put(values);
    return ImagePayload.rawFloat32(le.array(), p.width(), p.height(), p.channels())
        .withTargets(p.targets());
  }

  /** Each frame of {@code clip} normalized by {@code channels}: float32 frames, same id and pts. */
  public static VideoPayload normalized(VideoPayload clip, ChannelAccumulator channels) {
    List<ImagePayload> frames = new ArrayList<>(clip.frames().size());
    for (ImagePayload f : clip.frames()) {
      frames.add(normalized(f, channels));
    }
    return new VideoPayload(clip.videoId(), clip.ptsMicros(), frames);
  }

  static final class ApplyFn extends DoFn<Sample, Sample> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<ChannelAccumulator> fit;

    ApplyFn(PCollectionView<ChannelAccumulator> fit) {
      this.fit = fit;
    }

    @ProcessElement
    public void process(@Element Sample s, ProcessContext c, OutputReceiver<Sample> out) {
      ChannelAccumulator channels = c.sideInput(fit);
      Payload p =
          s.payload() instanceof VideoPayload clip
              ? normalized(clip, channels)
              : normalized(s.image(), channels);
      out.output(s.toBuilder().payload(p).build());
    }
  }
}
