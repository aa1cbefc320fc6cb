package dev.shardsmith.transforms.kernels.annotation;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Decodes a paired mask file: a PNG whose pixel values are class ids, either 8-bit grayscale or
 * 8-bit (or fewer bits) palette, as VOC's {@code SegmentationClass} PNGs; for a palette PNG the
 * palette <em>index</em> is the value, not its colour. Any other PNG (RGB, 16-bit, with alpha) is
 * refused, since its values are not class ids.
 *
 * <pre>{@code
 * byte[] raw = LabelMasks.decode(Files.readAllBytes(png), 500, 375); // 375 x 500 bytes
 * }</pre>
 */
public final class LabelMasks {
  private LabelMasks() {}

  /**
   * The mask's values, {@code height x width} bytes row-major; it must be {@code width x height}.
   */
  public static byte[] decode(byte[] png, int width, int height) throws BadAnnotationException {
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(png));
    } catch (IOException | RuntimeException e) {
      throw new BadAnnotationException("mask is not a readable PNG: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new BadAnnotationException("mask is not a PNG (or another image ImageIO reads)");
    }
    Raster r = img.getRaster();
    boolean palette = img.getColorModel() instanceof IndexColorModel;
    boolean gray8 = img.getType() == BufferedImage.TYPE_BYTE_GRAY;
    if (r.getNumBands() != 1 || !(palette || gray8)) {
      throw new BadAnnotationException(
          "mask must be an 8-bit grayscale or palette PNG of class ids, but has "
              + r.getNumBands()
              + " band(s), "
              + img.getColorModel().getPixelSize()
              + " bits per pixel");
    }
    if (img.getWidth() != width || img.getHeight() != height) {
      throw new BadAnnotationException(
          "mask is "
              + img.getWidth()
              + "x"
              + img.getHeight()
              + " but its image is "
              + width
              + "x"
              + height);
    }
    byte[] out = new byte[width * height];
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      r.getSamples(0, y, width, 1, 0, row);
      for (int x = 0; x < width; x++) {
        out[y * width + x] = (byte) row[x];
      }
    }
    return out;
  }
}
