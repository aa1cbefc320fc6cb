package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_180;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_CLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_core.rotate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.transforms.kernels.image.Affine;
import dev.shardsmith.transforms.kernels.image.Border;
import dev.shardsmith.transforms.kernels.image.Interpolation;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/** Each geometric op alone against the OpenCV call that does the same thing. */
class GeometricOpEffectsTest {
  private static SortedMap<String, Object> params(Object... kv) {
    SortedMap<String, Object> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static byte[] applied(PixelOp op, SortedMap<String, Object> p) {
    try (Mat rgb = OpsTestImages.rgb("home.jpg", 90)) {
      op.apply(rgb, p);
      return OpsTestImages.bytes(rgb);
    }
  }

  private interface CvCall {
    void run(Mat src, Mat dst);
  }

  private static byte[] cv(CvCall call) {
    try (Mat rgb = OpsTestImages.rgb("home.jpg", 90);
        Mat out = new Mat()) {
      call.run(rgb, out);
      return OpsTestImages.bytes(out);
    }
  }

  @Test
  void flipsAndQuarterTurnsAreExact() {
    assertArrayEquals(cv((s, d) -> flip(s, d, 1)), applied(Flip.horizontal(1), params()));
    assertArrayEquals(cv((s, d) -> flip(s, d, 0)), applied(Flip.vertical(1), params()));
    Rotate90 r = new Rotate90(1, 0, 3);
    assertArrayEquals(
        cv((s, d) -> rotate(s, d, ROTATE_90_COUNTERCLOCKWISE)), applied(r, params("k", 1L)));
    assertArrayEquals(cv((s, d) -> rotate(s, d, ROTATE_180)), applied(r, params("k", 2L)));
    assertArrayEquals(cv((s, d) -> rotate(s, d, ROTATE_90_CLOCKWISE)), applied(r, params("k", 3L)));
    assertArrayEquals(cv((s, d) -> s.copyTo(d)), applied(r, params("k", 0L)));
  }

  @Test
  void padAndCropsAreExact() {
    Pad reflect = new Pad(1, 0, 0, 0, 0, 0, 0, Border.REFLECT, 0);
    SortedMap<String, Object> p =
        params("top", 3L, "right", 5L, "bottom", 7L, "left", 9L, "border", "reflect", "fill", 0L);
    try (Scalar zero = new Scalar(0.0)) {
      assertArrayEquals(
          cv((s, d) -> copyMakeBorder(s, d, 3, 7, 9, 5, BORDER_REFLECT_101, zero)),
          applied(reflect, p));
    }
    SortedMap<String, Object> crop = params("x", 11L, "y", 7L, "w", 40L, "h", 30L);
    byte[] expected =
        cv(
            (s, d) -> {
              try (Rect r = new Rect(11, 7, 40, 30);
                  Mat v = new Mat(s, r)) {
                v.copyTo(d);
              }
            });
    assertArrayEquals(expected, applied(new CenterCrop(1, 40, 30), crop));
    assertArrayEquals(expected, applied(new RandomCrop(1, 40, 30), crop));
    assertArrayEquals(expected, applied(new RoiCrop(1, 11, 7, 40, 30, false), crop));
    // pad to a minimum size: split evenly, the odd pixel right
    SortedMap<String, Object> drawn =
        new Pad(1, 0, 0, 0, 0, 101, 0, Border.CONSTANT, 9).draw(null, 90, 60);
    assertEquals(5L, drawn.get("left"));
    assertEquals(6L, drawn.get("right"));
  }

  @Test
  void resizeMatchesOpenCvResizeAndPyrDownItsSize() {
    byte[] warp =
        applied(
            new Resize(1, 131, 77, Interpolation.LINEAR),
            params("width", 131L, "height", 77L, "interpolation", "linear"));
    byte[] ref;
    try (Size s = new Size(131, 77)) {
      ref = cv((src, d) -> opencv_imgproc.resize(src, d, s, 0, 0, opencv_imgproc.INTER_LINEAR));
    }
    double psnr = OpsTestImages.psnr(warp, ref);
    assertTrue(psnr > 40, "resize by warp vs cv::resize: " + psnr + " dB");
    try (Mat rgb = OpsTestImages.rgb("home.jpg", 90)) {
      int w = rgb.cols();
      int h = rgb.rows();
      new PyrDown(1, 2).apply(rgb, params("levels", 2L));
      assertEquals((((w + 1) / 2) + 1) / 2, rgb.cols());
      assertEquals((((h + 1) / 2) + 1) / 2, rgb.rows());
    }
  }

  @Test
  void mapsAgreeWithThePixels() {
    // a point of the input lands where its pixel went: rotate90 k = 1 on a w x h frame
    Affine m = new Rotate90(1, 0, 3).map(params("k", 1L), 90, 60);
    assertArrayEquals(new double[] {0, 90}, m.apply(0, 0), 1e-12);
    assertArrayEquals(new double[] {60, 90}, m.apply(0, 60), 1e-12);
    // perspective: the jittered corners land on the frame corners
    SortedMap<String, Object> p = new TreeMap<>();
    for (String k : Perspective.KEYS) {
      p.put(k, 0.1);
    }
    Affine persp = new Perspective(1, 0.1, 0.1).map(p, 100, 50);
    assertArrayEquals(new double[] {0, 0}, persp.apply(10, 5), 1e-9);
    assertArrayEquals(new double[] {100, 50}, persp.apply(90, 45), 1e-9);
    double[] back = persp.inverse().apply(100, 0);
    assertArrayEquals(new double[] {90, 5}, back, 1e-9);
  }
}
