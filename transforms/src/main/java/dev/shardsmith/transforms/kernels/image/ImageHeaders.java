package dev.shardsmith.transforms.kernels.image;

import static dev.shardsmith.transforms.kernels.image.BadImageException.BAD_HEADER;
import static dev.shardsmith.transforms.kernels.image.BadImageException.EMPTY;
import static dev.shardsmith.transforms.kernels.image.BadImageException.TOO_LARGE;
import static dev.shardsmith.transforms.kernels.image.BadImageException.TRUNCATED;
import static dev.shardsmith.transforms.kernels.image.BadImageException.UNKNOWN_FORMAT;

import dev.shardsmith.schemas.ImagePayload;
import java.util.zip.CRC32;

/**
 * Reads an image's header without decoding its pixels or allocating for them: the format from the
 * magic bytes, the size, channels, bit depth and EXIF orientation. JPEG and PNG are also checked
 * for completeness (a JPEG must end with its EOI marker, a PNG must hold an IEND chunk), and the
 * pixel count is checked against a limit before anything is decoded, which stops decompression
 * bombs. Deterministic; reads only the given array.
 *
 * <pre>{@code
 * ImageHeader h = ImageHeaders.read(Files.readAllBytes(path), 50_000_000L);
 * }</pre>
 */
public final class ImageHeaders {
  private ImageHeaders() {}

  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  /**
   * Parses the header of {@code bytes}.
   *
   * @param maxPixels the largest {@code width * height} accepted
   * @throws BadImageException with reason {@code empty}, {@code unknown_format}, {@code truncated},
   *     {@code bad_header} or {@code too_large}
   */
  public static ImageHeader read(byte[] bytes, long maxPixels) throws BadImageException {
    if (bytes == null || bytes.length == 0) {
      throw new BadImageException(EMPTY, "the image has zero bytes");
    }
    if (startsWith(bytes, 0xFF, 0xD8, 0xFF)) {
      return jpeg(bytes, maxPixels);
    }
    if (startsWith(bytes, PNG_MAGIC)) {
      return png(bytes, maxPixels);
    }
    if (startsWith(bytes, 'G', 'I', 'F', '8')) {
      return gif(bytes, maxPixels);
    }
    if (startsWith(bytes, 'B', 'M')) {
      return bmp(bytes, maxPixels);
    }
    if (startsWith(bytes, 'R', 'I', 'F', 'F')
        && bytes.length >= 12
        && bytes[8] == 'W'
        && bytes[9] == 'E'
        && bytes[10] == 'B'
        && bytes[11] == 'P') {
      return webp(bytes, maxPixels);
    }
    if (startsWith(bytes, 'I', 'I', 42, 0) || startsWith(bytes, 'M', 'M', 0, 42)) {
      return tiff(bytes, maxPixels);
    }
    throw new BadImageException(
        UNKNOWN_FORMAT, "unknown image format (first bytes " + hex(bytes, 8) + ")");
  }

  /**
   * The header of an image payload: {@link #read} of its bytes when encoded; for decoded uint8
   * pixels ({@code ImagePayload.RAW}, 1 or 3 channels) a {@link ImageHeader#RAW} header with its
   * size, checked against {@code maxPixels} like an encoded header, so raw pixels take the fused
   * step without an encode/decode round trip ({@link ImageDecoding#decodeRgb} reads them as a
   * lossless PNG of them would decode).
   *
   * @throws BadImageException as {@link #read}; {@code bad_header} for raw pixels that are not 1 or
   *     3 channels
   * @throws IllegalArgumentException for normalized float32 pixels (nothing renders those)
   */
  public static ImageHeader of(ImagePayload p, long maxPixels) throws BadImageException {
    if (p.isFloat32()) {
      throw new IllegalArgumentException(
          "float32 pixels (" + p + ") cannot be rendered: normalization runs after the fused step");
    }
    if (!p.isRaw()) {
      return read(p.bytes(), maxPixels);
    }
    if (p.channels() != 1 && p.channels() != 3) {
      throw new BadImageException(
          BAD_HEADER, "raw pixels must have 1 or 3 channels, got " + p.channels());
    }
    checkPixels(ImageHeader.RAW, p.width(), p.height(), maxPixels);
    return new ImageHeader(ImageHeader.RAW, p.width(), p.height(), p.channels(), 8, 1);
  }

