package dev.shardsmith.transforms.kernels.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.Targets;
import dev.shardsmith.transforms.kernels.annotation.AnnotationFiles;
import dev.shardsmith.transforms.kernels.annotation.LabelMasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** Boxes, keypoints and masks through the pixel map, on a real VOC annotation and real mask. */
class TargetWarpTest {
  private static final Path VOC = Path.of("../sample-data/voc");
  private static final int W = 500;
  private static final int H = 338;

  /** 2011_000003's two person boxes (VOC XML) plus three keypoints. */
  private static Targets real() throws Exception {
    List<String> classes = Files.readAllLines(VOC.resolve("class_names.txt"));
    Targets boxes =
        AnnotationFiles.voc(
                Files.readAllBytes(VOC.resolve("Annotations/2011_000003.xml")), "a.xml", classes)
            .fit(W, H);
    return new Targets(
        boxes.boxes(),
        boxes.boxLabels(),
        boxes.boxClasses(),
        boxes.boxFlags(),
        new float[] {250.5f, 120.25f, 2, 400, 100, 1, 10, 300, 2},
        new String[] {"head", "hand", "foot"},
        null);
  }

  @Test
  void hflipTwiceIsTheIdentityExactly() throws Exception {
    Targets t = real();
    Affine flip = Affine.hflip(W);
    Targets once = TargetWarp.apply(t, null, W, H, flip, W, H, 0.3);
    // x -> W - x, corners swap
    assertArrayEquals(
        new float[] {W - 313f, t.boxes()[1], W - 190f, t.boxes()[3]},
        java.util.Arrays.copyOf(once.boxes(), 4));
    Targets twice = TargetWarp.apply(once, null, W, H, flip, W, H, 0.3);
    assertArrayEquals(t.boxes(), twice.boxes());
    assertArrayEquals(t.keypoints(), twice.keypoints());
    assertArrayEquals(t.boxLabels(), twice.boxLabels());
    assertArrayEquals(t.boxClasses(), twice.boxClasses());
  }

  @Test
  void rotateAndBackStaysWithinOnePixel() throws Exception {
    Targets t = real();
    PreprocessSpec pre = PreprocessSpec.KEEP;
    ImageHeader h = new ImageHeader("jpeg", W, H, 3, 8, 1);
    // composed in one record (as a replayed row is): boxes come back within rounding
    Applied there = Applied.NONE.plus(rotate(17.5));
    Applied back = there.plus(rotate(-17.5));
    Targets composed =
        TargetWarp.apply(t, null, W, H, ImageFusion.geometry(h, pre, back), W, H, 0.0);
    assertArrayEquals(t.boxes(), composed.boxes(), 1f);
    // two separate renders: keypoints come back within 1 px; the hull grows a box, so only
    // keypoints are compared
    Targets rotated =
        TargetWarp.apply(t, null, W, H, ImageFusion.geometry(h, pre, there), W, H, 0.0);
    assertTrue(rotated.boxes()[2] - rotated.boxes()[0] > t.boxes()[2] - t.boxes()[0] + 10);
    Targets restored =
        TargetWarp.apply(
            rotated,
            null,
            W,
            H,
            ImageFusion.geometry(h, pre, Applied.NONE.plus(rotate(-17.5))),
            W,
            H,
            0.0);
    for (int i = 0; i < t.keypointCount(); i++) {
      assertEquals(t.keypoints()[3 * i], restored.keypoints()[3 * i], 1);
      assertEquals(t.keypoints()[3 * i + 1], restored.keypoints()[3 * i + 1], 1);
    }
  }

  private static Applied.Op rotate(double angle) {
    TreeMap<String, Object> p = new TreeMap<>();
    p.put("angle", angle);
    return new Applied.Op(ImageFusion.ROTATE, 1, p);
  }

