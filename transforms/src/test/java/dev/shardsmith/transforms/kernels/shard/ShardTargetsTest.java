package dev.shardsmith.transforms.kernels.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.LabelMap;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.schemas.Targets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boxes, keypoints and masks in every shard format, read back by our readers and by independent
 * ones (numpy for .npy, DuckDB for Parquet).
 */
class ShardTargetsTest {
  private static final int W = 8;
  private static final int H = 6;
  private static final LabelMap LABELS = LabelMap.declared(List.of("scene"));
  private static final String BASE = "part-00000-of-00001";

  @TempDir Path dir;

  private static byte[] mask(int seed) {
    byte[] m = new byte[W * H];
    for (int i = 0; i < m.length; i++) {
      m[i] = (byte) ((i * seed) % 21);
    }
    return m;
  }

  static final Targets FULL =
      new Targets(
          new float[] {1, 2, 5, 6, 0.5f, 0.25f, 8, 6},
          new String[] {"person", "bottle"},
          new int[] {15, 5},
          new byte[] {0, Targets.CROWD},
          new float[] {3.5f, 4.5f, 2, -1, 7, 0},
          new String[] {"nose", "eye"},
          mask(7));
  static final Targets BOX_ONLY =
      new Targets(
              new float[] {0, 0, 8, 6},
              new String[] {"person"},
              new int[] {15},
              new byte[] {Targets.DIFFICULT},
              new float[0],
              new String[0],
              null)
          .withMask(mask(3));

