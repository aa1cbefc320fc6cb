package dev.shardsmith.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * {@code benchmarks/run decode}, our side: JPEG decode, and decode + flip + rotate + resize + blur
 * ({@link ImageChain}), over every {@code .jpg} of a folder held in memory as {@code byte[]}, on
 * one thread with OpenCV's own threading off. Prints two {@link ResultLine} rows in images per
 * second (median of the timed passes) and a {@code CHECK} line per row.
 *
 * <p>{@code java -cp ... dev.shardsmith.benchmarks.DecodeBenchmark DIR [WARMUP_PASSES PASSES]}
 */
public final class DecodeBenchmark {
  private DecodeBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1 && args.length != 3) {
      System.err.println("usage: DecodeBenchmark DIR [WARMUP_PASSES PASSES]");
      System.exit(2);
    }
    int warmup = args.length == 3 ? Integer.parseInt(args[1]) : 1;
    int passes = args.length == 3 ? Integer.parseInt(args[2]) : 5;
    List<byte[]> files = readJpegs(Path.of(args[0]));
    opencv_core.setNumThreads(1);
    int threads = opencv_core.getNumThreads();
    // Ours: the product's kernels. Plain JavaCV rows follow for information (no peer row).
    measure("", ImageChain.shardsmith(), files, warmup, passes, threads);
    measure("javacv_", ImageChain.javaCv(), files, warmup, passes, threads);
  }

  private static void measure(
      String prefix, ImageChain chain, List<byte[]> files, int warmup, int passes, int threads) {

    System.out.println(
        ResultLine.check(prefix + "decode", meanOfFirst(chain.decode(files.get(0)))));
    System.out.println(
        ResultLine.check(prefix + "decode_chain", meanOfFirst(chain.decodeAugment(files.get(0)))));

    System.out.println(
        ResultLine.result(
            prefix + "decode",
            threads,
            "img/s",
            rate(chain::decode, files, warmup, passes),
            chain.library() + (prefix.isEmpty() ? " header + decode to RGB" : " imdecode")));
    System.out.println(
        ResultLine.result(
            prefix + "decode_chain",
            threads,
            "img/s",
            rate(chain::decodeAugment, files, warmup, passes),
            chain.library()
                + (prefix.isEmpty()
                    ? " DCT-reduced decode + one composed warp + GaussianBlur"
                    : " imdecode+flip+warpAffine+resize+GaussianBlur")));
  }

  /** Images per second of {@code work} over all files, median of the timed passes. */
  private static double rate(
      java.util.function.Function<byte[], Mat> work, List<byte[]> files, int warmup, int passes) {
    return PassTimer.medianRate(
        warmup,
        passes,
        files.size(),
        () -> {
          long pixels = 0;
          for (byte[] f : files) {
            try (Mat m = work.apply(f)) {
              pixels += m.total();
            }
          }
          return pixels;
        });
  }

  /** Mean over all channels of a decoded image; closes it. */
  private static double meanOfFirst(Mat image) {
    try (image;
        Scalar mean = opencv_core.mean(image)) {
      int channels = image.channels();
      double sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += mean.get(c);
      }
      return sum / channels;
    }
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
