package dev.shardsmith.transforms.kernels.image.ops;

import java.util.List;
import java.util.function.DoubleFunction;

/** One typical instance of every op, as a function of {@code p}, for the contract tests. */
final class AllOps {
  private AllOps() {}

  record Maker(String name, DoubleFunction<PixelOp> make) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Maker> ALL =
      List.of(
          new Maker(BrightnessContrast.NAME, p -> new BrightnessContrast(p, -0.3, 0.3, -0.3, 0.3)),
          new Maker(Gamma.NAME, p -> new Gamma(p, 0.5, 2.0)),
          new Maker(
              HueSaturationValue.NAME, p -> new HueSaturationValue(p, -20, 20, -30, 30, -20, 20)),
          new Maker(ColorJitter.NAME, p -> new ColorJitter(p, 0.3, 0.3, 0.3, 0.1)),
          new Maker(ToGray.NAME, ToGray::new),
          new Maker(ChannelShuffle.NAME, ChannelShuffle::new),
          new Maker(Equalize.NAME, Equalize::new),
          new Maker(Clahe.NAME, p -> new Clahe(p, 1, 4, 8, 8)),
          new Maker(Posterize.NAME, p -> new Posterize(p, 2, 6)),
          new Maker(Solarize.NAME, p -> new Solarize(p, 64, 192)),
          new Maker(Invert.NAME, Invert::new),
          new Maker(GaussianBlur.NAME, p -> new GaussianBlur(p, 0.5, 3.0)),
          new Maker(MedianBlur.NAME, p -> new MedianBlur(p, 3, 7)),
          new Maker(MotionBlur.NAME, p -> new MotionBlur(p, 3, 9, 0, 360)),
          new Maker(GaussianNoise.NAME, p -> new GaussianNoise(p, 5, 20)),
          new Maker(SaltAndPepper.NAME, p -> new SaltAndPepper(p, 0.01, 0.06, 0.4, 0.6)),
          new Maker(CoarseDropout.NAME, p -> new CoarseDropout(p, 1, 4, 0.1, 0.3, 0.1, 0.3, 0)),
          new Maker(RandomErasing.NAME, p -> new RandomErasing(p, 0.02, 0.33, 0.3, 3.3, 0)),
          new Maker(JpegCompression.NAME, p -> new JpegCompression(p, 10, 90)),
          new Maker(WebpCompression.NAME, p -> new WebpCompression(p, 10, 90)));

  /** The ops that draw no parameters. */
  static final List<String> PARAMETERLESS = List.of(ToGray.NAME, Equalize.NAME, Invert.NAME);
}
