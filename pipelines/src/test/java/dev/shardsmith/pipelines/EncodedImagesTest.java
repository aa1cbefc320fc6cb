package dev.shardsmith.pipelines;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.transforms.kernels.image.AugmentSpec;
import dev.shardsmith.transforms.kernels.image.ImageFusion;
import dev.shardsmith.transforms.kernels.image.ImageHeader;
import dev.shardsmith.transforms.kernels.image.ImageHeaders;
import dev.shardsmith.transforms.kernels.image.ImageOps;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variable-size images: {@code preprocess.resize: 0} keeps every photo at its own size, and {@code
 * output.image_encoding: png} stores encoded bytes beside height, width and channels columns.
 * DuckDB reads them back; decoded, they are exactly the pixels the fused step rendered.
 */
class EncodedImagesTest {
  private static final Path PHOTOS = Path.of("../sample-data/photos").toAbsolutePath();

  @TempDir Path tmp;

  @Test
  void pngShardsOfPhotosAtTheirOwnSizes() throws Exception {
    Path data = tmp.resolve("data");
    for (String f : List.of("apple.jpg", "baboon.jpg", "HappyFish.jpg")) {
      Files.createDirectories(data.resolve("a"));
      Files.copy(PHOTOS.resolve(f), data.resolve("a").resolve(f));
    }
    for (String f : List.of("home.jpg", "messi5.jpg", "smarties.png")) {
      Files.createDirectories(data.resolve("b"));
      Files.copy(PHOTOS.resolve(f), data.resolve("b").resolve(f));
    }
    Files.writeString(
        tmp.resolve("run.yaml"),
        "name: var\ninput: {root: data}\npreprocess: {resize: 0}\n"
            + "split: {train: 0.34, val: 0.33, test: 0.33}\naugment: {copies: 1}\n"
            + "output: {formats: [parquet, arrow], image_encoding: png}\n");
    Path out = tmp.resolve("out");
    Manifest m =
        Runs.run(
            RunConfig.load(tmp.resolve("run.yaml")).withOutputDir(out),
            List.of("--runner=DirectRunner"));
    assertEquals(List.of(), m.counts().violations());
    assertEquals("png", m.pixelFormat().encoding());
    Set<String> sizes = new HashSet<>();
    int checked = 0;
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT id, image, height, width, channels, derived_kind FROM read_parquet('"
                    + out
                    + "/*/part-*.parquet')")) {
      while (rs.next()) {
        String id = rs.getString(1);
        byte[] png = rs.getBytes(2);
        assertEquals((byte) 0x89, png[0], "PNG signature");
        sizes.add(rs.getInt(4) + "x" + rs.getInt(3));
        assertEquals(3, rs.getInt(5));
        if (rs.getString(6) == null) {
          byte[] source = Files.readAllBytes(data.resolve(id));
          ImageHeader h = ImageHeaders.read(source, 100_000_000L);
          assertEquals(h.displayWidth(), rs.getInt(4), id);
          assertEquals(h.displayHeight(), rs.getInt(3), id);
          byte[] expected =
              ImageFusion.render(source, h, PreprocessSpec.KEEP, AugmentSpec.none(), 42, id, -1)
                  .rgb();
          assertArrayEquals(expected, decodeRgb(png), id + ": the PNG holds the rendered pixels");
          checked++;
        }
      }
    }
    assertEquals(6, checked);
    assertTrue(sizes.size() >= 4, "the photos keep their different sizes: " + sizes);
  }

  private static byte[] decodeRgb(byte[] png) {
    try (Mat buf = new Mat(png);
        Mat bgr = imdecode(buf, IMREAD_COLOR);
        Mat rgb = new Mat()) {
      cvtColor(bgr, rgb, COLOR_BGR2RGB);
      return ImageOps.toBytes(rgb);
    }
  }
}
