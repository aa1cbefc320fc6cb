package dev.shardsmith.transforms.kernels.image.ops;

import dev.shardsmith.transforms.kernels.image.Border;
import dev.shardsmith.transforms.kernels.image.Interpolation;
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
          new Maker(Compression.JPEG, p -> Compression.jpeg(p, 10, 90)),
          new Maker(Compression.WEBP, p -> Compression.webp(p, 10, 90)),
          new Maker(Downscale.NAME, p -> new Downscale(p, 0.25, 0.75, Interpolation.LINEAR)),
          new Maker(Canny.NAME, p -> new Canny(p, 50, 150, 3)),
          new Maker(Grayscale.NAME, p -> new Grayscale(p, 3)),
          new Maker(Sobel.NAME, p -> new Sobel(p, 1, 1, 3)),
          // geometric ops, each alone as its own warp
          new Maker(Flip.HFLIP, Flip::horizontal),
          new Maker(Flip.VFLIP, Flip::vertical),
          new Maker(Rotate90.NAME, p -> new Rotate90(p, 0, 3)),
          new Maker(Rotate.NAME, p -> new Rotate(p, -30, 30, Border.CONSTANT, 40)),
          new Maker(
              AffineTransform.NAME,
              p ->
                  new AffineTransform(
                      p, 0.8, 1.2, -0.1, 0.1, -0.1, 0.1, -10, 10, -5, 5, Border.REFLECT, 0)),
          new Maker(Perspective.NAME, p -> new Perspective(p, 0.05, 0.2)),
          new Maker(RandomResizedCrop.NAME, p -> new RandomResizedCrop(p, 0.08, 1, 0.75, 4.0 / 3)),
          new Maker(CenterCrop.NAME, p -> new CenterCrop(p, 40, 30)),
          new Maker(RandomCrop.NAME, p -> new RandomCrop(p, 40, 30)),
          new Maker(RoiCrop.NAME, p -> new RoiCrop(p, 0.1, 0.2, 0.5, 0.4, true)),
          new Maker(Pad.NAME, p -> new Pad(p, 3, 5, 7, 9, 120, 0, Border.REPLICATE, 0)),
          new Maker(Resize.NAME, p -> new Resize(p, 50, 40, Interpolation.CUBIC)),
          new Maker(PyrDown.NAME, p -> new PyrDown(p, 2)));

  /** The ops that draw no parameters. */
  static final List<String> PARAMETERLESS =
      List.of(ToGray.NAME, Equalize.NAME, Invert.NAME, Flip.HFLIP, Flip.VFLIP);

  /** The ops whose parameters are fixed by their config (deterministic, as a preprocess step). */
  static final List<String> FIXED =
      List.of(
          Canny.NAME,
          Grayscale.NAME,
          Sobel.NAME,
          CenterCrop.NAME,
          RoiCrop.NAME,
          Pad.NAME,
          Resize.NAME,
          PyrDown.NAME);
}
