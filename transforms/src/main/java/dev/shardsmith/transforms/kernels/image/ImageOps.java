package dev.shardsmith.transforms.kernels.image;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Pixel operations on OpenCV {@code Mat}s. Each returns a new {@code Mat} that the caller closes;
 * every temporary is closed here. Deterministic for a given OpenCV build.
 *
 * <pre>{@code
 * try (Mat out = ImageOps.warp(src, Affine.scale(0.5, 0.5), 64, 64)) {
 *   byte[] rgb = ImageOps.toBytes(out);
 * }
 * }</pre>
 */
public final class ImageOps {
  private ImageOps() {}

  /**
   * One {@code cv::warpAffine} of {@code src} through {@code m} (continuous coordinates, see {@link
   * Affine}) to an {@code outW x outH} image, bilinear, mirrored borders ({@code
   * BORDER_REFLECT_101}).
   */
  public static Mat warp(Mat src, Affine m, int outW, int outH) {
    Mat dst = new Mat();
    try {
      warpInto(src, m, outW, outH, dst);
    } catch (RuntimeException e) {
      dst.close();
      throw e;
    }
    return dst;
  }

  /** {@link #warp} into {@code dst}, whose buffer is reused when it already has the output size. */
  public static void warpInto(Mat src, Affine m, int outW, int outH, Mat dst) {
    try (DoublePointer p = new DoublePointer(pixelCentreMatrix(m, outW, outH));
        Mat mm = new Mat(2, 3, CV_64FC1, p);
        Size size = new Size(outW, outH);
        Scalar border = new Scalar(0.0)) {
      warpAffine(src, dst, mm, size, INTER_LINEAR, BORDER_REFLECT_101, border);
    }
  }

  /**
   * The 2x3 matrix {@code cv::warpAffine} takes for map {@code m} (continuous coordinates, see
   * {@link Affine}), for an {@code outW x outH} output (checked positive).
   */
  static double[] pixelCentreMatrix(Affine m, int outW, int outH) {
    if (outW <= 0 || outH <= 0) {
      throw new IllegalArgumentException("output size must be positive, was " + outW + "x" + outH);
    }
    // continuous -> OpenCV's pixel-centre coordinates: x_c = x - 0.5
    return Affine.translate(0.5, 0.5).then(m).then(Affine.translate(-0.5, -0.5)).toArray();
  }

  /** The pixels of an 8-bit {@code Mat}, row-major, interleaved channels. */
  public static byte[] toBytes(Mat m) {
    if (m.depth() != org.bytedeco.opencv.global.opencv_core.CV_8U) {
      throw new IllegalArgumentException("toBytes needs an 8-bit Mat, depth was " + m.depth());
    }
    byte[] out = new byte[m.rows() * m.cols() * m.channels()];
    if (m.isContinuous()) {
      m.data().get(out);
      return out;
    }
    int row = m.cols() * m.channels();
    BytePointer data = m.data();
    for (int r = 0; r < m.rows(); r++) {
      data.position(r * m.step()).get(out, r * row, row);
    }
    data.position(0);
    return out;
  }
}
