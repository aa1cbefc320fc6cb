package dev.shardsmith.transforms.kernels.image.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SortedMap;
import java.util.TreeMap;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad ranges fail at construction, bad recorded params at apply, naming the parameter. */
class PixelOpValidationTest {

  private static void rejects(Executable e, String... mustMention) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    for (String s : mustMention) {
      assertTrue(x.getMessage().contains(s), "'" + x.getMessage() + "' lacks '" + s + "'");
    }
  }

  private static SortedMap<String, Object> params(Object... kv) {
    SortedMap<String, Object> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static void rejectsParams(PixelOp op, SortedMap<String, Object> p, String... mention) {
    try (Mat rgb = OpsTestImages.rgb("smarties.png", 32)) {
      rejects(() -> op.apply(rgb, p), mention);
    }
  }

  @Test
  void probabilityOutsideZeroOne() {
    rejects(() -> new Invert(1.5), "invert.p", "[0, 1]", "1.5");
    rejects(() -> new ToGray(-0.1), "to_gray.p", "-0.1");
    rejects(() -> new Equalize(Double.NaN), "equalize.p", "NaN");
    rejects(() -> new ChannelShuffle(2), "channel_shuffle.p", "2");
  }

  @Test
  void brightnessContrast() {
    rejects(
        () -> new BrightnessContrast(1, -1.5, 0.2, -0.2, 0.2),
        "brightness_contrast.brightness_limit",
        "-1.5",
        "-1 <= lo <= hi <= 1");
    rejects(() -> new BrightnessContrast(1, -0.2, 0.2, 0.3, 0.2), "contrast_limit", "[0.3, 0.2]");
    rejectsParams(new BrightnessContrast(1, 0, 0, 0, 0), params("alpha", 1.0), "beta");
    rejectsParams(
        new BrightnessContrast(1, 0, 0, 0, 0), params("alpha", 3.0, "beta", 0.0), "alpha", "3");
  }

  @Test
  void gamma() {
    rejects(() -> new Gamma(1, 0, 1), "gamma.gamma", "> 0");
    rejects(() -> new Gamma(1, 0.5, 11), "gamma.gamma", "11");
    rejectsParams(new Gamma(1, 1, 1), params("gamma", "x"), "gamma", "number");
  }

  @Test
  void hueSaturationValue() {
    rejects(
        () -> new HueSaturationValue(1, -200, 20, 0, 0, 0, 0), "hue_shift_limit", "-200", "180");
    rejects(() -> new HueSaturationValue(1, 0, 0, 0, 300, 0, 0), "sat_shift_limit", "300");
    rejects(() -> new HueSaturationValue(1, 0, 0, 0, 0, 5, -5), "val_shift_limit", "[5, -5]");
    rejectsParams(
        new HueSaturationValue(1, 0, 0, 0, 0, 0, 0),
        params("hue", 1.5, "sat", 0L, "val", 0L),
        "hue",
        "integer");
  }

  @Test
  void colorJitter() {
    rejects(() -> new ColorJitter(1, -0.1, 0, 0, 0), "color_jitter.brightness", "-0.1");
    rejects(() -> new ColorJitter(1, 0, 11, 0, 0), "color_jitter.contrast", "11");
    rejects(() -> new ColorJitter(1, 0, 0, -1, 0), "color_jitter.saturation", "-1");
    rejects(() -> new ColorJitter(1, 0, 0, 0, 0.6), "color_jitter.hue", "0.6", "[0, 0.5]");
    rejectsParams(
        new ColorJitter(1, 0, 0, 0, 0),
        params("brightness", 1.0, "contrast", 1.0, "saturation", 1.0, "hue", 0.0, "order", "bbsh"),
        "order",
        "bbsh");
  }

  @Test
  void channelShuffle() {
    rejectsParams(new ChannelShuffle(1), params("order", "0,0,1"), "order", "0,0,1");
    rejectsParams(new ChannelShuffle(1), params("order", "0,1"), "order");
    rejectsParams(new ChannelShuffle(1), params(), "order");
  }

  @Test
  void clahe() {
    rejects(() -> new Clahe(1, 0.5, 4, 8, 8), "clahe.clip_limit", "0.5");
    rejects(() -> new Clahe(1, 1, 4, 0, 8), "clahe.tile_grid_size.width", "0");
    rejects(() -> new Clahe(1, 1, 4, 8, 65), "clahe.tile_grid_size.height", "65");
    rejectsParams(new Clahe(1, 1, 4, 8, 8), params("clip_limit", 2.0, "tile_w", 8L), "tile_h");
  }

  @Test
  void posterizeAndSolarize() {
    rejects(() -> new Posterize(1, 0, 4), "posterize.num_bits", "[0, 4]", "1 <= lo");
    rejects(() -> new Posterize(1, 4, 9), "posterize.num_bits", "9");
    rejectsParams(new Posterize(1, 1, 8), params("bits", 0L), "bits", "0");
    rejects(() -> new Solarize(1, -1, 10), "solarize.threshold", "-1");
    rejects(() -> new Solarize(1, 10, 300), "solarize.threshold", "300");
    rejectsParams(new Solarize(1, 0, 256), params("threshold", 257L), "threshold", "257");
  }

  @Test
  void blurs() {
    rejects(() -> new GaussianBlur(1, 0, 3), "gaussian_blur.sigma", "0.1 <= lo");
    rejects(() -> new GaussianBlur(1, 1, 60), "gaussian_blur.sigma", "60");
    rejectsParams(
        new GaussianBlur(1, 1, 2), params("sigma", 1.0, "ksize", 4L), "ksize", "odd", "4");
    rejects(() -> new MedianBlur(1, 3, 6), "median_blur.blur_limit", "odd", "6");
    rejects(() -> new MedianBlur(1, 1, 5), "median_blur.blur_limit", "3 <= lo");
    rejectsParams(new MedianBlur(1, 3, 5), params("ksize", 2L), "ksize", "2");
    rejects(() -> new MotionBlur(1, 4, 7, 0, 360), "motion_blur.blur_limit", "odd", "4");
    rejects(() -> new MotionBlur(1, 3, 7, -10, 360), "motion_blur.angle_range", "-10");
    rejectsParams(
        new MotionBlur(1, 3, 7, 0, 360), params("ksize", 5L, "angle", 400.0), "angle", "400");
  }

  @Test
  void noise() {
    rejects(() -> new GaussianNoise(1, -1, 5), "gaussian_noise.std_range", "-1");
    rejects(() -> new GaussianNoise(1, 10, 5), "gaussian_noise.std_range", "[10, 5]");
    rejectsParams(new GaussianNoise(1, 1, 2), params("std", 1.0), "noise_seed");
    rejects(() -> new SaltAndPepper(1, 0, 1.5, 0.4, 0.6), "salt_and_pepper.amount", "1.5");
    rejects(() -> new SaltAndPepper(1, 0, 0.1, 0.7, 0.6), "salt_and_pepper.salt_vs_pepper");
    rejectsParams(
        new SaltAndPepper(1, 0, 0.1, 0, 1),
        params("amount", 2.0, "salt", 0.5, "noise_seed", 1L),
        "amount",
        "2");
  }

  @Test
  void occlusion() {
    rejects(
        () -> new CoarseDropout(1, 0, 2, 0.1, 0.3, 0.1, 0.3, 0),
        "coarse_dropout.num_holes_range",
        "[0, 2]");
    rejects(
        () -> new CoarseDropout(1, 1, 2, 0.1, 1.3, 0.1, 0.3, 0),
        "coarse_dropout.hole_height_range",
        "1.3");
    rejects(
        () -> new CoarseDropout(1, 1, 2, 0.1, 0.3, 0.4, 0.3, 0), "coarse_dropout.hole_width_range");
    rejects(
        () -> new CoarseDropout(1, 1, 2, 0.1, 0.3, 0.1, 0.3, 256), "coarse_dropout.fill", "256");
    rejectsParams(
        new CoarseDropout(1, 1, 2, 0.1, 0.3, 0.1, 0.3, 0),
        params("holes", "0,0,1000,4", "fill", 0L),
        "inside",
        "w=1000");
    rejectsParams(
        new CoarseDropout(1, 1, 2, 0.1, 0.3, 0.1, 0.3, 0),
        params("holes", "0,0,a,4", "fill", 0L),
        "holes",
        "0,0,a,4");
    rejects(() -> new RandomErasing(1, 0, 0.3, 0.3, 3.3, 0), "random_erasing.scale", "> 0");
    rejects(() -> new RandomErasing(1, 0.1, 0.3, 3.3, 0.3, 0), "random_erasing.ratio");
    rejects(() -> new RandomErasing(1, 0.1, 0.3, 0.3, 3.3, -1), "random_erasing.value", "-1");
    rejectsParams(
        new RandomErasing(1, 0.1, 0.3, 0.3, 3.3, 0),
        params("x", -1L, "y", 0L, "w", 1L, "h", 1L, "value", 0L),
        "x",
        "-1");
  }

  @Test
  void recompression() {
    rejects(() -> Compression.jpeg(1, 0, 90), "jpeg_compression.quality_range", "[0, 90]");
    rejects(() -> Compression.webp(1, 50, 101), "webp_compression.quality_range", "101");
    rejectsParams(Compression.jpeg(1, 1, 100), params("quality", 0L), "quality", "0");
    rejectsParams(Compression.webp(1, 1, 100), params(), "quality");
  }
}
