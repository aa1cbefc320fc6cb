package dev.shardsmith.transforms.kernels.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.kernels.image.ImageFusion.Rendered;
import dev.shardsmith.transforms.kernels.image.ops.GaussianBlur;
import dev.shardsmith.transforms.kernels.image.ops.Invert;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backends: {@code compute.device} resolution, and the fused render (one warp straight to the
 * output, then pixel ops) on {@code opencl} (PoCL on the CPU here) against {@code cpu}.
 */
class ImageBackendTest {
  private static final long MAX = 50_000_000L;
  private static final AugmentSpec ALWAYS = new AugmentSpec(1, 1, 15, 1, 0.3, 1, 3.0 / 4, 4.0 / 3);

  /**
   * The fused render's tolerance (warp, then a 1-sigma gaussian blur), as {@link
   * FusionPlanParityTest}'s for the warp: OpenCV's OpenCL bilinear warp rounds exact halves
   * differently from the CPU's (a 2x downscale: max 1, mean 0.126 on baboon), and the blur moves a
   * few pixels by one level. See docs/augmentations.md, "Backends".
   */
  static final int WARP_MAX_DIFF = 2;

  static final double WARP_MEAN_DIFF = 0.2;

  @ParameterizedTest
  @ValueSource(strings = {"baboon.jpg", "home.jpg", "smarties.png", "opencv-logo.png"})
  void fusedWarpOnOpenClMatchesCpu(String photo) throws Exception {
    OpenClDevice.require();
    byte[] b = TestImages.bytes(photo);
    ImageHeader h = ImageHeaders.read(b, MAX);
    PreprocessSpec pre = new PreprocessSpec(256, 224, 200);
    List<PixelOp> ops = List.of(new GaussianBlur(1, 1.0, 1.0), new Invert(0.5));
    List<Applied> rows = new ArrayList<>();
    rows.add(ImageFusion.draw(h, pre, ALWAYS, ops, 3, photo, Sample.ORIGINAL));
    for (int copy = 0; copy < 3; copy++) {
      rows.add(ImageFusion.draw(h, pre, ALWAYS, ops, 3, photo, copy));
    }
    List<Rendered> cpu;
    List<Rendered> dev;
    try (ImageBackend c = ImageBackend.open(ImageBackend.Kind.CPU);
        ImageBackend o = ImageBackend.open(ImageBackend.Kind.OPENCL)) {
      cpu = ImageFusion.renderAll(b, h, pre, rows, ops, c);
      dev = ImageFusion.renderAll(b, h, pre, rows, ops, o);
      // the scratch buffers are reused: a second pass gives the same bytes
      List<Rendered> again = ImageFusion.renderAll(b, h, pre, rows, ops, o);
      for (int i = 0; i < rows.size(); i++) {
        assertArrayEquals(dev.get(i).rgb(), again.get(i).rgb());
      }
    }
    // the CPU backend object gives exactly the bytes of the plain API
    List<Rendered> plain = ImageFusion.renderAll(b, h, pre, rows, ops);
    for (int i = 0; i < rows.size(); i++) {
      Rendered a = cpu.get(i);
      Rendered o = dev.get(i);
      assertArrayEquals(plain.get(i).rgb(), a.rgb());
      assertEquals(a.applied(), o.applied());
      assertEquals(a.width() * a.height() * 3, o.rgb().length);
      int max = 0;
      long sum = 0;
      for (int k = 0; k < a.rgb().length; k++) {
        int d = Math.abs((a.rgb()[k] & 0xFF) - (o.rgb()[k] & 0xFF));
        max = Math.max(max, d);
        sum += d;
      }
      double mean = (double) sum / a.rgb().length;
      System.out.printf("fused parity %s row %d: max %d mean %.4f%n", photo, i, max, mean);
      assertTrue(max <= WARP_MAX_DIFF, photo + " row " + i + ": max abs diff " + max);
      assertTrue(mean <= WARP_MEAN_DIFF, photo + " row " + i + ": mean abs diff " + mean);
    }
  }

  @Test
  void replayOnOpenClMatchesItsOwnRender() throws Exception {
    OpenClDevice.require();
    byte[] b = TestImages.bytes("fruits.jpg");
    ImageHeader h = ImageHeaders.read(b, MAX);
    PreprocessSpec pre = new PreprocessSpec(128, 112, 112);
    List<PixelOp> ops = List.of(new GaussianBlur(1, 0.5, 2.0));
    Applied a = ImageFusion.draw(h, pre, ALWAYS, ops, 9, "f", 4);
    try (ImageBackend o = ImageBackend.open(ImageBackend.Kind.OPENCL)) {
      Rendered r = ImageFusion.renderAll(b, h, pre, List.of(a), ops, o).get(0);
      Rendered again = ImageFusion.replay(b, h, pre, r.applied(), ops, o);
      assertArrayEquals(r.rgb(), again.rgb());
    }
  }

