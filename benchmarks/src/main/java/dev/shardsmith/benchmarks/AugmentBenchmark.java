package dev.shardsmith.benchmarks;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.LUT;
import static org.bytedeco.opencv.global.opencv_core.bitwise_not;
import static org.bytedeco.opencv.global.opencv_core.extractChannel;
import static org.bytedeco.opencv.global.opencv_core.insertChannel;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2YCrCb;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YCrCb2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.transforms.OpenCvThreads;
import dev.shardsmith.transforms.kernels.image.BadImageException;
import dev.shardsmith.transforms.kernels.image.ImageBackend;
import dev.shardsmith.transforms.kernels.image.ImageFusion;
import dev.shardsmith.transforms.kernels.image.ImageHeader;
import dev.shardsmith.transforms.kernels.image.ImageHeaders;
import dev.shardsmith.transforms.kernels.image.ImageOps;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
import dev.shardsmith.transforms.kernels.image.ops.BrightnessContrast;
import dev.shardsmith.transforms.kernels.image.ops.Equalize;
import dev.shardsmith.transforms.kernels.image.ops.GaussianBlur;
import dev.shardsmith.transforms.kernels.image.ops.Invert;
import dev.shardsmith.transforms.kernels.image.ops.MedianBlur;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import dev.shardsmith.transforms.kernels.image.ops.ToGray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * {@code benchmarks/run augment}, our side, one thread, images per second over every {@code .jpg}
 * of a folder held in memory:
 *
 * <ul>
 *   <li>{@code op_<name>}: the DoFn path ({@code ImageFusion.replay}, the kernel FuseImages'
 *       per-element method calls: header check, decode to RGB, the fused warp at the source size,
 *       the op, the row's bytes) against {@code plain_op_<name>}: a plain JavaCV loop of {@code
 *       imdecode}, BGR to RGB, the same OpenCV function and a copy of the pixels out. The harness
 *       prints {@code RATIO op_<name>_vs_plain} (target >= 0.95). The two loops' passes alternate,
 *       so load from other processes falls on both alike.
 *   <li>{@code augment_chain}: the DoFn path for decode + hflip + rotate 15 + resize to 256 + 5x5
 *       Gaussian blur (one composed warp, DCT-reduced decode), against {@code peers/augment.py}
 *       (Python OpenCV, the same chain one op at a time; target >= 1.5).
 *   <li>{@code augment_chain_opencl}: the same on the {@code opencl} backend, for information (only
 *       when OpenCV finds an OpenCL device).
 * </ul>
 */
public final class AugmentBenchmark {
  private AugmentBenchmark() {}

