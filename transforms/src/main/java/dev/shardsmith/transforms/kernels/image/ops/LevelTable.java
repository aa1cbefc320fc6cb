package dev.shardsmith.transforms.kernels.image.ops;

import java.util.SortedMap;
import java.util.function.IntUnaryOperator;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.UMat;

/**
 * A pixel op that maps every level through one 256-entry table, the same for R, G and B ({@code
 * posterize}, {@code solarize}, {@code gamma}): an op gives {@link #levels}, the map of one level
 * for its recorded parameters, and this builds the table and applies it with {@code cv::LUT} on the
 * host, or its OpenCL kernel on the device (identical pixels).
 *
 * <pre>{@code
 * byte[] lut = new Posterize(1, 4, 4).table(params); // levels i -> i & 0xF0
 * }</pre>
 */
interface LevelTable extends PixelOp {
  /** The output level of each input level 0 .. 255 (each 0 .. 255), for {@code params}. */
  IntUnaryOperator levels(SortedMap<String, Object> params);

  @Override
  default void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(name(), rgb);
    RgbPixels.lut(rgb, table(params));
  }

  /** On the device: the same table through {@code cv::LUT}'s OpenCL kernel; identical pixels. */
  @Override
  default void apply(UMat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(name(), rgb);
    RgbPixels.lut(rgb, table(params));
  }

  /** The 256-entry table of {@link #levels}. */
  default byte[] table(SortedMap<String, Object> params) {
    IntUnaryOperator f = levels(params);
    byte[] t = new byte[256];
    for (int i = 0; i < 256; i++) {
      t[i] = (byte) f.applyAsInt(i);
    }
    return t;
  }
}
