package dev.shardsmith.transforms.kernels.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import dev.shardsmith.schemas.Targets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *       outside {@code [0, outH)}) gets visibility 0 and keeps its mapped coordinates. When the map
 *       mirrors ({@link Affine#mirrors}: an odd number of flips, a transpose) and flip pairs are
 *       given ({@code left_eye <-> right_eye}), left and right are exchanged: see {@link
 *       #swapMirrored}.
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
    return apply(t, rawMask, srcW, srcH, m, outW, outH, minVisibility, Map.of());
  }

  /**
   * As {@link #apply(Targets, byte[], int, int, Affine, int, int, double)}, and when {@code m}
   * mirrors, keypoints named in {@code flipPartners} (from {@link #flipPartners}) swap left and
   * right ({@link #swapMirrored}).
   */
  public static Targets apply(
      Targets t,
      byte[] rawMask,
      int srcW,
      int srcH,
      Affine m,
      int outW,
      int outH,
      double minVisibility,
      Map<String, String> flipPartners) {
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
    String[] names = t.keypointNames();
    if (m.mirrors() && !flipPartners.isEmpty()) {
      names = names.clone();
      swapMirrored(kp, names, flipPartners);
    }
    byte[] mask = rawMask == null ? null : warpMask(rawMask, srcW, srcH, m, outW, outH);
    return new Targets(outBoxes, labels, classes, flags, kp, names, mask);
  }

  /**
   * The partner of each name of {@code pairs} (each two distinct, non-empty names, a name in at
   * most one pair), both ways: {@code [[left_eye, right_eye]]} gives {@code left_eye -> right_eye}
   * and {@code right_eye -> left_eye}.
   */
  public static Map<String, String> flipPartners(List<List<String>> pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (List<String> p : pairs) {
      if (p.size() != 2
          || p.get(0) == null
          || p.get(1) == null
          || p.get(0).isEmpty()
          || p.get(1).isEmpty()
          || p.get(0).equals(p.get(1))) {
        throw new IllegalArgumentException(
            "a keypoint flip pair is two distinct, non-empty keypoint names, but was " + p);
      }
      for (String name : p) {
        if (m.containsKey(name)) {
          throw new IllegalArgumentException(
              "keypoint \"" + name + "\" is in two flip pairs: " + pairs);
        }
      }
      m.put(p.get(0), p.get(1));
      m.put(p.get(1), p.get(0));
    }
    return Map.copyOf(m);
  }

  /**
   * Left/right after a mirroring map, in place: a mirrored left eye is the image's right eye. The
   * list keeps its order and every index keeps its name, as COCO's fixed keypoint lists expect, so
   * the <em>values</em> ({@code x y v}) of two partners trade places within one instance. An
   * instance is a run of keypoints with distinct names (a COCO annotation's list; the next instance
   * starts where a name repeats). A keypoint whose partner is not in its instance takes the
   * partner's name instead. Names outside every pair are untouched. When each instance lists both
   * partners (as COCO's do), applying this twice gives back the input.
   */
  public static void swapMirrored(float[] kp, String[] names, Map<String, String> partners) {
    int start = 0;
    while (start < names.length) {
      // the instance [start, end): names distinct
      Map<String, Integer> at = new LinkedHashMap<>();
      int end = start;
      while (end < names.length && !at.containsKey(names[end])) {
        at.put(names[end], end);
        end++;
      }
      Set<Integer> done = new HashSet<>();
      for (int i = start; i < end; i++) {
        String partner = partners.get(names[i]);
        if (partner == null || done.contains(i)) {
          continue;
        }
        Integer j = at.get(partner);
        if (j == null) {
          names[i] = partner;
        } else {
          for (int c = 0; c < 3; c++) {
            float v = kp[3 * i + c];
            kp[3 * i + c] = kp[3 * j + c];
            kp[3 * j + c] = v;
          }
          done.add(j);
        }
        done.add(i);
      }
      start = end;
    }
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
