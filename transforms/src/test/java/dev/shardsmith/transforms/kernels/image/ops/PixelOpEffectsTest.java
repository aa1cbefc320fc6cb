package dev.shardsmith.transforms.kernels.image.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** Each op does what its documentation says, on real photos. */
class PixelOpEffectsTest {

  private static SortedMap<String, Object> params(Object... kv) {
    SortedMap<String, Object> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** The photo's pixels after {@code op.apply(params)}. */
  private static byte[] applied(String photo, PixelOp op, SortedMap<String, Object> params) {
    try (Mat rgb = OpsTestImages.rgb(photo)) {
      op.apply(rgb, params);
      return OpsTestImages.bytes(rgb);
    }
  }

  private static byte[] original(String photo) {
    try (Mat rgb = OpsTestImages.rgb(photo)) {
      return OpsTestImages.bytes(rgb);
    }
  }

  private static int width(String photo) {
    try (Mat rgb = OpsTestImages.rgb(photo)) {
      return rgb.cols();
    }
  }

  private static boolean equalChannels(byte[] px) {
    for (int i = 0; i < px.length; i += 3) {
      if (px[i] != px[i + 1] || px[i] != px[i + 2]) {
        return false;
      }
    }
    return true;
  }

  private static double[] luma(byte[] px) {
    double[] y = new double[px.length / 3];
    for (int i = 0; i < y.length; i++) {
      y[i] =
          0.299 * (px[3 * i] & 0xFF)
              + 0.587 * (px[3 * i + 1] & 0xFF)
              + 0.114 * (px[3 * i + 2] & 0xFF);
    }
    return y;
  }

  private static double std(double[] v) {
    double m = 0;
    for (double d : v) {
      m += d;
    }
    m /= v.length;
    double s = 0;
    for (double d : v) {
      s += (d - m) * (d - m);
    }
    return Math.sqrt(s / v.length);
  }

  /** Variance of the 4-neighbour Laplacian of the luma: a sharpness measure. */
  private static double laplacianVariance(byte[] px, int w) {
    double[] y = luma(px);
    int h = y.length / w;
    double[] lap = new double[(w - 2) * (h - 2)];
    int k = 0;
    for (int r = 1; r < h - 1; r++) {
      for (int c = 1; c < w - 1; c++) {
        int i = r * w + c;
        lap[k++] = y[i - 1] + y[i + 1] + y[i - w] + y[i + w] - 4 * y[i];
      }
    }
    double s = std(lap);
    return s * s;
  }

  @Test
  void invertTwiceIsTheIdentityAndOnceIs255Minus() {
    byte[] src = original("baboon.jpg");
    byte[] once = applied("baboon.jpg", new Invert(1), params());
    for (int i = 0; i < src.length; i++) {
      assertEquals(255 - (src[i] & 0xFF), once[i] & 0xFF);
    }
    try (Mat rgb = OpsTestImages.rgb("baboon.jpg")) {
      List<PixelOp> twice = List.of(new Invert(1), new Invert(1));
      assertEquals(2, PixelOps.apply(rgb, twice, 1, "b", 0, 0).size());
      assertArrayEquals(src, OpsTestImages.bytes(rgb));
    }
  }

  @Test
  void toGrayGivesEqualChannelsAtTheLuma() {
    byte[] src = original("fruits.jpg");
    assertFalse(equalChannels(src));
    byte[] gray = applied("fruits.jpg", new ToGray(1), params());
    assertTrue(equalChannels(gray));
    double[] y = luma(src);
    for (int i = 0; i < y.length; i++) {
      assertEquals(y[i], gray[3 * i] & 0xFF, 1.0);
    }
  }

  @Test
  void posterizeWithOneBitLeavesTwoLevelsPerChannel() {
    byte[] out = applied("fruits.jpg", new Posterize(1, 1, 1), params("bits", 1L));
    for (int c = 0; c < 3; c++) {
      java.util.Set<Integer> levels = new java.util.TreeSet<>();
      for (int i = c; i < out.length; i += 3) {
        levels.add(out[i] & 0xFF);
      }
      assertEquals(java.util.Set.of(0, 128), levels, "channel " + c);
    }
    assertArrayEquals(
        original("fruits.jpg"), applied("fruits.jpg", new Posterize(1, 8, 8), params("bits", 8L)));
  }

  @Test
  void solarizeAtZeroIsInvertAndAt256IsTheIdentity() {
    Solarize s = new Solarize(1, 0, 256);
    assertArrayEquals(
        applied("home.jpg", new Invert(1), params()),
        applied("home.jpg", s, params("threshold", 0L)));
    assertArrayEquals(original("home.jpg"), applied("home.jpg", s, params("threshold", 256L)));
    byte[] src = original("home.jpg");
    byte[] half = applied("home.jpg", s, params("threshold", 128L));
    for (int i = 0; i < src.length; i++) {
      int v = src[i] & 0xFF;
      assertEquals(v < 128 ? v : 255 - v, half[i] & 0xFF);
    }
  }

  /** A dull, low-contrast version of the photo (levels squeezed into about [90, 150]). */
  private static Mat dull(String photo) {
    Mat rgb = OpsTestImages.rgb(photo);
    new BrightnessContrast(1, -1, 1, -1, 1).apply(rgb, params("alpha", 0.25, "beta", 0.35));
    return rgb;
  }

  @Test
  void equalizeSpreadsTheLumaHistogramAndKeepsHue() {
    try (Mat rgb = dull("baboon.jpg")) {
      double before = std(luma(OpsTestImages.bytes(rgb)));
      new Equalize(1).apply(rgb, params());
      double[] y = luma(OpsTestImages.bytes(rgb));
      assertTrue(std(y) > 3 * before, before + " -> " + std(y));
      double min = 255;
      double max = 0;
      for (double v : y) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      assertTrue(max - min > 200, "luma spans " + min + ".." + max);
    }
  }

  @Test
  void claheRaisesLocalContrastMoreWithAHigherClipLimit() {
    double[] stds = new double[3];
    double[] clips = {0, 1.5, 4};
    for (int k = 0; k < 3; k++) {
      try (Mat rgb = dull("home.jpg")) {
        if (clips[k] > 0) {
          new Clahe(1, 1, 4, 8, 8)
              .apply(rgb, params("clip_limit", clips[k], "tile_w", 8L, "tile_h", 8L));
        }
        stds[k] = laplacianVariance(OpsTestImages.bytes(rgb), rgb.cols());
      }
    }
    assertTrue(stds[1] > stds[0] && stds[2] > stds[1], java.util.Arrays.toString(stds));
  }

  @Test
  void brightnessContrastIsALinearMapOfLevels() {
    byte[] src = original("apple.jpg");
    byte[] out =
        applied(
            "apple.jpg",
            new BrightnessContrast(1, -0.2, 0.2, -0.5, 0.5),
            params("alpha", 1.5, "beta", -0.1));
    for (int i = 0; i < src.length; i++) {
      double v = 1.5 * (src[i] & 0xFF) - 25.5;
      assertEquals(Math.max(0, Math.min(255, Math.floor(v + 0.5))), out[i] & 0xFF, "at " + i);
    }
  }

  @Test
  void gammaAboveOneDarkensByThePowerLaw() {
    byte[] src = original("apple.jpg");
    byte[] out = applied("apple.jpg", new Gamma(1, 0.5, 2), params("gamma", 2.0));
    for (int i = 0; i < src.length; i++) {
      double v = 255 * Math.pow((src[i] & 0xFF) / 255.0, 2);
      assertEquals(v, out[i] & 0xFF, 0.5 + 1e-9);
      assertTrue((out[i] & 0xFF) <= (src[i] & 0xFF));
    }
  }

  @Test
  void hueSaturationValueShiftsInHsv() {
    HueSaturationValue op = new HueSaturationValue(1, -20, 20, -30, 30, -20, 20);
    assertTrue(
        equalChannels(applied("fruits.jpg", op, params("hue", 0L, "sat", -255L, "val", 0L))));
    byte[] src = original("fruits.jpg");
    byte[] brighter = applied("fruits.jpg", op, params("hue", 0L, "sat", 0L, "val", 40L));
    long up = 0;
    long down = 0;
    for (int i = 0; i < src.length; i += 3) {
      int v0 = Math.max(src[i] & 0xFF, Math.max(src[i + 1] & 0xFF, src[i + 2] & 0xFF));
      int v1 =
          Math.max(brighter[i] & 0xFF, Math.max(brighter[i + 1] & 0xFF, brighter[i + 2] & 0xFF));
      up += v1 > v0 ? 1 : 0;
      down += v1 < v0 ? 1 : 0;
      assertEquals(Math.min(255, v0 + 40), v1, 1.0);
    }
    assertTrue(up > 10 * down);
    // a hue shift of 90 steps (180 degrees) twice comes back close to the source
    try (Mat rgb = OpsTestImages.rgb("fruits.jpg")) {
      op.apply(rgb, params("hue", 90L, "sat", 0L, "val", 0L));
      assertTrue(OpsTestImages.psnr(src, OpsTestImages.bytes(rgb)) < 20);
      op.apply(rgb, params("hue", 90L, "sat", 0L, "val", 0L));
      assertTrue(OpsTestImages.psnr(src, OpsTestImages.bytes(rgb)) > 30);
    }
  }

  @Test
  void colorJitterFactorsDoWhatTheySay() {
    ColorJitter op = new ColorJitter(1, 1, 1, 1, 0.5);
    byte[] black =
        applied(
            "smarties.png",
            op,
            params(
                "brightness",
                0.0,
                "contrast",
                1.0,
                "saturation",
                1.0,
                "hue",
                0.0,
                "order",
                "bcsh"));
    for (byte b : black) {
      assertEquals(0, b);
    }
    assertTrue(
        equalChannels(
            applied(
                "smarties.png",
                op,
                params(
                    "brightness",
                    1.0,
                    "contrast",
                    1.0,
                    "saturation",
                    0.0,
                    "hue",
                    0.0,
                    "order",
                    "hcbs"))));
    byte[] flat =
        applied(
            "smarties.png",
            op,
            params(
                "brightness",
                1.0,
                "contrast",
                0.0,
                "saturation",
                1.0,
                "hue",
                0.0,
                "order",
                "sbhc"));
    for (int i = 1; i < flat.length; i++) {
      assertEquals(flat[0], flat[i]);
    }
    // neutral factors leave the photo as it is (up to the HSV round trip of the hue step)
    byte[] src = original("smarties.png");
    byte[] neutral =
        applied(
            "smarties.png",
            op,
            params(
                "brightness",
                1.0,
                "contrast",
                1.0,
                "saturation",
                1.0,
                "hue",
                0.0,
                "order",
                "bcs" + "h"));
    assertTrue(OpsTestImages.psnr(src, neutral) > 35);
  }

  @Test
  void channelShuffleMovesChannels() {
    byte[] src = original("fruits.jpg");
    byte[] out = applied("fruits.jpg", new ChannelShuffle(1), params("order", "2,0,1"));
    for (int i = 0; i < src.length; i += 3) {
      assertEquals(src[i + 2], out[i]);
      assertEquals(src[i], out[i + 1]);
      assertEquals(src[i + 1], out[i + 2]);
    }
  }

  @Test
  void blursLowerTheLaplacianVariance() {
    int w = width("baboon.jpg");
    double sharp = laplacianVariance(original("baboon.jpg"), w);
    double g =
        laplacianVariance(
            applied("baboon.jpg", new GaussianBlur(1, 1, 3), params("sigma", 2.0, "ksize", 13L)),
            w);
    double m =
        laplacianVariance(applied("baboon.jpg", new MedianBlur(1, 3, 7), params("ksize", 5L)), w);
    double mo =
        laplacianVariance(
            applied(
                "baboon.jpg", new MotionBlur(1, 3, 9, 0, 360), params("ksize", 9L, "angle", 30.0)),
            w);
    assertTrue(g < sharp / 4, sharp + " -> " + g);
    assertTrue(m < sharp / 2, sharp + " -> " + m);
    assertTrue(mo < sharp / 2, sharp + " -> " + mo);
  }

  @Test
  void motionBlurAtAngleZeroOnlyMixesAlongRows() {
    // rows of constant colour: a horizontal motion blur cannot change them, a vertical one does
    try (Mat rgb = OpsTestImages.rgb("fruits.jpg");
        Mat rows = new Mat()) {
      org.bytedeco.opencv.global.opencv_core.reduce(
          rgb, rows, 1, org.bytedeco.opencv.global.opencv_core.REDUCE_AVG);
      try (Mat striped = new Mat()) {
        org.bytedeco.opencv.global.opencv_core.repeat(rows, 1, 64, striped);
        byte[] src = OpsTestImages.bytes(striped);
        MotionBlur op = new MotionBlur(1, 3, 9, 0, 360);
        op.apply(striped, params("ksize", 9L, "angle", 0.0));
        assertArrayEquals(src, OpsTestImages.bytes(striped));
        op.apply(striped, params("ksize", 9L, "angle", 90.0));
        assertFalse(java.util.Arrays.equals(src, OpsTestImages.bytes(striped)));
      }
    }
  }

  @Test
  void medianBlurRemovesSaltAndPepper() {
    try (Mat rgb = OpsTestImages.rgb("home.jpg")) {
      byte[] src = OpsTestImages.bytes(rgb);
      new SaltAndPepper(1, 0.05, 0.05, 0.5, 0.5)
          .apply(rgb, params("amount", 0.05, "salt", 0.5, "noise_seed", 7L));
      double noisy = OpsTestImages.psnr(src, OpsTestImages.bytes(rgb));
      new MedianBlur(1, 3, 3).apply(rgb, params("ksize", 3L));
      double cleaned = OpsTestImages.psnr(src, OpsTestImages.bytes(rgb));
      assertTrue(cleaned > noisy + 5, noisy + " -> " + cleaned);
    }
  }

  @Test
  void gaussianNoiseHasTheDrawnStd() {
    GaussianNoise op = new GaussianNoise(1, 5, 15);
    for (int copy = 0; copy < 4; copy++) {
      try (Mat rgb = OpsTestImages.rgb("home.jpg", 400)) {
        byte[] src = OpsTestImages.bytes(rgb);
        Applied.Op fired = PixelOps.apply(rgb, List.of(op), 9, "h", 0, copy).get(0);
        double std = fired.number("std", -1);
        assertTrue(std >= 5 && std <= 15, "drew " + std);
        byte[] out = OpsTestImages.bytes(rgb);
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (int i = 0; i < src.length; i++) {
          int v = src[i] & 0xFF;
          if (v < 60 || v > 195) {
            continue; // clamping would shrink the measured spread
          }
          double d = (out[i] & 0xFF) - v;
          sum += d;
          sq += d * d;
          n++;
        }
        assertTrue(n > 10_000, "unclipped elements: " + n);
        double mean = sum / n;
        double measured = Math.sqrt(sq / n - mean * mean);
        assertEquals(0, mean, 0.1 * std, "mean");
        assertEquals(std, measured, 0.2 * std, "std");
      }
    }
  }

  @Test
  void saltAndPepperHitsTheDrawnShareOfPixels() {
    try (Mat rgb = OpsTestImages.rgb("home.jpg", 400)) {
      new SaltAndPepper(1, 0, 1, 0, 1)
          .apply(rgb, params("amount", 0.1, "salt", 0.25, "noise_seed", -3L));
      byte[] out = OpsTestImages.bytes(rgb);
      long white = 0;
      long black = 0;
      long pixels = out.length / 3;
      for (int i = 0; i < out.length; i += 3) {
        boolean same = out[i] == out[i + 1] && out[i] == out[i + 2];
        white += same && out[i] == (byte) 255 ? 1 : 0;
        black += same && out[i] == 0 ? 1 : 0;
      }
      double hit = (double) (white + black) / pixels;
      assertEquals(0.1, hit, 0.02);
      assertEquals(0.25, (double) white / (white + black), 0.05);
    }
  }

  @Test
  void coarseDropoutFillsItsHolesOnly() {
    CoarseDropout op = new CoarseDropout(1, 2, 5, 0.1, 0.2, 0.1, 0.3, 77);
    for (int copy = 0; copy < 5; copy++) {
      try (Mat rgb = OpsTestImages.rgb("apple.jpg")) {
        byte[] src = OpsTestImages.bytes(rgb);
        int w = rgb.cols();
        int h = rgb.rows();
        Applied.Op fired = PixelOps.apply(rgb, List.of(op), 5, "a", 0, copy).get(0);
        byte[] out = OpsTestImages.bytes(rgb);
        boolean[] in = new boolean[w * h];
        String[] holes = ((String) fired.params().get("holes")).split(";");
        assertTrue(holes.length >= 2 && holes.length <= 5, fired.toString());
        for (String hole : holes) {
          String[] r = hole.split(",");
          int x = Integer.parseInt(r[0]);
          int y = Integer.parseInt(r[1]);
          int hw = Integer.parseInt(r[2]);
          int hh = Integer.parseInt(r[3]);
          assertTrue(hw >= Math.round(0.1 * w) && hw <= Math.round(0.3 * w), hole);
          assertTrue(hh >= Math.round(0.1 * h) && hh <= Math.round(0.2 * h), hole);
          for (int yy = y; yy < y + hh; yy++) {
            for (int xx = x; xx < x + hw; xx++) {
              in[yy * w + xx] = true;
            }
          }
        }
        for (int i = 0; i < w * h; i++) {
          for (int c = 0; c < 3; c++) {
            assertEquals(in[i] ? 77 : src[3 * i + c] & 0xFF, out[3 * i + c] & 0xFF);
          }
        }
      }
    }
  }

  @Test
  void randomErasingFillsOneRectangleWithinScaleAndRatio() {
    RandomErasing op = new RandomErasing(1, 0.05, 0.2, 0.5, 2, 200);
    for (int copy = 0; copy < 5; copy++) {
      try (Mat rgb = OpsTestImages.rgb("messi5.jpg")) {
        byte[] src = OpsTestImages.bytes(rgb);
        int w = rgb.cols();
        int h = rgb.rows();
        Applied.Op fired = PixelOps.apply(rgb, List.of(op), 5, "m", 0, copy).get(0);
        long x = (Long) fired.params().get("x");
        long y = (Long) fired.params().get("y");
        long rw = (Long) fired.params().get("w");
        long rh = (Long) fired.params().get("h");
        double area = (double) rw * rh / (w * h);
        assertTrue(area > 0.04 && area < 0.22, fired.toString());
        assertTrue((double) rh / rw > 0.4 && (double) rh / rw < 2.5, fired.toString());
        byte[] out = OpsTestImages.bytes(rgb);
        for (int yy = 0; yy < h; yy++) {
          for (int xx = 0; xx < w; xx++) {
            boolean inside = xx >= x && xx < x + rw && yy >= y && yy < y + rh;
            int i = 3 * (yy * w + xx);
            assertEquals(inside ? 200 : src[i] & 0xFF, out[i] & 0xFF);
          }
        }
      }
    }
  }

  @Test
  void lowerQualityLosesMore() {
    byte[] src = original("baboon.jpg");
    Compression jpeg = Compression.jpeg(1, 10, 95);
    Compression webp = Compression.webp(1, 10, 95);
    double j10 = OpsTestImages.psnr(src, applied("baboon.jpg", jpeg, params("quality", 10L)));
    double j95 = OpsTestImages.psnr(src, applied("baboon.jpg", jpeg, params("quality", 95L)));
    double w10 = OpsTestImages.psnr(src, applied("baboon.jpg", webp, params("quality", 10L)));
    double w95 = OpsTestImages.psnr(src, applied("baboon.jpg", webp, params("quality", 95L)));
    assertTrue(j10 + 5 < j95, j10 + " vs " + j95);
    assertTrue(w10 + 5 < w95, w10 + " vs " + w95);
    assertTrue(j95 > 30 && w95 > 30, j95 + " " + w95);
  }
}
