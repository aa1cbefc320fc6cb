package dev.shardsmith.transforms.kernels.annotation;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Draws COCO {@code segmentation} into a label mask ({@code height x width} class ids, row-major, 0
 * = background), in the continuous pixel convention of {@link dev.shardsmith.schemas.Targets}:
 *
 * <ul>
 *   <li><b>Polygons</b> ({@code [[x0, y0, x1, y1, ...], ...]}, continuous coordinates as COCO's
 *       {@code bbox}): pixel {@code (x, y)} is inside when its centre {@code (x + 0.5, y + 0.5)} is
 *       inside a polygon by the even-odd rule; a centre exactly on a left or top edge is inside, on
 *       a right or bottom edge outside, so two polygons that share an edge never both claim a
 *       pixel. Several polygons of one annotation are drawn one after the other (their union).
 *   <li><b>Uncompressed RLE</b> ({@code {"counts": [n0, n1, ...], "size": [h, w]}}, as COCO's
 *       {@code iscrowd} regions): runs of background and foreground, alternating and starting with
 *       background, over the pixels in column-major order (down each column, then the next column).
 *       The counts must add up to {@code h * w}. Compressed RLE ({@code counts} a string) is
 *       refused.
 * </ul>
 *
 * <p>An annotation paints its pixels with its class id over whatever is there, so where annotations
 * overlap the <b>later one in the file wins</b>. Pure and deterministic.
 *
 * <pre>{@code
 * byte[] mask = new byte[w * h];
 * SegmentationMasks.draw(annotation.get("segmentation"), 15, mask, w, h);
 * byte[] png = SegmentationMasks.png(mask, w, h);
 * }</pre>
 */
public final class SegmentationMasks {
  private SegmentationMasks() {}

  /**
   * Paints {@code segmentation} (polygons or uncompressed RLE) into {@code mask} ({@code w x h})
   * with {@code value}; throws naming what is wrong with a malformed segmentation.
   */
  public static void draw(JsonNode segmentation, int value, byte[] mask, int w, int h)
      throws BadAnnotationException {
    if (mask.length != w * h) {
      throw new IllegalArgumentException("mask must be " + w + "x" + h + " bytes");
    }
    if (segmentation.isArray()) {
      for (int i = 0; i < segmentation.size(); i++) {
        JsonNode poly = segmentation.get(i);
        if (!poly.isArray() || poly.size() < 6 || poly.size() % 2 != 0) {
          throw new BadAnnotationException(
              "segmentation polygon " + i + " is not x, y pairs of at least 3 points: " + poly);
        }
        double[] xy = new double[poly.size()];
        for (int j = 0; j < xy.length; j++) {
          JsonNode v = poly.get(j);
          if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new BadAnnotationException(
                "segmentation polygon " + i + " has a non-numeric or non-finite value " + v);
          }
          xy[j] = v.asDouble();
        }
        fillPolygon(xy, (byte) value, mask, w, h);
      }
    } else if (segmentation.isObject()) {
      rle(segmentation, (byte) value, mask, w, h);
    } else {
      throw new BadAnnotationException(
          "segmentation must be a list of polygons or an RLE object, but was " + segmentation);
    }
  }

  /**
   * Fills the polygon {@code xy} ({@code x0, y0, x1, y1, ...}) with {@code value}: every pixel
   * whose centre lies inside it (even-odd rule, half-open at right and bottom edges).
   */
  static void fillPolygon(double[] xy, byte value, byte[] mask, int w, int h) {
    int n = xy.length / 2;
    double[] cross = new double[n];
    for (int y = 0; y < h; y++) {
      double yc = y + 0.5;
      int k = 0;
      for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        double x0 = xy[2 * i];
        double y0 = xy[2 * i + 1];
        double x1 = xy[2 * j];
        double y1 = xy[2 * j + 1];
        // an edge counts at yc when yc is in [min y, max y): a vertex is counted once, and a
        // horizontal edge never
        if ((y0 <= yc && yc < y1) || (y1 <= yc && yc < y0)) {
          cross[k++] = x0 + (yc - y0) * (x1 - x0) / (y1 - y0);
        }
      }
      Arrays.sort(cross, 0, k);
      for (int c = 0; c + 1 < k; c += 2) {
        // centres x + 0.5 in [cross[c], cross[c + 1])
        int from = (int) Math.max(0, Math.ceil(cross[c] - 0.5));
        int to = (int) Math.min(w, Math.ceil(cross[c + 1] - 0.5));
        for (int x = from; x < to; x++) {
          mask[y * w + x] = value;
        }
      }
    }
  }

  private static void rle(JsonNode rle, byte value, byte[] mask, int w, int h)
      throws BadAnnotationException {
    JsonNode counts = rle.path("counts");
    JsonNode size = rle.path("size");
    if (counts.isTextual()) {
      throw new BadAnnotationException(
          "segmentation is compressed RLE (counts is a string); only polygons and uncompressed"
              + " RLE (counts a list of run lengths) are read");
    }
    if (!counts.isArray()
        || !size.isArray()
        || size.size() != 2
        || !size.get(0).canConvertToInt()
        || !size.get(1).canConvertToInt()) {
      throw new BadAnnotationException(
          "segmentation RLE needs counts (a list of run lengths) and size [height, width], but was "
              + rle);
    }
    if (size.get(0).asInt() != h || size.get(1).asInt() != w) {
      throw new BadAnnotationException(
          "segmentation RLE size "
              + size
              + " is not the image's [height, width] ["
              + h
              + ", "
              + w
              + "]");
    }
    long total = (long) w * h;
    long at = 0;
    for (int i = 0; i < counts.size(); i++) {
      JsonNode c = counts.get(i);
      if (!c.canConvertToLong() || !c.isIntegralNumber() || c.asLong() < 0) {
        throw new BadAnnotationException(
            "segmentation RLE count " + i + " is " + c + ", not a run length >= 0");
      }
      long run = c.asLong();
      if (at + run > total) {
        throw new BadAnnotationException(
            "segmentation RLE counts run past the image's " + total + " pixels");
      }
      if (i % 2 == 1) {
        for (long p = at; p < at + run; p++) {
          // column-major: p = x * h + y
          int x = (int) (p / h);
          int y = (int) (p % h);
          mask[y * w + x] = value;
        }
      }
      at += run;
    }
    if (at != total) {
      throw new BadAnnotationException(
          "segmentation RLE counts cover " + at + " of the image's " + total + " pixels");
    }
  }

  /** The mask as an 8-bit grayscale PNG ({@link LabelMasks#decode} reads it back). */
  public static byte[] png(byte[] mask, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setDataElements(0, 0, w, h, mask);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, "png", out)) {
        throw new IllegalStateException("no PNG writer in ImageIO");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
