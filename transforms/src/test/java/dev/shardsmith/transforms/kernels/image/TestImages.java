package dev.shardsmith.transforms.kernels.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/** Real test photos and byte-level helpers shared by the image kernel tests. */
final class TestImages {
  private TestImages() {}

  static final Path PHOTOS = Path.of("../sample-data/photos");

  static final List<String> ALL =
      List.of(
          "HappyFish.jpg",
          "apple.jpg",
          "baboon.jpg",
          "butterfly.jpg",
          "fruits.jpg",
          "home.jpg",
          "messi5.jpg",
          "opencv-logo.png",
          "orange.jpg",
          "smarties.png");

  static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(PHOTOS.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** OpenCV's own decode with the given flags; the caller closes it. */
  static Mat cvDecode(byte[] bytes, int flags) {
    try (BytePointer p = new BytePointer(bytes);
        Mat buf = new Mat(1, bytes.length, CV_8UC1, p)) {
      return imdecode(buf, flags);
    }
  }

  /** Encodes with OpenCV, {@code ext} like ".png". */
  static byte[] cvEncode(String ext, Mat m) {
    try (BytePointer out = new BytePointer()) {
      if (!imencode(ext, m, out)) {
        throw new IllegalStateException("imencode " + ext + " failed");
      }
      byte[] b = new byte[(int) out.limit()];
      out.get(b);
      return b;
    }
  }

  /** {@code jpeg} with an APP1 EXIF segment holding only {@code orientation}, after SOI. */
  static byte[] withExifOrientation(byte[] jpeg, int orientation, boolean bigEndian) {
    ByteArrayOutputStream tiff = new ByteArrayOutputStream();
    if (bigEndian) {
      tiff.writeBytes(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8});
      tiff.writeBytes(new byte[] {0, 1}); // one entry
      tiff.writeBytes(new byte[] {0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0});
    } else {
      tiff.writeBytes(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0});
      tiff.writeBytes(new byte[] {1, 0});
      tiff.writeBytes(new byte[] {0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0});
    }
    tiff.writeBytes(new byte[] {0, 0, 0, 0}); // no next IFD
    byte[] t = tiff.toByteArray();
    int len = 2 + 6 + t.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(0xD8);
    out.write(0xFF);
    out.write(0xE1);
    out.write(len >> 8);
    out.write(len & 0xFF);
    out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
    out.writeBytes(t);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /** A copy of {@code png} whose IHDR claims {@code w x h}, with a correct CRC. */
  static byte[] pngClaiming(byte[] png, int w, int h) {
    byte[] b = png.clone();
    putU32(b, 16, w);
    putU32(b, 20, h);
    CRC32 crc = new CRC32();
    crc.update(b, 12, 17);
    putU32(b, 29, (int) crc.getValue());
    return b;
  }

  static void putU32(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  /** PSNR in dB of two equal-length 8-bit buffers, over the pixels where {@code mask} is set. */
  static double psnr(byte[] a, byte[] b, int channels, boolean[] mask) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(a.length + " != " + b.length);
    }
    double se = 0;
    long n = 0;
    for (int i = 0; i < a.length; i++) {
      if (mask != null && !mask[i / channels]) {
        continue;
      }
      double d = (a[i] & 0xFF) - (b[i] & 0xFF);
      se += d * d;
      n++;
    }
    double mse = se / n;
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
  }
}
