package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** An encode + decode round trip through an OpenCV codec, in place. */
final class Recompression {
  private Recompression() {}

  static void roundTrip(String op, Mat rgb, String ext, int qualityFlag, int quality) {
    try (Mat bgr = new Mat();
        IntPointer flags = new IntPointer(qualityFlag, quality);
        BytePointer encoded = new BytePointer()) {
      // codecs expect BGR; encoding RGB as if it were BGR would weigh chroma wrongly
      cvtColor(rgb, bgr, COLOR_RGB2BGR);
      if (!imencode(ext, bgr, encoded, flags)) {
        throw new IllegalStateException(op + ": OpenCV could not encode " + ext);
      }
      try (Mat buf = new Mat(encoded);
          Mat decoded = imdecode(buf, IMREAD_COLOR)) {
        if (decoded.empty() || decoded.cols() != rgb.cols() || decoded.rows() != rgb.rows()) {
          throw new IllegalStateException(op + ": OpenCV could not decode its own " + ext);
        }
        cvtColor(decoded, rgb, COLOR_BGR2RGB);
      }
    }
  }
}
