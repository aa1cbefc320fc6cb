package dev.shardsmith.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shardsmith.transforms.kernels.image.Border;
import dev.shardsmith.transforms.kernels.image.Interpolation;
import dev.shardsmith.transforms.kernels.image.ops.AffineTransform;
import dev.shardsmith.transforms.kernels.image.ops.Canny;
import dev.shardsmith.transforms.kernels.image.ops.CenterCrop;
import dev.shardsmith.transforms.kernels.image.ops.Downscale;
import dev.shardsmith.transforms.kernels.image.ops.Flip;
import dev.shardsmith.transforms.kernels.image.ops.GaussianBlur;
import dev.shardsmith.transforms.kernels.image.ops.Invert;
import dev.shardsmith.transforms.kernels.image.ops.OneOf;
import dev.shardsmith.transforms.kernels.image.ops.Pad;
import dev.shardsmith.transforms.kernels.image.ops.Perspective;
import dev.shardsmith.transforms.kernels.image.ops.PyrDown;
import dev.shardsmith.transforms.kernels.image.ops.RandomCrop;
import dev.shardsmith.transforms.kernels.image.ops.Resize;
import dev.shardsmith.transforms.kernels.image.ops.RoiCrop;
import dev.shardsmith.transforms.kernels.image.ops.Rotate;
import dev.shardsmith.transforms.kernels.image.ops.Rotate90;
import dev.shardsmith.transforms.kernels.image.ops.Sequence;
import dev.shardsmith.transforms.kernels.image.ops.Sobel;
import dev.shardsmith.transforms.kernels.image.ops.SomeOf;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Geometric, edge and composition ops in {@code augment.ops}: parsed, defaulted, rejected. */
class AugmentOpsConfigTest {
  private static final String MIN = "name: t\ninput: {root: imgs}\n";

