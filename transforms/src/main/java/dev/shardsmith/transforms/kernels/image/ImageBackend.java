package dev.shardsmith.transforms.kernels.image;

import static org.bytedeco.opencv.global.opencv_core.ACCESS_READ;
import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;

import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Device;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.UMat;

/**
 * Where every step of a row's fused render runs: {@link Kind#CPU} on OpenCV {@code Mat}s, {@link
 * Kind#OPENCL} on {@code UMat}s through OpenCV's transparent API (T-API), which runs the same calls
 * as OpenCL kernels on OpenCV's default OpenCL device (select one with {@code
 * OPENCV_OPENCL_DEVICE}, like {@code :GPU:} or {@code :CPU:}). Decoding stays on the host. The
 * steps are those of any plan {@link ImageFusion} makes: warps (affine or perspective, any border
 * and interpolation), the constant-border masks of intermediate frames, pixel ops (geometric ones
 * like {@code pyr_down} included) and the final 1-channel conversion.
 *
 * <p>An instance owns the scratch buffers of one thread (two ping-pong images, and on OpenCL the
 * uploaded source and the border-extended source), reused from image to image; it is not
 * thread-safe, and is closed when its owner is done. Per image: {@link #load} the decoded source
 * once (one upload on OpenCL, shared by the original and every copy), then per row {@link #begin},
 * its steps, and {@link #finish}: on OpenCL the steps are enqueued on the device and the row is
 * downloaded once, at the end.
 *
 * <pre>{@code
 * ImageBackend.Kind kind = ImageBackend.resolve("auto"); // a GPU OpenCL device, else cpu
 * try (ImageBackend b = ImageBackend.open(kind)) {
 *   b.load(decoded);
 *   b.begin();
 *   b.warp(map, 224, 224, Border.REFLECT, 0, Interpolation.LINEAR);
 *   b.apply(blur, blurParams);
 *   Rendered row = b.finish(applied, false);
 * }
 * }</pre>
 */
public final class ImageBackend implements AutoCloseable {
  /** The backends; {@link #id} is the name in configs and manifests. */
  public enum Kind {
    CPU,
    OPENCL;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The allowed {@code compute.device} values. */
  public static final List<String> DEVICES = List.of("auto", "cpu", "opencl");

  /**
   * The backend for {@code compute.device}: {@code cpu}; {@code opencl} (fails when OpenCV sees no
   * OpenCL device, so a run never silently falls back); {@code auto}: {@code opencl} only when
   * OpenCV's default OpenCL device is a GPU (a CPU OpenCL runtime such as PoCL is never picked by
   * {@code auto}: it is slower than the {@code Mat} path), else {@code cpu}.
   *
   * @throws IllegalArgumentException for another value, or {@code opencl} without a device
   */
  public static Kind resolve(String device) {
    switch (device) {
      case "cpu":
        return Kind.CPU;
      case "auto":
        {
          Device d = defaultDevice();
          return d != null && (d.type() & Device.TYPE_GPU) != 0 ? Kind.OPENCL : Kind.CPU;
        }
      case "opencl":
        if (defaultDevice() == null) {
          throw new IllegalArgumentException(
              "compute.device = opencl, but OpenCV finds no OpenCL device (haveOpenCL() is "
                  + opencv_core.haveOpenCL()
                  + "): install an OpenCL driver (a GPU vendor's ICD, or Debian pocl-opencl-icd"
                  + " for the CPU), check OPENCV_OPENCL_RUNTIME is not 'disabled', and note that"
                  + " OpenCV looks only for GPUs unless OPENCV_OPENCL_DEVICE says otherwise"
                  + " (':CPU:' for PoCL, ':GPU:', 'NVIDIA:GPU:'); or use compute.device = cpu or"
                  + " auto");
        }
        return Kind.OPENCL;
      default:
        throw new IllegalArgumentException(
            "compute.device = " + device + " is not allowed: use one of " + DEVICES);
    }
  }

  /** OpenCV's default OpenCL device, described ({@code name (gpu|cpu|accelerator)}), or null. */
  public static String describeDevice() {
    Device d = defaultDevice();
    if (d == null) {
      return null;
    }
    int t = d.type();
    String type =
        (t & Device.TYPE_GPU) != 0 ? "gpu" : (t & Device.TYPE_CPU) != 0 ? "cpu" : "accelerator";
    return d.name().getString().trim() + " (" + type + ")";
  }

