package dev.shardsmith.transforms.kernels.image;

import static org.bytedeco.opencv.global.opencv_core.ACCESS_READ;
import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

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
 * Where the fused render's warp and pixel ops run: {@link Kind#CPU} on OpenCV {@code Mat}s, {@link
 * Kind#OPENCL} on {@code UMat}s through OpenCV's transparent API (T-API), which runs the same calls
 * as OpenCL kernels on OpenCV's default OpenCL device (select one with {@code
 * OPENCV_OPENCL_DEVICE}, like {@code :GPU:} or {@code :CPU:}). Decoding stays on the host.
 *
 * <p>An instance owns the scratch buffers of one thread (the warp output, and on OpenCL the
 * uploaded source and the matrix), reused from image to image; it is not thread-safe, and is closed
 * when its owner is done. Per image: {@link #load} the decoded source once (one upload on OpenCL,
 * shared by the original and every copy), then {@link #render} each row: the warp and the pixel ops
 * are enqueued on the device and the row is downloaded once, at the end.
 *
 * <pre>{@code
 * ImageBackend.Kind kind = ImageBackend.resolve("auto"); // a GPU OpenCL device, else cpu
 * try (ImageBackend b = ImageBackend.open(kind)) {
 *   b.load(decoded);
 *   byte[] rgb = b.render(map, 224, 224, pixelOps, recordedPixelOps);
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
  private final Mat warped = new Mat();
  private final UMat sourceU;
  private final UMat warpedU;
  private final UMat padded;
  private Mat source;
  private int remaining;

  private ImageBackend(Kind kind) {
    this.kind = kind;
    this.sourceU = kind == Kind.OPENCL ? new UMat() : null;
    this.warpedU = kind == Kind.OPENCL ? new UMat() : null;
    this.padded = kind == Kind.OPENCL ? new UMat() : null;
  }

  /** A backend with fresh scratch buffers, for one thread. */
  public static ImageBackend open(Kind kind) {
    return new ImageBackend(java.util.Objects.requireNonNull(kind, "kind"));
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Makes {@code src} (8-bit RGB, decoded) the source of the following {@link #render}s; on OpenCL
   * it is uploaded here, once. The caller keeps {@code src} open until those renders are done.
   */
  public void load(Mat src) {
    load(src, Integer.MAX_VALUE);
  }

  /**
   * {@link #load} for exactly {@code rows} renders: the last one may work in place on {@code src}
   * (on the CPU, when its map is a whole-pixel copy), sparing a copy of the image; so {@code src}
   * is spent after them.
   */
  public void load(Mat src, int rows) {
    remaining = rows;
    source = src;
    if (kind == Kind.OPENCL) {
      src.copyTo(sourceU);
    }
  }

  /** One pixel op with the parameters to apply (as drawn or recorded). */
  public record Call(PixelOp op, SortedMap<String, Object> params) {}

  /**
   * One row from the loaded source: {@link ImageOps#warp} (mirrored borders, bilinear) through the
   * affine map {@code m} to {@code outW x outH}, then the pixel ops {@code calls} in order; the
   * pixels, RGB, row-major.
   */
  public byte[] render(Affine m, int outW, int outH, List<Call> calls) {
    if (source == null) {
      throw new IllegalStateException("render before load");
    }
    int[] crop = pureCrop(m, outW, outH, source.cols(), source.rows());
    boolean last = --remaining == 0;
    if (kind == Kind.CPU) {
      if (crop != null && last) {
        if (outW == source.cols() && outH == source.rows()) {
          return opsThenBytes(source, calls); // the whole source: no view objects
        }
        try (Rect r = new Rect(crop[0], crop[1], outW, outH);
            Mat view = new Mat(source, r)) {
          return opsThenBytes(view, calls);
        }
      }
      if (crop != null) {
        try (Rect r = new Rect(crop[0], crop[1], outW, outH);
            Mat view = new Mat(source, r)) {
          view.copyTo(warped);
        }
      } else {
        ImageOps.warpInto(source, m, outW, outH, warped);
      }
      for (Call c : calls) {
        c.op().apply(warped, c.params());
      }
      return ImageOps.toBytes(warped);
    }
    if (crop != null) {
      try (Rect r = new Rect(crop[0], crop[1], outW, outH);
          UMat view = new UMat(sourceU, r)) {
        view.copyTo(warpedU);
      }
    } else {
      warpU(sourceU, m, outW, outH, warpedU);
    }
    for (Call c : calls) {
      c.op().apply(warpedU, c.params());
    }
    try (Mat host = warpedU.getMat(ACCESS_READ)) {
      return ImageOps.toBytes(host);
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

  private static byte[] opsThenBytes(Mat rgb, List<Call> calls) {
    for (Call c : calls) {
      c.op().apply(rgb, c.params());
    }
    return ImageOps.toBytes(rgb);
  }

  /**
   * {@link ImageOps#warp} on the device: the same matrix, interpolation and borders. OpenCV's
   * OpenCL {@code warpAffine} kernel takes only constant borders, and with {@code
   * BORDER_REFLECT_101} it would silently fall back to the host; so the source is first mirrored
   * out ({@code copyMakeBorder}, an OpenCL kernel) by as much as the map reads beyond it, and the
   * warp then runs on the device with a constant border that no sample reaches. Same pixels as a
   * mirrored-border warp, up to the kernels' rounding.
   */
  void warpU(UMat src, Affine m, int outW, int outH, UMat dst) {
    double[] k = ImageOps.pixelCentreMatrix(m, outW, outH);
    // where the output's corner pixel centres come from, in source pixel coordinates
    double det = k[0] * k[4] - k[1] * k[3];
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (int[] c : new int[][] {{0, 0}, {outW - 1, 0}, {0, outH - 1}, {outW - 1, outH - 1}}) {
      double u = c[0] - k[2];
      double v = c[1] - k[5];
      double x = (k[4] * u - k[1] * v) / det;
      double y = (-k[3] * u + k[0] * v) / det;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    // bilinear reads floor(x) and floor(x) + 1: one more pixel each side
    int left = margin(-minX);
    int top = margin(-minY);
    int right = margin(maxX - (src.cols() - 1));
    int bottom = margin(maxY - (src.rows() - 1));
    boolean pad = left + right + top + bottom > 0;
    if (!Double.isFinite(det)
        || det == 0
        || left + right > MAX_PAD * src.cols()
        || top + bottom > MAX_PAD * src.rows()) {
      pad = false; // a degenerate or far-reaching map: OpenCV's own (host) mirrored warp
    }
    int border = BORDER_REFLECT_101;
    UMat from = src;
    if (pad) {
      opencv_core.copyMakeBorder(src, padded, top, bottom, left, right, BORDER_REFLECT_101, ZERO);
      k =
          new double[] {
            k[0], k[1], k[2] - k[0] * left - k[1] * top, k[3], k[4], k[5] - k[3] * left - k[4] * top
          };
      border = BORDER_CONSTANT;
      from = padded;
    }
    try (DoublePointer p = new DoublePointer(k);
        Mat mm = new Mat(2, 3, CV_64FC1, p);
        UMat mu = new UMat();
        Size size = new Size(outW, outH)) {
      mm.copyTo(mu);
      opencv_imgproc.warpAffine(from, dst, mu, size, INTER_LINEAR, border, ZERO);
    }
  }

  /** The largest mirrored margin, in source sizes, before the warp is left to the host path. */
  private static final int MAX_PAD = 4;

  private static final Scalar ZERO = new Scalar(0.0);

  private static int margin(double beyond) {
    return beyond <= -1 ? 0 : (int) Math.ceil(beyond) + 2;
  }

  @Override
  public void close() {
    source = null;
    warped.close();
    if (sourceU != null) {
      sourceU.close();
      warpedU.close();
      padded.close();
    }
  }
}
