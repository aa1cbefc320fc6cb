package dev.shardsmith.transforms.kernels.image;

import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.fillConvexPoly;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
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
    return warp(src, m, outW, outH, Border.REFLECT, 0, Interpolation.LINEAR);
  }

  /**
   * One warp of {@code src} through {@code m} to an {@code outW x outH} image: {@code warpAffine},
   * or {@code warpPerspective} when {@code m} is projective. Reads outside {@code src} follow
   * {@code border} ({@code fill} is the gray level of {@link Border#CONSTANT}).
   */
  public static Mat warp(
      Mat src, Affine m, int outW, int outH, Border border, int fill, Interpolation interp) {
    Mat dst = new Mat();
    try {
      warpInto(src, m, outW, outH, border, fill, interp, dst);
    } catch (RuntimeException e) {
      dst.close();
      throw e;
    }
    return dst;
  }

  /**
   * {@link #warp} into {@code dst} (not {@code src}), whose buffer is reused when it already has
   * the output size and type.
   */
  public static void warpInto(
      Mat src,
      Affine m,
      int outW,
      int outH,
      Border border,
      int fill,
      Interpolation interp,
      Mat dst) {
    Affine px = pixelCentre(m, outW, outH);
    boolean affine = px.isAffine();
    double[] k = affine ? px.toArray() : px.toArray9();
    try (DoublePointer p = new DoublePointer(k);
        Mat mm = new Mat(affine ? 2 : 3, 3, CV_64FC1, p);
        Size size = new Size(outW, outH);
        Scalar value = new Scalar(fill, fill, fill, 0)) {
      if (affine) {
        warpAffine(src, dst, mm, size, interp.cvWarp(), border.cv(), value);
      } else {
        warpPerspective(src, dst, mm, size, interp.cvWarp(), border.cv(), value);
      }
    }
  }

  /**
   * Sets to {@code fill} every pixel of {@code out} whose centre lies outside the frame {@code [0,
   * fw] x [0, fh]} mapped through {@code toOut} (the frame's polygon in {@code out}); a frame that
   * covers all of {@code out} costs four point maps and changes nothing.
   */
  public static void fillOutside(Mat out, Affine toOut, double fw, double fh, int fill) {
    try (Mat outside = outsideMask(out.cols(), out.rows(), toOut, fw, fh)) {
      if (outside == null) {
        return;
      }
      try (Scalar value = new Scalar(fill, fill, fill, 0);
          Mat v = new Mat(1, 1, out.type(), value)) {
        out.setTo(v, outside);
      }
    }
  }

  /**
   * The mask {@link #fillOutside} fills, for a {@code w x h} image: 255 where a pixel's centre lies
   * outside the frame's polygon, else 0 (8-bit, 1 channel, the caller closes it); null when the
   * frame covers the whole image.
   */
  static Mat outsideMask(int w, int h, Affine toOut, double fw, double fh) {
    Affine back = toOut.inverse();
    boolean covered = true;
    double eps = 1e-6;
    for (double[] c : new double[][] {{0, 0}, {w, 0}, {w, h}, {0, h}}) {
      double[] q = back.apply(c[0], c[1]);
      if (!(q[0] >= -eps && q[0] <= fw + eps && q[1] >= -eps && q[1] <= fh + eps)) {
        covered = false;
      }
    }
    if (covered) {
      return null;
    }
    // the polygon in OpenCV pixel coordinates, 8 fractional bits
    int shift = 8;
    double one = 1 << shift;
    int[] pts = new int[8];
    double[][] corners = {{0, 0}, {fw, 0}, {fw, fh}, {0, fh}};
    for (int i = 0; i < 4; i++) {
      double[] q = toOut.apply(corners[i][0], corners[i][1]);
      double lim = 1e5;
      pts[2 * i] = (int) Math.round(Math.max(-lim, Math.min(lim, q[0] - 0.5)) * one);
      pts[2 * i + 1] = (int) Math.round(Math.max(-lim, Math.min(lim, q[1] - 0.5)) * one);
    }
    Mat outside = new Mat(h, w, CV_8UC1, new Scalar(255.0));
    try (IntPointer ip = new IntPointer(pts);
        Mat poly = new Mat(4, 1, CV_32SC2, ip);
        Scalar zero = new Scalar(0.0)) {
      fillConvexPoly(outside, poly, zero, org.bytedeco.opencv.global.opencv_imgproc.LINE_8, shift);
    } catch (RuntimeException e) {
      outside.close();
      throw e;
    }
    return outside;
  }

  /**
   * The 2x3 matrix {@code cv::warpAffine} takes for the affine map {@code m} (continuous
   * coordinates, see {@link Affine}), for an {@code outW x outH} output (checked positive).
   */
  static double[] pixelCentreMatrix(Affine m, int outW, int outH) {
    return pixelCentre(m, outW, outH).toArray();
  }

  /**
   * {@code m} (continuous coordinates, see {@link Affine}) in OpenCV's pixel-centre coordinates,
   * for an {@code outW x outH} output (checked positive): the one place that converts.
   */
  static Affine pixelCentre(Affine m, int outW, int outH) {
    if (outW <= 0 || outH <= 0) {
      throw new IllegalArgumentException("output size must be positive, was " + outW + "x" + outH);
    }
    // continuous -> OpenCV's pixel-centre coordinates: x_c = x - 0.5
    return Affine.translate(0.5, 0.5).then(m).then(Affine.translate(-0.5, -0.5));
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
