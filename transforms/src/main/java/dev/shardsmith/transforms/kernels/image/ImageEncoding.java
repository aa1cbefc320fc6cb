package dev.shardsmith.transforms.kernels.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_COMPRESSION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Encodes raw RGB pixels ({@code height x width x channels}, row-major) as PNG (lossless,
 * compression level 6), JPEG or WebP at a quality (1..100; WebP 100 is lossless). Deterministic for
 * a given OpenCV build: the same pixels and settings give the same bytes.
 *
 * <pre>{@code
 * byte[] png = ImageEncoding.encode(rgb, 224, 224, 3, "png", 0);
 * }</pre>
 */
public final class ImageEncoding {
  private ImageEncoding() {}

  /** The formats {@link #encode} writes. */
  public static final java.util.List<String> FORMATS = java.util.List.of("png", "jpeg", "webp");

  public static byte[] encode(
      byte[] rgb, int width, int height, int channels, String format, int quality) {
    if (rgb.length != (long) width * height * channels) {
      throw new IllegalArgumentException(
          "encode: " + rgb.length + " bytes are not " + width + "x" + height + "x" + channels);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("encode: 1 or 3 channels, not " + channels);
    }
    try (BytePointer data = new BytePointer(rgb);
        Mat image = new Mat(height, width, CV_8UC(channels), data)) {
      return encode(image, format, quality);
    }
  }

  /** Encodes an 8-bit RGB (or gray) {@code Mat}; the {@code Mat} is not changed. */
  public static byte[] encode(Mat image, String format, int quality) {
    int[] params;
    String ext;
    switch (format) {
      case "png" -> {
        ext = ".png";
        params = new int[] {IMWRITE_PNG_COMPRESSION, 6};
      }
      case "jpeg" -> {
        ext = ".jpg";
        params = new int[] {IMWRITE_JPEG_QUALITY, checkQuality(quality)};
      }
      case "webp" -> {
        ext = ".webp";
        params = new int[] {IMWRITE_WEBP_QUALITY, checkQuality(quality)};
      }
      default ->
          throw new IllegalArgumentException(
              "encode: format must be one of " + FORMATS + ", was " + format);
    }
    try (Mat bgr = new Mat();
        IntPointer p = new IntPointer(params);
        BytePointer out = new BytePointer()) {
      Mat src = image;
      if (image.channels() == 3) {
        cvtColor(image, bgr, COLOR_RGB2BGR); // OpenCV writes BGR
        src = bgr;
      }
      if (!imencode(ext, src, out, p)) {
        throw new IllegalStateException("OpenCV could not encode " + format);
      }
      byte[] bytes = new byte[(int) out.limit()];
      out.get(bytes);
      return bytes;
    }
  }

  private static int checkQuality(int q) {
    if (q < 1 || q > 100) {
      throw new IllegalArgumentException("encode: quality must be in [1, 100], was " + q);
    }
    return q;
  }
}
