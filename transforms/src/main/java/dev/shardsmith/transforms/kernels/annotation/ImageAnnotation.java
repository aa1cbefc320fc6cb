package dev.shardsmith.transforms.kernels.annotation;

import dev.shardsmith.schemas.Targets;
import java.util.ArrayList;
import java.util.List;

/**
 * The annotation of one image as read from an annotation file, before it meets its image: the image
 * file's stem (its name without folders and extension, the key that pairs it with an input image),
 * the file it came from, the image size the annotation declares (0 when it declares none) and the
 * targets in continuous pixel coordinates; or, for an annotation that could not be read, the error.
 *
 * <pre>{@code
 * Targets t = annotation.fit(header.displayWidth(), header.displayHeight());
 * }</pre>
 */
public record ImageAnnotation(
    String stem, String source, int width, int height, Targets targets, String error) {

  public static ImageAnnotation ok(
      String stem, String source, int width, int height, Targets targets) {
    return new ImageAnnotation(stem, source, width, height, targets, null);
  }

  public static ImageAnnotation failed(String stem, String source, String error) {
    return new ImageAnnotation(stem, source, 0, 0, null, error);
  }

  /**
   * The targets checked against the actual {@code width x height} image (EXIF orientation applied):
   * a declared size must match; each box is clipped to {@code [0, width] x [0, height]} (annotators
   * often put {@code x_max} one pixel past the edge); a box with nothing left inside the image is
   * an error, as are keypoints outside the image with a visibility above 0.
   */
  public Targets fit(int imageWidth, int imageHeight) throws BadAnnotationException {
    if (error != null) {
      throw new BadAnnotationException(source + ": " + error);
    }
    if ((width > 0 || height > 0) && (width != imageWidth || height != imageHeight)) {
      throw new BadAnnotationException(
          source
              + " declares a "
              + width
              + "x"
              + height
              + " image, but the image is "
              + imageWidth
              + "x"
              + imageHeight);
    }
    float[] b = targets.boxes().clone();
    for (int i = 0; i < targets.boxCount(); i++) {
      float x0 = Math.max(0, b[4 * i]);
      float y0 = Math.max(0, b[4 * i + 1]);
      float x1 = Math.min(imageWidth, b[4 * i + 2]);
      float y1 = Math.min(imageHeight, b[4 * i + 3]);
      if (!(x1 > x0 && y1 > y0)) {
        throw new BadAnnotationException(
            source
                + ": box "
                + i
                + " ("
                + targets.boxLabels()[i]
                + ") "
                + boxString(targets.boxes(), i)
                + " lies outside the "
                + imageWidth
                + "x"
                + imageHeight
                + " image");
      }
      b[4 * i] = x0;
      b[4 * i + 1] = y0;
      b[4 * i + 2] = x1;
      b[4 * i + 3] = y1;
    }
    float[] k = targets.keypoints();
    for (int i = 0; i < targets.keypointCount(); i++) {
      float x = k[3 * i];
      float y = k[3 * i + 1];
      if (k[3 * i + 2] > 0 && !(x >= 0 && x <= imageWidth && y >= 0 && y <= imageHeight)) {
        throw new BadAnnotationException(
            source + ": keypoint " + i + " (" + x + ", " + y + ") lies outside the image");
      }
    }
    Targets fitted =
        new Targets(
            b,
            targets.boxLabels(),
            targets.boxClasses(),
            targets.boxFlags(),
            targets.keypoints(),
            targets.keypointNames(),
            null);
    // a mask drawn from the annotation (COCO segmentation) is already width x height
    return targets.maskFile() == null ? fitted : fitted.withMaskFile(targets.maskFile());
  }

  static String boxString(float[] b, int i) {
    return "[" + b[4 * i] + ", " + b[4 * i + 1] + ", " + b[4 * i + 2] + ", " + b[4 * i + 3] + "]";
  }

  /** Collects boxes and keypoints while a file is parsed; checks each box as it is added. */
  static final class Builder {
    private final List<String> classes;
    private final List<Float> boxes = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private final List<Integer> classIds = new ArrayList<>();
    private final List<Byte> flags = new ArrayList<>();
    private final List<Float> keypoints = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    Builder(List<String> classes) {
      this.classes = classes;
    }

    /** Adds a box x0 y0 x1 y1 (continuous); throws on an unknown class or a bad size. */
    void box(String label, double x0, double y0, double x1, double y1, byte flag)
        throws BadAnnotationException {
      int c = classes.indexOf(label);
      if (c < 0) {
        throw new BadAnnotationException(
            "box class \"" + label + "\" is not in input.annotations.classes " + classes);
      }
      if (!(Double.isFinite(x0)
          && Double.isFinite(y0)
          && Double.isFinite(x1)
          && Double.isFinite(y1))) {
        throw new BadAnnotationException(
            "box " + labels.size() + " (" + label + ") has a non-finite coordinate");
      }
      if (!(x1 > x0 && y1 > y0)) {
        throw new BadAnnotationException(
            "box "
                + labels.size()
                + " ("
                + label
                + ") ["
                + x0
                + ", "
                + y0
                + ", "
                + x1
                + ", "
                + y1
                + "] has a negative or zero size");
      }
      boxes.add((float) x0);
      boxes.add((float) y0);
      boxes.add((float) x1);
      boxes.add((float) y1);
      labels.add(label);
      classIds.add(c);
      flags.add(flag);
    }

    void keypoint(String name, double x, double y, int visibility) throws BadAnnotationException {
      if (visibility < 0 || visibility > 2) {
        throw new BadAnnotationException(
            "keypoint " + names.size() + " has visibility " + visibility + "; allowed: 0, 1, 2");
      }
      if (!(Double.isFinite(x) && Double.isFinite(y))) {
        throw new BadAnnotationException(
            "keypoint " + names.size() + " has a non-finite coordinate");
      }
      keypoints.add((float) x);
      keypoints.add((float) y);
      keypoints.add((float) visibility);
      names.add(name == null ? "" : name);
    }

    Targets build() {
      float[] b = new float[boxes.size()];
      for (int i = 0; i < b.length; i++) {
        b[i] = boxes.get(i);
      }
      int[] c = classIds.stream().mapToInt(Integer::intValue).toArray();
      byte[] f = new byte[flags.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = flags.get(i);
      }
      float[] k = new float[keypoints.size()];
      for (int i = 0; i < k.length; i++) {
        k[i] = keypoints.get(i);
      }
      return new Targets(
          b, labels.toArray(new String[0]), c, f, k, names.toArray(new String[0]), null);
    }
  }
}