  private static List<Sample> rows() {
    List<Targets> targets = List.of(FULL, BOX_ONLY, Targets.NONE);
    List<Sample> rows = new java.util.ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      rows.add(
          Sample.builder()
              .id("img" + i + ".jpg")
              .group("g" + i)
              .labels(List.of("scene"))
              .split(Split.TRAIN)
              .payloadHash("h" + i)
              .payload(ImagePayload.raw(new byte[W * H * 3], W, H, 3).withTargets(targets.get(i)))
              .build());
    }
    return rows;
  }

  @Test
  void parquetAndArrowRoundTripTargetsExactly() throws Exception {
    ParquetShardFile.sink(ParquetShardFile.Options.defaults()).write(dir, BASE, rows(), LABELS);
    ArrowShardFile.sink(ArrowShardFile.Options.defaults()).write(dir, BASE, rows(), LABELS);
    for (String file : List.of(BASE + ".parquet", BASE + ".arrow")) {
      List<Targets> got = ShardReader.readTargets(dir.resolve(file));
      assertEquals(List.of(FULL, BOX_ONLY, Targets.NONE), got, file);
    }
    assertEquals(
        "{\"dtype\":\"uint8\",\"shape\":[6,8],\"layout\":\"HW\"}",
        ParquetShardFile.readMetadata(dir.resolve(BASE + ".parquet"))
            .get(ParquetShardFile.MASK_TENSOR_KEY));
  }

  @Test
  void nodeApacheArrowReadsTheTargetColumns() throws Exception {
    ArrowShardFile.sink(ArrowShardFile.Options.defaults()).write(dir, BASE, rows(), LABELS);
    Path node = Path.of("src/test/node");
    boolean ready = java.nio.file.Files.exists(node.resolve("node_modules/apache-arrow"));
    Peers.require(
        ready, "node_modules/apache-arrow is not installed (ArrowShardFileTest runs npm ci)");
    Process p =
        new ProcessBuilder(
                "node",
                "read-targets.mjs",
                dir.resolve(BASE + ".arrow").toAbsolutePath().toString())
            .directory(node.toFile())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err);
    JsonNode j = new ObjectMapper().readTree(out);
    assertEquals(
        new ObjectMapper()
            .readTree(
                "[[{\"x_min\":1,\"y_min\":2,\"x_max\":5,\"y_max\":6,\"label\":15,"
                    + "\"label_name\":\"person\",\"flags\":0},{\"x_min\":0.5,\"y_min\":0.25,"
                    + "\"x_max\":8,\"y_max\":6,\"label\":5,\"label_name\":\"bottle\",\"flags\":2}],"
                    + "[{\"x_min\":0,\"y_min\":0,\"x_max\":8,\"y_max\":6,\"label\":15,"
                    + "\"label_name\":\"person\",\"flags\":1}],[]]"),
        j.get("boxes"));
    assertEquals(
        new ObjectMapper()
            .readTree(
                "[[{\"x\":3.5,\"y\":4.5,\"visibility\":2,\"name\":\"nose\"},"
                    + "{\"x\":-1,\"y\":7,\"visibility\":0,\"name\":\"eye\"}],[],[]]"),
        j.get("keypoints"));
    assertEquals(W * H, j.get("mask").get(0).size());
    assertEquals((13 * 7) % 21, j.get("mask").get(0).get(13).asInt());
    assertTrue(j.get("mask").get(2).isNull());
  }

  @Test
  void duckDbReadsTheTargetColumns() throws Exception {
    Path file = dir.resolve(BASE + ".parquet");
    ParquetShardFile.sink(ParquetShardFile.Options.defaults()).write(dir, BASE, rows(), LABELS);
    List<Map<String, Object>> r =
        DuckDb.query(
            "SELECT id, len(boxes) AS nb, boxes[2].x_min AS x0, boxes[2].label AS cls,"
                + " boxes[2].label_name AS name, boxes[2].flags AS flags,"
                + " len(keypoints) AS nk, keypoints[1].x AS kx, keypoints[2].visibility AS kv,"
                + " keypoints[1].name AS kname, octet_length(mask) AS mask_bytes"
                + " FROM read_parquet('"
                + file
                + "') ORDER BY id");
    assertEquals(3, r.size());
    Map<String, Object> a = r.get(0);
    assertEquals(2L, ((Number) a.get("nb")).longValue());
    assertEquals(0.5f, ((Number) a.get("x0")).floatValue());
    assertEquals(5L, ((Number) a.get("cls")).longValue());
    assertEquals("bottle", DuckDb.text(a.get("name")));
    assertEquals(2, ((Number) a.get("flags")).intValue());
    assertEquals(2L, ((Number) a.get("nk")).longValue());
    assertEquals(3.5f, ((Number) a.get("kx")).floatValue());
    assertEquals(0, ((Number) a.get("kv")).intValue());
    assertEquals("nose", DuckDb.text(a.get("kname")));
    assertEquals((long) W * H, ((Number) a.get("mask_bytes")).longValue());
    assertEquals(0L, ((Number) r.get(2).get("nb")).longValue());
    assertNull(r.get(2).get("mask_bytes"));
    // a mask value as DuckDB sees it: byte 13 of row 0 is (13 * 7) % 21 = 7
    List<Map<String, Object>> v =
        DuckDb.query(
            "SELECT hex(mask) AS b FROM read_parquet('" + file + "') WHERE id = 'img0.jpg'");
    String hex = DuckDb.text(v.get(0).get("b"));
    assertEquals(2 * W * H, hex.length());
    assertEquals("07", hex.substring(26, 28));
  }

  @Test
  void npyArraysAsNumpySeesThem() throws Exception {
    NpyShardFile.sink(NpyShardFile.Options.defaults()).write(dir, BASE, rows(), LABELS);
    List<Targets> got = ShardReader.readTargets(dir.resolve(BASE + ".meta.json"));
    assertEquals(FULL, got.get(0));
    assertEquals(BOX_ONLY, got.get(1));
    // a row without a mask reads back as all zeros: .npy has no nulls
    assertArrayEquals(new byte[W * H], got.get(2).mask());
    assertEquals(0, got.get(2).boxCount());

    Peers.require(
        new java.io.File("/usr/bin/python3").canExecute(), "/usr/bin/python3 with numpy needed");
    String script =
        """
        import json, sys, numpy as np
        b = sys.argv[1]
        boxes = np.load(b + '.boxes.npy'); n = np.load(b + '.n_boxes.npy')
        cls = np.load(b + '.box_labels.npy'); flags = np.load(b + '.box_flags.npy')
        kp = np.load(b + '.keypoints.npy'); nk = np.load(b + '.n_keypoints.npy')
        mask = np.load(b + '.mask.npy', mmap_mode='r')
        print(json.dumps({
          'boxes': [str(boxes.dtype), list(boxes.shape), boxes[0, 1].tolist(), boxes[2].tolist()],
          'n_boxes': [str(n.dtype), n.tolist()],
          'box_labels': [str(cls.dtype), cls.tolist()],
          'box_flags': [str(flags.dtype), flags.tolist()],
          'keypoints': [str(kp.dtype), list(kp.shape), kp[0].tolist(), kp[1].tolist()],
          'n_keypoints': nk.tolist(),
          'mask': [str(mask.dtype), list(mask.shape), int(mask[0, 1, 5]), int(mask[2].sum())],
        }))
        """;
    Process p =
        new ProcessBuilder("/usr/bin/python3", "-c", script, dir.resolve(BASE).toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err);
    JsonNode j = new ObjectMapper().readTree(out);
    assertEquals(
        new ObjectMapper()
            .readTree(
                "{\"boxes\":[\"float32\",[3,2,4],[0.5,0.25,8.0,6.0],"
                    + "[[-1.0,-1.0,-1.0,-1.0],[-1.0,-1.0,-1.0,-1.0]]],"
                    + "\"n_boxes\":[\"int32\",[2,1,0]],"
                    + "\"box_labels\":[\"int64\",[[15,5],[15,-1],[-1,-1]]],"
                    + "\"box_flags\":[\"uint8\",[[0,2],[1,0],[0,0]]],"
                    + "\"keypoints\":[\"float32\",[3,2,3],[[3.5,4.5,2.0],[-1.0,7.0,0.0]],"
                    + "[[-1.0,-1.0,-1.0],[-1.0,-1.0,-1.0]]],"
                    + "\"n_keypoints\":[2,0,0],"
                    + "\"mask\":[\"uint8\",[3,6,8],"
                    + ((1 * W + 5) * 7 % 21)
                    + ",0]}"),
        j);
  }
}
