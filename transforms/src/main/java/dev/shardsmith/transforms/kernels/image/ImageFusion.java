package dev.shardsmith.transforms.kernels.image;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.kernels.image.ops.Compositions;
import dev.shardsmith.transforms.kernels.image.ops.Flip;
import dev.shardsmith.transforms.kernels.image.ops.GeometricOp;
import dev.shardsmith.transforms.kernels.image.ops.GeometricOps;
import dev.shardsmith.transforms.kernels.image.ops.Grayscale;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import dev.shardsmith.transforms.kernels.image.ops.RandomResizedCrop;
import dev.shardsmith.transforms.kernels.image.ops.Rotate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The fused per-image render: decode once, then preprocess and the augment ops of one row, where
 * every run of consecutive geometric ops (flips, rotations, affine, perspective, crops, pad,
 * resize: {@link GeometricOp}) composes with the preprocess map into ONE matrix applied by ONE warp
 * straight from the decoded source to the output size, and pixel ops (brightness, blur, noise, ...)
 * run on the result in configured order. When the first warp shrinks the image 2x or more in every
 * direction, the JPEG is decoded at the matching reduced DCT scale ({@link
 * ImageDecoding#reductionFor}) and the map is pre-scaled to match.
 *
 * <p>The fused warp gives what the ops run one warp each would give (the op-by-op chain), up to
 * interpolation: where an op with a {@code constant} border reads outside its own input frame, the
 * fused output is set to that op's fill (the output is masked to each intermediate frame's polygon,
 * later ops' fills over earlier ones), so pixels that the chain had already replaced by the border
 * never come back from the source. An op with a {@code reflect} or {@code replicate} border must
 * mirror the image it sees, so it starts a new warp unless it is the first map of one. A {@code
 * pyr_down} or a pixel op also ends a warp.
 *
 * <p>Deterministic: every random draw comes from {@code Seeds.of(seed, sampleId, "augment",
 * opPosition, copyIndex)}, one stream per op position ({@link Compositions}: 0 = hflip, 1 = rotate,
 * 2 = random_resized_crop from {@link AugmentSpec}, then {@code augment.ops} from {@link
 * #FIRST_PIXEL_POSITION}, compositions flattened in pre-order). The returned {@link Applied} record
 * holds a {@code preprocess} op and every op that fired with its drawn values, in run order, and
 * {@link #replay} rebuilds the same bytes from it.
 *
 * <p>The source may be encoded bytes or raw pixels ({@link ImageHeaders#of}, rendered exactly as
 * their lossless PNG). A clip of T frames ({@link #renderClip}) gets ONE draw per (clip id, copy
 * index), the draw an image of that id and size gets, rendered on each frame alike.
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
  public static final String HFLIP = Flip.HFLIP;
  public static final String ROTATE = Rotate.NAME;
  public static final String RANDOM_RESIZED_CROP = RandomResizedCrop.NAME;

  /** The preprocess param that records the DCT reduction the row was decoded at. */
  public static final String DECODE_REDUCTION = "decode_reduction";

  /**
   * Position of the first op of {@code augment.ops} (geometric, pixel or composition: {@code
   * kernels.image.ops}) in a row's composition; positions 0-2 are {@link AugmentSpec}'s hflip,
   * rotate and random resized crop, which run first.
   */
  public static final int FIRST_PIXEL_POSITION = 3;

  /** Position of the first op of {@code preprocess.ops}; they run on every row, before augment. */
  public static final int FIRST_PREPROCESS_POSITION = -1000;

  /**
   * Rendered pixels: {@code height x width x channels} bytes, RGB (3 channels) or, after a {@code
   * grayscale} op with {@code channels: 1}, the luma (1 channel), plus what was applied.
   */
  public record Rendered(byte[] rgb, int width, int height, Applied applied, int channels) {
    public Rendered(byte[] rgb, int width, int height, Applied applied) {
      this(rgb, width, height, applied, 3);
    }
  }

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
      reduction = Math.min(reduction, reductionFor(h, firstWarp(h, pre, a, pixelOps)));
    }
    List<Rendered> out = new ArrayList<>(rows.size());
    try (Mat src = ImageDecoding.decodeRgb(encoded, h, reduction)) {
      backend.load(src, rows.size());
      for (Applied a : rows) {
        out.add(
            warpRow(backend, src, h, pre, withReduction(a, reduction), reduction, pixelOps, null));
      }
    }
    return out;
  }

  /** One rendered row of a clip: its T frames in clip order, all rendered with {@code applied}. */
  public record RenderedClip(List<Rendered> frames, Applied applied) {}

  /**
   * The header every frame of {@code clip} shares ({@link ImageHeaders#of}: raw or encoded frames),
   * checked frame by frame before any pixel is decoded: a frame that is bad, or whose display size
   * differs from frame 0's, fails the whole clip.
   *
   * @throws BadImageException with the frame's reason and a message naming its index and pts
   */
  public static ImageHeader clipHeader(VideoPayload clip, long maxPixels) throws BadImageException {
    ImageHeader first = null;
    for (int t = 0; t < clip.frames().size(); t++) {
      ImagePayload frame = clip.frames().get(t);
      if (!frame.targets().isEmpty()) {
        throw new IllegalArgumentException(
            clipFrame(clip, t) + " carries annotation targets; clip frames carry none");
      }
      ImageHeader h;
      try {
        h = ImageHeaders.of(frame, maxPixels);
      } catch (BadImageException e) {
        throw new BadImageException(e.reason(), clipFrame(clip, t) + ": " + e.getMessage());
      }
      if (first == null) {
        first = h;
      } else if (h.displayWidth() != first.displayWidth()
          || h.displayHeight() != first.displayHeight()) {
        throw new BadImageException(
            BadImageException.BAD_HEADER,
            clipFrame(clip, t)
                + " is "
                + h.displayWidth()
                + "x"
                + h.displayHeight()
                + " but frame 0 is "
                + first.displayWidth()
                + "x"
                + first.displayHeight()
                + ": the frames of a clip share one size");
      }
    }
    return first;
  }

  /**
   * Renders one row of a clip: ONE draw for {@code (clipId, copyIndex)} on the frames' size ({@link
   * #draw}, exactly what an image sample of that id and size draws), applied identically (warp and
   * every pixel-op parameter) to each of the T frames.
   *
   * <pre>{@code
   * RenderedClip c = ImageFusion.renderClip(clip, pre, aug, ops, seed, "tree.avi@0", 0, 50_000_000L);
   * }</pre>
   */
  public static RenderedClip renderClip(
      VideoPayload clip,
      PreprocessSpec pre,
      AugmentSpec aug,
      List<PixelOp> pixelOps,
      long seed,
      String clipId,
      int copyIndex,
      long maxPixels)
      throws BadImageException {
    ImageHeader h = clipHeader(clip, maxPixels);
    Applied drawn = draw(h, pre, aug, pixelOps, seed, clipId, copyIndex);
    try (ImageBackend cpu = ImageBackend.open(ImageBackend.Kind.CPU)) {
      return renderClip(clip, h, pre, List.of(drawn), pixelOps, cpu).get(0);
    }
  }

  /**
   * Renders several rows of a clip (its original and copies, drawn by {@link #draw} on {@code h} =
   * {@link #clipHeader}): each frame is decoded once and rendered for every row as {@link
   * #renderAll} renders an image, so frame t of a row is byte-equal to that frame rendered alone
   * with the row's record. Everything is rendered before anything is returned: a frame that fails
   * fails the clip.
   *
   * @throws BadImageException with the frame's reason and a message naming its index and pts
   */
  public static List<RenderedClip> renderClip(
      VideoPayload clip,
      ImageHeader h,
      PreprocessSpec pre,
      List<Applied> rows,
      List<PixelOp> pixelOps,
      ImageBackend backend)
      throws BadImageException {
    int frameCount = clip.frames().size();
    List<List<Rendered>> frames = new ArrayList<>(rows.size());
    for (int r = 0; r < rows.size(); r++) {
      frames.add(new ArrayList<>(frameCount));
    }
    for (int t = 0; t < frameCount; t++) {
      List<Rendered> rendered;
      try {
        rendered = renderAll(clip.frames().get(t).bytes(), h, pre, rows, pixelOps, backend);
      } catch (BadImageException e) {
        throw new BadImageException(e.reason(), clipFrame(clip, t) + ": " + e.getMessage());
      }
      for (int r = 0; r < rows.size(); r++) {
        frames.get(r).add(rendered.get(r));
      }
    }
    List<RenderedClip> out = new ArrayList<>(rows.size());
    for (List<Rendered> f : frames) {
      // every frame has one size and so one decode reduction: frame 0's record is every frame's
      out.add(new RenderedClip(List.copyOf(f), f.get(0).applied()));
    }
    return out;
  }

  private static String clipFrame(VideoPayload clip, int t) {
    return "clip frame "
        + t
        + " of "
        + clip.frames().size()
        + " (pts "
        + clip.ptsMicros()[t]
        + " us)";
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
    // every split, every row alike: drawn as the original, at positions below 0
    ops.addAll(
        Compositions.draw(
            pre.ops(),
            seed,
            sampleId,
            FIRST_PREPROCESS_POSITION,
            Sample.ORIGINAL,
            pre.outputWidth(h),
            pre.outputHeight(h)));
    if (copyIndex == Sample.ORIGINAL || aug == null) {
      return Applied.of(Applied.VERSION, ops);
    }
    if (copyIndex < 0) {
      throw new IllegalArgumentException("copyIndex must be >= 0 or ORIGINAL, was " + copyIndex);
    }
    int[] frame = outputSize(h, pre, Applied.of(Applied.VERSION, ops));
    ops.addAll(Compositions.draw(aug.ops(), seed, sampleId, 0, copyIndex, frame[0], frame[1]));
    return Applied.of(Applied.VERSION, ops);
  }

  /**
   * {@link #draw}, then, for an augmented copy, which of {@code pixelOps} ({@code augment.ops}:
   * geometric, pixel and composition ops) fire and with what parameters (positions from {@link
   * #FIRST_PIXEL_POSITION}, each drawn on the frame size the ops before it leave).
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
    int[] frame = outputSize(h, pre, geometric);
    ops.addAll(
        Compositions.draw(
            pixelOps, seed, sampleId, FIRST_PIXEL_POSITION, copyIndex, frame[0], frame[1]));
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
    int reduction = reductionFor(h, firstWarp(h, pre, applied, pixelOps));
    for (Applied.Op op : applied.ops()) {
      if (PREPROCESS.equals(op.op())) {
        reduction = (int) op.number(DECODE_REDUCTION, reduction);
      }
    }
    try (Mat src = ImageDecoding.decodeRgb(encoded, h, reduction)) {
      backend.load(src, 1);
      return warpRow(backend, src, h, pre, applied, reduction, pixelOps, null);
    }
  }

  /**
   * The DCT reduction for the first warp {@code m}: from its least-shrunk direction, so no
   * direction loses detail it needs, and never below 8 pixels on the shorter side.
   */
  static int reductionFor(ImageHeader h, Affine m) {
    int reduction =
        ImageDecoding.reductionFor(1 / m.maxScaleOver(h.displayWidth(), h.displayHeight()));
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
      return warpRow(cpu, src, h, pre, applied, reduction, List.of(), null);
    }
  }

  /**
   * A reference for tests: the row's plan (same warps, masks and ops) from the full-size decode,
   * every warp sampled with {@code interpolation} instead of the planned one.
   */
  static Rendered renderWith(
      byte[] encoded,
      ImageHeader h,
      PreprocessSpec pre,
      Applied applied,
      List<PixelOp> pixelOps,
      Interpolation interpolation)
      throws BadImageException {
    try (Mat src = ImageDecoding.decodeRgb(encoded, h, 1);
        ImageBackend cpu = ImageBackend.open(ImageBackend.Kind.CPU)) {
      cpu.load(src, 1);
      return warpRow(cpu, src, h, pre, applied, 1, pixelOps, interpolation);
    }
  }

  /**
   * Renders one row out of an already decoded source ({@code src}, loaded into {@code backend}):
   * its warps and pixel ops, in order.
   */
  private static Rendered warpRow(
      ImageBackend backend,
      Mat src,
      ImageHeader h,
      PreprocessSpec pre,
      Applied applied,
      int reduction,
      List<PixelOp> pixelOps,
      Interpolation interpolation) {
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
    List<Step> steps = plan(h, pre, applied, pixelOps);
    boolean oneChannel = false;
    for (Applied.Op op : applied.ops()) {
      oneChannel |= Grayscale.oneChannel(op.op(), op.params());
    }
    backend.begin();
    boolean first = true;
    for (Step step : steps) {
      if (step instanceof Warp w) {
        Affine m = first ? Affine.scale(sx, sy).then(w.map()) : w.map();
        Interpolation in = interpolation == null ? w.interpolation() : interpolation;
        backend.warp(m, w.width(), w.height(), w.border(), w.fill(), in);
        for (Frame f : w.frames()) {
          backend.fillOutside(f.toOutput(), f.width(), f.height(), f.fill());
        }
      } else {
        Apply a = (Apply) step;
        backend.apply(a.op(), a.params());
      }
      first = false;
    }
    return backend.finish(applied, oneChannel);
  }

  /** One step of a row's render: a fused warp or an op applied on its own. */
  private sealed interface Step permits Warp, Apply {}

  /**
   * One warp from its input (the oriented source at full size, for the first) to {@code width x
   * height}; {@code frames} are the intermediate frames to mask, in order.
   */
  private record Warp(
      Affine map,
      int width,
      int height,
      Border border,
      int fill,
      Interpolation interpolation,
      List<Frame> frames)
      implements Step {}

  /** An intermediate frame: its size, its map to the warp's output, its constant fill. */
  private record Frame(double width, double height, Affine toOutput, int fill) {}

  private record Apply(PixelOp op, SortedMap<String, Object> params) implements Step {}

  /**
   * Splits a row's record into warps and ops applied on their own. The first step is always the
   * warp out of the source (preprocess plus the geometric ops that fuse with it).
   */
  private static List<Step> plan(
      ImageHeader h, PreprocessSpec pre, Applied applied, List<PixelOp> pixelOps) {
    checkPreprocess(h, pre, applied);
    Map<Integer, PixelOp> leaves = new java.util.HashMap<>();
    leaves.putAll(Compositions.leaves(pre.ops(), FIRST_PREPROCESS_POSITION));
    leaves.putAll(Compositions.leaves(pixelOps, FIRST_PIXEL_POSITION));
    List<PixelOp> known = new ArrayList<>(pre.ops());
    known.addAll(pixelOps);
    List<Step> steps = new ArrayList<>();
    GroupBuilder g =
        new GroupBuilder(
            pre.affine(h.displayWidth(), h.displayHeight()),
            pre.outputWidth(h),
            pre.outputHeight(h));
    // the preprocess crop is a map: an op reading outside it must not see the source around it
    g.hasMap = !pre.keepsSize();
    g.border = Border.REFLECT; // the source's own edges, as before any op
    for (Applied.Op op : applied.ops()) {
      if (PREPROCESS.equals(op.op())) {
        continue;
      }
      PixelOp impl = Compositions.implementation(op, leaves, known);
      if (impl instanceof GeometricOp geo && geo.fusable()) {
        if (geo.readsOutside() && geo.border(op.params()) != Border.CONSTANT && g.hasMap) {
          steps.add(g.build());
          g = new GroupBuilder(Affine.identity(), g.width, g.height);
        }
        g.add(geo, op.params());
      } else {
        if (g.hasMap || steps.isEmpty()) {
          steps.add(g.build());
        }
        steps.add(new Apply(impl, op.params()));
        int[] size =
            impl instanceof GeometricOp geo
                ? geo.outputSize(op.params(), g.width, g.height)
                : new int[] {g.width, g.height};
        g = new GroupBuilder(Affine.identity(), size[0], size[1]);
      }
    }
    if (g.hasMap || steps.isEmpty()) {
      steps.add(g.build());
    }
    return steps;
  }

  /** The map of the row's first warp, out of the source: it sets the decode reduction. */
  static Affine firstWarp(ImageHeader h, PreprocessSpec pre, Applied applied, List<PixelOp> ops) {
    return ((Warp) plan(h, pre, applied, ops).get(0)).map();
  }

  /** A fused warp being built: its map so far and the frames its constant-border ops read. */
  private static final class GroupBuilder {
    Affine map;
    int width;
    int height;
    boolean hasMap;
    Border border = Border.CONSTANT;
    int fill;
    Interpolation interpolation = Interpolation.LINEAR;
    final List<double[]> frameSizes = new ArrayList<>();
    final List<Affine> frameMaps = new ArrayList<>();
    final List<Integer> frameFills = new ArrayList<>();

    GroupBuilder(Affine start, int width, int height) {
      this.map = start;
      this.width = width;
      this.height = height;
    }

    void add(GeometricOp op, SortedMap<String, Object> params) {
      Border b = op.border(params);
      int f = op.fill(params);
      if (!op.readsOutside()) {
        if (!hasMap) {
          border = Border.REPLICATE;
        }
      } else if (!hasMap) {
        // the op's input frame is the warp's input: the warp's own border does it
        border = b;
        fill = f;
      } else {
        frameSizes.add(new double[] {width, height});
        frameMaps.add(Affine.identity());
        frameFills.add(f);
      }
      Affine m = op.map(params, width, height);
      map = map.then(m);
      for (int i = 0; i < frameMaps.size(); i++) {
        frameMaps.set(i, frameMaps.get(i).then(m));
      }
      int[] size = op.outputSize(params, width, height);
      width = size[0];
      height = size[1];
      Interpolation in = op.interpolation(params);
      if (in != null) {
        interpolation = in;
      }
      hasMap = true;
    }

    Warp build() {
      List<Frame> frames = new ArrayList<>();
      for (int i = 0; i < frameMaps.size(); i++) {
        double[] s = frameSizes.get(i);
        frames.add(new Frame(s[0], s[1], frameMaps.get(i), frameFills.get(i)));
      }
      return new Warp(map, width, height, border, fill, interpolation, List.copyOf(frames));
    }
  }

  /**
   * The composed map from the oriented full-size source (continuous coordinates) to the output:
   * preprocess, then every recorded geometric op in order (pixel ops move no pixel). Boxes and
   * keypoints use the same map; it is projective once a perspective op fired.
   */
  public static Affine geometry(ImageHeader h, PreprocessSpec pre, Applied applied) {
    checkPreprocess(h, pre, applied);
    int w = pre.outputWidth(h);
    int hh = pre.outputHeight(h);
    Affine m = pre.affine(h.displayWidth(), h.displayHeight());
    for (Applied.Op op : applied.ops()) {
      GeometricOp g = GeometricOps.forName(op.op());
      if (g == null) {
        continue; // preprocess (checked above) or a pixel op
      }
      m = m.then(g.map(op.params(), w, hh));
      int[] size = g.outputSize(op.params(), w, hh);
      w = size[0];
      hh = size[1];
    }
    return m;
  }

  /**
   * The output {@code {width, height}} of a row: the preprocess size, changed by crops, pads,
   * resizes.
   */
  public static int[] outputSize(ImageHeader h, PreprocessSpec pre, Applied applied) {
    int w = pre.outputWidth(h);
    int hh = pre.outputHeight(h);
    for (Applied.Op op : applied.ops()) {
      GeometricOp g = GeometricOps.forName(op.op());
      if (g != null) {
        int[] size = g.outputSize(op.params(), w, hh);
        w = size[0];
        hh = size[1];
      }
    }
    return new int[] {w, hh};
  }

  private static void checkPreprocess(ImageHeader h, PreprocessSpec pre, Applied applied) {
    for (Applied.Op op : applied.ops()) {
      if (PREPROCESS.equals(op.op())
          && (op.number("resize", -1) != pre.resize()
              || op.number("crop_w", -1) != pre.outputWidth(h)
              || op.number("crop_h", -1) != pre.outputHeight(h))) {
        throw new IllegalArgumentException(
            "recorded preprocess " + op.params() + " does not match " + pre);
      }
    }
  }
}
