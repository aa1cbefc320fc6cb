package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.shardsmith.transforms.kernels.image.ImageEncoding;
import org.bytedeco.opencv.opencv_core.Mat;

/** An encode ({@link ImageEncoding}) + decode round trip through an OpenCV codec, in place. */
final class Recompression {
  private Recompression() {}

  static void roundTrip(String op, Mat rgb, String format, int quality) {
    byte[] encoded = ImageEncoding.encode(rgb, format, quality);
    try (Mat buf = new Mat(encoded);
        Mat decoded = imdecode(buf, IMREAD_COLOR)) {
      if (decoded.empty() || decoded.cols() != rgb.cols() || decoded.rows() != rgb.rows()) {
        throw new IllegalStateException(op + ": OpenCV could not decode its own " + format);
      }
      cvtColor(decoded, rgb, COLOR_BGR2RGB);
    }
  }
}
