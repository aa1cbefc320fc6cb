package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** Real sample photos as RGB {@code Mat}s for the op tests, shrunk so the suite stays quick. */
final class OpsTestImages {
  private OpsTestImages() {}

  static final Path PHOTOS = Path.of("../sample-data/photos");

  /** A JPEG and a PNG of different sizes and content. */
  static final List<String> SOME = List.of("baboon.jpg", "smarties.png", "home.jpg");

  /** The photo as a new RGB {@code Mat} whose longer side is at most {@code maxSide}. */
  static Mat rgb(String name, int maxSide) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(PHOTOS.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (BytePointer p = new BytePointer(bytes);
        Mat buf = new Mat(1, bytes.length, CV_8UC1, p);
        Mat bgr = imdecode(buf, IMREAD_COLOR);
        Mat rgb = new Mat()) {
      if (bgr.empty()) {
        throw new IllegalStateException("cannot decode " + name);
      }
      cvtColor(bgr, rgb, COLOR_BGR2RGB);
      double s = Math.min(1.0, (double) maxSide / Math.max(rgb.cols(), rgb.rows()));
      Mat out = new Mat();
      try (Size size =
          new Size(
              (int) Math.max(1, Math.round(rgb.cols() * s)),
              (int) Math.max(1, Math.round(rgb.rows() * s)))) {
        resize(rgb, out, size, 0, 0, INTER_AREA);
      }
      return out;
    }
  }

  static Mat rgb(String name) {
    return rgb(name, 192);
  }

  static byte[] bytes(Mat m) {
    return RgbPixels.read(m);
  }

  /** PSNR in dB of two equal-length 8-bit buffers. */
  static double psnr(byte[] a, byte[] b) {
    double se = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (a[i] & 0xFF) - (b[i] & 0xFF);
      se += d * d;
    }
    double mse = se / a.length;
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
  }
}
