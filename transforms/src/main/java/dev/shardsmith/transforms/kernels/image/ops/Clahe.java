package dev.shardsmith.transforms.kernels.image.ops;

import static org.bytedeco.opencv.global.opencv_core.extractChannel;
import static org.bytedeco.opencv.global.opencv_core.insertChannel;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_Lab2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2Lab;
import static org.bytedeco.opencv.global.opencv_imgproc.createCLAHE;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.shardsmith.transforms.kernels.Params;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_imgproc.CLAHE;

/**
 * Contrast-limited adaptive histogram equalization of the lightness ({@code clahe}, Albumentations'
 * CLAHE): the image goes to CIE L*a*b*, OpenCV's CLAHE runs on L with a clip limit uniform in
 * {@code [clipMin, clipMax]} (within [1, 100]) and a {@code tileWidth x tileHeight} grid (each in
 * [1, 64]). Params: {@code clip_limit}, {@code tile_w}, {@code tile_h}.
 *
 * <p>On the {@code opencl} backend it runs on the host (the {@link PixelOp} default): OpenCV's
 * OpenCL CLAHE kernel ({@code calcLut}) died with SIGFPE on PoCL here, taking the JVM with it.
 *
 * <pre>{@code
 * new Clahe(0.5, 1, 4, 8, 8) // Albumentations' defaults
 * }</pre>
 */
public record Clahe(double p, double clipMin, double clipMax, int tileWidth, int tileHeight)
    implements PixelOp {
  public static final String NAME = "clahe";

  public Clahe {
    Params.probability(NAME, p);
    Params.range(NAME, "clip_limit", clipMin, clipMax, 1, 100);
    Params.value(NAME, "tile_grid_size.width", tileWidth, 1, 64);
    Params.value(NAME, "tile_grid_size.height", tileHeight, 1, 64);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SortedMap<String, Object> draw(SplittableRandom rng, int width, int height) {
    SortedMap<String, Object> m = Params.params();
    m.put("clip_limit", Params.uniform(rng, clipMin, clipMax));
    m.put("tile_w", (long) tileWidth);
    m.put("tile_h", (long) tileHeight);
    return m;
  }

  @Override
  public void apply(Mat rgb, SortedMap<String, Object> params) {
    RgbPixels.requireRgb(NAME, rgb);
    double clip = Params.number(NAME, params, "clip_limit", 1, 100);
    int tw = (int) Params.integer(NAME, params, "tile_w", 1, 64);
    int th = (int) Params.integer(NAME, params, "tile_h", 1, 64);
    try (Size grid = new Size(tw, th);
        CLAHE clahe = createCLAHE(clip, grid);
        Mat lab = new Mat();
        Mat l = new Mat();
        Mat eq = new Mat()) {
      cvtColor(rgb, lab, COLOR_RGB2Lab);
      extractChannel(lab, l, 0);
      clahe.apply(l, eq);
      insertChannel(eq, lab, 0);
      cvtColor(lab, rgb, COLOR_Lab2RGB);
    }
  }
}
