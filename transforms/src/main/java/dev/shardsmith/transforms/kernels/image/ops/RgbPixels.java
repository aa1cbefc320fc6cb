package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.LUT;

import dev.shardsmith.transforms.kernels.image.ImageOps;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.UMat;

/** Byte access, lookup tables and a counter-based random stream for the ops. */
final class RgbPixels {
  private RgbPixels() {}

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  static void requireRgb(String op, Mat m) {
    if (m == null || m.empty() || m.type() != CV_8UC3) {
      throw new IllegalArgumentException(
          op
              + ": needs a non-empty 8-bit 3-channel RGB Mat, but was "
              + (m == null ? "null" : "type " + m.type() + ", " + m.cols() + "x" + m.rows()));
    }
  }

  static void requireRgb(String op, UMat m) {
    if (m == null || m.empty() || m.type() != CV_8UC3) {
      throw new IllegalArgumentException(
          op
              + ": needs a non-empty 8-bit 3-channel RGB UMat, but was "
              + (m == null ? "null" : "type " + m.type() + ", " + m.cols() + "x" + m.rows()));
    }
  }

  /**
   * {@link #lut} on the device: the table is uploaded, {@code cv::LUT} runs as an OpenCL kernel.
   */
  static void lut(UMat rgb, byte[] table) {
    try (Mat t = new Mat(1, 256, CV_8UC1);
        UMat tu = new UMat()) {
      t.data().put(table, 0, 256);
      t.copyTo(tu);
      LUT(rgb, tu, rgb);
    }
  }

  /** {@link #lut3} on the device. */
  static void lut3(UMat m, byte[] t0, byte[] t1, byte[] t2) {
    try (Mat t = new Mat(1, 256, CV_8UC3);
        UMat tu = new UMat()) {
      t.data().put(interleave(t0, t1, t2), 0, 768);
      t.copyTo(tu);
      LUT(m, tu, m);
    }
  }

  private static byte[] interleave(byte[] t0, byte[] t1, byte[] t2) {
    byte[] inter = new byte[768];
    for (int i = 0; i < 256; i++) {
      inter[3 * i] = t0[i];
      inter[3 * i + 1] = t1[i];
      inter[3 * i + 2] = t2[i];
    }
    return inter;
  }

  /** The pixels, row-major, interleaved. */
  static byte[] read(Mat m) {
    return ImageOps.toBytes(m);
  }

  /** Writes {@code b} (as {@link #read} returns it) back into {@code m}, which may be a view. */
  static void write(Mat m, byte[] b) {
    int row = m.cols() * m.channels();
    BytePointer data = m.data();
    if (m.isContinuous()) {
      data.put(b, 0, b.length);
      return;
    }
    for (int r = 0; r < m.rows(); r++) {
      data.position(r * m.step()).put(b, r * row, row);
    }
    data.position(0);
  }

  /** Applies one 256-entry table to every channel of {@code rgb}, in place. */
  static void lut(Mat rgb, byte[] table) {
    try (Mat t = new Mat(1, 256, CV_8UC1)) {
      t.data().put(table, 0, 256);
      LUT(rgb, t, rgb);
    }
  }

  /** Applies one 256-entry table per channel, in place. */
  static void lut3(Mat m, byte[] t0, byte[] t1, byte[] t2) {
    try (Mat t = new Mat(1, 256, CV_8UC3)) {
      t.data().put(interleave(t0, t1, t2), 0, 768);
      LUT(m, t, m);
    }
  }

  /** Rounds half up and clamps to [0, 255]. */
  static byte saturate(double v) {
    double r = Math.floor(v + 0.5);
    return (byte) (r < 0 ? 0 : r > 255 ? 255 : (int) r);
  }

  /** The {@code counter}-th 64-bit output of a SplitMix64 stream seeded with {@code seed}. */
  static long bits(long seed, long counter) {
    long z = seed + (counter + 1) * GOLDEN;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A uniform double in [0, 1) from {@link #bits}. */
  static double uniform(long seed, long counter) {
    return (bits(seed, counter) >>> 11) * 0x1.0p-53;
  }

  /**
   * A standard normal value for element {@code i}: Box-Muller over counters {@code 2i, 2i+1}, with
   * {@code StrictMath} so it is the same bits on every JVM.
   */
  static double gaussian(long seed, long i) {
    double u1 = 1.0 - uniform(seed, 2 * i); // (0, 1]
    double u2 = uniform(seed, 2 * i + 1);
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
  }
}
