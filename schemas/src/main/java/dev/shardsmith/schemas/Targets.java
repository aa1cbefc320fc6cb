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
 *   <li>{@code maskFile}: the paired mask file's bytes (a PNG of class ids), as read, before the
 *       fused step; null after it, or when there is none.
 *   <li>{@code mask}: the mask as raw class ids, {@code height x width} bytes row-major, the size
 *       of the rendered image; set by the fused step from {@code maskFile}; null when there is
 *       none.
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
  private final byte[] maskFile;

  /** Targets with a raw {@code mask} (or none) and no mask file. */
  public Targets(
      float[] boxes,
      String[] boxLabels,
      int[] boxClasses,
      byte[] boxFlags,
      float[] keypoints,
      String[] keypointNames,
      byte[] mask) {
    this(boxes, boxLabels, boxClasses, boxFlags, keypoints, keypointNames, mask, null);
  }

  private Targets(
      float[] boxes,
      String[] boxLabels,
      int[] boxClasses,
      byte[] boxFlags,
      float[] keypoints,
      String[] keypointNames,
      byte[] mask,
      byte[] maskFile) {
    this.boxes = Objects.requireNonNull(boxes, "boxes");
    this.boxLabels = Objects.requireNonNull(boxLabels, "boxLabels");
    this.boxClasses = Objects.requireNonNull(boxClasses, "boxClasses");
    this.boxFlags = Objects.requireNonNull(boxFlags, "boxFlags");
    this.keypoints = Objects.requireNonNull(keypoints, "keypoints");
    this.keypointNames = Objects.requireNonNull(keypointNames, "keypointNames");
    this.mask = mask;
    this.maskFile = maskFile;
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

  /** The raw mask, {@code height x width} class ids of the rendered image, or null. */
  public byte[] mask() {
    return mask;
  }

  /** The paired mask file (PNG bytes) of a not yet rendered image, or null. */
  public byte[] maskFile() {
    return maskFile;
  }

  public boolean isEmpty() {
    return boxLabels.length == 0 && keypointNames.length == 0 && mask == null && maskFile == null;
  }

  /** The same boxes and keypoints with a raw mask (and no mask file). */
  public Targets withMask(byte[] rawMask) {
    return new Targets(
        boxes, boxLabels, boxClasses, boxFlags, keypoints, keypointNames, rawMask, null);
  }

  /** The same boxes and keypoints with a mask file to decode at the fused step (no raw mask). */
  public Targets withMaskFile(byte[] file) {
    return new Targets(
        boxes, boxLabels, boxClasses, boxFlags, keypoints, keypointNames, null, file);
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
        && Arrays.equals(mask, t.mask)
        && Arrays.equals(maskFile, t.maskFile);
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
        + (maskFile == null ? "" : ", mask file " + maskFile.length + " bytes")
        + "}";
  }
}
