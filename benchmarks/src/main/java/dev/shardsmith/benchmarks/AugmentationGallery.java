package dev.shardsmith.benchmarks;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_COMPRESSION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.getTextSize;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.kernels.image.AugmentSpec;
import dev.shardsmith.transforms.kernels.image.BadImageException;
import dev.shardsmith.transforms.kernels.image.Border;
import dev.shardsmith.transforms.kernels.image.ImageFusion;
import dev.shardsmith.transforms.kernels.image.ImageHeader;
import dev.shardsmith.transforms.kernels.image.ImageHeaders;
import dev.shardsmith.transforms.kernels.image.ImageOps;
import dev.shardsmith.transforms.kernels.image.Interpolation;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
import dev.shardsmith.transforms.kernels.image.ops.AffineTransform;
import dev.shardsmith.transforms.kernels.image.ops.BrightnessContrast;
import dev.shardsmith.transforms.kernels.image.ops.Canny;
import dev.shardsmith.transforms.kernels.image.ops.CenterCrop;
import dev.shardsmith.transforms.kernels.image.ops.ChannelShuffle;
import dev.shardsmith.transforms.kernels.image.ops.Clahe;
import dev.shardsmith.transforms.kernels.image.ops.CoarseDropout;
import dev.shardsmith.transforms.kernels.image.ops.ColorJitter;
import dev.shardsmith.transforms.kernels.image.ops.Compression;
import dev.shardsmith.transforms.kernels.image.ops.Downscale;
import dev.shardsmith.transforms.kernels.image.ops.Equalize;
import dev.shardsmith.transforms.kernels.image.ops.Flip;
import dev.shardsmith.transforms.kernels.image.ops.Gamma;
import dev.shardsmith.transforms.kernels.image.ops.GaussianBlur;
import dev.shardsmith.transforms.kernels.image.ops.GaussianNoise;
import dev.shardsmith.transforms.kernels.image.ops.Grayscale;
import dev.shardsmith.transforms.kernels.image.ops.HueSaturationValue;
import dev.shardsmith.transforms.kernels.image.ops.Invert;
import dev.shardsmith.transforms.kernels.image.ops.MedianBlur;
import dev.shardsmith.transforms.kernels.image.ops.MotionBlur;
import dev.shardsmith.transforms.kernels.image.ops.OneOf;
import dev.shardsmith.transforms.kernels.image.ops.Pad;
import dev.shardsmith.transforms.kernels.image.ops.Perspective;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import dev.shardsmith.transforms.kernels.image.ops.PixelOps;
import dev.shardsmith.transforms.kernels.image.ops.Posterize;
import dev.shardsmith.transforms.kernels.image.ops.PyrDown;
import dev.shardsmith.transforms.kernels.image.ops.RandomCrop;
import dev.shardsmith.transforms.kernels.image.ops.RandomErasing;
import dev.shardsmith.transforms.kernels.image.ops.Resize;
import dev.shardsmith.transforms.kernels.image.ops.RoiCrop;
import dev.shardsmith.transforms.kernels.image.ops.Rotate;
import dev.shardsmith.transforms.kernels.image.ops.Rotate90;
import dev.shardsmith.transforms.kernels.image.ops.SaltAndPepper;
import dev.shardsmith.transforms.kernels.image.ops.Sequence;
import dev.shardsmith.transforms.kernels.image.ops.Sobel;
import dev.shardsmith.transforms.kernels.image.ops.Solarize;
import dev.shardsmith.transforms.kernels.image.ops.SomeOf;
import dev.shardsmith.transforms.kernels.image.ops.ToGray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Renders the picture in {@code docs/augmentations.md}: one photo preprocessed to {@value #TILE}
 * pixels square, then one tile per geometric op (through {@link ImageFusion#render}, with an {@link
 * AugmentSpec} that fires only that op, or as the only entry of {@code augment.ops}) and one tile
 * per pixel op (its config defaults from {@code docs/config.md}, {@code p = 1}, through {@link
 * PixelOps#apply} on a copy of the original tile), each labelled with the op name, {@value #COLS}
 * tiles a row, written as PNG (compression level 9, so the picture stays small). Deterministic:
 * seed {@value #SEED}, sample id {@value #SAMPLE_ID}, copy index 0.
 *
 * <pre>{@code
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt)" \
 *     dev.shardsmith.benchmarks.AugmentationGallery docs/augmentations-gallery.png
 * }</pre>
 */
public final class AugmentationGallery {
  private AugmentationGallery() {}

  /** Side of one square image tile, in pixels. */
  public static final int TILE = 112;

  /** Height of the label strip under each tile. */
  public static final int LABEL = 16;

  /** Tiles per row. */
  public static final int COLS = 6;

  public static final long SEED = 42;
  public static final String SAMPLE_ID = "fruits.jpg";
  public static final String DEFAULT_PHOTO = "sample-data/photos/fruits.jpg";

  private static final PreprocessSpec PRE = new PreprocessSpec(126, TILE, TILE);

  /** Rotation limit and random-resized-crop ranges: the config defaults. */
  private static final double ROTATE_LIMIT = 15;

  private static final double RRC_SCALE_MIN = 0.08;
  private static final double RRC_RATIO_MIN = 0.75;
  private static final double RRC_RATIO_MAX = 4.0 / 3;

  /** The pixel ops at {@code p = 1} with the default ranges of {@code docs/config.md}. */
  public static List<PixelOp> pixelOps() {
    return List.of(
        new BrightnessContrast(1, -0.2, 0.2, -0.2, 0.2),
        new Gamma(1, 0.8, 1.2),
        new HueSaturationValue(1, -20, 20, -30, 30, -20, 20),
        new ColorJitter(1, 0.2, 0.2, 0.2, 0.1),
        new ToGray(1),
        new ChannelShuffle(1),
        new Equalize(1),
        new Clahe(1, 1, 4, 8, 8),
        new Posterize(1, 4, 8),
        new Solarize(1, 128, 255),
        new Invert(1),
        new GaussianBlur(1, 0.1, 2.0),
        new MedianBlur(1, 3, 7),
        new MotionBlur(1, 3, 7, 0, 360),
        new GaussianNoise(1, 2, 10),
        new SaltAndPepper(1, 0.01, 0.06, 0.4, 0.6),
        new CoarseDropout(1, 1, 8, 0.05, 0.1, 0.05, 0.1, 0),
        new RandomErasing(1, 0.02, 0.33, 0.3, 3.3, 0),
        Compression.jpeg(1, 75, 99),
        Compression.webp(1, 75, 99),
        new Downscale(1, 0.25, 0.5, Interpolation.NEAREST),
        new Grayscale(1, 3),
        new Canny(1, 100, 200, 3),
        new Sobel(1, 1, 0, 3));
  }

  /**
   * The geometric ops of {@code augment.ops} at {@code p = 1}, config defaults unless the label
   * says otherwise; an op that changes the frame is followed by a nearest-neighbour {@code resize}
   * back to the tile, and all run fused through {@link ImageFusion}.
   */
  static Map<String, List<PixelOp>> augmentGeometricOps() {
    Resize back = new Resize(1, TILE, TILE, Interpolation.NEAREST);
    Map<String, List<PixelOp>> m = new LinkedHashMap<>();
    m.put("vflip", List.of(Flip.vertical(1)));
    m.put("rotate90 k 1-3", List.of(new Rotate90(1, 1, 3)));
    m.put("rotate reflect", List.of(new Rotate(1, -30, 30, Border.REFLECT, 0)));
    m.put(
        "affine",
        List.of(
            new AffineTransform(
                1, 0.9, 1.1, -0.1, 0.1, -0.1, 0.1, -10, 10, 0, 0, Border.CONSTANT, 0)));
    m.put("perspective .1-.2", List.of(new Perspective(1, 0.1, 0.2)));
    m.put("center_crop 64", List.of(new CenterCrop(1, 64, 64), back));
    m.put("random_crop 64", List.of(new RandomCrop(1, 64, 64), back));
    m.put("roi_crop", List.of(new RoiCrop(1, 0.5, 0.0, 0.5, 0.5, true), back));
    m.put("pad 16 reflect", List.of(new Pad(1, 16, 16, 16, 16, 0, 0, Border.REFLECT, 0), back));
    // a resize down and back up in one warp is the identity: crop first, then enlarge
    m.put(
        "crop 28+resize nearest",
        List.of(new CenterCrop(1, 28, 28), new Resize(1, TILE, TILE, Interpolation.NEAREST)));
    m.put("pyr_down 2", List.of(new PyrDown(1, 2), back));
    m.put(
        "one_of(blur,noise)",
        List.of(
            new OneOf(
                1, List.of(new GaussianBlur(1, 1, 2), new GaussianNoise(1, 10, 20)), List.of())));
    m.put(
        "some_of 2 shuffled",
        List.of(
            new SomeOf(
                1,
                List.of(
                    Flip.vertical(1), new Rotate90(1, 1, 1), new Posterize(1, 2, 2), new Invert(1)),
                2,
                2,
                true)));
    m.put(
        "sequence",
        List.of(
            new Sequence(
                1,
                List.of(
                    new Rotate(1, 20, 20, Border.CONSTANT, 128), new GaussianNoise(1, 10, 10)))));
    return m;
  }

  /** The geometric ops, each as an {@link AugmentSpec} that fires only it. */
  static Map<String, AugmentSpec> geometricOps() {
    Map<String, AugmentSpec> m = new LinkedHashMap<>();
    m.put(
        ImageFusion.HFLIP,
        new AugmentSpec(1, 0, ROTATE_LIMIT, 0, RRC_SCALE_MIN, 1, RRC_RATIO_MIN, RRC_RATIO_MAX));
    m.put(
        ImageFusion.ROTATE,
        new AugmentSpec(0, 1, ROTATE_LIMIT, 0, RRC_SCALE_MIN, 1, RRC_RATIO_MIN, RRC_RATIO_MAX));
    m.put(
        ImageFusion.RANDOM_RESIZED_CROP,
        new AugmentSpec(0, 0, ROTATE_LIMIT, 1, RRC_SCALE_MIN, 1, RRC_RATIO_MIN, RRC_RATIO_MAX));
    return m;
  }

  /** Number of tiles: the original, the geometric ops and the pixel ops. */
  public static int tiles() {
    return 1 + geometricOps().size() + augmentGeometricOps().size() + pixelOps().size();
  }

  /** Number of rows of the grid. */
  public static int rows() {
    return (tiles() + COLS - 1) / COLS;
  }

  /** Width of the whole picture. */
  public static int width() {
    return COLS * TILE;
  }

  /** Height of the whole picture. */
  public static int height() {
    return rows() * (TILE + LABEL);
  }

  /** The picture as PNG bytes, and per tile its label and the parameters applied. */
  public record Gallery(byte[] png, List<String> applied) {}

  /** The gallery of {@code encodedPhoto}. */
  public static Gallery render(byte[] encodedPhoto) throws BadImageException {
    ImageHeader h = ImageHeaders.read(encodedPhoto, Long.MAX_VALUE);
    List<String> labels = new ArrayList<>();
    List<byte[]> tiles = new ArrayList<>();
    List<String> applied = new ArrayList<>();

    byte[] original =
        ImageFusion.render(encodedPhoto, h, PRE, null, SEED, SAMPLE_ID, Sample.ORIGINAL).rgb();
    labels.add("original");
    applied.add("original: preprocess only");
    tiles.add(original);

    for (Map.Entry<String, AugmentSpec> e : geometricOps().entrySet()) {
      ImageFusion.Rendered r =
          ImageFusion.render(encodedPhoto, h, PRE, e.getValue(), SEED, SAMPLE_ID, 0);
      Applied.Op fired =
          r.applied().ops().stream()
              .filter(op -> op.op().equals(e.getKey()))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException(e.getKey() + " did not fire at p = 1"));
      applied.add(e.getKey() + ": " + fired.params());
      labels.add(e.getKey());
      tiles.add(r.rgb());
    }

    for (Map.Entry<String, List<PixelOp>> e : augmentGeometricOps().entrySet()) {
      Applied a = ImageFusion.draw(h, PRE, AugmentSpec.none(), e.getValue(), SEED, SAMPLE_ID, 0);
      ImageFusion.Rendered r =
          ImageFusion.renderAll(encodedPhoto, h, PRE, List.of(a), e.getValue()).get(0);
      if (r.width() != TILE || r.height() != TILE || r.applied().ops().size() < 2) {
        throw new IllegalStateException(
            e.getKey() + " did not fire or left a " + r.width() + "x" + r.height() + " tile");
      }
      applied.add(e.getKey() + ": " + r.applied().ops().subList(1, r.applied().ops().size()));
      labels.add(e.getKey());
      tiles.add(r.rgb());
    }

    for (PixelOp op : pixelOps()) {
      try (BytePointer data = new BytePointer(original);
          Mat view = new Mat(TILE, TILE, CV_8UC3, data);
          Mat copy = view.clone()) {
        List<Applied.Op> fired =
            PixelOps.apply(copy, List.of(op), SEED, SAMPLE_ID, ImageFusion.FIRST_PIXEL_POSITION, 0);
        if (fired.isEmpty()) {
          throw new IllegalStateException(op.name() + " did not fire at p = 1");
        }
        applied.add(op.name() + ": " + fired.get(0).params());
        labels.add(op.name());
        tiles.add(ImageOps.toBytes(copy));
      }
    }

    int w = width();
    int hh = height();
    try (Mat grid = new Mat(hh, w, CV_8UC3, new Scalar(255, 255, 255, 0));
        Scalar strip = new Scalar(32, 32, 32, 0);
        Scalar white = new Scalar(255, 255, 255, 0)) {
      for (int i = 0; i < tiles.size(); i++) {
        int x = (i % COLS) * TILE;
        int y = (i / COLS) * (TILE + LABEL);
        try (BytePointer data = new BytePointer(tiles.get(i));
            Mat tile = new Mat(TILE, TILE, CV_8UC3, data);
            Rect r = new Rect(x, y, TILE, TILE);
            Mat roi = grid.apply(r);
            Point p1 = new Point(x, y + TILE);
            Point p2 = new Point(x + TILE - 1, y + TILE + LABEL - 1);
            Point text = new Point(x + 4, y + TILE + LABEL - 5)) {
          tile.copyTo(roi);
          rectangle(grid, p1, p2, strip, FILLED, LINE_AA, 0);
          putText(
              grid,
              labels.get(i),
              text,
              FONT_HERSHEY_SIMPLEX,
              fontScale(labels.get(i)),
              white,
              1,
              LINE_AA,
              false);
        }
      }
      return new Gallery(png(grid), List.copyOf(applied));
    }
  }

  /** The largest font scale up to 0.4 at which {@code label} fits in a tile with 4 px margins. */
  private static double fontScale(String label) {
    double scale = 0.4;
    try (IntPointer baseline = new IntPointer(1)) {
      while (scale > 0.25) {
        try (Size size = getTextSize(label, FONT_HERSHEY_SIMPLEX, scale, 1, baseline)) {
          if (size.width() <= TILE - 8) {
            break;
          }
        }
        scale -= 0.025;
      }
    }
    return scale;
  }

  /** {@code rgb} as PNG at compression level 9 (OpenCV writes BGR). */
  private static byte[] png(Mat rgb) {
    try (Mat bgr = new Mat();
        IntPointer params = new IntPointer(IMWRITE_PNG_COMPRESSION, 9);
        BytePointer out = new BytePointer()) {
      cvtColor(rgb, bgr, COLOR_RGB2BGR);
      if (!imencode(".png", bgr, out, params)) {
        throw new IllegalStateException("OpenCV could not encode the gallery as PNG");
      }
      byte[] bytes = new byte[(int) out.limit()];
      out.get(bytes);
      return bytes;
    }
  }

  /**
   * The gallery of the photo at {@code photo}, written to {@code out}; returns what was applied.
   */
  public static List<String> write(Path photo, Path out) throws IOException, BadImageException {
    Gallery g = render(Files.readAllBytes(photo));
    byte[] png = g.png();
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(out, png);
    return g.applied();
  }

  /** {@code AugmentationGallery OUT.png [PHOTO]}; PHOTO defaults to {@value #DEFAULT_PHOTO}. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println(
          "usage: AugmentationGallery OUT.png [PHOTO (default " + DEFAULT_PHOTO + ")]");
      System.exit(2);
    }
    Path photo = Paths.get(args.length == 2 ? args[1] : DEFAULT_PHOTO);
    Path out = Paths.get(args[0]);
    for (String line : write(photo, out)) {
      System.out.println(line);
    }
    System.out.printf(
        "wrote %s: %dx%d, %d tiles, %d bytes%n", out, width(), height(), tiles(), Files.size(out));
  }
}
