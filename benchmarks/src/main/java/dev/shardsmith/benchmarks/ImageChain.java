package dev.shardsmith.benchmarks;

import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.getRotationMatrix2D;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import dev.shardsmith.transforms.kernels.image.Affine;
import dev.shardsmith.transforms.kernels.image.BadImageException;
import dev.shardsmith.transforms.kernels.image.ImageDecoding;
import dev.shardsmith.transforms.kernels.image.ImageHeader;
import dev.shardsmith.transforms.kernels.image.ImageHeaders;
import dev.shardsmith.transforms.kernels.image.ImageOps;
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
 * <p>Two implementations: {@link #shardsmith()}, the product's kernels, which the benchmark times
 * against the Python peer, and {@link #javaCv()}, the same calls the Python peer makes through
 * JavaCV's bindings, reported beside it for information. Each call returns a new {@link Mat} that
 * the caller closes; intermediate Mats are closed before returning. Deterministic; one thread when
 * {@code opencv_core.setNumThreads(1)} has been called.
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

  /**
   * The product's kernels: the header is read and checked, the image decoded to RGB with EXIF
   * applied ({@code ImageDecoding}), and flip + rotate + resize composed into ONE affine map
   * ({@code Affine}) applied by one warp straight to 256x256 ({@code ImageOps}); because that map
   * halves the image, the JPEG is decoded at half scale in the DCT (DESIGN.md, "Acceleration").
   * Then the same 5x5 Gaussian blur. Same geometry as {@link #javaCv()}, one resampling instead of
   * two.
   */
  static ImageChain shardsmith() {
    return new ImageChain() {
      @Override
      public Mat decode(byte[] encoded) {
        try {
          ImageHeader h = ImageHeaders.read(encoded, 100_000_000L);
          return ImageDecoding.decodeRgb(encoded, h, 1);
        } catch (BadImageException e) {
          throw new IllegalArgumentException(e);
        }
      }

      @Override
      public Mat decodeAugment(byte[] encoded) {
        try {
          ImageHeader h = ImageHeaders.read(encoded, 100_000_000L);
          double w = h.displayWidth();
          double hh = h.displayHeight();
          Affine m =
              Affine.hflip(w)
                  .then(Affine.rotateDegrees(ROTATE_DEGREES, w / 2, hh / 2))
                  .then(Affine.scale(RESIZE_SIDE / w, RESIZE_SIDE / hh));
          int reduction = ImageDecoding.reductionFor(1 / m.maxScale());
          try (Mat src = ImageDecoding.decodeRgb(encoded, h, reduction);
              Mat warped =
                  ImageOps.warp(
                      src,
                      Affine.scale((double) w / src.cols(), hh / src.rows()).then(m),
                      RESIZE_SIDE,
                      RESIZE_SIDE);
              Size kernel = new Size(BLUR_KERNEL, BLUR_KERNEL)) {
            Mat blurred = new Mat();
            GaussianBlur(warped, blurred, kernel, 0);
            return blurred;
          }
        } catch (BadImageException e) {
          throw new IllegalArgumentException(e);
        }
      }

      @Override
      public String library() {
        return "Shardsmith kernels on JavaCV "
            + version("javacv")
            + " (OpenCV "
            + opencv_core.CV_VERSION()
            + ")";
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
