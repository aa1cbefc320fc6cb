package dev.shardsmith.transforms.kernels.image;

import static dev.shardsmith.transforms.kernels.image.BadImageException.DECODE;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_core.transpose;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR_EXACT;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Decodes images with OpenCV into 8-bit, 3-channel RGB with the EXIF orientation applied
 * explicitly: decoded with {@code IMREAD_IGNORE_ORIENTATION}, then flipped/transposed here for each
 * of the 8 orientations. Alpha is dropped, 16-bit samples are scaled to 8 bits and gray is expanded
 * to 3 channels. A reduction of 2, 4 or 8 decodes a JPEG at that DCT scale (much cheaper); other
 * formats are decoded fully and then downsized by OpenCV.
 *
 * <pre>{@code
 * ImageHeader h = ImageHeaders.read(bytes, maxPixels);
 * ImageDecoding.validate(bytes, h);
 * try (Mat rgb = ImageDecoding.decodeRgb(bytes, h, 2)) { ... }
 * }</pre>
 */
public final class ImageDecoding {
  private ImageDecoding() {}

  /** The smallest side a validation decode may reduce the image to. */
  static final int MIN_VALIDATE_SIDE = 8;

  /**
   * Checks that the image decodes, cheaply: a JPEG at the largest DCT reduction (8, 4, 2) that
   * still leaves at least 8 pixels on the shorter side; other formats at full size.
   *
   * @throws BadImageException {@code decode} when OpenCV cannot decode the bytes
   */
  public static void validate(byte[] bytes, ImageHeader h) throws BadImageException {
    if (ImageHeader.RAW.equals(h.format())) {
      checkRaw(bytes, h);
      return;
    }
    int reduction = 1;
    if ("jpeg".equals(h.format())) {
      int shorter = Math.min(h.width(), h.height());
      for (int r : new int[] {8, 4, 2}) {
        if (shorter / r >= MIN_VALIDATE_SIDE) {
          reduction = r;
          break;
        }
      }
    }
    try (Mat m = decodeRaw(bytes, flags(reduction) | IMREAD_IGNORE_ORIENTATION)) {
      if (m.empty()) {
        throw new BadImageException(DECODE, "OpenCV could not decode the " + h.format() + " data");
      }
    }
  }

  /**
   * Decodes to a new {@code CV_8UC3} RGB {@code Mat}, EXIF orientation applied; the caller closes
   * it. Its size is the header's display size divided by {@code reduction} (rounded up for JPEG).
   *
   * @param reduction 1, 2, 4 or 8
   * @throws BadImageException {@code decode} when OpenCV cannot decode the bytes
   */
  public static Mat decodeRgb(byte[] bytes, ImageHeader h, int reduction) throws BadImageException {
    if (ImageHeader.RAW.equals(h.format())) {
      return rawRgb(bytes, h, reduction);
    }
    Mat bgr = decodeRaw(bytes, flags(reduction) | IMREAD_IGNORE_ORIENTATION);
    try {
      if (bgr.empty()) {
        throw new BadImageException(DECODE, "OpenCV could not decode the " + h.format() + " data");
      }
      Mat rgb = new Mat();
      try {
        cvtColor(bgr, rgb, COLOR_BGR2RGB);
        Mat oriented = orient(rgb, h.orientation());
        if (oriented != rgb) {
          rgb.close();
        }
        return oriented;
      } catch (RuntimeException e) {
        rgb.close();
        throw e;
      }
    } finally {
      bgr.close();
    }
  }

  /**
   * Raw pixels ({@link ImageHeader#RAW}) as the {@code Mat} that decoding a lossless PNG of them
   * gives, byte for byte: gray expanded to RGB, and at a reduction above 1 the {@code
   * INTER_LINEAR_EXACT} resize to {@code (w / r) x (h / r)} that {@code imdecode} applies for its
   * {@code IMREAD_REDUCED_*} flags to formats without DCT scaling.
   */
  private static Mat rawRgb(byte[] pixels, ImageHeader h, int reduction) throws BadImageException {
    flags(reduction); // checks the reduction
    checkRaw(pixels, h);
    int type = h.channels() == 1 ? CV_8UC1 : CV_8UC3;
    Mat out = new Mat(h.height(), h.width(), type);
    try {
      out.data().put(pixels);
      if (h.channels() == 1) {
        try (Mat gray = out) {
          out = new Mat();
          cvtColor(gray, out, COLOR_GRAY2RGB);
        }
      }
      if (reduction > 1) {
        try (Mat full = out;
            Size size = new Size(h.width() / reduction, h.height() / reduction)) {
          out = new Mat();
          resize(full, out, size, 0, 0, INTER_LINEAR_EXACT);
        }
      }
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  private static void checkRaw(byte[] pixels, ImageHeader h) throws BadImageException {
    long expected = (long) h.width() * h.height() * h.channels();
    if (pixels.length != expected) {
      throw new BadImageException(
          DECODE,
          "raw pixels: expected "
              + h.width()
              + "x"
              + h.height()
              + "x"
              + h.channels()
              + " = "
              + expected
              + " bytes, got "
              + pixels.length);
    }
  }

  /** The largest of 1, 2, 4, 8 that is not above {@code shrink} (how many times smaller). */
  public static int reductionFor(double shrink) {
    if (shrink >= 8) {
      return 8;
    }
    if (shrink >= 4) {
      return 4;
    }
    if (shrink >= 2) {
      return 2;
    }
    return 1;
  }

  /**
   * Applies EXIF orientation {@code o} (1..8), as the EXIF spec and OpenCV define it. Returns
   * {@code m} itself for 1, otherwise a new {@code Mat}.
   */
  static Mat orient(Mat m, int o) {
    if (o == 1) {
      return m;
    }
    Mat out = new Mat();
    try {
      if (o == 2) {
        flip(m, out, 1); // mirror left-right
      } else if (o == 3) {
        flip(m, out, -1); // rotate 180
      } else if (o == 4) {
        flip(m, out, 0); // mirror top-bottom
      } else if (o >= 5 && o <= 8) {
        transpose(m, out);
        if (o == 6) {
          flip(out, out, 1); // rotate 90 clockwise
        } else if (o == 7) {
          flip(out, out, -1); // transverse
        } else if (o == 8) {
          flip(out, out, 0); // rotate 90 counter-clockwise
        }
      } else {
        throw new IllegalArgumentException("EXIF orientation must be in 1..8, was " + o);
      }
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  private static int flags(int reduction) {
    if (reduction == 1) {
      return IMREAD_COLOR;
    }
    if (reduction == 2) {
      return IMREAD_REDUCED_COLOR_2;
    }
    if (reduction == 4) {
      return IMREAD_REDUCED_COLOR_4;
    }
    if (reduction == 8) {
      return IMREAD_REDUCED_COLOR_8;
    }
    throw new IllegalArgumentException("reduction must be 1, 2, 4 or 8, was " + reduction);
  }

  private static Mat decodeRaw(byte[] bytes, int flags) throws BadImageException {
    if (bytes.length == 0) {
      throw new BadImageException(BadImageException.EMPTY, "the image has zero bytes");
    }
    try (BytePointer p = new BytePointer(bytes);
        Mat buf = new Mat(1, bytes.length, CV_8UC1, p)) {
      return imdecode(buf, flags);
    } catch (RuntimeException e) {
      // OpenCV reports some corrupt streams as cv::Exception rather than an empty Mat
      throw new BadImageException(DECODE, "OpenCV failed to decode: " + e.getMessage());
    }
  }
}
