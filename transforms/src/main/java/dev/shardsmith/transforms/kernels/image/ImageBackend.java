package dev.shardsmith.transforms.kernels.image;

import static org.bytedeco.opencv.global.opencv_core.ACCESS_READ;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import dev.shardsmith.transforms.kernels.image.ops.PixelOps;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Device;
import org.bytedeco.opencv.opencv_core.Mat;
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
                  + " for the CPU), check OPENCV_OPENCL_RUNTIME is not 'disabled' and that"
                  + " OPENCV_OPENCL_DEVICE (like ':GPU:' or ':CPU:') names a device that exists;"
                  + " or use compute.device = cpu or auto");
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
  private Mat source;

  private ImageBackend(Kind kind) {
    this.kind = kind;
    this.sourceU = kind == Kind.OPENCL ? new UMat() : null;
    this.warpedU = kind == Kind.OPENCL ? new UMat() : null;
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
    source = src;
    if (kind == Kind.OPENCL) {
      src.copyTo(sourceU);
    }
  }

  /**
   * One row from the loaded source: {@link ImageOps#warp} through {@code m} to {@code outW x outH},
   * then the {@code recorded} pixel ops (implemented by {@code ops}, as {@link PixelOps#replay});
   * the pixels, RGB, row-major.
   */
  public byte[] render(Affine m, int outW, int outH, List<PixelOp> ops, List<Applied.Op> recorded) {
    if (source == null) {
      throw new IllegalStateException("render before load");
    }
    if (kind == Kind.CPU) {
      ImageOps.warpInto(source, m, outW, outH, warped);
      if (!recorded.isEmpty()) {
        PixelOps.replay(warped, ops, recorded);
      }
      return ImageOps.toBytes(warped);
    }
    warpU(sourceU, m, outW, outH, warpedU);
    if (!recorded.isEmpty()) {
      PixelOps.replay(warpedU, ops, recorded);
    }
    try (Mat host = warpedU.getMat(ACCESS_READ)) {
      return ImageOps.toBytes(host);
    }
  }

  /** {@link ImageOps#warp} on the device: the same matrix, interpolation and borders. */
  static void warpU(UMat src, Affine m, int outW, int outH, UMat dst) {
    try (DoublePointer p = new DoublePointer(ImageOps.pixelCentreMatrix(m, outW, outH));
        Mat mm = new Mat(2, 3, CV_64FC1, p);
        UMat mu = new UMat();
        Size size = new Size(outW, outH);
        Scalar border = new Scalar(0.0)) {
      mm.copyTo(mu);
      opencv_imgproc.warpAffine(src, dst, mu, size, INTER_LINEAR, BORDER_REFLECT_101, border);
    }
  }

  @Override
  public void close() {
    source = null;
    warped.close();
    if (sourceU != null) {
      sourceU.close();
      warpedU.close();
    }
  }
}