  private static RunConfig parse(String yaml) throws Exception {
    return RunConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml), Path.of("/d"));
  }

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void everyNewOpParsesWithItsDefaults() throws Exception {
    RunConfig c =
        parse(
            MIN
                + "augment:\n  ops:\n"
                + "    - {op: vflip}\n"
                + "    - {op: rotate90, p: 1}\n"
                + "    - {op: rotate, angle: [-30, 30], border: reflect}\n"
                + "    - {op: affine}\n"
                + "    - {op: perspective}\n"
                + "    - {op: center_crop, width: 200}\n"
                + "    - {op: random_crop, width: 100, height: 80}\n"
                + "    - {op: roi_crop, x: 0.1, y: 0.1, w: 0.5, h: 0.5}\n"
                + "    - {op: pad, top: 4, min_width: 300, border: replicate}\n"
                + "    - {op: resize, width: 224, interpolation: cubic}\n"
                + "    - {op: pyr_down, levels: 2}\n"
                + "    - {op: downscale}\n"
                + "    - {op: canny}\n"
                + "    - {op: sobel, dx: 0, dy: 1}\n");
    assertEquals(
        List.of(
            Flip.vertical(0.5),
            new Rotate90(1, 0, 3),
            new Rotate(0.5, -30, 30, Border.REFLECT, 0),
            new AffineTransform(
                0.5, 0.9, 1.1, -0.1, 0.1, -0.1, 0.1, -10, 10, 0, 0, Border.CONSTANT, 0),
            new Perspective(0.5, 0.05, 0.1),
            new CenterCrop(0.5, 200, 200),
            new RandomCrop(0.5, 100, 80),
            new RoiCrop(0.5, 0.1, 0.1, 0.5, 0.5, true),
            new Pad(0.5, 4, 0, 0, 0, 300, 0, Border.REPLICATE, 0),
            new Resize(0.5, 224, 224, Interpolation.CUBIC),
            new PyrDown(0.5, 2),
            new Downscale(0.5, 0.25, 0.5, Interpolation.NEAREST),
            new Canny(0.5, 100, 200, 3),
            new Sobel(0.5, 0, 1, 3)),
        c.augment().ops());
  }

  @Test
  void compositionsNest() throws Exception {
    RunConfig c =
        parse(
            MIN
                + "augment:\n  ops:\n"
                + "    - op: one_of\n"
                + "      ops:\n"
                + "        - {op: gaussian_blur, p: 1, weight: 3}\n"
                + "        - op: some_of\n"
                + "          n: [1, 2]\n"
                + "          shuffle: true\n"
                + "          ops: [{op: invert, p: 1}, {op: vflip, p: 1}]\n"
                + "    - {op: sequence, p: 0.3, ops: [{op: invert}]}\n");
    assertEquals(
        List.of(
            new OneOf(
                1,
                List.of(
                    new GaussianBlur(1, 0.1, 2.0),
                    new SomeOf(1, List.of(new Invert(1), Flip.vertical(1)), 1, 2, true)),
                List.of(3.0, 1.0)),
            new Sequence(0.3, List.of(new Invert(0.5)))),
        c.augment().ops());
    @SuppressWarnings("unchecked")
    Map<String, Object> eff =
        (Map<String, Object>)
            ((List<?>) ((Map<?, ?>) c.effective().get("augment")).get("ops")).get(0);
    assertEquals("one_of", eff.get("op"));
    assertEquals(2, ((List<?>) eff.get("ops")).size());
  }

  @Test
  void badEntriesNameTheirKey() {
    assertEquals(
        "augment.ops[0].border = wrap is not allowed: use one of constant, reflect, replicate",
        error(MIN + "augment: {ops: [{op: rotate, border: wrap}]}\n"));
    assertTrue(
        error(MIN + "augment: {ops: [{op: rotate, angle: [-400, 0]}]}\n")
            .startsWith("augment.ops[0] (rotate): rotate.angle must be a range"));
    assertEquals(
        "augment.ops[0].width is required (pixels, >= 1)",
        error(MIN + "augment: {ops: [{op: center_crop}]}\n"));
    assertEquals(
        "augment.ops[0].ops[1].sigmas is not a known key: augment.ops[0].ops[1] takes op, p,"
            + " weight, sigma",
        error(
            MIN
                + "augment: {ops: [{op: one_of, ops: [{op: invert}, {op: gaussian_blur,"
                + " sigmas: [1, 2]}]}]}\n"));
    assertEquals(
        "augment.ops[0].ops must list at least one op",
        error(MIN + "augment: {ops: [{op: sequence}]}\n"));
    assertTrue(
        error(MIN + "augment: {ops: [{op: some_of, n: [1, 3], ops: [{op: invert}]}]}\n")
            .startsWith("augment.ops[0] (some_of): some_of.n must be a range"));
    assertEquals(
        "augment.ops[0].interpolation = bicubic is not allowed: use one of nearest, linear,"
            + " cubic, area, lanczos",
        error(MIN + "augment: {ops: [{op: resize, width: 9, interpolation: bicubic}]}\n"));
    assertTrue(
        error(MIN + "augment: {ops: [{op: sobel, dx: 0, dy: 0}]}\n")
            .contains("sobel.dx, dy must be in [0, 2], not both 0"));
  }

  @Test
  void preprocessOpsAreDeterministicOnly() throws Exception {
    RunConfig c =
        parse(
            MIN
                + "preprocess: {resize: 128, crop: 112, ops: [{op: roi_crop, w: 0.5, h: 0.5},"
                + " {op: to_gray}, {op: canny, thresholds: [50, 100]}, {op: grayscale}]}\n");
    assertEquals(
        List.of(
            new RoiCrop(1, 0, 0, 0.5, 0.5, true),
            new dev.shardsmith.transforms.kernels.image.ops.ToGray(1),
            new Canny(1, 50, 100, 3),
            new dev.shardsmith.transforms.kernels.image.ops.Grayscale(1, 1)),
        c.preprocess().ops());
    assertEquals(
        "augment.ops[0].channels = 1 is only allowed in preprocess.ops, where every row gets it;"
            + " in augment.ops use 3 (gray on three channels)",
        error(MIN + "augment: {ops: [{op: grayscale, channels: 1}]}\n"));
    assertTrue(
        error(MIN + "preprocess: {ops: [{op: gaussian_blur}]}\n")
            .startsWith(
                "preprocess.ops[0].op = gaussian_blur is not allowed: use one of grayscale,"));
    assertTrue(
        error(MIN + "preprocess: {ops: [{op: to_gray, p: 0.5}]}\n")
            .startsWith("preprocess.ops[0].p = 0.5"));
  }
}
