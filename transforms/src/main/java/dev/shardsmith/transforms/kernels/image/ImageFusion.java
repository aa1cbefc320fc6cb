package dev.shardsmith.transforms.kernels.image;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.kernels.Seeds;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import dev.shardsmith.transforms.kernels.image.ops.PixelOps;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The fused per-image render: decode once, then preprocess and (for an augmented copy) flip, rotate
 * and random-resized-crop as ONE affine map applied by ONE warp straight from the decoded source to
 * the output size. When that map shrinks the image 2x or more in every direction, the JPEG is
 * decoded at the matching reduced DCT scale ({@link ImageDecoding#reductionFor}) and the map is
 * pre-scaled to match.
 *
 * <p>Deterministic: every random draw comes from {@code Seeds.of(seed, sampleId, "augment",
 * opPosition, copyIndex)}, one stream per op (0 = hflip, 1 = rotate, 2 = random_resized_crop). The
 * returned {@link Applied} record holds a {@code preprocess} op and every augment op that fired
 * with its drawn values, and {@link #replay} rebuilds the same bytes from it.
 *
 * <pre>{@code
 * Rendered r = ImageFusion.render(bytes, header, pre, aug, seed, "cats/1.jpg", 0);
 * Rendered again = ImageFusion.replay(bytes, header, pre, r.applied()); // same r.rgb()
 * }</pre>
 */
public final class ImageFusion {
  private ImageFusion() {}

  /** The stage name that seeds augmentation draws. */
  public static final String STAGE = "augment";

  public static final String PREPROCESS = "preprocess";
  public static final String HFLIP = "hflip";
  public static final String ROTATE = "rotate";
  public static final String RANDOM_RESIZED_CROP = "random_resized_crop";

  /** The preprocess param that records the DCT reduction the row was decoded at. */
  public static final String DECODE_REDUCTION = "decode_reduction";

  static final int POS_HFLIP = 0;
  static final int POS_ROTATE = 1;
  static final int POS_RRC = 2;

  /**
   * Position of the first pixel op (brightness, blur, noise, ...: {@code kernels.image.ops}) in a
   * row's composition; they run after the warp, on the output, in the order configured.
   */
  public static final int FIRST_PIXEL_POSITION = 3;

  private static final int RRC_TRIES = 10;

  /** Rendered pixels: {@code height x width x 3} bytes, RGB, plus what was applied. */
  public record Rendered(byte[] rgb, int width, int height, Applied applied) {}

  /**
   * Renders one row: the original ({@code copyIndex == Sample.ORIGINAL} or {@code aug == null}:
   * preprocess only) or augmented copy {@code copyIndex}.
   */
  public static Rendered render(
      byte[] encoded,
      ImageHeader h,
      PreprocessSpec pre,
      AugmentSpec aug,
      long seed,
      String sampleId,
      int copyIndex)
      throws BadImageException {
    return renderAll(encoded, h, pre, List.of(draw(h, pre, aug, seed, sampleId, copyIndex))).get(0);
  }

  /**
   * Renders several rows of one image (its original and its copies) from ONE decode: at the
   * smallest DCT reduction any of the rows allows, recorded as {@code decode_reduction} in each
   * row's {@code preprocess} op so that {@link #replay} rebuilds the same bytes.
   */
  public static List<Rendered> renderAll(
      byte[] encoded, ImageHeader h, PreprocessSpec pre, List<Applied> rows)
      throws BadImageException {
    return renderAll(encoded, h, pre, rows, List.of());
  }

  /** {@link #renderAll}, running the recorded pixel ops (implemented by {@code pixelOps}). */
  public static List<Rendered> renderAll(
      byte[] encoded, ImageHeader h, PreprocessSpec pre, List<Applied> rows, List<PixelOp> pixelOps)
      throws BadImageException {
    try (ImageBackend cpu = ImageBackend.open(ImageBackend.Kind.CPU)) {
      return renderAll(encoded, h, pre, rows, pixelOps, cpu);
    }
  }

  /**
   * {@link #renderAll} on {@code backend} (its scratch buffers reused; one upload of the decoded
   * source for all rows on OpenCL).
   */
  public static List<Rendered> renderAll(
      byte[] encoded,
      ImageHeader h,
      PreprocessSpec pre,
      List<Applied> rows,
      List<PixelOp> pixelOps,
      ImageBackend backend)
      throws BadImageException {
    int reduction = Integer.MAX_VALUE;
    for (Applied a : rows) {
      reduction = Math.min(reduction, reductionFor(h, geometry(h, pre, a)));
    }
    List<Rendered> out = new ArrayList<>(rows.size());
    try (Mat src = ImageDecoding.decodeRgb(encoded, h, reduction)) {
      backend.load(src, rows.size());
      for (Applied a : rows) {
        out.add(warpRow(backend, src, h, pre, withReduction(a, reduction), reduction, pixelOps));
      }
    }
    return out;
  }

  /** The record with the decode reduction noted in its preprocess op. */
  private static Applied withReduction(Applied a, int reduction) {
    List<Applied.Op> ops = new ArrayList<>(a.ops());
    for (int i = 0; i < ops.size(); i++) {
      Applied.Op op = ops.get(i);
      if (PREPROCESS.equals(op.op())) {
        SortedMap<String, Object> p = new TreeMap<>(op.params());
        p.put(DECODE_REDUCTION, (long) reduction);
        ops.set(i, new Applied.Op(PREPROCESS, op.position(), p));
      }
    }
    return Applied.of(a.version(), ops);
  }

  /**
   * Draws the ops of one row without touching pixels: the {@code preprocess} op, then each augment
   * op that fires, with its values.
   */
  public static Applied draw(
      ImageHeader h,
      PreprocessSpec pre,
      AugmentSpec aug,
      long seed,
      String sampleId,
      int copyIndex) {
    List<Applied.Op> ops = new ArrayList<>();
    SortedMap<String, Object> p = new TreeMap<>();
    p.put("resize", (long) pre.resize());
    p.put("crop_w", (long) pre.outputWidth(h));
    p.put("crop_h", (long) pre.outputHeight(h));
    ops.add(new Applied.Op(PREPROCESS, 0, p));
    if (copyIndex == Sample.ORIGINAL || aug == null) {
      return Applied.of(Applied.VERSION, ops);
    }
    if (copyIndex < 0) {
      throw new IllegalArgumentException("copyIndex must be >= 0 or ORIGINAL, was " + copyIndex);
    }
    SplittableRandom flip = Seeds.of(seed, sampleId, STAGE, POS_HFLIP, copyIndex);
    if (flip.nextDouble() < aug.hflipP()) {
      ops.add(new Applied.Op(HFLIP, POS_HFLIP, new TreeMap<>()));
    }
    SplittableRandom rot = Seeds.of(seed, sampleId, STAGE, POS_ROTATE, copyIndex);
    if (rot.nextDouble() < aug.rotateP()) {
      double limit = aug.rotateLimitDegrees();
      SortedMap<String, Object> r = new TreeMap<>();
      r.put("angle", -limit + 2 * limit * rot.nextDouble());
      ops.add(new Applied.Op(ROTATE, POS_ROTATE, r));
    }
    SplittableRandom rrc = Seeds.of(seed, sampleId, STAGE, POS_RRC, copyIndex);
    if (rrc.nextDouble() < aug.rrcP()) {
      int[] box = randomResizedCrop(rrc, pre.outputWidth(h), pre.outputHeight(h), aug);
      SortedMap<String, Object> r = new TreeMap<>();
      r.put("x", (long) box[0]);
      r.put("y", (long) box[1]);
      r.put("w", (long) box[2]);
      r.put("h", (long) box[3]);
      ops.add(new Applied.Op(RANDOM_RESIZED_CROP, POS_RRC, r));
    }
    return Applied.of(Applied.VERSION, ops);
  }

  /**
   * {@link #draw}, then, for an augmented copy, which of {@code pixelOps} fire and with what
   * parameters (positions from {@link #FIRST_PIXEL_POSITION}, drawn on the output size).
   */
  public static Applied draw(
      ImageHeader h,
      PreprocessSpec pre,
      AugmentSpec aug,
      List<PixelOp> pixelOps,
      long seed,
      String sampleId,
      int copyIndex) {
    Applied geometric = draw(h, pre, aug, seed, sampleId, copyIndex);
    if (copyIndex == Sample.ORIGINAL || pixelOps.isEmpty()) {
      return geometric;
    }
    List<Applied.Op> ops = new ArrayList<>(geometric.ops());
    ops.addAll(
        PixelOps.draw(
            pixelOps,
            seed,
            sampleId,
            FIRST_PIXEL_POSITION,
            copyIndex,
            pre.outputWidth(h),
            pre.outputHeight(h)));
    return Applied.of(geometric.version(), ops);
  }

  /**
   * Rebuilds a row's pixels from its recorded ops, at its recorded decode reduction (or the one
   * {@link #render} would choose when none is recorded); byte-identical to the render.
   */
  public static Rendered replay(byte[] encoded, ImageHeader h, PreprocessSpec pre, Applied applied)
      throws BadImageException {
    return replay(encoded, h, pre, applied, List.of());
  }

  /** {@link #replay} of a row that may hold pixel ops, implemented by {@code pixelOps}. */
  public static Rendered replay(
      byte[] encoded, ImageHeader h, PreprocessSpec pre, Applied applied, List<PixelOp> pixelOps)
      throws BadImageException {
    try (ImageBackend cpu = ImageBackend.open(ImageBackend.Kind.CPU)) {
      return replay(encoded, h, pre, applied, pixelOps, cpu);
    }
  }

  /** {@link #replay} on {@code backend}. */
  public static Rendered replay(
      byte[] encoded,
      ImageHeader h,
      PreprocessSpec pre,
      Applied applied,
      List<PixelOp> pixelOps,
      ImageBackend backend)
      throws BadImageException {
    int reduction = reductionFor(h, geometry(h, pre, applied));
    for (Applied.Op op : applied.ops()) {
      if (PREPROCESS.equals(op.op())) {
        reduction = (int) op.number(DECODE_REDUCTION, reduction);
      }
    }
    try (Mat src = ImageDecoding.decodeRgb(encoded, h, reduction)) {
      backend.load(src, 1);
      return warpRow(backend, src, h, pre, applied, reduction, pixelOps);
    }
  }

  /**
   * The DCT reduction for map {@code m}: from its least-shrunk direction, so no direction loses
   * detail it needs, and never below 8 pixels on the shorter side.
   */
  static int reductionFor(ImageHeader h, Affine m) {
    int reduction = ImageDecoding.reductionFor(1 / m.maxScale());
    while (reduction > 1
        && Math.min(h.displayWidth(), h.displayHeight()) / reduction
            < ImageDecoding.MIN_VALIDATE_SIDE) {
      reduction /= 2;
    }
    return reduction;
  }

  /** {@link #replay} at a given decode reduction (tests compare reductions). */
  static Rendered renderAt(
      byte[] encoded, ImageHeader h, PreprocessSpec pre, Applied applied, int reduction)
      throws BadImageException {
    try (Mat src = ImageDecoding.decodeRgb(encoded, h, reduction);
        ImageBackend cpu = ImageBackend.open(ImageBackend.Kind.CPU)) {
      cpu.load(src, 1);
      return warpRow(cpu, src, h, pre, applied, reduction, List.of());
    }
  }

  /**
   * Warps one row out of an already decoded source ({@code src}, loaded into {@code backend}), then
   * runs its recorded pixel ops there.
   */
  private static Rendered warpRow(
      ImageBackend backend,
      Mat src,
      ImageHeader h,
      PreprocessSpec pre,
      Applied applied,
      int reduction,
      List<PixelOp> pixelOps) {
    Affine m = geometry(h, pre, applied);
    double sx;
    double sy;
    if (reduction == 1) {
      sx = 1;
      sy = 1;
    } else if ("jpeg".equals(h.format())) {
      // a DCT-scaled pixel is exactly one reduction x reduction block of the source
      sx = reduction;
      sy = reduction;
    } else {
      sx = (double) h.displayWidth() / src.cols();
      sy = (double) h.displayHeight() / src.rows();
    }
    Affine full = Affine.scale(sx, sy).then(m);
    int ow = pre.outputWidth(h);
    int oh = pre.outputHeight(h);
    List<Applied.Op> pixel = new ArrayList<>();
    for (Applied.Op op : applied.ops()) {
      if (op.position() >= FIRST_PIXEL_POSITION) {
        pixel.add(op);
      }
    }
    return new Rendered(backend.render(full, ow, oh, pixelOps, pixel), ow, oh, applied);
  }

  /**
   * The composed map from the oriented full-size source (continuous coordinates) to the output:
   * preprocess, then each recorded op in order. Boxes and keypoints can use the same map.
   */
  public static Affine geometry(ImageHeader h, PreprocessSpec pre, Applied applied) {
    int cw = pre.outputWidth(h);
    int ch = pre.outputHeight(h);
    Affine m = pre.affine(h.displayWidth(), h.displayHeight());
    for (Applied.Op op : applied.ops()) {
      if (op.position() >= FIRST_PIXEL_POSITION) {
        continue; // a pixel op: no geometry
      }
      if (PREPROCESS.equals(op.op())) {
        if (op.number("resize", -1) != pre.resize()
            || op.number("crop_w", -1) != cw
            || op.number("crop_h", -1) != ch) {
          throw new IllegalArgumentException(
              "recorded preprocess " + op.params() + " does not match " + pre);
        }
      } else if (HFLIP.equals(op.op())) {
        m = m.then(Affine.hflip(cw));
      } else if (ROTATE.equals(op.op())) {
        m = m.then(Affine.rotateDegrees(op.number("angle", 0), cw / 2.0, ch / 2.0));
      } else if (RANDOM_RESIZED_CROP.equals(op.op())) {
        double x = op.number("x", 0);
        double y = op.number("y", 0);
        double w = op.number("w", cw);
        double hh = op.number("h", ch);
        m = m.then(Affine.translate(-x, -y)).then(Affine.scale(cw / w, ch / hh));
      } else {
        throw new IllegalArgumentException("unknown image op in the applied record: " + op.op());
      }
    }
    return m;
  }

  /**
   * torchvision's {@code RandomResizedCrop.get_params} on a {@code width x height} frame: {@code
   * {x, y, w, h}}; after 10 failed tries, the full frame.
   */
  static int[] randomResizedCrop(SplittableRandom rng, int width, int height, AugmentSpec aug) {
    double area = (double) width * height;
    double logMin = Math.log(aug.rrcRatioMin());
    double logMax = Math.log(aug.rrcRatioMax());
    for (int i = 0; i < RRC_TRIES; i++) {
      double target = area * uniform(rng, aug.rrcScaleMin(), aug.rrcScaleMax());
      double ratio = Math.exp(uniform(rng, logMin, logMax));
      int w = (int) Math.round(Math.sqrt(target * ratio));
      int h = (int) Math.round(Math.sqrt(target / ratio));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        int y = rng.nextInt(height - h + 1);
        int x = rng.nextInt(width - w + 1);
        return new int[] {x, y, w, h};
      }
    }
    return new int[] {0, 0, width, height};
  }

  private static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }
}
