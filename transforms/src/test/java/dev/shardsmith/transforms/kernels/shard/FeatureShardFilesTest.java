package dev.shardsmith.transforms.kernels.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.schemas.FeatureNames;
import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.LabelMap;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feature-vector (tabular) rows through the three shard writers: each format reads back through
 * {@link ShardReader} with the same floats (NaN kept), categorical strings (null kept), labels and
 * names; Parquet also through DuckDB, Arrow through Node's apache-arrow where it is installed.
 */
class FeatureShardFilesTest {
  private static final LabelMap LABELS = LabelMap.declared(List.of("A", "B"));
  private static final FeatureNames NAMES =
      new FeatureNames(List.of("x-box", "y box", "width"), List.of("colour", "shape"));
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static Sample row(String id, String label, float[] x, String[] cats) {
    return Sample.builder()
        .id(id)
        .group("g-" + id)
        .labels(List.of(label))
        .split(Split.TRAIN)
        .payloadHash("0".repeat(64))
        .payload(new FeaturePayload(x, cats))
        .build();
  }

  private static List<Sample> rows() {
    return List.of(
        row("t.csv#2", "B", new float[] {1.5f, -2f, 1e-7f}, new String[] {"red", null}),
        row("t.csv#1", "A", new float[] {Float.NaN, 0f, 3f}, new String[] {null, "é,\"q\""}),
        row("t.csv#3", "A", new float[] {7f, 8f, Float.NaN}, new String[] {"blue", "square"}));
  }

  private static void assertRowsMatch(List<Sample> want, List<ShardRow> got) {
    assertEquals(want.size(), got.size());
    for (int i = 0; i < want.size(); i++) {
      Sample w = want.get(i);
      ShardRow g = got.get(i);
      FeaturePayload p = (FeaturePayload) w.payload();
      assertEquals(w.id(), g.id());
      assertEquals(ShardRow.FEATURES, g.format());
      assertEquals(LABELS.indexOf(w.label()), g.label(), w.id());
      assertEquals(w.label(), g.labelName());
      assertArrayEquals(p.numeric(), g.features(), w.id()); // NaN equals NaN bitwise here
      assertEquals(Arrays.asList(p.categorical()), g.categorical(), w.id());
      assertNull(g.image());
      assertEquals("train", g.split());
    }
  }

  @Test
  void parquetRoundTripsThroughOurReaderAndDuckDb() throws Exception {
    Path file = dir.resolve("f.parquet");
    ParquetShardFile.write(
        file, rows(), LABELS, ParquetShardFile.Options.defaults().withFeatureNames(NAMES));
    assertRowsMatch(rows(), ShardReader.read(file));

    Map<String, String> kv = DuckDb.kvMetadata(file);
    assertEquals("features", kv.get(ParquetShardFile.PAYLOAD_KEY));
    JsonNode f = JSON.readTree(kv.get(ParquetShardFile.FEATURES_KEY));
    assertEquals(3, f.get("length").asInt());
    assertEquals("float32", f.get("dtype").asText());
    assertEquals("[\"x-box\",\"y box\",\"width\"]", f.get("names").toString());
    assertEquals("[\"colour\",\"shape\"]", f.get("categorical").toString());

    List<Map<String, Object>> got =
        DuckDb.query(
            "SELECT id, features, typeof(features) AS t, colour, shape, label_name FROM '"
                + file
                + "'");
    assertEquals(3, got.size());
    assertEquals("FLOAT[]", got.get(0).get("t"));
    for (int i = 0; i < 3; i++) {
      Sample w = rows().get(i);
      FeaturePayload p = (FeaturePayload) w.payload();
      List<?> values = (List<?>) got.get(i).get("features");
      assertEquals(3, values.size());
      for (int k = 0; k < 3; k++) {
        assertEquals(p.numeric()[k], ((Number) values.get(k)).floatValue(), w.id() + "[" + k + "]");
      }
      assertEquals(p.categorical()[0], got.get(i).get("colour"));
      assertEquals(p.categorical()[1], got.get(i).get("shape"));
      assertEquals(w.label(), got.get(i).get("label_name"));
    }
  }

