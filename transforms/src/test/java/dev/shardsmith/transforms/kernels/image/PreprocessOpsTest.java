package dev.shardsmith.transforms.kernels.image;

import static dev.shardsmith.transforms.kernels.image.TestImages.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.kernels.image.ImageFusion.Rendered;
import dev.shardsmith.transforms.kernels.image.ops.Canny;
import dev.shardsmith.transforms.kernels.image.ops.GaussianBlur;
import dev.shardsmith.transforms.kernels.image.ops.Grayscale;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import dev.shardsmith.transforms.kernels.image.ops.PyrDown;
import dev.shardsmith.transforms.kernels.image.ops.RoiCrop;
import dev.shardsmith.transforms.kernels.image.ops.Sobel;
import dev.shardsmith.transforms.kernels.image.ops.ToGray;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code preprocess.ops}: deterministic ops on every row, originals and copies alike. */
class PreprocessOpsTest {
  private static final long MAX = 50_000_000L;

  @Test
  void originalsAndCopiesGetTheSamePreprocessOps() throws Exception {
    byte[] b = bytes("home.jpg");
    ImageHeader h = ImageHeaders.read(b, MAX);
    PreprocessSpec pre =
        new PreprocessSpec(
            256,
            224,
            224,
            List.of(new RoiCrop(1, 0.25, 0.25, 0.5, 0.5, true), new ToGray(1), new PyrDown(1, 1)));
    AugmentSpec flip = new AugmentSpec(1, 0, 0, 0, 1, 1, 1, 1);
    Rendered original = ImageFusion.render(b, h, pre, flip, 3, "home.jpg", Sample.ORIGINAL);
    Rendered copy = ImageFusion.render(b, h, pre, flip, 3, "home.jpg", 0);
    assertEquals(56, original.width()); // 224 * 0.5, then halved
    assertEquals(56, copy.width());
    List<String> names = original.applied().ops().stream().map(Applied.Op::op).toList();
    assertEquals(List.of("preprocess", "roi_crop", "to_gray", "pyr_down"), names);
    assertEquals(
        List.of("preprocess", "roi_crop", "to_gray", "pyr_down", "hflip"),
        copy.applied().ops().stream().map(Applied.Op::op).toList());
    assertEquals(original.applied().ops().subList(0, 4), copy.applied().ops().subList(0, 4));
    // gray: R == G == B everywhere
    byte[] rgb = copy.rgb();
    for (int i = 0; i < rgb.length; i += 3) {
      assertEquals(rgb[i], rgb[i + 1]);
      assertEquals(rgb[i], rgb[i + 2]);
    }
    // replay from the JSON record, and the geometry follows the ROI crop and the pyramid step
    Applied back = Applied.fromJson(copy.applied().toJson());
    assertArrayEquals(copy.rgb(), ImageFusion.replay(b, h, pre, back).rgb());
    double[] centre =
        ImageFusion.geometry(h, pre, original.applied())
            .apply(h.displayWidth() / 2.0, h.displayHeight() / 2.0);
    // the centre crop offsets round to whole pixels, so the source centre lands within 0.5 px
    assertArrayEquals(new double[] {28, 28}, centre, 0.5);
  }

  @Test
  void edgeOpsAreDeterministicOnEverySplit() throws Exception {
    byte[] b = bytes("fruits.jpg");
    ImageHeader h = ImageHeaders.read(b, MAX);
    for (PixelOp edge : List.of(new Canny(1, 100, 200, 3), new Sobel(1, 1, 0, 3))) {
      PreprocessSpec pre = new PreprocessSpec(128, 112, 112, List.of(edge));
      Rendered a = ImageFusion.render(b, h, pre, null, 1, "a", Sample.ORIGINAL);
      Rendered c = ImageFusion.render(b, h, pre, null, 99, "a", Sample.ORIGINAL);
      assertArrayEquals(a.rgb(), c.rgb(), edge.name() + " must not depend on the seed");
      Rendered plain =
          ImageFusion.render(b, h, new PreprocessSpec(128, 112, 112), null, 1, "a", -1);
      assertTrue(!java.util.Arrays.equals(plain.rgb(), a.rgb()), edge.name() + " changed nothing");
    }
  }

  @Test
  void randomOrPartialOpsAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new PreprocessSpec(64, 64, 64, List.of(new GaussianBlur(1, 1, 2))));
    assertTrue(e.getMessage().contains("preprocess.ops[0] = gaussian_blur"), e.getMessage());
    IllegalArgumentException p =
        assertThrows(
            IllegalArgumentException.class,
            () -> new PreprocessSpec(64, 64, 64, List.of(new ToGray(0.5))));
    assertTrue(p.getMessage().contains("preprocess.ops[0] (to_gray).p must be 1"), p.getMessage());
  }

  @Test
  void grayscaleWithOneChannelWritesTheLuma() throws Exception {
    byte[] b = bytes("smarties.png");
    ImageHeader h = ImageHeaders.read(b, MAX);
    AugmentSpec flip = new AugmentSpec(1, 0, 0, 0, 1, 1, 1, 1);
    PreprocessSpec one = new PreprocessSpec(96, 80, 64, List.of(new Grayscale(1, 1)));
    PreprocessSpec three = new PreprocessSpec(96, 80, 64, List.of(new Grayscale(1, 3)));
    for (int copy : new int[] {Sample.ORIGINAL, 0}) {
      Rendered g = ImageFusion.render(b, h, one, flip, 5, "s", copy);
      Rendered rgb = ImageFusion.render(b, h, three, flip, 5, "s", copy);
      assertEquals(1, g.channels());
      assertEquals(3, rgb.channels());
      assertEquals(80 * 64, g.rgb().length);
      for (int i = 0; i < g.rgb().length; i++) {
        assertEquals(rgb.rgb()[3 * i], g.rgb()[i], "pixel " + i);
      }
      assertArrayEquals(
          g.rgb(), ImageFusion.replay(b, h, one, Applied.fromJson(g.applied().toJson())).rgb());
    }
  }
}
