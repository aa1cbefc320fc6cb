package dev.shardsmith.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugmentationGalleryTest {
  /** Tests run in the module directory; the sample photos live at the repository root. */
  private static final Path PHOTO = Paths.get("..").resolve(AugmentationGallery.DEFAULT_PHOTO);

  @Test
  void rendersTheSamePngTwiceAtTheGridSize(@TempDir Path dir) throws Exception {
    Path a = dir.resolve("a.png");
    Path b = dir.resolve("b.png");
    List<String> applied = AugmentationGallery.write(PHOTO, a);
    AugmentationGallery.write(PHOTO, b);

    byte[] first = Files.readAllBytes(a);
    assertArrayEquals(first, Files.readAllBytes(b), "the gallery must be deterministic");

    // the original, hflip, rotate, random_resized_crop, 14 augment.ops geometric and composition
    // tiles and the 24 pixel ops
    assertEquals(42, AugmentationGallery.tiles());
    assertEquals(42, applied.size());
    assertEquals(7, AugmentationGallery.rows());

    BufferedImage png = ImageIO.read(new ByteArrayInputStream(first));
    assertNotNull(png, "the gallery must be a readable PNG");
    assertEquals(AugmentationGallery.COLS * AugmentationGallery.TILE, png.getWidth());
    assertEquals(
        AugmentationGallery.rows() * (AugmentationGallery.TILE + AugmentationGallery.LABEL),
        png.getHeight());
    assertTrue(
        first.length < 1_200_000, "the committed picture should stay small: " + first.length);
  }
}
