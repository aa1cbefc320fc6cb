package dev.shardsmith.transforms.kernels.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.kernels.image.ImageFusion.Rendered;
import dev.shardsmith.transforms.kernels.image.ops.Grayscale;
import dev.shardsmith.transforms.kernels.image.ops.Perspective;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import dev.shardsmith.transforms.kernels.image.ops.PyrDown;
import dev.shardsmith.transforms.kernels.image.ops.Resize;
import dev.shardsmith.transforms.kernels.image.ops.Rotate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole plans on {@code opencl} (PoCL on the CPU here) against {@code cpu}: every chain of {@link
 * FusionChainTest} (perspective maps, constant borders that mask intermediate frames, reflect and
 * replicate borders, a pixel op between warps) plus {@code pyr_down} between warps, under three
 * preprocess settings (resize and crop, keep, grayscale to one channel). Every plan step runs on
 * the backend asked for; the bytes must agree within {@link #MAX_DIFF} and {@link #MEAN_DIFF}.
 */
class FusionPlanParityTest {
  private static final long MAX = 50_000_000L;

  /**
   * Measured on PoCL: max 8, mean at most 0.13. OpenCV's OpenCL warp kernels compute a sample's
   * source position in float where the CPU uses double before the same 1/32-pixel quantisation, so
   * a position on a quantisation boundary can take the neighbouring weights, moving a pixel on a
   * sharp edge (the logo's) by a few levels; and they round exact halves differently, one level on
   * up to an eighth of the bytes of a 2x downscale. See docs/augmentations.md, "Backends".
   */
  static final int MAX_DIFF = 16;

  static final double MEAN_DIFF = 0.2;

  static Map<String, List<PixelOp>> plans() {
    Map<String, List<PixelOp>> m = new LinkedHashMap<>(FusionChainTest.chains());
    m.put(
        "pyr_down between perspective and reflect rotate+resize",
        List.of(
            new Perspective(1, 0.05, 0.15),
            new PyrDown(1, 1),
            new Rotate(1, -20, 20, Border.REFLECT, 0),
            new Resize(1, 96, 80, Interpolation.CUBIC)));
    return m;
  }

  static Stream<Arguments> plansAndPreprocess() {
    PreprocessSpec[] pres = {
      new PreprocessSpec(256, 224, 224),
      PreprocessSpec.KEEP,
      new PreprocessSpec(256, 224, 224, List.of(new Grayscale(1, 1)))
    };
    List<Arguments> out = new ArrayList<>();
    for (String plan : plans().keySet()) {
      for (PreprocessSpec pre : pres) {
        out.add(Arguments.of(plan, pre));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("plansAndPreprocess")
  void wholePlansOnOpenClMatchCpu(String plan, PreprocessSpec pre) throws Exception {
    OpenClDevice.require();
    List<PixelOp> ops = plans().get(plan);
    int channels = pre.ops().isEmpty() ? 3 : 1;
    for (String photo : List.of("baboon.jpg", "fruits.jpg", "opencv-logo.png")) {
      byte[] b = TestImages.bytes(photo);
      ImageHeader h = ImageHeaders.read(b, MAX);
      List<Applied> rows = new ArrayList<>();
      rows.add(ImageFusion.draw(h, pre, AugmentSpec.none(), ops, 3, photo, Sample.ORIGINAL));
      for (int copy = 0; copy < 2; copy++) {
        rows.add(ImageFusion.draw(h, pre, AugmentSpec.none(), ops, 3, photo, copy));
      }
      List<Rendered> cpu;
      List<Rendered> dev;
      try (ImageBackend c = ImageBackend.open(ImageBackend.Kind.CPU);
          ImageBackend o = ImageBackend.open(ImageBackend.Kind.OPENCL)) {
        cpu = ImageFusion.renderAll(b, h, pre, rows, ops, c);
        dev = ImageFusion.renderAll(b, h, pre, rows, ops, o);
        // a row made on opencl replays byte for byte there
        Rendered again = ImageFusion.replay(b, h, pre, dev.get(1).applied(), ops, o);
        assertArrayEquals(dev.get(1).rgb(), again.rgb(), "replay on opencl");
      }
      for (int i = 0; i < rows.size(); i++) {
        Rendered a = cpu.get(i);
        Rendered o = dev.get(i);
        String where = plan + " " + pre + " on " + photo + " row " + i;
        assertEquals(a.applied(), o.applied(), where);
        assertEquals(channels, a.channels(), where);
        assertEquals(a.channels(), o.channels(), where);
        assertEquals(a.width(), o.width(), where);
        assertEquals(a.height(), o.height(), where);
        assertEquals(a.rgb().length, o.rgb().length, where);
        int max = 0;
        long sum = 0;
        for (int k = 0; k < a.rgb().length; k++) {
          int d = Math.abs((a.rgb()[k] & 0xFF) - (o.rgb()[k] & 0xFF));
          max = Math.max(max, d);
          sum += d;
        }
        double mean = (double) sum / a.rgb().length;
        System.out.printf("plan parity %s: max %d mean %.4f%n", where, max, mean);
        assertTrue(max <= MAX_DIFF, where + ": max abs diff " + max + " > " + MAX_DIFF);
        assertTrue(mean <= MEAN_DIFF, where + ": mean abs diff " + mean + " > " + MEAN_DIFF);
      }
    }
  }
}
