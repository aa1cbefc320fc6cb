package dev.shardsmith.schemas;

import java.util.Arrays;
import java.util.Objects;

/**
 * Annotation targets of one image, in continuous pixel coordinates of the image as displayed (EXIF
 * orientation applied; pixel {@code i} covers {@code [i, i + 1)}, so a box around the whole {@code
 * w x h} image is {@code 0 0 w h}).
 *
 * <ul>
 *   <li>{@code boxes}: {@code n x 4} floats {@code x_min y_min x_max y_max}, with per box a class
 *       name ({@code boxLabels}), its index in the configured class list ({@code boxClasses}) and
 *       flags ({@link #DIFFICULT}: VOC {@code difficult}, {@link #CROWD}: COCO {@code iscrowd}).
 *   <li>{@code keypoints}: {@code k x 3} floats {@code x y visibility}, visibility as in COCO: 0
 *       not labelled (or left the frame), 1 labelled but occluded, 2 visible; with a name per
 *       keypoint ({@code ""} when none).
 *   <li>{@code mask}: a single-channel label image of the same size as the image, or null. While
 *       the image is still encoded, the mask is the bytes of its PNG file; once the image is raw
 *       pixels, the mask is raw too: {@code height x width} bytes, row-major.
 * </ul>
 *
 * <pre>{@code
 * Targets t = Targets.boxes(new float[] {10, 20, 110, 220}, new String[] {"person"}, new int[] {0});
 * ImagePayload img = ImagePayload.encoded(bytes, "jpeg", 500, 375, 3, 1).withTargets(t);
 * }</pre>
 */
public final class Targets {
  /** Box flag: VOC {@code difficult}. */
  public static final byte DIFFICULT = 1;

  /** Box flag: COCO {@code iscrowd}. */
  public static final byte CROWD = 2;

  public static final Targets NONE =
      new Targets(
          new float[0], new String[0], new int[0], new byte[0], new float[0], new String[0], null);

  private final float[] boxes;
  private final String[] boxLabels;
  private final int[] boxClasses;
  private final byte[] boxFlags;
  private final float[] keypoints;
  private final String[] keypointNames;
  private final byte[] mask;

  public Targets(
      float[] boxes,
      String[] boxLabels,
      int[] boxClasses,
      byte[] boxFlags,
      float[] keypoints,
      String[] keypointNames,
      byte[] mask) {
    this.boxes = Objects.requireNonNull(boxes, "boxes");
    this.boxLabels = Objects.requireNonNull(boxLabels, "boxLabels");
    this.boxClasses = Objects.requireNonNull(boxClasses, "boxClasses");
    this.boxFlags = Objects.requireNonNull(boxFlags, "boxFlags");
    this.keypoints = Objects.requireNonNull(keypoints, "keypoints");
    this.keypointNames = Objects.requireNonNull(keypointNames, "keypointNames");
    this.mask = mask;
    int n = boxLabels.length;
    if (boxes.length != 4 * n || boxClasses.length != n || boxFlags.length != n) {
      throw new IllegalArgumentException(
          "boxes must be n x 4 with one label, class and flag byte per box: "
              + boxes.length
              + " floats, "
              + n
              + " labels, "
              + boxClasses.length
              + " classes, "
              + boxFlags.length
              + " flags");
    }
    if (keypoints.length != 3 * keypointNames.length) {
      throw new IllegalArgumentException(
          "keypoints must be k x 3 (x, y, visibility) with one name per keypoint: "
              + keypoints.length
              + " floats, "
              + keypointNames.length
              + " names");
    }
  }

  /** Boxes only, no flags, no keypoints, no mask. */
  public static Targets boxes(float[] boxes, String[] labels, int[] classes) {
    return new Targets(
        boxes, labels, classes, new byte[labels.length], new float[0], new String[0], null);
  }

  public float[] boxes() {
    return boxes;
  }

  public int boxCount() {
    return boxLabels.length;
  }

  public String[] boxLabels() {
    return boxLabels;
  }

  public int[] boxClasses() {
    return boxClasses;
  }

  public byte[] boxFlags() {
    return boxFlags;
  }

  public float[] keypoints() {
    return keypoints;
  }

  public int keypointCount() {
    return keypointNames.length;
  }

  public String[] keypointNames() {
    return keypointNames;
  }

  /** The mask (PNG bytes while the image is encoded, raw bytes after), or null. */
  public byte[] mask() {
    return mask;
  }

  public boolean isEmpty() {
    return boxLabels.length == 0 && keypointNames.length == 0 && mask == null;
  }

  /** The same boxes and keypoints with another mask. */
  public Targets withMask(byte[] newMask) {
    return new Targets(boxes, boxLabels, boxClasses, boxFlags, keypoints, keypointNames, newMask);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Targets t
        && Arrays.equals(boxes, t.boxes)
        && Arrays.equals(boxLabels, t.boxLabels)
        && Arrays.equals(boxClasses, t.boxClasses)
        && Arrays.equals(boxFlags, t.boxFlags)
        && Arrays.equals(keypoints, t.keypoints)
        && Arrays.equals(keypointNames, t.keypointNames)
        && Arrays.equals(mask, t.mask);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(boxes), Arrays.hashCode(keypoints), boxLabels.length);
  }

  @Override
  public String toString() {
    return "Targets{boxes="
        + boxLabels.length
        + ", keypoints="
        + keypointNames.length
        + (mask == null ? "" : ", mask " + mask.length + " bytes")
        + "}";
  }
}