  @Test
  void autoNeverPicksACpuOpenClDevice() {
    String device = OpenClDevice.require();
    assertEquals(ImageBackend.Kind.OPENCL, ImageBackend.resolve("opencl"));
    ImageBackend.Kind auto = ImageBackend.resolve("auto");
    if (device.endsWith("(cpu)")) {
      assertEquals(ImageBackend.Kind.CPU, auto, "auto picked the CPU OpenCL device " + device);
    } else {
      assertEquals(
          device.endsWith("(gpu)") ? ImageBackend.Kind.OPENCL : ImageBackend.Kind.CPU, auto);
    }
  }

  @Test
  void cpuAndBadValues() {
    assertEquals(ImageBackend.Kind.CPU, ImageBackend.resolve("cpu"));
    assertEquals("opencl", ImageBackend.Kind.OPENCL.id());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageBackend.resolve("cuda"));
    assertTrue(e.getMessage().contains("compute.device = cuda"), e.getMessage());
    assertTrue(e.getMessage().contains("[auto, cpu, opencl]"), e.getMessage());
  }

  @Test
  void wholePixelMapsAreCopiedWithTheWarpsExactBytes() throws Exception {
    byte[] b = TestImages.bytes("fruits.jpg");
    ImageHeader h = ImageHeaders.read(b, MAX);
    try (org.bytedeco.opencv.opencv_core.Mat src = ImageDecoding.decodeRgb(b, h, 1);
        ImageBackend c = ImageBackend.open(ImageBackend.Kind.CPU)) {
      c.load(src);
      int w = src.cols();
      int hh = src.rows();
      List<Object[]> maps =
          List.of(
              new Object[] {Affine.identity(), w, hh},
              new Object[] {Affine.translate(-17, -5), w - 40, hh - 30},
              new Object[] {Affine.translate(-3, 0), 64, 48});
      for (Object[] mp : maps) {
        Affine m = (Affine) mp[0];
        int ow = (int) mp[1];
        int oh = (int) mp[2];
        assertTrue(ImageBackend.pureCrop(m, ow, oh, w, hh) != null, m.toString());
        try (org.bytedeco.opencv.opencv_core.Mat warped = ImageOps.warp(src, m, ow, oh)) {
          assertArrayEquals(ImageOps.toBytes(warped), render(c, m, ow, oh, List.of()));
        }
      }
      // the last of a source's rows works in place on it: same bytes, pixel ops included
      List<PixelOp> inv = List.of(new Invert(1));
      byte[] copied;
      try (org.bytedeco.opencv.opencv_core.Mat again = src.clone()) {
        c.load(again, 2);
        copied = render(c, Affine.translate(-3, 0), 64, 48, inv);
        assertArrayEquals(copied, render(c, Affine.translate(-3, 0), 64, 48, inv));
      }
      try (org.bytedeco.opencv.opencv_core.Mat again = src.clone()) {
        c.load(again, 2);
        copied = render(c, Affine.identity(), w, hh, inv);
        assertArrayEquals(copied, render(c, Affine.identity(), w, hh, inv));
      }
      // a half-pixel shift, a scale, or a crop reaching past the border are warped
      assertEquals(null, ImageBackend.pureCrop(Affine.translate(-0.5, 0), 8, 8, w, hh));
      assertEquals(null, ImageBackend.pureCrop(Affine.scale(0.5, 0.5), 8, 8, w, hh));
      assertEquals(null, ImageBackend.pureCrop(Affine.translate(5, 0), 8, 8, w, hh));
    }
  }

  /** One row on {@code b}: the default warp (mirrored, bilinear), then {@code ops}. */
  private static byte[] render(ImageBackend b, Affine m, int w, int h, List<PixelOp> ops) {
    b.begin();
    b.warp(m, w, h, Border.REFLECT, 0, Interpolation.LINEAR);
    for (PixelOp op : ops) {
      b.apply(op, new java.util.TreeMap<>());
    }
    return b.finish(null, false).rgb();
  }

  @Test
  void aRowBeforeLoadOrWithoutAWarpIsAnError() {
    try (ImageBackend c = ImageBackend.open(ImageBackend.Kind.CPU);
        org.bytedeco.opencv.opencv_core.Mat src =
            new org.bytedeco.opencv.opencv_core.Mat(
                8, 8, org.bytedeco.opencv.global.opencv_core.CV_8UC3)) {
      assertThrows(IllegalStateException.class, c::begin);
      c.load(src);
      c.begin();
      assertThrows(
          IllegalStateException.class, () -> c.apply(new Invert(1), new java.util.TreeMap<>()));
      assertThrows(IllegalStateException.class, () -> c.finish(null, false));
    }
  }
}