  // ---------------------------------------------------------------- JPEG

  private static ImageHeader jpeg(byte[] b, long maxPixels) throws BadImageException {
    int pos = 2;
    int width = -1;
    int height = -1;
    int components = -1;
    int precision = -1;
    int orientation = 1;
    boolean exifSeen = false;
    while (true) {
      if (pos >= b.length) {
        throw new BadImageException(TRUNCATED, "JPEG ends inside its header at byte " + pos);
      }
      if ((b[pos] & 0xFF) != 0xFF) {
        throw new BadImageException(
            BAD_HEADER, "JPEG: expected a marker at byte " + pos + ", found " + hex(b[pos]));
      }
      while (pos < b.length && (b[pos] & 0xFF) == 0xFF) {
        pos++; // fill bytes
      }
      if (pos >= b.length) {
        throw new BadImageException(TRUNCATED, "JPEG ends inside a marker");
      }
      int marker = b[pos++] & 0xFF;
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // standalone markers carry no length
      }
      if (marker == 0xD8 || marker == 0xD9 || marker == 0x00) {
        throw new BadImageException(
            BAD_HEADER, "JPEG: unexpected marker " + hex((byte) marker) + " in the header");
      }
      if (pos + 2 > b.length) {
        throw new BadImageException(TRUNCATED, "JPEG ends inside a segment length");
      }
      int len = u16be(b, pos);
      if (len < 2) {
        throw new BadImageException(BAD_HEADER, "JPEG: segment length " + len + " < 2");
      }
      int data = pos + 2;
      int end = pos + len;
      if (end > b.length) {
        throw new BadImageException(
            TRUNCATED, "JPEG: segment " + hex((byte) marker) + " runs past the end of the file");
      }
      if (isSof(marker)) {
        if (len < 8) {
          throw new BadImageException(BAD_HEADER, "JPEG: SOF segment too short (" + len + ")");
        }
        precision = b[data] & 0xFF;
        height = u16be(b, data + 1);
        width = u16be(b, data + 3);
        components = b[data + 5] & 0xFF;
        if (width == 0 || height == 0) {
          throw new BadImageException(BAD_HEADER, "JPEG: size " + width + "x" + height);
        }
        if (components != 1 && components != 3 && components != 4) {
          throw new BadImageException(BAD_HEADER, "JPEG: " + components + " components");
        }
        if (precision != 8 && precision != 12 && precision != 16) {
          throw new BadImageException(BAD_HEADER, "JPEG: precision " + precision);
        }
        checkPixels("JPEG", width, height, maxPixels);
      } else if (marker == 0xE1 && !exifSeen && isExif(b, data, end)) {
        exifSeen = true;
        orientation = tiffOrientation(b, data + 6, end);
      } else if (marker == 0xDA) {
        break; // start of scan: the header is over
      }
      pos = end;
    }
    if (width < 0) {
      throw new BadImageException(BAD_HEADER, "JPEG: scan data before any SOF (frame) marker");
    }
    int last = b.length - 1;
    while (last > 0 && b[last] == 0) {
      last--; // some writers pad with zeros after EOI
    }
    if (last < 1 || (b[last - 1] & 0xFF) != 0xFF || (b[last] & 0xFF) != 0xD9) {
      throw new BadImageException(TRUNCATED, "JPEG does not end with the EOI marker FFD9");
    }
    return new ImageHeader("jpeg", width, height, components, precision, orientation);
  }

  private static boolean isSof(int m) {
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
  }

  private static boolean isExif(byte[] b, int data, int end) {
    return end - data >= 14
        && b[data] == 'E'
        && b[data + 1] == 'x'
        && b[data + 2] == 'i'
        && b[data + 3] == 'f'
        && b[data + 4] == 0
        && b[data + 5] == 0;
  }

  // ---------------------------------------------------------------- PNG

  private static ImageHeader png(byte[] b, long maxPixels) throws BadImageException {
    if (b.length < 33) {
      throw new BadImageException(TRUNCATED, "PNG ends before its IHDR chunk (" + b.length + " B)");
    }
    if (u32be(b, 8) != 13 || !type(b, 12, "IHDR")) {
      throw new BadImageException(BAD_HEADER, "PNG: the first chunk is not a 13-byte IHDR");
    }
    CRC32 crc = new CRC32();
    crc.update(b, 12, 17);
    if (crc.getValue() != u32be(b, 29)) {
      throw new BadImageException(BAD_HEADER, "PNG: IHDR CRC mismatch");
    }
    long w = u32be(b, 16);
    long h = u32be(b, 20);
    int depth = b[24] & 0xFF;
    int colorType = b[25] & 0xFF;
    if (w == 0 || h == 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
      throw new BadImageException(BAD_HEADER, "PNG: size " + w + "x" + h);
    }
    int channels;
    boolean depthOk;
    if (colorType == 0) {
      channels = 1;
      depthOk = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    } else if (colorType == 3) {
      channels = 3;
      depthOk = depth == 1 || depth == 2 || depth == 4 || depth == 8;
    } else if (colorType == 2 || colorType == 4 || colorType == 6) {
      channels = colorType == 2 ? 3 : colorType == 4 ? 2 : 4;
      depthOk = depth == 8 || depth == 16;
    } else {
      throw new BadImageException(BAD_HEADER, "PNG: color type " + colorType);
    }
    if (!depthOk) {
      throw new BadImageException(
          BAD_HEADER, "PNG: bit depth " + depth + " with color type " + colorType);
    }
    checkPixels("PNG", w, h, maxPixels);
    int orientation = 1;
    int pos = 33;
    while (true) {
      if (pos + 8 > b.length) {
        throw new BadImageException(TRUNCATED, "PNG ends without an IEND chunk");
      }
      long len = u32be(b, pos);
      if (len > Integer.MAX_VALUE) {
        throw new BadImageException(BAD_HEADER, "PNG: chunk length " + len);
      }
      long next = pos + 12L + len;
      if (type(b, pos + 4, "IEND")) {
        break;
      }
      if (next > b.length) {
        throw new BadImageException(TRUNCATED, "PNG: a chunk runs past the end of the file");
      }
      if (type(b, pos + 4, "eXIf")) {
        orientation = tiffOrientation(b, pos + 8, (int) (pos + 8 + len));
      }
      pos = (int) next;
    }
    return new ImageHeader("png", (int) w, (int) h, channels, depth, orientation);
  }

  // ---------------------------------------------------------------- GIF, BMP, WebP

  private static ImageHeader gif(byte[] b, long maxPixels) throws BadImageException {
    if (b.length < 13) {
      throw new BadImageException(TRUNCATED, "GIF ends inside its screen descriptor");
    }
    if (!(b[4] == '7' || b[4] == '9') || b[5] != 'a') {
      throw new BadImageException(BAD_HEADER, "GIF: unknown version");
    }
    int w = u16le(b, 6);
    int h = u16le(b, 8);
    if (w == 0 || h == 0) {
      throw new BadImageException(BAD_HEADER, "GIF: size " + w + "x" + h);
    }
    checkPixels("GIF", w, h, maxPixels);
    return new ImageHeader("gif", w, h, 3, 8, 1);
  }

  private static ImageHeader bmp(byte[] b, long maxPixels) throws BadImageException {
    if (b.length < 26) {
      throw new BadImageException(TRUNCATED, "BMP ends inside its header");
    }
    long dib = u32le(b, 14);
    long w;
    long h;
    int bpp;
    if (dib == 12) {
      w = u16le(b, 18);
      h = u16le(b, 20);
      bpp = u16le(b, 24);
    } else if (dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124) {
      if (b.length < 30) {
        throw new BadImageException(TRUNCATED, "BMP ends inside its info header");
      }
      w = (int) u32le(b, 18);
      h = Math.abs((long) (int) u32le(b, 22)); // negative height: top-down rows
      bpp = u16le(b, 28);
    } else {
      throw new BadImageException(BAD_HEADER, "BMP: unknown info header size " + dib);
    }
    if (w <= 0 || h <= 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
      throw new BadImageException(BAD_HEADER, "BMP: size " + w + "x" + h);
    }
    if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) {
      throw new BadImageException(BAD_HEADER, "BMP: " + bpp + " bits per pixel");
    }
    checkPixels("BMP", w, h, maxPixels);
    return new ImageHeader("bmp", (int) w, (int) h, bpp == 32 ? 4 : 3, 8, 1);
  }

  private static ImageHeader webp(byte[] b, long maxPixels) throws BadImageException {
    if (b.length < 30) {
      throw new BadImageException(TRUNCATED, "WebP ends inside its first chunk header");
    }
    if (u32le(b, 4) + 8 > b.length) {
      throw new BadImageException(TRUNCATED, "WebP is shorter than its RIFF size says");
    }
    long w;
    long h;
    int channels = 3;
    if (type(b, 12, "VP8 ")) {
      if ((b[23] & 0xFF) != 0x9D || (b[24] & 0xFF) != 0x01 || (b[25] & 0xFF) != 0x2A) {
        throw new BadImageException(BAD_HEADER, "WebP: VP8 start code missing");
      }
      w = u16le(b, 26) & 0x3FFF;
      h = u16le(b, 28) & 0x3FFF;
    } else if (type(b, 12, "VP8L")) {
      if ((b[20] & 0xFF) != 0x2F) {
        throw new BadImageException(BAD_HEADER, "WebP: VP8L signature missing");
      }
      long bits = u32le(b, 21);
      w = (bits & 0x3FFF) + 1;
      h = ((bits >>> 14) & 0x3FFF) + 1;
      channels = ((bits >>> 28) & 1) == 1 ? 4 : 3;
    } else if (type(b, 12, "VP8X")) {
      w = u24le(b, 24) + 1L;
      h = u24le(b, 27) + 1L;
      channels = (b[20] & 0x10) != 0 ? 4 : 3;
    } else {
      throw new BadImageException(BAD_HEADER, "WebP: unknown first chunk " + hex(b[12]));
    }
    if (w == 0 || h == 0) {
      throw new BadImageException(BAD_HEADER, "WebP: size " + w + "x" + h);
    }
    checkPixels("WebP", w, h, maxPixels);
    return new ImageHeader("webp", (int) w, (int) h, channels, 8, 1);
  }

  // ---------------------------------------------------------------- TIFF (and EXIF)

  private static ImageHeader tiff(byte[] b, long maxPixels) throws BadImageException {
    Ifd ifd = Ifd.parse(b, 0, b.length);
    if (ifd == null) {
      throw new BadImageException(TRUNCATED, "TIFF: the first IFD lies outside the file");
    }
    long w = ifd.value(256);
    long h = ifd.value(257);
    if (w <= 0 || h <= 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
      throw new BadImageException(BAD_HEADER, "TIFF: size " + w + "x" + h);
    }
    checkPixels("TIFF", w, h, maxPixels);
    long spp = ifd.value(277);
    long bits = ifd.value(258);
    long orientation = ifd.value(274);
    return new ImageHeader(
        "tiff",
        (int) w,
        (int) h,
        spp > 0 && spp <= 4 ? (int) spp : 1,
        bits > 0 && bits <= 64 ? (int) bits : 1,
        orientation >= 1 && orientation <= 8 ? (int) orientation : 1);
  }

  /**
   * The EXIF orientation in the TIFF block {@code [start, end)}, or 1 when it is absent or out of
   * range. EXIF is metadata: a garbled block does not make the image bad.
   */
  private static int tiffOrientation(byte[] b, int start, int end) {
    Ifd ifd = Ifd.parse(b, start, Math.min(end, b.length));
    if (ifd == null) {
      return 1;
    }
    long o = ifd.value(274);
    return o >= 1 && o <= 8 ? (int) o : 1;
  }

  /** The first IFD of a TIFF block, bounds-checked; values of SHORT and LONG entries only. */
  private static final class Ifd {
    private final byte[] b;
    private final boolean little;
    private final int entries;
    private final int first;
    private final int end;

    private Ifd(byte[] b, boolean little, int entries, int first, int end) {
      this.b = b;
      this.little = little;
      this.entries = entries;
      this.first = first;
      this.end = end;
    }

    static Ifd parse(byte[] b, int start, int end) {
      if (start < 0 || start + 8 > end) {
        return null;
      }
      boolean little;
      if (b[start] == 'I' && b[start + 1] == 'I') {
        little = true;
      } else if (b[start] == 'M' && b[start + 1] == 'M') {
        little = false;
      } else {
        return null;
      }
      long off = little ? u32le(b, start + 4) : u32be(b, start + 4);
      if (off < 8 || start + off + 2 > end) {
        return null;
      }
      int at = (int) (start + off);
      int n = little ? u16le(b, at) : u16be(b, at);
      int avail = (end - at - 2) / 12;
      return new Ifd(b, little, Math.min(n, avail), at + 2, end);
    }

    /** The value of {@code tag} when it is a single SHORT or LONG; -1 when absent. */
    long value(int tag) {
      for (int i = 0; i < entries; i++) {
        int e = first + 12 * i;
        if (e + 12 > end) {
          return -1;
        }
        int t = little ? u16le(b, e) : u16be(b, e);
        if (t != tag) {
          continue;
        }
        int type = little ? u16le(b, e + 2) : u16be(b, e + 2);
        if (type == 3) {
          return little ? u16le(b, e + 8) : u16be(b, e + 8);
        }
        if (type == 4) {
          return little ? u32le(b, e + 8) : u32be(b, e + 8);
        }
        return -1;
      }
      return -1;
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void checkPixels(String format, long w, long h, long maxPixels)
      throws BadImageException {
    if (w * h > maxPixels) {
      throw new BadImageException(
          TOO_LARGE,
          format
              + " claims "
              + w
              + "x"
              + h
              + " = "
              + (w * h)
              + " pixels, more than the limit of "
              + maxPixels);
    }
  }

  private static boolean startsWith(byte[] b, int... magic) {
    if (b.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[i] & 0xFF) != (magic[i] & 0xFF)) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] b, byte[] magic) {
    if (b.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (b[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean type(byte[] b, int at, String fourcc) {
    if (at + 4 > b.length) {
      return false;
    }
    for (int i = 0; i < 4; i++) {
      if (b[at + i] != fourcc.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int u16be(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  private static int u16le(byte[] b, int at) {
    return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
  }

  private static int u24le(byte[] b, int at) {
    return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8) | ((b[at + 2] & 0xFF) << 16);
  }

  private static long u32be(byte[] b, int at) {
    return ((long) u16be(b, at) << 16) | u16be(b, at + 2);
  }

  private static long u32le(byte[] b, int at) {
    return u16le(b, at) | ((long) u16le(b, at + 2) << 16);
  }

  private static String hex(byte v) {
    return String.format("%02X", v & 0xFF);
  }

  private static String hex(byte[] b, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(n, b.length); i++) {
      s.append(hex(b[i]));
    }
    return s.toString();
  }
}
