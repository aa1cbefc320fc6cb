package dev.shardsmith.transforms.kernels.image.ops;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/** Filling axis-aligned rectangles, as the occlusion ops record them. */
final class Rects {
  private Rects() {}

  /** Fills {@code w x h} at {@code (x, y)} with gray {@code value}; checks it lies inside. */
  static void fill(String op, Mat rgb, long x, long y, long w, long h, long value) {
    if (x < 0 || y < 0 || w < 0 || h < 0 || x + w > rgb.cols() || y + h > rgb.rows()) {
      throw new IllegalArgumentException(
          String.format(
              "%s: rectangle x=%d y=%d w=%d h=%d must lie inside the %dx%d image",
              op, x, y, w, h, rgb.cols(), rgb.rows()));
    }
    if (w == 0 || h == 0) {
      return;
    }
    try (Rect r = new Rect((int) x, (int) y, (int) w, (int) h);
        Mat roi = new Mat(rgb, r);
        Scalar s = new Scalar(value, value, value, 0)) {
      roi.put(s);
    }
  }
}
