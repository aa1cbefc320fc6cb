package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_core.extractChannel;
import static org.bytedeco.opencv.global.opencv_core.insertChannel;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2YCrCb;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YCrCb2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.UMat;

/**
 * Histogram equalization of the luma ({@code equalize}): the image goes to YCrCb, OpenCV's {@code
 * equalizeHist} spreads Y, chroma is kept. This is Albumentations' Equalize with {@code mode="cv",
 * by_channels=False}; Albumentations' default equalizes R, G and B separately, which shifts colors.
 * No parameters.
 *
 * <pre>{@code
 * new Equalize(0.2)
 * }</pre>
 */
public record Equalize(double p) implements PixelOp {
  public static final String NAME = "equalize";

  public Equalize {
    Params.probability(NAME, p);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    return Params.params();
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    try (Mat ycc = new Mat();
        Mat y = new Mat();
        Mat eq = new Mat()) {
      cvtColor(rgb, ycc, COLOR_RGB2YCrCb);
      extractChannel(ycc, y, 0);
      equalizeHist(y, eq);
      insertChannel(eq, ycc, 0);
      cvtColor(ycc, rgb, COLOR_YCrCb2RGB);
    }
  }

  /** On the device ({@code cv::cvtColor} and {@code cv::equalizeHist}'s OpenCL kernels). */
  @Override
  public void apply(UMat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    try (UMat ycc = new UMat();
        UMat y = new UMat();
        UMat eq = new UMat()) {
      cvtColor(rgb, ycc, COLOR_RGB2YCrCb);
      extractChannel(ycc, y, 0);
      equalizeHist(y, eq);
      insertChannel(eq, ycc, 0);
      cvtColor(ycc, rgb, COLOR_YCrCb2RGB);
    }
  }
}