  /** One op: how the product records it, and the plain OpenCV call on an RGB Mat. */
  private record Op(
      String name, PixelOp op, SortedMap<String, Object> params, Consumer<Mat> plain) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1 && args.length != 3) {
      System.err.println("usage: AugmentBenchmark DIR [WARMUP_PASSES PASSES]");
      System.exit(2);
    }
    int warmup = args.length == 3 ? Integer.parseInt(args[1]) : 1;
    int passes = args.length == 3 ? Integer.parseInt(args[2]) : 5;
    List<byte[]> files = readJpegs(Path.of(args[0]));
    OpenCvThreads.set(1);
    int threads = opencv_core.getNumThreads();
    String lib = "JavaCV (OpenCV " + opencv_core.CV_VERSION() + ")";

    for (Op op : ops()) {
      List<PixelOp> impl = List.of(op.op());
      Applied applied =
          Applied.of(
              Applied.VERSION,
              List.of(
                  preprocess(PreprocessSpec.KEEP, 512, 512),
                  new Applied.Op(op.name(), ImageFusion.FIRST_PIXEL_POSITION, op.params())));
      double[] r;
      try (ImageBackend cpu = ImageBackend.open(ImageBackend.Kind.CPU)) {
        r =
            interleaved(
                files,
                warmup,
                passes,
                b -> dofn(b, PreprocessSpec.KEEP, applied, impl, cpu),
                b -> plain(b, op.plain()));
      }
      emit(
          "op_" + op.name(),
          threads,
          r[0],
          "Shardsmith ImageFusion.replay (decode, fused warp, " + op.name() + ") on " + lib);
      emit(
          "plain_op_" + op.name(),
          threads,
          r[1],
          "plain JavaCV imdecode + cvtColor + the same OpenCV call, " + lib);
    }

    PreprocessSpec pre = new PreprocessSpec(256, 256, 256);
    List<PixelOp> blur = List.of(new GaussianBlur(1, 1.1, 1.1));
    SortedMap<String, Object> rotate = new TreeMap<>();
    rotate.put("angle", 15.0);
    // cv2.warpAffine's default border, as the Python peer's chain: constant black corners
    rotate.put("border", "constant");
    rotate.put("fill", 0L);
    SortedMap<String, Object> blurParams = new TreeMap<>();
    // cv2.GaussianBlur(img, (5, 5), 0): sigma = 0.3 * ((5 - 1) * 0.5 - 1) + 0.8 = 1.1
    blurParams.put("sigma", 1.1);
    blurParams.put("ksize", 5L);
    Applied chain =
        Applied.of(
            Applied.VERSION,
            List.of(
                preprocess(pre, 256, 256),
                new Applied.Op(ImageFusion.HFLIP, 0, new TreeMap<>()),
                new Applied.Op(ImageFusion.ROTATE, 1, rotate),
                new Applied.Op(GaussianBlur.NAME, ImageFusion.FIRST_PIXEL_POSITION, blurParams)));
    try (ImageBackend cpu = ImageBackend.open(ImageBackend.Kind.CPU)) {
      System.out.println(
          ResultLine.check("augment_chain", mean(dofn(files.get(0), pre, chain, blur, cpu))));
      emit(
          "augment_chain",
          threads,
          rate(files, warmup, passes, b -> dofn(b, pre, chain, blur, cpu)),
          "Shardsmith ImageFusion.replay: DCT-reduced decode + one warp + GaussianBlur, " + lib);
    }
    String device = ImageBackend.describeDevice();
    if (device != null) {
      try (ImageBackend dev = ImageBackend.open(ImageBackend.Kind.OPENCL)) {
        emit(
            "augment_chain_opencl",
            threads,
            rate(files, warmup, passes, b -> dofn(b, pre, chain, blur, dev)),
            "the same on the opencl backend (UMat, T-API) on " + device);
      }
    } else {
      System.err.println(
          "augment: no OpenCL device, so no augment_chain_opencl row (OpenCV looks only for"
              + " GPUs unless OPENCV_OPENCL_DEVICE says otherwise: ':CPU:' for PoCL)");
    }
  }

  private static Applied.Op preprocess(PreprocessSpec pre, int w, int h) {
    SortedMap<String, Object> p = new TreeMap<>();
    p.put("resize", (long) pre.resize());
    p.put("crop_w", (long) w);
    p.put("crop_h", (long) h);
    return new Applied.Op(ImageFusion.PREPROCESS, 0, p);
  }

  private static List<Op> ops() {
    SortedMap<String, Object> none = new TreeMap<>();
    SortedMap<String, Object> gauss = new TreeMap<>();
    gauss.put("sigma", 1.1);
    gauss.put("ksize", 5L);
    SortedMap<String, Object> median = new TreeMap<>();
    median.put("ksize", 5L);
    SortedMap<String, Object> bc = new TreeMap<>();
    bc.put("alpha", 1.2);
    bc.put("beta", 0.1);
    byte[] bcTable = new byte[256];
    for (int i = 0; i < 256; i++) {
      long v = (long) Math.floor(i * 1.2 + 0.1 * 255 + 0.5);
      bcTable[i] = (byte) Math.max(0, Math.min(255, v));
    }
    return List.of(
        new Op(
            GaussianBlur.NAME,
            new GaussianBlur(1, 1.1, 1.1),
            gauss,
            m -> {
              try (Mat out = new Mat();
                  Size k = new Size(5, 5)) {
                opencv_imgproc.GaussianBlur(m, out, k, 1.1);
                out.copyTo(m);
              }
            }),
        new Op(
            MedianBlur.NAME,
            new MedianBlur(1, 5, 5),
            median,
            m -> {
              try (Mat out = new Mat()) {
                opencv_imgproc.medianBlur(m, out, 5);
                out.copyTo(m);
              }
            }),
        new Op(
            BrightnessContrast.NAME,
            new BrightnessContrast(1, 0.1, 0.1, 0.2, 0.2),
            bc,
            m -> {
              try (Mat t = new Mat(1, 256, CV_8UC1)) {
                t.data().put(bcTable, 0, 256);
                LUT(m, t, m);
              }
            }),
        new Op(Invert.NAME, new Invert(1), none, m -> bitwise_not(m, m)),
        new Op(
            ToGray.NAME,
            new ToGray(1),
            none,
            m -> {
              try (Mat g = new Mat()) {
                cvtColor(m, g, COLOR_RGB2GRAY);
                cvtColor(g, m, COLOR_GRAY2RGB);
              }
            }),
        new Op(
            Equalize.NAME,
            new Equalize(1),
            none,
            m -> {
              try (Mat ycc = new Mat();
                  Mat y = new Mat();
                  Mat eq = new Mat()) {
                cvtColor(m, ycc, COLOR_RGB2YCrCb);
                extractChannel(ycc, y, 0);
                equalizeHist(y, eq);
                insertChannel(eq, ycc, 0);
                cvtColor(ycc, m, COLOR_YCrCb2RGB);
              }
            }));
  }

  /** The DoFn path: one row rendered from the encoded bytes, as FuseImages does. */
  private static byte[] dofn(
      byte[] encoded, PreprocessSpec pre, Applied applied, List<PixelOp> ops, ImageBackend b) {
    try {
      ImageHeader h = ImageHeaders.read(encoded, 100_000_000L);
      return ImageFusion.replay(encoded, h, pre, applied, ops, b).rgb();
    } catch (BadImageException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The plain loop: imdecode, BGR to RGB, the op, the pixels out. */
  private static byte[] plain(byte[] encoded, Consumer<Mat> op) {
    try (Mat buf = new Mat(encoded);
        Mat bgr = imdecode(buf, IMREAD_COLOR);
        Mat rgb = new Mat()) {
      cvtColor(bgr, rgb, COLOR_BGR2RGB);
      op.accept(rgb);
      return ImageOps.toBytes(rgb);
    }
  }

  private static double rate(
      List<byte[]> files,
      int warmup,
      int passes,
      java.util.function.Function<byte[], byte[]> work) {
    return PassTimer.medianRate(
        warmup,
        passes,
        files.size(),
        () -> {
          long n = 0;
          for (byte[] f : files) {
            n += work.apply(f).length;
          }
          return n;
        });
  }

  /**
   * Medians of {@code a} and {@code b} (images per second), their passes alternating (a b, b a, a
   * b, ...) so that load from other processes falls on both sides alike.
   */
  private static double[] interleaved(
      List<byte[]> files,
      int warmup,
      int passes,
      java.util.function.Function<byte[], byte[]> a,
      java.util.function.Function<byte[], byte[]> b) {
    double[] ra = new double[passes];
    double[] rb = new double[passes];
    for (int i = 0; i < warmup + passes; i++) {
      // a b, then b a: neither side always runs right after the other
      double x;
      double y;
      if (i % 2 == 0) {
        x = rate(files, 0, 1, a);
        y = rate(files, 0, 1, b);
      } else {
        y = rate(files, 0, 1, b);
        x = rate(files, 0, 1, a);
      }
      if (i >= warmup) {
        ra[i - warmup] = x;
        rb[i - warmup] = y;
      }
    }
    return new double[] {median(ra), median(rb)};
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static void emit(String row, int threads, double value, String api) {
    System.out.println(ResultLine.result(row, threads, "img/s", value, api));
    System.out.flush();
  }

  private static double mean(byte[] rgb) {
    long s = 0;
    for (byte b : rgb) {
      s += b & 0xFF;
    }
    return (double) s / rgb.length;
  }

  private static List<byte[]> readJpegs(Path dir) throws IOException {
    List<byte[]> files = new ArrayList<>();
    try (Stream<Path> paths = Files.list(dir)) {
      for (Path p : paths.filter(p -> p.toString().endsWith(".jpg")).sorted().toList()) {
        files.add(Files.readAllBytes(p));
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no .jpg files in " + dir);
    }
    return files;
  }
}
