package dev.shardsmith.benchmarks;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * The series plots of {@code docs/augmentations.md} are what the tool renders today: rendering is
 * deterministic, gives one decodable 640 x 170 PNG under 60 KB per op, and the committed files
 * under {@code docs/series} are byte for byte the current rendering (regenerate them with {@code
 * SeriesGallery} when an op changes).
 */
class SeriesGalleryTest {
  private static final Path DOCS = Path.of("..", "docs", "series");

  @Test
  void committedPlotsAreTheCurrentRendering() throws Exception {
    Path csv = Path.of(SeriesGallery.CSV);
    assertTrue(Files.isRegularFile(csv), "needs Debian's python3-vega-datasets: " + csv);
    Map<String, SeriesGallery.Plot> first = SeriesGallery.render(csv);
    Map<String, SeriesGallery.Plot> second = SeriesGallery.render(csv);
    java.util.Set<String> names = new java.util.LinkedHashSet<>(SeriesGallery.ops().keySet());
    names.add("spawner");
    assertEquals(names, first.keySet());
    for (Map.Entry<String, SeriesGallery.Plot> e : first.entrySet()) {
      byte[] png = e.getValue().png();
      assertArrayEquals(second.get(e.getKey()).png(), png, e.getKey() + " is not deterministic");
      assertTrue(png.length < 60_000, e.getKey() + ": " + png.length + " bytes");
      try (BytePointer data = new BytePointer(png);
          Mat raw = new Mat(1, png.length, org.bytedeco.opencv.global.opencv_core.CV_8U, data);
          Mat img = imdecode(raw, IMREAD_COLOR)) {
        assertEquals(640, img.cols(), e.getKey());
        assertEquals(170, img.rows(), e.getKey());
      }
      assertArrayEquals(
          Files.readAllBytes(DOCS.resolve(e.getKey() + ".png")),
          png,
          "docs/series/" + e.getKey() + ".png is stale: rerun SeriesGallery");
    }
  }
}