  /** The default device, when OpenCL is present and usable; it is then switched on. */
  private static synchronized Device defaultDevice() {
    if (!opencv_core.haveOpenCL()) {
      return null;
    }
    opencv_core.setUseOpenCL(true);
    if (!opencv_core.useOpenCL()) {
      return null;
    }
    Device d = Device.getDefault(); // a reference to OpenCV's static: never closed
    return d == null || d.isNull() || !d.available() ? null : d;
  }

  private final Kind kind;
  // CPU: the current image is the source, a view of it, or one of two ping-pong buffers
  private final Mat bufA = new Mat();
  private final Mat bufB = new Mat();
  private final UMat sourceU;
  private final UMat bufAU;
  private final UMat bufBU;
  private final UMat padded;
  private Mat source;
  private int remaining;
  private Mat cur;
  private Mat view; // a view of the source this backend made (closed, never its data)
  private UMat curU;
  private boolean atSource;
  private boolean lastRow;

  private ImageBackend(Kind kind) {
    this.kind = kind;
    boolean cl = kind == Kind.OPENCL;
    this.sourceU = cl ? new UMat() : null;
    this.bufAU = cl ? new UMat() : null;
    this.bufBU = cl ? new UMat() : null;
    this.padded = cl ? new UMat() : null;
  }