  @Test
  void arrowRoundTripsThroughOurReaderAndNode() throws Exception {
    Path file = dir.resolve("f.arrow");
    ArrowShardFile.write(
        file, rows(), LABELS, ArrowShardFile.Options.defaults().withFeatureNames(NAMES));
    assertRowsMatch(rows(), ShardReader.read(file));
    Map<String, String> kv = ArrowShardFile.readMetadata(file);
    assertEquals(
        ParquetShardFile.featuresJson(NAMES), kv.get(ParquetShardFile.FEATURES_KEY), "as Parquet");

    JsonNode js = ArrowShardFileTest.readWithNode(file);
    assertEquals(3, js.get("numRows").asInt());
    JsonNode fields = js.get("fields");
    assertEquals("features", fields.get(1).get("name").asText());
    assertEquals("FixedSizeList[3]<Float32>", fields.get(1).get("type").asText());
    JsonNode features = js.get("columns").get("features");
    for (int i = 0; i < 3; i++) {
      FeaturePayload p = (FeaturePayload) rows().get(i).payload();
      for (int k = 0; k < 3; k++) {
        JsonNode v = features.get(i).get(k);
        if (Float.isNaN(p.numeric()[k])) {
          assertTrue(v.isNull(), "JSON prints NaN as null"); // JSON.stringify(NaN) is null
        } else {
          assertEquals(p.numeric()[k], (float) v.asDouble());
        }
      }
      JsonNode colour = js.get("columns").get("colour").get(i);
      assertEquals(p.categorical()[0], colour.isNull() ? null : colour.asText());
    }
  }

  @Test
  void npyWritesXWithNamesAndKeepsCategoricalInMeta() throws Exception {
    List<WrittenFile> files =
        NpyShardFile.sink(NpyShardFile.Options.defaults().withFeatureNames(NAMES))
            .write(dir, "part-00000-of-00001", rows(), LABELS);
    assertEquals(3, files.size(), "x, y, meta.json");
    Path meta = dir.resolve("part-00000-of-00001.meta.json");
    assertRowsMatch(rows(), ShardReader.read(meta));
    JsonNode m = JSON.readTree(meta.toFile());
    assertEquals("features", m.get("modality").asText());
    assertEquals("[\"x-box\",\"y box\",\"width\"]", m.get("features").get("names").toString());
    assertEquals(
        "[\"red\",null,\"blue\"]", m.get("features").get("categorical").get("colour").toString());
    NpyShardFile.NpyArray x = NpyShardFile.readArrays(meta).get("x");
    assertArrayEquals(new long[] {3, 3}, x.shape());
    assertEquals("float32", x.dtype());
  }

  @Test
  void rowsThatDisagreeWithTheNamesNameTheRowAndLeaveNoFile() {
    List<Sample> bad = new ArrayList<>(rows());
    bad.add(row("t.csv#9", "A", new float[] {1f, 2f}, new String[] {"red", "square"}));
    Path parquet = dir.resolve("bad.parquet");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ParquetShardFile.write(
                    parquet,
                    bad,
                    LABELS,
                    ParquetShardFile.Options.defaults().withFeatureNames(NAMES)));
    assertTrue(e.getMessage().contains("t.csv#9"), e.getMessage());
    assertFalse(Files.exists(parquet));
    Path arrow = dir.resolve("bad.arrow");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ArrowShardFile.write(
                arrow, bad, LABELS, ArrowShardFile.Options.defaults().withFeatureNames(NAMES)));
    assertFalse(Files.exists(arrow));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            NpyShardFile.sink(NpyShardFile.Options.defaults().withFeatureNames(NAMES))
                .write(dir, "n", bad, LABELS));
    assertFalse(Files.exists(dir.resolve("n.x.npy")));
  }

  @Test
  void withoutNamesTheWritersNameFeaturesByPosition() throws Exception {
    Path file = dir.resolve("positional.parquet");
    ParquetShardFile.write(file, rows(), LABELS, ParquetShardFile.Options.defaults());
    JsonNode f = JSON.readTree(DuckDb.kvMetadata(file).get(ParquetShardFile.FEATURES_KEY));
    assertEquals("[\"f0\",\"f1\",\"f2\"]", f.get("names").toString());
    assertEquals("[\"c0\",\"c1\"]", f.get("categorical").toString());
    assertRowsMatch(rows(), ShardReader.read(file));
  }

  @Test
  void categoricalNamesCannotTakeAShardColumnsName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new FeatureNames(List.of("a"), List.of("split")));
    assertTrue(e.getMessage().contains("\"split\""), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new FeatureNames(List.of("a"), List.of("a")));
  }
}