  @Test
  void boxesAreClippedAndDroppedBelowMinVisibility() throws Exception {
    // a 100x100 crop whose left edge cuts box 0 ([190, 106.4, 313, 329.4]) at x = 200 + 0
    Affine crop = Affine.translate(-200, -150);
    Targets t = real();
    Targets out = TargetWarp.apply(t, null, W, H, crop, 100, 100, 0.0);
    // box 0 -> [-10, -43.6, 113, 179.4] clipped to [0, 0, 100, 100]
    assertArrayEquals(new float[] {0, 0, 100, 100}, java.util.Arrays.copyOf(out.boxes(), 4));
    assertEquals(1, out.boxCount(), "box 1 starts at x = 364, outside the crop");
    // visible 100 x 100 of 123 x 223 = 0.36: kept at 0.3, dropped at 0.4
    assertEquals(1, TargetWarp.apply(t, null, W, H, crop, 100, 100, 0.3).boxCount());
    assertEquals(0, TargetWarp.apply(t, null, W, H, crop, 100, 100, 0.4).boxCount());
    // keypoints are kept; those outside the frame become invisible
    assertArrayEquals(new float[] {50.5f, -29.75f, 0, 200, -50, 0, -190, 150, 0}, out.keypoints());
    Targets inside = TargetWarp.apply(t, null, W, H, Affine.translate(-240, -100), 100, 100, 0);
    assertEquals(2, inside.keypoints()[2]); // head at (10.5, 20.25), visible
    assertEquals(0, inside.keypoints()[5]); // hand at (160, 0): outside
  }

  @Test
  void maskStaysAlignedWithThePixels() {
    int w = 160;
    int h = 120;
    byte[] shapeImage;
    byte[] shapeMask;
    try (Mat img = new Mat(h, w, CV_8UC1, new Scalar(0.0));
        Mat mask = new Mat(h, w, CV_8UC1, new Scalar(0.0))) {
      draw(img, 255);
      draw(mask, 7);
      shapeImage = ImageOps.toBytes(img);
      shapeMask = ImageOps.toBytes(mask);
    }
    Affine m =
        Affine.hflip(w)
            .then(Affine.rotateDegrees(23, w / 2.0, h / 2.0))
            .then(Affine.scale(0.8, 0.8))
            .then(Affine.translate(5, -3));
    int ow = 128;
    int oh = 96;
    byte[] warpedMask = TargetWarp.warpMask(shapeMask, w, h, m, ow, oh);
    byte[] warpedImage;
    try (Mat img = new Mat(h, w, CV_8UC1, new org.bytedeco.javacpp.BytePointer(shapeImage));
        Mat out = ImageOps.warp(img, m, ow, oh)) {
      warpedImage = ImageOps.toBytes(out);
    }
    int shape = 0;
    int differ = 0;
    for (int i = 0; i < ow * oh; i++) {
      boolean inImage = (warpedImage[i] & 0xff) >= 128;
      int label = warpedMask[i] & 0xff;
      assertTrue(label == 0 || label == 7, "nearest-neighbour never blends labels: " + label);
      shape += inImage ? 1 : 0;
      differ += inImage != (label == 7) ? 1 : 0;
    }
    assertTrue(shape > 2000, "the shape is in view: " + shape);
    // only edge pixels may disagree (bilinear threshold vs nearest): under 3% of the shape
    assertTrue(differ < 0.03 * shape, differ + " of " + shape);
  }

  private static void draw(Mat m, double value) {
    try (Scalar s = new Scalar(value);
        Point a = new Point(30, 20);
        Point b = new Point(90, 70);
        Point c = new Point(110, 80)) {
      rectangle(m, a, b, s, FILLED, 8, 0);
      circle(m, c, 25, s, FILLED, 8, 0);
    }
  }

  @Test
  void realVocMaskWarpsWithoutChangingItsLabels() throws Exception {
    byte[] mask =
        LabelMasks.decode(
            Files.readAllBytes(VOC.resolve("SegmentationClassPNG/2011_000003.png")), W, H);
    byte[] flipped = TargetWarp.warpMask(mask, W, H, Affine.hflip(W), W, H);
    for (int y = 0; y < H; y += 7) {
      for (int x = 0; x < W; x += 5) {
        assertEquals(mask[y * W + x], flipped[y * W + (W - 1 - x)], "pixel " + x + "," + y);
      }
    }
    assertArrayEquals(mask, TargetWarp.warpMask(flipped, W, H, Affine.hflip(W), W, H));
  }
}
