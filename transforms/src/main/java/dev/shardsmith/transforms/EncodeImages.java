package dev.shardsmith.transforms;

import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.kernels.image.ImageEncoding;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Encodes each row's raw pixels as PNG, JPEG or WebP, for shards of variable-size images (the shard
 * keeps the height, width and channels beside the bytes). Every split, every row; the
 * applied-parameters record is unchanged (encoding is a storage choice, not an augmentation). Clips
 * ({@link VideoPayload}) are written raw only: a clip row fails with an error naming {@code
 * output.image_encoding} (the config refuses other encodings for clips before any data is read).
 *
 * <pre>{@code
 * rows.apply("EncodeImages", EncodeImages.as("png", 0));
 * }</pre>
 */
public final class EncodeImages extends PTransform<PCollection<Sample>, PCollection<Sample>> {
  private final String format;
  private final int quality;

  private EncodeImages(String format, int quality) {
    this.format = format;
    this.quality = quality;
  }

  /** {@code png} (quality ignored), {@code jpeg} or {@code webp} at {@code quality} in 1..100. */
  public static EncodeImages as(String format, int quality) {
    if (!ImageEncoding.FORMATS.contains(format)) {
      throw new IllegalArgumentException(
          "as: format must be one of " + ImageEncoding.FORMATS + ", was " + format);
    }
    return new EncodeImages(format, quality);
  }

  @Override
  public PCollection<Sample> expand(PCollection<Sample> rows) {
    return rows.apply("Encode", ParDo.of(new EncodeFn(format, quality))).setCoder(SampleCoder.of());
  }

  static final class EncodeFn extends DoFn<Sample, Sample> {
    private final String format;
    private final int quality;

    EncodeFn(String format, int quality) {
      this.format = format;
      this.quality = quality;
    }

    @Setup
    public void setup() {
      org.bytedeco.opencv.global.opencv_core.setNumThreads(1);
    }

    @ProcessElement
    public void process(@Element Sample row, OutputReceiver<Sample> out) {
      if (row.payload() instanceof VideoPayload) {
        throw new IllegalArgumentException(
            row.id()
                + " is a clip: clips are written raw (N x T x H x W x C tensors), so"
                + " output.image_encoding must be raw for them, not "
                + format);
      }
      ImagePayload img = row.image();
      byte[] bytes =
          ImageEncoding.encode(
              img.bytes(), img.width(), img.height(), img.channels(), format, quality);
      out.output(
          row.toBuilder()
              .payload(img.withImage(bytes, format, img.width(), img.height(), img.channels()))
              .build());
    }
  }
}