  /** A backend with fresh scratch buffers, for one thread. */
  public static ImageBackend open(Kind kind) {
    return new ImageBackend(java.util.Objects.requireNonNull(kind, "kind"));
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Makes {@code src} (8-bit RGB, decoded) the source of the following rows; on OpenCL it is
   * uploaded here, once. The caller keeps {@code src} open until those rows are done.
   */
  public void load(Mat src) {
    load(src, Integer.MAX_VALUE);
  }

  /**
   * {@link #load} for exactly {@code rows} rows: the last one may work in place on {@code src} (on
   * the CPU, when its first warp is a whole-pixel copy), sparing a copy of the image; so {@code
   * src} is spent after them.
   */
  public void load(Mat src, int rows) {
    remaining = rows;
    source = src;
    if (kind == Kind.OPENCL) {
      src.copyTo(sourceU);
    }
  }

  /**
   * Starts one row: its current image is the loaded source, which the row's first step, {@link
   * #warp}, reads. A row is {@code begin}, then {@link #warp}, {@link #fillOutside} and {@link
   * #apply} steps in order, then {@link #finish}.
   */
  public void begin() {
    if (source == null) {
      throw new IllegalStateException("begin before load");
    }
    closeView();
    lastRow = --remaining == 0;
    atSource = true;
    cur = source;
    curU = sourceU;
  }

  /**
   * Warps the current image through {@code m} (continuous coordinates, see {@link Affine}; affine
   * or projective) to {@code outW x outH}, exactly as {@link ImageOps#warp}: on the CPU that very
   * call (or a whole-pixel copy where the map is one, which gives the same bytes); on OpenCL the
   * same call on {@code UMat}s, see {@link #warpU}.
   */
  public void warp(Affine m, int outW, int outH, Border border, int fill, Interpolation interp) {
    int[] crop =
        atSource && border == Border.REFLECT && interp == Interpolation.LINEAR && m.isAffine()
            ? pureCrop(m, outW, outH, source.cols(), source.rows())
            : null;
    if (kind == Kind.CPU) {
      if (crop != null && lastRow) {
        if (outW != source.cols() || outH != source.rows()) {
          try (Rect r = new Rect(crop[0], crop[1], outW, outH)) {
            view = new Mat(source, r);
          }
          cur = view;
        } // else the whole source, in place
      } else if (crop != null) {
        try (Rect r = new Rect(crop[0], crop[1], outW, outH);
            Mat v = new Mat(source, r)) {
          v.copyTo(bufA);
        }
        cur = bufA;
      } else {
        Mat dst = cur == bufA ? bufB : bufA;
        ImageOps.warpInto(cur, m, outW, outH, border, fill, interp, dst);
        closeView();
        cur = dst;
      }
    } else {
      UMat dst = curU == bufAU ? bufBU : bufAU;
      if (crop != null) {
        try (Rect r = new Rect(crop[0], crop[1], outW, outH);
            UMat v = new UMat(sourceU, r)) {
          v.copyTo(dst);
        }
      } else {
        warpU(curU, m, outW, outH, border, fill, interp, dst);
      }
      curU = dst;
    }
    atSource = false;
  }

  /**
   * Sets to {@code fill} every pixel of the current image outside the frame {@code [0, fw] x [0,
   * fh]} mapped through {@code toOut}, as {@link ImageOps#fillOutside}: the polygon's mask is drawn
   * on the host (one byte a pixel), the fill runs where the image is.
   */
  public void fillOutside(Affine toOut, double fw, double fh, int fill) {
    requireWarped();
    if (kind == Kind.CPU) {
      ImageOps.fillOutside(cur, toOut, fw, fh, fill);
      return;
    }
    try (Mat mask = ImageOps.outsideMask(curU.cols(), curU.rows(), toOut, fw, fh)) {
      if (mask == null) {
        return;
      }
      try (UMat maskU = new UMat();
          Scalar value = new Scalar(fill, fill, fill, 0);
          Mat v = new Mat(1, 1, curU.type(), value);
          UMat vu = new UMat()) {
        mask.copyTo(maskU);
        v.copyTo(vu);
        curU.setTo(vu, maskU);
      }
    }
  }

  /**
   * Runs {@code op} with {@code params} on the current image: {@link PixelOp#apply(Mat,
   * SortedMap)}, or on OpenCL its {@code UMat} version.
   */
  public void apply(PixelOp op, SortedMap<String, Object> params) {
    requireWarped();
    if (kind == Kind.CPU) {
      op.apply(cur, params);
    } else {
      op.apply(curU, params);
    }
  }

  /**
   * Ends the row: its pixels, row-major, RGB, or its luma ({@code COLOR_RGB2GRAY}) when {@code
   * oneChannel}; downloaded once on OpenCL.
   */
  public ImageFusion.Rendered finish(dev.shardsmith.schemas.Applied applied, boolean oneChannel) {
    requireWarped();
    try {
      if (kind == Kind.CPU) {
        return rendered(cur, applied, oneChannel);
      }
      if (!oneChannel) {
        try (Mat host = curU.getMat(ACCESS_READ)) {
          return rendered(host, applied, false);
        }
      }
      try (UMat gray = new UMat()) {
        opencv_imgproc.cvtColor(curU, gray, opencv_imgproc.COLOR_RGB2GRAY);
        try (Mat host = gray.getMat(ACCESS_READ)) {
          return new ImageFusion.Rendered(
              ImageOps.toBytes(host), host.cols(), host.rows(), applied, 1);
        }
      }
    } finally {
      closeView();
      cur = null;
      curU = null;
    }
  }

  private static ImageFusion.Rendered rendered(
      Mat rgb, dev.shardsmith.schemas.Applied applied, boolean oneChannel) {
    if (!oneChannel) {
      return new ImageFusion.Rendered(ImageOps.toBytes(rgb), rgb.cols(), rgb.rows(), applied);
    }
    try (Mat gray = new Mat()) {
      opencv_imgproc.cvtColor(rgb, gray, opencv_imgproc.COLOR_RGB2GRAY);
      return new ImageFusion.Rendered(ImageOps.toBytes(gray), rgb.cols(), rgb.rows(), applied, 1);
    }
  }

  private void requireWarped() {
    if (atSource || (cur == null && curU == null)) {
      throw new IllegalStateException("a row starts with begin() and a warp out of the source");
    }
  }

  private void closeView() {
    if (view != null) {
      view.close();
      view = null;
    }
  }

  /**
   * When {@code m} only moves pixels by whole pixels inside the source (the identity, or a crop),
   * the region it reads; a bilinear warp of such a map gives exactly those pixels, so they are
   * copied instead: its top-left corner {@code {x, y}} in the source. Else null.
   */
  static int[] pureCrop(Affine m, int outW, int outH, int srcW, int srcH) {
    double[] k = ImageOps.pixelCentreMatrix(m, outW, outH);
    if (k[0] != 1 || k[1] != 0 || k[3] != 0 || k[4] != 1) {
      return null;
    }
    // dst(x, y) = src(x - k2, y - k5)
    double x = -k[2];
    double y = -k[5];
    if (x != Math.rint(x) || y != Math.rint(y)) {
      return null;
    }
    if (x < 0 || y < 0 || x + outW > srcW || y + outH > srcH) {
      return null;
    }
    return new int[] {(int) x, (int) y};
  }

  /**
   * {@link ImageOps#warp} on the device: the same matrix (affine or projective), interpolation and
   * border. OpenCV's OpenCL {@code warpAffine} and {@code warpPerspective} kernels take only
   * constant borders (and nearest, linear or cubic sampling); with {@code reflect} or {@code
   * replicate} they would silently fall back to the host. So the source is first extended by that
   * border ({@code copyMakeBorder}, an OpenCL kernel) by as much as the map reads beyond it, and
   * the warp then runs on the device with a constant border that no sample reaches. Same pixels as
   * the host warp, up to the kernels' rounding. Lanczos sampling, and a map that reads too far (or
   * whose projective denominator changes sign over the output), are left to OpenCV, which runs them
   * on the host.
   */
  void warpU(
      UMat src,
      Affine m,
      int outW,
      int outH,
      Border border,
      int fill,
      Interpolation interp,
      UMat dst) {
    Affine px = ImageOps.pixelCentre(m, outW, outH);
    int cvBorder = border.cv();
    UMat from = src;
    double[] b = border == Border.CONSTANT ? null : sourceBounds(px, outW, outH);
    if (b != null && b[0] >= 2 && b[1] >= 2 && b[2] <= src.cols() - 3 && b[3] <= src.rows() - 3) {
      cvBorder = BORDER_CONSTANT; // every sample, cubic included, inside: the border is never read
    } else if (b != null) {
      // bilinear reads floor(x) and floor(x) + 1, cubic floor(x) - 1 to floor(x) + 2: margin()
      // keeps 3 pixels of border beyond the farthest sample
      int left = margin(-b[0]);
      int top = margin(-b[1]);
      int right = margin(b[2] - (src.cols() - 1));
      int bottom = margin(b[3] - (src.rows() - 1));
      if (left + right <= MAX_PAD * src.cols() && top + bottom <= MAX_PAD * src.rows()) {
        opencv_core.copyMakeBorder(src, padded, top, bottom, left, right, border.cv(), ZERO);
        px = Affine.translate(-left, -top).then(px);
        cvBorder = BORDER_CONSTANT;
        from = padded;
      }
    }
    boolean affine = px.isAffine();
    double[] k = affine ? px.toArray() : px.toArray9();
    try (DoublePointer p = new DoublePointer(k);
        Mat mm = new Mat(affine ? 2 : 3, 3, CV_64FC1, p);
        UMat mu = new UMat();
        Size size = new Size(outW, outH);
        Scalar value = new Scalar(fill, fill, fill, 0)) {
      mm.copyTo(mu);
      if (affine) {
        opencv_imgproc.warpAffine(from, dst, mu, size, interp.cvWarp(), cvBorder, value);
      } else {
        opencv_imgproc.warpPerspective(from, dst, mu, size, interp.cvWarp(), cvBorder, value);
      }
    }
  }

  /**
   * {@code {minX, minY, maxX, maxY}}: where the output's corner pixel centres come from, in source
   * pixel coordinates, which bound every sample (the map is affine, or projective and in front over
   * the whole output); null for a singular map or one whose denominator changes sign.
   */
  private static double[] sourceBounds(Affine px, int outW, int outH) {
    Affine back;
    try {
      back = px.inverse();
    } catch (IllegalStateException singular) {
      return null;
    }
    double[] q = back.toArray9();
    double[] b = {
      Double.POSITIVE_INFINITY,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Double.NEGATIVE_INFINITY
    };
    double sign = 0;
    for (int[] c : new int[][] {{0, 0}, {outW - 1, 0}, {0, outH - 1}, {outW - 1, outH - 1}}) {
      double w = q[6] * c[0] + q[7] * c[1] + q[8];
      if (w == 0 || !Double.isFinite(w) || (sign != 0 && Math.signum(w) != sign)) {
        return null;
      }
      sign = Math.signum(w);
      double x = (q[0] * c[0] + q[1] * c[1] + q[2]) / w;
      double y = (q[3] * c[0] + q[4] * c[1] + q[5]) / w;
      if (!Double.isFinite(x) || !Double.isFinite(y)) {
        return null;
      }
      b[0] = Math.min(b[0], x);
      b[1] = Math.min(b[1], y);
      b[2] = Math.max(b[2], x);
      b[3] = Math.max(b[3], y);
    }
    return b;
  }

  /** The largest margin, in source sizes, before the warp is left to OpenCV's host path. */
  private static final int MAX_PAD = 4;

  private static final Scalar ZERO = new Scalar(0.0);

  private static int margin(double beyond) {
    return Math.max(0, (int) Math.ceil(beyond) + 3);
  }

  @Override
  public void close() {
    source = null;
    closeView();
    cur = null;
    curU = null;
    bufA.close();
    bufB.close();
    if (sourceU != null) {
      sourceU.close();
      bufAU.close();
      bufBU.close();
      padded.close();
    }
  }
}
