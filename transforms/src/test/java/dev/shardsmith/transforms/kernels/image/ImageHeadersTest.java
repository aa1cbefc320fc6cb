package dev.shardsmith.transforms.kernels.image;

import static dev.shardsmith.transforms.kernels.image.TestImages.bytes;
import static dev.shardsmith.transforms.kernels.image.TestImages.cvDecode;
import static dev.shardsmith.transforms.kernels.image.TestImages.cvEncode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class ImageHeadersTest {
  private static final long MAX = 50_000_000L;

  private static String reason(byte[] b, long max) {
    return assertThrows(BadImageException.class, () -> ImageHeaders.read(b, max)).reason();
  }

  @Test
  void everyRealPhotoMatchesWhatOpenCvDecodes() throws Exception {
    for (String name : TestImages.ALL) {
      byte[] b = bytes(name);
      ImageHeader h = ImageHeaders.read(b, MAX);
      try (Mat m = cvDecode(b, IMREAD_UNCHANGED | IMREAD_IGNORE_ORIENTATION)) {
        assertEquals(m.cols(), h.width(), name);
        assertEquals(m.rows(), h.height(), name);
        assertEquals(m.channels(), h.channels(), name);
      }
      assertEquals(name.endsWith(".png") ? "png" : "jpeg", h.format(), name);
      assertEquals(8, h.bitDepth(), name);
      assertEquals(1, h.orientation(), name);
    }
    assertEquals(4, ImageHeaders.read(bytes("opencv-logo.png"), MAX).channels());
  }

  @Test
  void emptyAndUnknownBytesAreRejected() {
    assertEquals("empty", reason(new byte[0], MAX));
    byte[] text = "name,label\ncat.jpg,cat\n".getBytes(StandardCharsets.UTF_8);
    assertEquals("unknown_format", reason(text, MAX));
  }

  @Test
  void truncatedJpegAndPngAreRejected() {
    byte[] jpeg = bytes("baboon.jpg");
    assertEquals("truncated", reason(Arrays.copyOf(jpeg, jpeg.length / 2), MAX));
    byte[] png = bytes("smarties.png");
    assertEquals("truncated", reason(Arrays.copyOf(png, png.length / 2), MAX));
    // a file cut inside its header is truncated too
    assertEquals("truncated", reason(Arrays.copyOf(jpeg, 40), MAX));
  }

  @Test
  void trailingZeroPaddingAfterEoiIsAccepted() throws Exception {
    byte[] jpeg = bytes("HappyFish.jpg");
    byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 16);
    assertEquals(259, ImageHeaders.read(padded, MAX).width());
  }

  @Test
  void decompressionBombIsTooLargeBeforeDecoding() throws Exception {
    byte[] small;
    try (Mat m = cvDecode(bytes("smarties.png"), IMREAD_COLOR)) {
      small = cvEncode(".png", m);
    }
    byte[] bomb = TestImages.pngClaiming(small, 60000, 60000);
    BadImageException e = assertThrows(BadImageException.class, () -> ImageHeaders.read(bomb, MAX));
    assertEquals("too_large", e.reason());
    assertTrue(e.getMessage().contains("60000x60000"), e.getMessage());
    // the same bytes pass the header check when the limit allows them: only the size is wrong
    ImageHeader h = ImageHeaders.read(bomb, 60000L * 60000L);
    assertEquals(60000, h.width());
  }

  @Test
  void garbledHeadersAreBadHeader() {
    byte[] png = bytes("smarties.png").clone();
    png[20] ^= 0x7F; // height byte changed, CRC now wrong
    assertEquals("bad_header", reason(png, MAX));
    byte[] jpeg = bytes("HappyFish.jpg").clone();
    jpeg[4] = 0; // the APP0 segment length becomes 1, below the minimum of 2
    jpeg[5] = 1;
    assertEquals("bad_header", reason(jpeg, MAX));
    byte[] tiny = bytes("HappyFish.jpg").clone();
    tiny[20] = 0x42; // the APP0 segment no longer ends at a marker
    assertEquals("bad_header", reason(tiny, MAX));
  }

  @Test
  void exifOrientationIsReadInBothByteOrders() throws Exception {
    byte[] jpeg = bytes("butterfly.jpg");
    for (int o = 1; o <= 8; o++) {
      for (boolean big : new boolean[] {true, false}) {
        ImageHeader h = ImageHeaders.read(TestImages.withExifOrientation(jpeg, o, big), MAX);
        assertEquals(o, h.orientation(), "orientation " + o + (big ? " MM" : " II"));
        assertEquals(493, h.width());
        assertEquals(o >= 5 ? 493 : 356, h.displayHeight());
      }
    }
    // apple.jpg has an EXIF block without entries: orientation 1
    assertEquals(1, ImageHeaders.read(bytes("apple.jpg"), MAX).orientation());
  }

  @Test
  void otherFormatsGiveTheirSize() throws Exception {
    try (Mat m = cvDecode(bytes("HappyFish.jpg"), IMREAD_COLOR)) {
      for (String ext : new String[] {".bmp", ".tiff", ".webp"}) {
        ImageHeader h = ImageHeaders.read(cvEncode(ext, m), MAX);
        assertEquals(ext.substring(1), h.format(), ext);
        assertEquals(259, h.width(), ext);
        assertEquals(194, h.height(), ext);
      }
    }
    byte[] gif = {'G', 'I', 'F', '8', '9', 'a', 0x03, 0x01, (byte) 0xC8, 0, 0, 0, 0, 0x3B};
    ImageHeader g = ImageHeaders.read(gif, MAX);
    assertEquals("gif", g.format());
    assertEquals(259, g.width());
    assertEquals(200, g.height());
  }
}
