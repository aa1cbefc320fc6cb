package dev.shardsmith.transforms.kernels.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import dev.shardsmith.schemas.Targets;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Moves annotation {@link Targets} through the same map as the pixels ({@link
 * ImageFusion#geometry}), so boxes, keypoints and masks stay aligned with the rendered image.
 *
 * <ul>
 *   <li>A box maps its 4 corners and takes their axis-aligned hull, which is then clipped to the
 *       {@code outW x outH} frame. A box is dropped when nothing of it is left in the frame, or
 *       when its clipped area is below {@code minVisibility} times the hull's area (the area after
 *       the transform, before clipping). Under rotation the hull is larger than the object:
 *       rotating and rotating back in two separate renders grows a box; in one record the maps
 *       compose first and the box comes back within rounding.
 *   <li>A keypoint maps its point. Keypoints are never dropped, so index {@code i} always means the
 *       same keypoint; one that leaves the frame ({@code x} outside {@code [0, outW)} or {@code y}
 *       outside {@code [0, outH)}) gets visibility 0 and keeps its mapped coordinates. Left/right
 *       names are not swapped on a flip.
 *   <li>A mask (raw, {@code srcW x srcH}) is warped with the same map, nearest-neighbour (labels
 *       are never blended), constant border 0.
 * </ul>
 *
 * <p>Pure and deterministic. Pixel ops do not move targets: only the geometric map is used.
 *
 * <pre>{@code
 * Affine m = ImageFusion.geometry(header, pre, rendered.applied());
 * Targets out = TargetWarp.apply(targets, rawMask, srcW, srcH, m, 224, 224, 0.3);
 * }</pre>
 */
public final class TargetWarp {
  private TargetWarp() {}

  /** The default minimum visible fraction of a box (as Albumentations' {@code min_visibility}). */
  public static final double DEFAULT_MIN_VISIBILITY = 0.3;

  /**
   * Targets of the source image moved to an {@code outW x outH} output through {@code m}. {@code
   * rawMask} is the decoded source mask ({@code srcW x srcH} bytes, from the targets' {@code
   * maskFile}) or null; the result holds the warped raw mask and no mask file.
   */
  public static Targets apply(
      Targets t,
      byte[] rawMask,
      int srcW,
      int srcH,
      Affine m,
      int outW,
      int outH,
      double minVisibility) {
    if (!(minVisibility >= 0 && minVisibility <= 1)) {
      throw new IllegalArgumentException(
          "minVisibility must be in [0, 1], but was " + minVisibility);
    }
    float[] in = t.boxes();
    List<Integer> kept = new ArrayList<>();
    List<float[]> boxes = new ArrayList<>();
    for (int i = 0; i < t.boxCount(); i++) {
      float[] b =
          box(m, in[4 * i], in[4 * i + 1], in[4 * i + 2], in[4 * i + 3], outW, outH, minVisibility);
      if (b != null) {
        kept.add(i);
        boxes.add(b);
      }
    }
    int n = kept.size();
    float[] outBoxes = new float[4 * n];
    String[] labels = new String[n];
    int[] classes = new int[n];
    byte[] flags = new byte[n];
    for (int j = 0; j < n; j++) {
      int i = kept.get(j);
      System.arraycopy(boxes.get(j), 0, outBoxes, 4 * j, 4);
      labels[j] = t.boxLabels()[i];
      classes[j] = t.boxClasses()[i];
      flags[j] = t.boxFlags()[i];
    }
    float[] kp = t.keypoints().clone();
    for (int i = 0; i < t.keypointCount(); i++) {
      double[] p = m.apply(kp[3 * i], kp[3 * i + 1]);
      kp[3 * i] = (float) p[0];
      kp[3 * i + 1] = (float) p[1];
      if (!(p[0] >= 0 && p[0] < outW && p[1] >= 0 && p[1] < outH)) {
        kp[3 * i + 2] = 0;
      }
    }
    byte[] mask = rawMask == null ? null : warpMask(rawMask, srcW, srcH, m, outW, outH);
    return new Targets(outBoxes, labels, classes, flags, kp, t.keypointNames(), mask);
  }

  /**
   * One box through {@code m}: the clipped hull {@code {x0, y0, x1, y1}}, or null when it is to be
   * dropped.
   */
  static float[] box(
      Affine m,
      double x0,
      double y0,
      double x1,
      double y1,
      int outW,
      int outH,
      double minVisibility) {
    double[][] corners = {m.apply(x0, y0), m.apply(x1, y0), m.apply(x0, y1), m.apply(x1, y1)};
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (double[] c : corners) {
      minX = Math.min(minX, c[0]);
      minY = Math.min(minY, c[1]);
      maxX = Math.max(maxX, c[0]);
      maxY = Math.max(maxY, c[1]);
    }
    double cx0 = Math.max(0, minX);
    double cy0 = Math.max(0, minY);
    double cx1 = Math.min(outW, maxX);
    double cy1 = Math.min(outH, maxY);
    if (!(cx1 > cx0 && cy1 > cy0)) {
      return null; // nothing of it is left in the frame
    }
    double area = (maxX - minX) * (maxY - minY);
    double visible = (cx1 - cx0) * (cy1 - cy0);
    if (visible < minVisibility * area) {
      return null;
    }
    return new float[] {(float) cx0, (float) cy0, (float) cx1, (float) cy1};
  }

  /**
   * A raw {@code srcW x srcH} label mask warped through {@code m} to {@code outW x outH}:
   * nearest-neighbour, border 0, in the same pixel convention as {@link ImageOps#warp}.
   */
  public static byte[] warpMask(byte[] mask, int srcW, int srcH, Affine m, int outW, int outH) {
    if (mask.length != srcW * srcH) {
      throw new IllegalArgumentException(
          "mask must be " + srcW + "x" + srcH + " bytes, got " + mask.length);
    }
    try (BytePointer data = new BytePointer(mask);
        Mat src = new Mat(srcH, srcW, CV_8UC1, data);
        Mat dst = ImageOps.warp(src, m, outW, outH, Border.CONSTANT, 0, Interpolation.NEAREST)) {
      return ImageOps.toBytes(dst);
    }
  }
}
