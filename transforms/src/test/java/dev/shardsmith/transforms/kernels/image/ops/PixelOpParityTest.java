package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_core.ACCESS_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.transforms.kernels.image.OpenClDevice;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.UMat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op gives the same pixels on the {@code opencl} backend ({@code UMat}, OpenCV's T-API; PoCL
 * on the CPU in CI) as on {@code cpu} ({@code Mat}), within its stated tolerance: the largest
 * per-byte difference and the mean absolute difference over the image. The same table is in {@code
 * docs/augmentations.md} ("Backends").
 */
class PixelOpParityTest {
  private static final long SEED = 7;
  private static final int COPIES = 3;

  /** Per op: {max abs diff, mean abs diff}; ops not listed must be byte-identical. */
  static final Map<String, double[]> TOLERANCE =
      Map.of(
          // RGB<->HSV rounding (measured: max 1, mean 0.33)
          HueSaturationValue.NAME, new double[] {1, 0.5},
          // the separable filter's fixed-point rounding (measured: max 1, mean < 0.0001)
          GaussianBlur.NAME, new double[] {1, 0.01},
          // OpenCL pyrDown's rounding (measured: max 1, mean 0.0042)
          PyrDown.NAME, new double[] {1, 0.01});

  static Stream<Arguments> opsAndPhotos() {
    return AllOps.ALL.stream()
        .flatMap(m -> OpsTestImages.SOME.stream().map(photo -> Arguments.of(m, photo)));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("opsAndPhotos")
  void openClMatchesCpuWithinTolerance(AllOps.Maker maker, String photo) {
    OpenClDevice.require();
    PixelOp op = maker.make().apply(1.0);
    double[] tol = TOLERANCE.getOrDefault(op.name(), new double[] {0, 0});
    for (int copy = 0; copy < COPIES; copy++) {
      try (Mat cpu = OpsTestImages.rgb(photo);
          UMat dev = new UMat()) {
        cpu.copyTo(dev);
        List<Applied.Op> fired =
            PixelOps.draw(List.of(op), SEED, photo, 3, copy, cpu.cols(), cpu.rows());
        assertEquals(1, fired.size());
        PixelOps.replay(cpu, List.of(op), fired);
        PixelOps.replay(dev, List.of(op), fired);
        byte[] a = OpsTestImages.bytes(cpu);
        byte[] b;
        try (Mat host = dev.getMat(ACCESS_READ)) {
          b = OpsTestImages.bytes(host);
        }
        assertEquals(a.length, b.length);
        int max = 0;
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
          int d = Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
          max = Math.max(max, d);
          sum += d;
        }
        double mean = (double) sum / a.length;
        String where = op.name() + " on " + photo + " copy " + copy + " " + fired.get(0).params();
        System.out.printf("parity %s: max %d mean %.4f%n", where, max, mean);
        assertTrue(max <= tol[0], where + ": max abs diff " + max + " > " + tol[0]);
        assertTrue(mean <= tol[1], where + ": mean abs diff " + mean + " > " + tol[1]);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void aUmatThatIsNotRgbIsRejectedByEveryOp() {
    for (AllOps.Maker maker : AllOps.ALL) {
      PixelOp op = maker.make().apply(1.0);
      try (UMat empty = new UMat();
          UMat gray = new UMat(8, 8, org.bytedeco.opencv.global.opencv_core.CV_8UC1)) {
        for (UMat bad : List.of(empty, gray)) {
          IllegalArgumentException e =
              org.junit.jupiter.api.Assertions.assertThrows(
                  IllegalArgumentException.class,
                  () -> op.apply(bad, new java.util.TreeMap<>()),
                  op.name());
          assertTrue(e.getMessage().contains("8-bit 3-channel RGB"), e.getMessage());
        }
      }
    }
  }
}
