package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.shardsmith.transforms.kernels.Params;
import dev.shardsmith.transforms.kernels.image.ImageEncoding;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Re-compression through a lossy codec (Albumentations' ImageCompression): {@code jpeg_compression}
 * or {@code webp_compression} (WebP quality 100 is lossless in OpenCV). The image is encoded with
 * OpenCV ({@link ImageEncoding}) at a quality uniform over the integers in {@code [qualityMin,
 * qualityMax]} (within [1, 100]) and decoded back. Params: {@code quality}. The image is encoded as
 * BGR, as the codec expects (Albumentations hands OpenCV the RGB array as is, which weighs chroma
 * wrongly).
 *
 * <pre>{@code
 * Compression.jpeg(0.5, 50, 95)
 * Compression.webp(0.5, 50, 95)
 * }</pre>
 */
public record Compression(double p, Codec codec, int qualityMin, int qualityMax)
    implements PixelOp {
  /** The name of JPEG re-compression. */
  public static final String JPEG = "jpeg_compression";

  /** The name of WebP re-compression. */
  public static final String WEBP = "webp_compression";

  /** The codec, with the op's name and the format {@link ImageEncoding} writes. */
  public enum Codec {
    JPEG_CODEC(JPEG, "jpeg"),
    WEBP_CODEC(WEBP, "webp");

    private final String opName;
    private final String format;

    Codec(String opName, String format) {
      this.opName = opName;
      this.format = format;
    }
  }

  public Compression {
    Objects.requireNonNull(codec, "codec");
    Params.probability(codec.opName, p);
    Params.range(codec.opName, "quality_range", qualityMin, qualityMax, 1, 100);
  }

  /** {@code jpeg_compression} at a quality in {@code [qualityMin, qualityMax]}. */
  public static Compression jpeg(double p, int qualityMin, int qualityMax) {
    return new Compression(p, Codec.JPEG_CODEC, qualityMin, qualityMax);
  }

  /** {@code webp_compression} at a quality in {@code [qualityMin, qualityMax]}. */
  public static Compression webp(double p, int qualityMin, int qualityMax) {
    return new Compression(p, Codec.WEBP_CODEC, qualityMin, qualityMax);
  }

  @Override
  public String name() {
    return codec.opName;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("quality", Params.uniformInt(rng, qualityMin, qualityMax));
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    String op = codec.opName;
    RgbPixels.requireRgb(op, rgb);
    int q = (int) Params.integer(op, params, "quality", 1, 100);
    byte[] encoded = ImageEncoding.encode(rgb, codec.format, q);
    try (Mat buf = new Mat(encoded);
        Mat decoded = imdecode(buf, IMREAD_COLOR)) {
      if (decoded.empty() || decoded.cols() != rgb.cols() || decoded.rows() != rgb.rows()) {
        throw new IllegalStateException(op + ": OpenCV could not decode its own " + codec.format);
      }
      cvtColor(decoded, rgb, COLOR_BGR2RGB);
    }
  }
}
