package dev.shardsmith.transforms.kernels.image.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.transforms.kernels.image.Border;
import dev.shardsmith.transforms.kernels.image.Interpolation;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The geometric, edge, downscale and composition ops: bad ranges fail at construction and bad
 * recorded params at apply, each error naming the op and the parameter.
 */
class NewOpValidationTest {

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
  void flipsAndQuarterTurns() {
    rejects(() -> Flip.horizontal(2), "hflip.p", "2");
    rejects(() -> Flip.vertical(-1), "vflip.p", "-1");
    rejects(() -> new Rotate90(1, 0, 4), "rotate90.k", "4");
    rejects(() -> new Rotate90(1, 3, 1), "rotate90.k", "[3, 1]");
    rejectsParams(new Rotate90(1, 0, 3), params("k", 5L), "rotate90", "k", "5");
    rejectsParams(new Rotate90(1, 0, 3), params(), "rotate90", "k");
  }

  @Test
  void rotate() {
    rejects(() -> new Rotate(1, -400, 0, Border.CONSTANT, 0), "rotate.angle", "-400");
    rejects(() -> new Rotate(1, 0, 10, Border.CONSTANT, 256), "rotate.fill", "256");
    rejects(() -> new Rotate(1, 0, 10, null, 0), "rotate.border", "constant");
    rejectsParams(
        new Rotate(1, 0, 0, Border.CONSTANT, 0),
        params("angle", 5.0, "border", "wrap", "fill", 0L),
        "rotate",
        "border",
        "wrap",
        "reflect");
    rejectsParams(
        new Rotate(1, 0, 0, Border.CONSTANT, 0),
        params("angle", 5.0, "border", "constant", "fill", 300L),
        "fill",
        "300");
  }

  @Test
  void affineAndPerspective() {
    rejects(
        () -> new AffineTransform(1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, Border.CONSTANT, 0),
        "affine.scale",
        "0.01");
    rejects(
        () -> new AffineTransform(1, 1, 1, -2, 0, 0, 0, 0, 0, 0, 0, Border.CONSTANT, 0),
        "affine.translate_x",
        "-2");
    rejects(
        () -> new AffineTransform(1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 85, Border.CONSTANT, 0),
        "affine.shear_y",
        "85");
    rejectsParams(
        new AffineTransform(1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, Border.CONSTANT, 0),
        params("scale", 1.0, "translate_x", 0.0, "translate_y", 0.0, "shear_x", 0.0),
        "affine",
        "shear_y");
    rejects(() -> new Perspective(1, 0, 0.5), "perspective.scale", "0.45");
    rejectsParams(new Perspective(1, 0.1, 0.1), params("tl_x", 0.1), "perspective", "tl_y");
  }

  @Test
  void cropsPadAndResize() {
    rejects(() -> new RandomResizedCrop(1, 0, 1, 0.75, 1.33), "random_resized_crop.scale", "0");
    rejects(() -> new RandomResizedCrop(1, 0.5, 1, 2, 1), "random_resized_crop.ratio");
    rejects(() -> new CenterCrop(1, 0, 10), "center_crop.width", "0");
    rejects(() -> new RandomCrop(1, 10, 100000), "random_crop.height", "100000");
    rejects(() -> new RoiCrop(1, 0.5, 0, 1.5, 1, true), "roi_crop.w", "1.5");
    rejects(() -> new RoiCrop(1, 0.5, 0, 10, 10, false), "roi_crop", "integers");
    rejectsParams(new CenterCrop(1, 4, 4), params("x", 0L, "y", 0L, "w", 0L, "h", 4L), "w", "0");
    rejects(() -> new Pad(1, -1, 0, 0, 0, 0, 0, Border.CONSTANT, 0), "pad.top", "-1");
    rejects(() -> new Pad(1, 0, 0, 0, 0, 0, 0, Border.CONSTANT, -5), "pad.fill", "-5");
    rejectsParams(
        new Pad(1, 0, 0, 0, 0, 0, 0, Border.CONSTANT, 0),
        params("top", 1L, "right", 1L, "bottom", 1L, "border", "constant", "fill", 0L),
        "pad",
        "left");
    rejects(() -> new Resize(1, 0, 10, Interpolation.LINEAR), "resize.width", "0");
    rejects(() -> new Resize(1, 10, 10, null), "resize.interpolation", "lanczos");
    rejectsParams(
        new Resize(1, 10, 10, Interpolation.LINEAR),
        params("width", 10L, "height", 10L, "interpolation", "bicubic"),
        "resize",
        "interpolation",
        "bicubic",
        "cubic");
    rejects(() -> new PyrDown(1, 0), "pyr_down.levels", "0");
    rejectsParams(new PyrDown(1, 1), params("levels", 9L), "pyr_down", "levels", "9");
  }

  @Test
  void downscaleAndEdges() {
    rejects(() -> new Downscale(1, 0.01, 0.5, Interpolation.LINEAR), "downscale.scale", "0.01");
    rejects(() -> new Downscale(1, 0.5, 0.25, Interpolation.LINEAR), "downscale.scale");
    rejectsParams(
        new Downscale(1, 0.5, 0.5, Interpolation.LINEAR),
        params("scale", 0.5),
        "downscale",
        "interpolation");
    rejects(() -> new Grayscale(1, 2), "grayscale.channels", "1 or 3", "2");
    rejectsParams(new Grayscale(1, 3), params("channels", 2L), "grayscale", "channels");
    rejects(() -> new Canny(1, 200, 100, 3), "canny.thresholds", "[200, 100]");
    rejects(() -> new Canny(1, 100, 200, 4), "canny.aperture", "4");
    rejectsParams(
        new Canny(1, 1, 2, 3),
        params("threshold1", 1.0, "threshold2", 2.0, "aperture", 4L),
        "canny",
        "aperture");
    rejects(() -> new Sobel(1, 0, 0, 3), "sobel.", "dx, dy", "not both 0");
    rejects(() -> new Sobel(1, 1, 0, 4), "sobel.ksize", "4");
    rejects(() -> new Sobel(1, 1, 1, 1), "sobel.", "ksize 1");
    rejectsParams(new Sobel(1, 1, 0, 3), params("dx", 3L, "dy", 0L, "ksize", 3L), "sobel", "dx");
  }

  @Test
  void compositions() {
    rejects(() -> new Sequence(1, List.of()), "sequence.ops", "at least one");
    rejects(() -> new OneOf(1.5, List.of(new Invert(1)), List.of()), "one_of.p", "1.5");
    rejects(
        () -> new OneOf(1, List.of(new Invert(1), new Equalize(1)), List.of(1.0)),
        "one_of.weights",
        "one weight per op (2)");
    rejects(() -> new OneOf(1, List.of(new Invert(1)), List.of(-1.0)), "one_of.weights", ">= 0");
    rejects(() -> new OneOf(1, List.of(new Invert(1)), List.of(0.0)), "one_of.weights", "all be 0");
    rejects(
        () -> new SomeOf(1, List.of(new Invert(1), new Equalize(1)), 1, 3, false),
        "some_of.n",
        "<= 2");
    try (Mat rgb = OpsTestImages.rgb("smarties.png", 16)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> new Sequence(1, List.of(new Invert(1))).apply(rgb, params()));
      assertTrue(e.getMessage().contains("sequence is a composition"), e.getMessage());
    }
  }
}
