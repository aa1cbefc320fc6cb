package dev.shardsmith.transforms.kernels.image.ops;

import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * WebP re-compression ({@code webp_compression}, Albumentations' ImageCompression with
 * compression_type=webp; quality 100 is lossless in OpenCV): the image is encoded with OpenCV at a
 * quality uniform over the integers in {@code [qualityMin, qualityMax]} (within [1, 100]) and
 * decoded back. Params: {@code quality}. The image is encoded as BGR, as the codec expects
 * (Albumentations hands OpenCV the RGB array as is, which weighs chroma wrongly).
 *
 * <pre>{@code
 * new WebpCompression(0.5, 50, 95)
 * }</pre>
 */
public record WebpCompression(double p, int qualityMin, int qualityMax) implements PixelOp {
  public static final String NAME = "webp_compression";

  public WebpCompression {
    OpParams.probability(NAME, p);
    OpParams.range(NAME, "quality_range", qualityMin, qualityMax, 1, 100);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = OpParams.params();
    m.put("quality", OpParams.uniformInt(rng, qualityMin, qualityMax));
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    int q = (int) OpParams.integer(NAME, params, "quality", 1, 100);
    Recompression.roundTrip(NAME, rgb, "webp", q);
  }
}
