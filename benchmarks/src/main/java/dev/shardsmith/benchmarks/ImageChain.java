package dev.shardsmith.benchmarks;

import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.getRotationMatrix2D;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The image work that {@code benchmarks/run decode} times: decode, and decode + horizontal flip +
 * rotate 15 degrees about the centre (same size, bilinear, black border) + resize to 256x256
 * (bilinear) + 5x5 Gaussian blur (sigma from the kernel size).
 *
 * <p>The benchmark codes against this interface so that it can measure the product's kernels
 * ({@code dev.shardsmith.transforms.kernels.image}) once they exist, by adding an implementation
 * here; today the only one, {@link #javaCv()}, calls JavaCV's OpenCV bindings directly, the same
 * calls the Python peer makes. Each call returns a new {@link Mat} that the caller closes;
 * intermediate Mats are closed before returning. Deterministic; one thread when {@code
 * opencv_core.setNumThreads(1)} has been called.
 *
 * <p>{@code try (Mat bgr = ImageChain.javaCv().decode(jpegBytes)) { ... }}
 */
public interface ImageChain {
  /** Degrees of the rotation in {@link #decodeAugment}, counter-clockwise as in OpenCV. */
  double ROTATE_DEGREES = 15;

  /** Side of the square output of {@link #decodeAugment}. */
  int RESIZE_SIDE = 256;

  /** Side of the square Gaussian kernel of {@link #decodeAugment}. */
  int BLUR_KERNEL = 5;

  /** Decodes encoded image bytes to 8-bit BGR. */
  Mat decode(byte[] encoded);

  /** Decodes, flips horizontally, rotates, resizes and blurs, as described on the type. */
  Mat decodeAugment(byte[] encoded);

  /** Library and version behind the calls, for the benchmark table. */
  String library();

  /** Plain JavaCV calls, fresh output Mats per call (as the Python peer allocates arrays). */
  static ImageChain javaCv() {
    return new ImageChain() {
      @Override
      public Mat decode(byte[] encoded) {
        // new Mat(byte...) copies the heap bytes into native memory; the product has the same
        // copy, since samples carry encoded bytes on the Java heap.
        try (Mat buf = new Mat(encoded)) {
          Mat bgr = imdecode(buf, IMREAD_COLOR);
          if (bgr.empty()) {
            bgr.close();
            throw new IllegalArgumentException("imdecode failed on " + encoded.length + " bytes");
          }
          return bgr;
        }
      }

      @Override
      public Mat decodeAugment(byte[] encoded) {
        try (Mat bgr = decode(encoded);
            Mat flipped = new Mat();
            Mat rotated = new Mat();
            Mat resized = new Mat();
            Point2f centre = new Point2f(bgr.cols() / 2f, bgr.rows() / 2f);
            Size size = bgr.size();
            Size target = new Size(RESIZE_SIDE, RESIZE_SIDE);
            Size kernel = new Size(BLUR_KERNEL, BLUR_KERNEL)) {
          flip(bgr, flipped, 1);
          try (Mat rotation = getRotationMatrix2D(centre, ROTATE_DEGREES, 1.0)) {
            warpAffine(flipped, rotated, rotation, size);
          }
          resize(rotated, resized, target, 0, 0, INTER_LINEAR);
          Mat blurred = new Mat();
          GaussianBlur(resized, blurred, kernel, 0);
          return blurred;
        }
      }

      @Override
      public String library() {
        return "JavaCV " + version("javacv") + " (OpenCV " + opencv_core.CV_VERSION() + ")";
      }
    };
  }

  private static String version(String artifact) {
    try {
      String v = Loader.getVersion("org.bytedeco", artifact);
      return v == null ? "?" : v;
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
