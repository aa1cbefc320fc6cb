package dev.shardsmith.benchmarks;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_COMPRESSION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.line;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.transforms.kernels.Seeds;
import dev.shardsmith.transforms.kernels.series.Drift;
import dev.shardsmith.transforms.kernels.series.Dropout;
import dev.shardsmith.transforms.kernels.series.Jitter;
import dev.shardsmith.transforms.kernels.series.MagnitudeWarp;
import dev.shardsmith.transforms.kernels.series.Permutation;
import dev.shardsmith.transforms.kernels.series.Scaling;
import dev.shardsmith.transforms.kernels.series.SeriesOp;
import dev.shardsmith.transforms.kernels.series.SeriesOps;
import dev.shardsmith.transforms.kernels.series.Shift;
import dev.shardsmith.transforms.kernels.series.Spawner;
import dev.shardsmith.transforms.kernels.series.TimeWarp;
import dev.shardsmith.transforms.kernels.series.WindowSlice;
import dev.shardsmith.transforms.kernels.series.WindowWarp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Renders the time-series plots in {@code docs/augmentations.md}: a real window of Seattle's daily
 * maximum and minimum temperature ({@code seattle-weather.csv} of Debian's {@code
 * python3-vega-datasets}, {@value #T} days from 2013-02-04, plus a {@value #H}-day forecast
 * horizon), and for each series op (at {@code p = 1}, with the settings listed in {@link #ops()})
 * one PNG with the original in gray and the augmented copy in color, the horizon on a shaded
 * background after the dashed boundary, and one for same-class mixing ({@link Spawner}, with the
 * window a year later as partner, both in gray). Each op runs through {@link SeriesOps#apply} with
 * its horizon, so the plot shows what the op does to the horizon too. Deterministic: seed {@value
 * #SEED}, sample id {@value #SAMPLE_ID}, copy index 0.
 *
 * <pre>{@code
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt)" \
 *     dev.shardsmith.benchmarks.SeriesGallery docs/series
 * }</pre>
 */
public final class SeriesGallery {
  private SeriesGallery() {}

  public static final String CSV =
      "/usr/lib/python3/dist-packages/vega_datasets/_data/seattle-weather.csv";
  public static final int FIRST_DAY = 400;
  public static final int T = 200;
  public static final int H = 50;
  public static final int C = 2;
  public static final long SEED = 7;
  public static final String SAMPLE_ID = "seattle-weather@400";

  /** The mixing partner starts this many days later (the same season a year on). */
  public static final int PARTNER_OFFSET = 365;

  private static final int WIDTH = 640;
  private static final int HEIGHT = 170;
  private static final int TOP = 22;
  private static final int MARGIN = 6;

  /** The ops plotted, at {@code p = 1}, with settings strong enough to see. */
  public static Map<String, SeriesOp> ops() {
    Map<String, SeriesOp> m = new LinkedHashMap<>();
    m.put("jitter", new Jitter(1, 1.0, 1.0));
    m.put("scaling", new Scaling(1, 0.2));
    m.put("magnitude_warp", new MagnitudeWarp(1, 0.3, 4));
    m.put("time_warp", new TimeWarp(1, 0.5, 4));
    m.put("window_slice", new WindowSlice(1, 0.6, 0.6));
    m.put("window_warp", new WindowWarp(1, 0.25, 2.0, 2.0));
    m.put("shift_circular", new Shift(1, 40, 40, "circular"));
    m.put("shift_edge", new Shift(1, 40, 40, "edge"));
    m.put("drift", new Drift(1, 4, 4, 5));
    m.put("dropout", new Dropout(1, 0.15, 6, "previous"));
    m.put("permutation", new Permutation(1, 4, 4));
    return m;
  }

  /** Days {@code first ..} of temp_max and temp_min, {@code n x 2}, time first. */
  static float[] read(Path csv, int first, int n) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    if (!lines.get(0).startsWith("date,precipitation,temp_max,temp_min")) {
      throw new IOException(csv + ": unexpected header " + lines.get(0));
    }
    float[] v = new float[n * C];
    for (int i = 0; i < n; i++) {
      String[] f = lines.get(1 + first + i).split(",");
      v[i * C] = Float.parseFloat(f[2]);
      v[i * C + 1] = Float.parseFloat(f[3]);
    }
    return v;
  }

  /** One PNG per op of {@link #ops()}, by plot name, with its label line, rendered in memory. */
  public static Map<String, Plot> render(Path csv) throws IOException {
    float[] joined = read(csv, FIRST_DAY, T + H);
    Map<String, Plot> plots = new LinkedHashMap<>();
    for (Map.Entry<String, SeriesOp> e : ops().entrySet()) {
      float[] w = java.util.Arrays.copyOfRange(joined, 0, T * C);
      float[] h = java.util.Arrays.copyOfRange(joined, T * C, (T + H) * C);
      List<Applied.Op> fired =
          SeriesOps.apply(w, h, C, List.of(e.getValue()), SEED, SAMPLE_ID, 0, 0);
      String label = e.getKey() + "  " + describe(fired.get(0));
      float[] aug = new float[(T + H) * C];
      System.arraycopy(w, 0, aug, 0, w.length);
      System.arraycopy(h, 0, aug, w.length, h.length);
      plots.put(
          e.getKey(), new Plot(plot(new float[][] {joined}, aug, T + H, T, label), fired.get(0)));
    }
    // same-class mixing: this window and the same season a year later, no horizon
    float[] a = java.util.Arrays.copyOfRange(joined, 0, T * C);
    float[] b = read(csv, FIRST_DAY + PARTNER_OFFSET, T);
    SortedMap<String, Object> params =
        Spawner.draw(Seeds.of(SEED, SAMPLE_ID, "balance", 0, 0), T, 0.1, 0.2);
    float[] mixed = Spawner.mix(a, b, new float[0], C, params);
    Applied.Op op = new Applied.Op(Spawner.NAME, 0, params);
    plots.put(
        Spawner.NAME,
        new Plot(
            plot(new float[][] {a, b}, mixed, T, T, "spawner (with a year later)  " + describe(op)),
            op));
    return plots;
  }

  /** A rendered plot and the record of what was applied. */
  public record Plot(byte[] png, Applied.Op applied) {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "docs/series");
    Files.createDirectories(dir);
    for (Map.Entry<String, Plot> e : render(Path.of(CSV)).entrySet()) {
      Path out = dir.resolve(e.getKey() + ".png");
      Files.write(out, e.getValue().png());
      System.out.printf("wrote %s (%d bytes): %s%n", out, Files.size(out), e.getValue().applied());
    }
  }

  /** The drawn parameters, seeds left out, numbers rounded. */
  private static String describe(Applied.Op op) {
    List<String> parts = new ArrayList<>();
    op.params()
        .forEach(
            (k, v) -> {
              if (!k.endsWith("_seed")) {
                parts.add(
                    k + "=" + (v instanceof Double d ? String.format("%.3g", d) : v.toString()));
              }
            });
    return String.join(" ", parts);
  }

  /**
   * Gray lines for {@code originals}, colored ones for {@code aug}, all {@code n x C}; steps from
   * {@code window} on are the horizon (shaded; none when {@code window == n}).
   */
  private static byte[] plot(float[][] originals, float[] aug, int n, int window, String label) {
    float lo = Float.MAX_VALUE;
    float hi = -Float.MAX_VALUE;
    float[][] all = java.util.Arrays.copyOf(originals, originals.length + 1);
    all[originals.length] = aug;
    for (float[] a : all) {
      for (float v : a) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    double sx = (WIDTH - 2.0 * MARGIN) / (n - 1);
    double sy = (HEIGHT - TOP - MARGIN) / Math.max(1e-6, hi - lo);
    int boundary = window < n ? (int) Math.round(MARGIN + (window - 0.5) * sx) : WIDTH;
    Scalar[] colors = {new Scalar(40, 40, 215, 0), new Scalar(200, 110, 30, 0)}; // BGR
    try (Mat img = new Mat(HEIGHT, WIDTH, CV_8UC3, new Scalar(255, 255, 255, 0));
        Scalar shade = new Scalar(235, 245, 250, 0);
        Scalar gray = new Scalar(185, 185, 185, 0);
        Scalar black = new Scalar(30, 30, 30, 0);
        Point s1 = new Point(boundary, TOP);
        Point s2 = new Point(WIDTH - 1, HEIGHT - 1)) {
      if (boundary < WIDTH) {
        rectangle(img, s1, s2, shade, FILLED, LINE_AA, 0);
      }
      for (int y = TOP; boundary < WIDTH && y < HEIGHT; y += 8) {
        try (Point a = new Point(boundary, y);
            Point b = new Point(boundary, Math.min(HEIGHT - 1, y + 4))) {
          line(img, a, b, black, 1, LINE_AA, 0);
        }
      }
      for (float[] series : all) {
        for (int c = 0; c < C; c++) {
          Scalar color = series == aug ? colors[c] : gray;
          for (int i = 1; i < n; i++) {
            try (Point a = point(i - 1, series[(i - 1) * C + c], sx, sy, hi);
                Point b = point(i, series[i * C + c], sx, sy, hi)) {
              line(img, a, b, color, 1, LINE_8, 0);
            }
          }
        }
      }
      try (Point text = new Point(MARGIN, 15)) {
        putText(img, label, text, FONT_HERSHEY_SIMPLEX, 0.4, black, 1, LINE_AA, false);
      }
      try (IntPointer params = new IntPointer(IMWRITE_PNG_COMPRESSION, 9);
          BytePointer out = new BytePointer()) {
        if (!imencode(".png", img, out, params)) {
          throw new IllegalStateException("OpenCV could not encode the plot as PNG");
        }
        byte[] bytes = new byte[(int) out.limit()];
        out.get(bytes);
        return bytes;
      }
    }
  }

  private static Point point(int i, float v, double sx, double sy, float hi) {
    return new Point((int) Math.round(MARGIN + i * sx), (int) Math.round(TOP + (hi - v) * sy));
  }
}
