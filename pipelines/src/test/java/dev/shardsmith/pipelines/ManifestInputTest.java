package dev.shardsmith.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.Counts;
import dev.shardsmith.schemas.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV manifest over the real photos: user groups, a duplicate carried under two labels, an image
 * below the minimum size, one over the pixel limit, a missing file, a label outside the declared
 * list, a line without a path, and include_original: false.
 */
class ManifestInputTest {
  private static final Path PHOTOS = Path.of("../sample-data/photos").toAbsolutePath();

  @TempDir static Path tmp;
  static Manifest manifest;
  static Map<String, String[]> splits = new HashMap<>();

  @BeforeAll
  static void run() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data.resolve("img"));
    for (String f :
        List.of(
            "apple.jpg",
            "orange.jpg",
            "fruits.jpg",
            "baboon.jpg",
            "HappyFish.jpg",
            "butterfly.jpg",
            "home.jpg",
            "messi5.jpg",
            "smarties.png",
            "opencv-logo.png")) {
      Files.copy(PHOTOS.resolve(f), data.resolve("img").resolve(f));
    }
    Files.copy(PHOTOS.resolve("apple.jpg"), data.resolve("img/apple-again.jpg"));
    Files.copy(PHOTOS.resolve("butterfly.jpg"), data.resolve("img/butterfly-art.jpg"));
    Files.writeString(
        data.resolve("list.csv"),
        String.join(
            "\n",
            "path,label,group",
            "img/apple.jpg,fruit,",
            "img/orange.jpg,fruit,orchard",
            "img/fruits.jpg,fruit,orchard",
            "img/baboon.jpg,animal,",
            "img/HappyFish.jpg,animal,",
            "img/butterfly.jpg,animal,",
            "img/home.jpg,scene,",
            "img/messi5.jpg,scene,orchard",
            "img/smarties.png,scene,",
            "img/opencv-logo.png,scene,",
            "img/apple-again.jpg,scene,",
            "img/missing.jpg,animal,",
            "img/butterfly-art.jpg,art,",
            ",fruit,",
            "img/home.jpg,scene,",
            ""));
    Files.writeString(
        tmp.resolve("run.yaml"),
        "name: photos\nseed: 11\ninput: {manifest: data/list.csv, labels: [scene, fruit, animal]}\n"
            + "quality: {min_height: 200, max_pixels: 400000}\n"
            + "split: {train: 0.5, val: 0.25, test: 0.25}\npreprocess: {resize: 64, crop: 48}\n"
            + "augment: {copies: 2, include_original: false}\noutput: {shard_rows: 4}\n");
    manifest =
        Runs.run(
            RunConfig.load(tmp.resolve("run.yaml")).withOutputDir(tmp.resolve("out")),
            List.of("--runner=DirectRunner"));
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT id, \"group\", split FROM read_parquet('"
                    + tmp.resolve("out/splits.parquet")
                    + "')")) {
      while (rs.next()) {
        splits.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
      }
    }
  }

  @Test
  void aCsvWithoutPathAndLabelColumnsIsAConfigErrorBeforeAnyRun() throws Exception {
    Files.writeString(tmp.resolve("bad.csv"), "file,class\nimg/apple.jpg,fruit\n");
    Files.writeString(tmp.resolve("bad.yaml"), "name: bad\ninput: {manifest: bad.csv}\n");
    Path out = tmp.resolve("bad-out");
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.shardsmith.pipelines.config.ConfigException.class,
            () ->
                Runs.run(
                    RunConfig.load(tmp.resolve("bad.yaml")).withOutputDir(out),
                    List.of("--runner=DirectRunner")));
    assertTrue(
        e.getMessage()
            .endsWith(
                "must name the columns path and label (and may name group"
                    + " and id), but was: file,class"),
        e.getMessage());
    assertTrue(!Files.exists(out), "nothing was touched");
  }

  @Test
  void everySourceIsAccountedFor() {
    Counts c = manifest.counts();
    assertEquals(List.of(), c.violations());
    assertEquals(15, c.sources().read());
    assertEquals(
        Map.of("manifest", 2L, "missing", 1L, "too_large", 1L, "unknown_label", 1L),
        c.sources().rejected());
    assertEquals(Map.of("min_size", 1L), c.samples().filtered());
    assertEquals(9, c.samples().kept());
    long trainOriginals = splits.values().stream().filter(s -> s[1].equals("train")).count();
    assertEquals(trainOriginals, c.samples().originalsOmitted());
    assertEquals(2 * trainOriginals, c.samples().derived().get("augmented"));
  }

  @Test
  void userGroupsAndDuplicatesStayInOneSplit() {
    assertEquals(9, splits.size());
    for (String id : List.of("img/orange.jpg", "img/fruits.jpg", "img/messi5.jpg")) {
      assertEquals("orchard", splits.get(id)[0], id);
      assertEquals(splits.get("img/orange.jpg")[1], splits.get(id)[1], id);
    }
    String[] apple = splits.get("img/apple.jpg");
    String[] again = splits.get("img/apple-again.jpg");
    assertEquals(apple[0], again[0], "a duplicate under another label joins the same group");
    assertEquals(apple[1], again[1]);
    assertNotEquals("orchard", apple[0]);
  }

  @Test
  void declaredLabelsFixTheIndexOrder() throws Exception {
    assertEquals(List.of("scene", "fruit", "animal"), manifest.labels());
    Map<String, Integer> seen = new TreeMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT DISTINCT label_name, label FROM read_parquet('"
                    + tmp.resolve("out")
                    + "/*/part-*.parquet')")) {
      while (rs.next()) {
        seen.put(rs.getString(1), rs.getInt(2));
      }
    }
    assertEquals(Map.of("scene", 0, "fruit", 1, "animal", 2), seen);
  }

  @Test
  void rejectedLinesSayWhy() throws Exception {
    Map<String, String> why = new TreeMap<>();
    for (String line : Files.readAllLines(tmp.resolve("out/rejected/rejected.jsonl"))) {
      var n = new ObjectMapper().readTree(line);
      why.put(n.get("source").asText(), n.get("reason").asText() + ": " + n.get("detail").asText());
    }
    assertEquals(5, why.size(), why.toString());
    assertTrue(why.get("list.csv:15").startsWith("manifest: no path"), why.toString());
    assertEquals(
        "manifest: duplicate id img/home.jpg, first listed on line 8", why.get("list.csv:16"));
    assertTrue(why.get("img/missing.jpg").startsWith("missing: no such file"), why.toString());
    assertTrue(why.get("img/opencv-logo.png").startsWith("too_large"), why.toString());
    assertTrue(
        why.get("img/butterfly-art.jpg").contains("\"art\" is not in input.labels"),
        why.toString());
  }
}
