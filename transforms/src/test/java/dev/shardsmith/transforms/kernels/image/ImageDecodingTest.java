package dev.shardsmith.transforms.kernels.image;

import static dev.shardsmith.transforms.kernels.image.TestImages.bytes;
import static dev.shardsmith.transforms.kernels.image.TestImages.cvDecode;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_180;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_CLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_core.rotate;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class ImageDecodingTest {
  private static final long MAX = 50_000_000L;

  private static byte[] rgbOf(byte[] b) throws BadImageException {
    ImageHeader h = ImageHeaders.read(b, MAX);
    try (Mat m = ImageDecoding.decodeRgb(b, h, 1)) {
      return ImageOps.toBytes(m);
    }
  }

  /** The original decoded, then turned by OpenCV's own rotate/flip as orientation {@code o}. */
  private static byte[] expected(byte[] plain, int o) throws BadImageException {
    ImageHeader h = ImageHeaders.read(plain, MAX);
    try (Mat m = ImageDecoding.decodeRgb(plain, h, 1);
        Mat out = new Mat()) {
      if (o == 2) {
        flip(m, out, 1);
      } else if (o == 3) {
        rotate(m, out, ROTATE_180);
      } else if (o == 4) {
        flip(m, out, 0);
      } else if (o == 6) {
        rotate(m, out, ROTATE_90_CLOCKWISE);
      } else if (o == 8) {
        rotate(m, out, ROTATE_90_COUNTERCLOCKWISE);
      } else {
        throw new IllegalArgumentException("no reference for " + o);
      }
      return ImageOps.toBytes(out);
    }
  }

  @Test
  void exifOrientationMatchesRotatedOrFlippedOriginal() throws Exception {
    byte[] plain = bytes("butterfly.jpg");
    for (int o : new int[] {2, 3, 4, 6, 8}) {
      byte[] tagged = TestImages.withExifOrientation(plain, o, o % 2 == 0);
      assertArrayEquals(expected(plain, o), rgbOf(tagged), "orientation " + o);
    }
  }

  @Test
  void allEightOrientationsAgreeWithOpenCvsOwnExifHandling() throws Exception {
    byte[] plain = bytes("messi5.jpg");
    for (int o = 1; o <= 8; o++) {
      byte[] tagged = TestImages.withExifOrientation(plain, o, false);
      ImageHeader h = ImageHeaders.read(tagged, MAX);
      try (Mat ours = ImageDecoding.decodeRgb(tagged, h, 1);
          Mat cv = cvDecode(tagged, IMREAD_COLOR);
          Mat cvRgb = new Mat()) {
        cvtColor(cv, cvRgb, COLOR_BGR2RGB);
        assertEquals(h.displayWidth(), ours.cols(), "orientation " + o);
        assertEquals(h.displayHeight(), ours.rows(), "orientation " + o);
        assertArrayEquals(ImageOps.toBytes(cvRgb), ImageOps.toBytes(ours), "orientation " + o);
      }
    }
  }

  @Test
  void pixelsAreRgbNotBgr() throws Exception {
    byte[] b = bytes("fruits.jpg");
    byte[] rgb = rgbOf(b);
    byte[] bgr;
    try (Mat m = cvDecode(b, IMREAD_COLOR)) {
      bgr = ImageOps.toBytes(m);
    }
    int checked = 0;
    for (int i = 0; i < rgb.length; i += 3 * 997) {
      assertEquals(bgr[i + 2], rgb[i]);
      assertEquals(bgr[i + 1], rgb[i + 1]);
      assertEquals(bgr[i], rgb[i + 2]);
      if (rgb[i] != rgb[i + 2]) {
        checked++;
      }
    }
    // the check must have seen pixels where red and blue differ
    assertEquals(true, checked > 100, "pixels with R != B: " + checked);
  }

  @Test
  void alphaPngGivesThreeChannels() throws Exception {
    byte[] b = bytes("opencv-logo.png");
    ImageHeader h = ImageHeaders.read(b, MAX);
    assertEquals(4, h.channels());
    try (Mat m = ImageDecoding.decodeRgb(b, h, 1)) {
      assertEquals(CV_8UC3, m.type());
      assertEquals(600, m.cols());
      assertEquals(794, m.rows());
    }
  }

  @Test
  void reducedDecodeHasTheDctScaledSize() throws Exception {
    byte[] b = bytes("butterfly.jpg"); // 493 x 356
    ImageHeader h = ImageHeaders.read(b, MAX);
    for (int r : new int[] {2, 4, 8}) {
      try (Mat m = ImageDecoding.decodeRgb(b, h, r)) {
        assertEquals((493 + r - 1) / r, m.cols(), "reduction " + r);
        assertEquals((356 + r - 1) / r, m.rows(), "reduction " + r);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> ImageDecoding.decodeRgb(b, h, 3));
  }

  @Test
  void reductionForPicksTheLargestPowerNotAboveTheShrink() {
    assertEquals(1, ImageDecoding.reductionFor(0.5));
    assertEquals(1, ImageDecoding.reductionFor(1.99));
    assertEquals(2, ImageDecoding.reductionFor(2));
    assertEquals(2, ImageDecoding.reductionFor(3.9));
    assertEquals(4, ImageDecoding.reductionFor(4));
    assertEquals(8, ImageDecoding.reductionFor(100));
  }

  @Test
  void validateAcceptsRealPhotosAndRejectsCorruptPixelData() throws Exception {
    for (String name : TestImages.ALL) {
      byte[] b = bytes(name);
      ImageDecoding.validate(b, ImageHeaders.read(b, MAX));
    }
    // a well-formed PNG header whose IDAT data is garbage: only a decode can tell
    byte[] png = bytes("smarties.png").clone();
    int idat = indexOf(png, new byte[] {'I', 'D', 'A', 'T'});
    for (int i = idat + 4; i < idat + 4000; i++) {
      png[i] = (byte) (i * 31);
    }
    ImageHeader h = ImageHeaders.read(png, MAX);
    BadImageException e =
        assertThrows(BadImageException.class, () -> ImageDecoding.validate(png, h));
    assertEquals("decode", e.reason());
  }

  private static int indexOf(byte[] b, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= b.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (b[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("not found");
  }
}
