package dev.shardsmith.transforms.kernels.image;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LANCZOS4;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;

import dev.shardsmith.transforms.kernels.EnumKeys;
import java.util.List;

/**
 * How a warp or resize samples between pixels: {@code nearest}, {@code linear} (bilinear, the
 * default), {@code cubic}, {@code area} (a resize only; a warp treats it as {@code linear}, as
 * OpenCV does) or {@code lanczos} (8x8 Lanczos).
 */
public enum Interpolation {
  NEAREST(INTER_NEAREST),
  LINEAR(INTER_LINEAR),
  CUBIC(INTER_CUBIC),
  AREA(INTER_AREA),
  LANCZOS(INTER_LANCZOS4);

  private final int cv;

  Interpolation(int cv) {
    this.cv = cv;
  }

  /** The OpenCV interpolation flag. */
  public int cv() {
    return cv;
  }

  /** The flag for {@code warpAffine}/{@code warpPerspective}, which have no area mode. */
  public int cvWarp() {
    return this == AREA ? INTER_LINEAR : cv;
  }

  public String key() {
    return EnumKeys.key(this);
  }

  public static List<String> keys() {
    return EnumKeys.keys(Interpolation.class);
  }

  /** The interpolation named {@code key}; the error names {@code where} and the allowed values. */
  public static Interpolation of(String where, String key) {
    return EnumKeys.of(Interpolation.class, where, key);
  }
}
