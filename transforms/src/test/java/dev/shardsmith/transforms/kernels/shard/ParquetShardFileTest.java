package dev.shardsmith.transforms.kernels.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.LabelMap;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.schemas.TextPayload;
import dev.shardsmith.transforms.kernels.shard.ParquetShardFile.Compression;
import dev.shardsmith.transforms.kernels.shard.ParquetShardFile.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParquetShardFileTest {
  private static final int H = 4;
  private static final int W = 3;
  private static final int C = 3;
  private static final LabelMap LABELS = LabelMap.declared(List.of("cat", "dog", "fox"));
  private static final Applied HFLIP =
      Applied.of(1, List.of(new Applied.Op("hflip", 0, new TreeMap<>(Map.of("p", 0.5)))));

  @TempDir Path dir;

  /** H x W x C pixels where byte i is {@code seed + i}, so every row and position differs. */
  private static byte[] pixels(int seed, int h, int w, int c) {
    byte[] b = new byte[h * w * c];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (seed + i);
    }
    return b;
  }

  private static Sample original(String id, List<String> labels, int seed) {
    return Sample.builder()
        .id(id)
        .group("g-" + id)
        .labels(labels)
        .split(Split.TRAIN)
        .fold(seed % 3)
        .payloadHash(String.format("%064x", seed))
        .payload(ImagePayload.raw(pixels(seed, H, W, C), W, H, C))
        .build();
  }

  /** Rows deliberately out of id order: the writer must keep them as given. */
  private static List<Sample> rows() {
    Sample c = original("c.jpg", List.of("fox"), 30);
    Sample a = original("a.jpg", List.of(), 10);
    Sample derived =
        original("b.jpg", List.of("dog", "cat"), 20).toBuilder()
            .id("b.jpg#augmented0")
            .sourceIds(List.of("b.jpg", "x.jpg"))
            .group("g-b")
            .split(Split.VAL)
            .derived("augmented", 0)
            .applied(HFLIP)
            .build();
    return List.of(c, a, derived);
  }

  private static String sql(Path file) {
    return "SELECT * FROM read_parquet('"
        + file
        + "', file_row_number=true) ORDER BY file_row_number";
  }

  @Test
  void fixedShapeRowsReadBackByDuckDbColumnByColumn() throws Exception {
    Path file = dir.resolve("part-00000-of-00001.parquet");
    List<Sample> written = rows();
    ShardFileResult r = ParquetShardFile.write(file, written, LABELS, Options.defaults());

    assertEquals(3, r.rows());
    assertEquals(Files.size(file), r.bytes());
    assertEquals(Sha256Files.of(file), r.sha256());

    List<Map<String, Object>> got = DuckDb.query(sql(file));
    assertEquals(3, got.size());
    int[] label = {2, -1, 1};
    String[] labelName = {"fox", null, "dog"};
    List<List<Object>> labelLists = List.of(List.of(2), List.of(), List.of(1, 0));
    List<List<Object>> sources =
        List.of(List.of("c.jpg"), List.of("a.jpg"), List.of("b.jpg", "x.jpg"));
    for (int i = 0; i < 3; i++) {
      Sample s = written.get(i);
      Map<String, Object> row = got.get(i);
      assertEquals(s.id(), row.get("id"), "id of row " + i);
      assertArrayEquals(s.image().bytes(), (byte[]) row.get("image"), "image of " + s.id());
      assertEquals(label[i], row.get("label"), "label of " + s.id());
      assertEquals(labelName[i], row.get("label_name"), "label_name of " + s.id());
      assertEquals(labelLists.get(i), row.get("labels"), "labels of " + s.id());
      assertEquals(sources.get(i), row.get("source_ids"), "source_ids of " + s.id());
      assertEquals(s.split().folder(), row.get("split"));
      assertEquals(s.fold(), row.get("fold"));
      assertEquals(s.group(), row.get("group"));
      assertEquals(s.copyIndex(), row.get("copy_index"));
      assertEquals(s.derivedKind(), row.get("derived_kind"));
      assertEquals(s.payloadHash(), row.get("payload_sha256"));
      assertEquals(s.applied(), Applied.fromJson((String) row.get("applied")));
    }
    assertNull(got.get(0).get("derived_kind"));
    assertEquals("augmented", got.get(2).get("derived_kind"));
    assertEquals(0, got.get(2).get("copy_index"));
    assertEquals(-1, got.get(0).get("copy_index"));
    assertEquals("val", got.get(2).get("split"));
    assertTrue(((String) got.get(2).get("applied")).contains("\"op\":\"hflip\""));
  }

  @Test
  void fixedShapeSchemaAndKeyValueMetadata() throws Exception {
    Path file = dir.resolve("s.parquet");
    ParquetShardFile.write(file, rows(), LABELS, Options.defaults());

    Map<String, String> kv = DuckDb.kvMetadata(file);
    assertEquals(
        "{\"dtype\":\"uint8\",\"shape\":[4,3,3],\"layout\":\"HWC\",\"channel_order\":\"RGB\"}",
        kv.get("shardsmith.tensor.image"));
    assertEquals("[\"cat\",\"dog\",\"fox\"]", kv.get("shardsmith.labels"));
    assertEquals("1", kv.get("shardsmith.format_version"));
    assertNull(kv.get("shardsmith.image.encoding"));

    Map<String, String> types = new TreeMap<>();
    for (Map<String, Object> r :
        DuckDb.query(
            "SELECT name, type, type_length, converted_type FROM parquet_schema('" + file + "')")) {
      types.put(
          (String) r.get("name"),
          r.get("type") + "/" + r.get("type_length") + "/" + r.get("converted_type"));
    }
    assertEquals("FIXED_LEN_BYTE_ARRAY/36/null", types.get("image"));
    assertEquals("BYTE_ARRAY/null/UTF8", types.get("id"));
    assertEquals("INT32/null/null", types.get("fold"));
    assertTrue(types.containsKey("list"), "3-level LIST groups: " + types);
    assertTrue(!types.containsKey("height"), "fixed shape has no height column: " + types);
  }

  @Test
  void readReturnsRowsInWrittenOrderWithShape() throws Exception {
    Path file = dir.resolve("s.parquet");
    List<Sample> written = rows();
    ParquetShardFile.write(file, written, LABELS, Options.defaults());

    List<ShardRow> got = ParquetShardFile.read(file);
    assertEquals(
        List.of("c.jpg", "a.jpg", "b.jpg#augmented0"), got.stream().map(ShardRow::id).toList());
    ShardRow d = got.get(2);
    assertArrayEquals(written.get(2).image().bytes(), d.image());
    assertEquals(List.of(H, W, C), List.of(d.height(), d.width(), d.channels()));
    assertEquals(ImagePayload.RAW, d.format());
    assertEquals(1, d.label());
    assertEquals("dog", d.labelName());
    assertEquals(List.of(1, 0), d.labels());
    assertEquals("val", d.split());
    assertEquals(HFLIP, Applied.fromJson(d.applied()));
    assertEquals(-1, got.get(1).label());
    assertNull(got.get(1).labelName());
  }

  @Test
  void encodedPngRowsKeepBytesAndSize() throws Exception {
    byte[] png = Files.readAllBytes(Path.of("../sample-data/photos/smarties.png"));
    Sample a =
        original("smarties.png", List.of("cat"), 1).toBuilder()
            .payload(ImagePayload.encoded(png, "png", 413, 356, 3, 1))
            .build();
    byte[] tiny = Files.readAllBytes(Path.of("../sample-data/photos/opencv-logo.png"));
    Sample b =
        original("logo.png", List.of("fox"), 2).toBuilder()
            .payload(ImagePayload.encoded(tiny, "png", 7, 5, 4, 1))
            .build();
    Path file = dir.resolve("enc.parquet");
    ShardFileResult r = ParquetShardFile.write(file, List.of(a, b), LABELS, Options.defaults());
    assertEquals(2, r.rows());

    List<Map<String, Object>> got = DuckDb.query(sql(file));
    assertArrayEquals(png, (byte[]) got.get(0).get("image"));
    assertEquals(356, got.get(0).get("height"));
    assertEquals(413, got.get(0).get("width"));
    assertEquals(3, got.get(0).get("channels"));
    assertArrayEquals(tiny, (byte[]) got.get(1).get("image"));
    assertEquals(
        List.of(5, 7, 4),
        List.of(got.get(1).get("height"), got.get(1).get("width"), got.get(1).get("channels")));
    Map<String, String> kv = DuckDb.kvMetadata(file);
    assertEquals("png", kv.get("shardsmith.image.encoding"));
    assertNull(kv.get("shardsmith.tensor.image"));

    List<ShardRow> mine = ParquetShardFile.read(file);
    assertEquals("png", mine.get(0).format());
    assertEquals(356, mine.get(0).height());
    assertArrayEquals(png, mine.get(0).image());
  }

  @Test
  void sameRowsGiveByteIdenticalFiles() throws Exception {
    Path one = dir.resolve("one.parquet");
    Path two = dir.resolve("two.parquet");
    ShardFileResult r1 = ParquetShardFile.write(one, rows(), LABELS, Options.defaults());
    ShardFileResult r2 = ParquetShardFile.write(two, rows(), LABELS, Options.defaults());
    assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
    assertEquals(r1, r2);

    // Rewriting in place replaces the file and still gives the same bytes.
    ShardFileResult again = ParquetShardFile.write(one, rows(), LABELS, Options.defaults());
    assertEquals(r1, again);
    assertEquals(r1.sha256(), Sha256Files.of(one));

    // The order is part of the content: the writer does not sort.
    List<Sample> reversed = new java.util.ArrayList<>(rows());
    java.util.Collections.reverse(reversed);
    ShardFileResult r3 =
        ParquetShardFile.write(dir.resolve("rev.parquet"), reversed, LABELS, Options.defaults());
    assertNotEquals(r1.sha256(), r3.sha256());
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void withoutSha256TheFileIsByteIdenticalAndNoHashIsReported(Compression compression)
      throws Exception {
    Options hashing = Options.defaults().withCompression(compression);
    Options plain = hashing.withSha256(false);
    assertTrue(hashing.sha256());
    assertTrue(!plain.sha256());
    Path one = dir.resolve("hashed.parquet");
    Path two = dir.resolve("plain.parquet");
    ShardFileResult r1 = ParquetShardFile.write(one, rows(), LABELS, hashing);
    ShardFileResult r2 = ParquetShardFile.write(two, rows(), LABELS, plain);
    assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
    assertEquals(Sha256Files.of(one), r1.sha256());
    assertNull(r2.sha256());
    assertEquals(Files.size(two), r2.bytes());
    WrittenFile w = ParquetShardFile.sink(plain).write(dir, "sink", rows(), LABELS).get(0);
    assertNull(w.sha256());
    assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(dir.resolve(w.name())));
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void everyCompressionIsReadableByDuckDb(Compression compression) throws Exception {
    Path file = dir.resolve(compression + ".parquet");
    List<Sample> written = rows();
    ParquetShardFile.write(file, written, LABELS, Options.defaults().withCompression(compression));

    List<Map<String, Object>> got = DuckDb.query(sql(file));
    for (int i = 0; i < written.size(); i++) {
      assertArrayEquals(written.get(i).image().bytes(), (byte[]) got.get(i).get("image"));
      assertEquals(written.get(i).id(), got.get(i).get("id"));
    }
    String expected = compression == Compression.NONE ? "UNCOMPRESSED" : compression.name();
    for (Map<String, Object> m :
        DuckDb.query("SELECT compression FROM parquet_metadata('" + file + "')")) {
      assertEquals(expected, m.get("compression"));
    }
  }

  @Test
  void rowGroupBytesSplitsLargeShards() throws Exception {
    SplittableRandom rng = new SplittableRandom(7);
    List<Sample> big = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] px = new byte[64 * 64 * 3];
      rng.nextBytes(px);
      big.add(
          original(String.format("img-%03d", i), List.of("cat"), i).toBuilder()
              .payload(ImagePayload.raw(px, 64, 64, 3))
              .build());
    }
    Path small = dir.resolve("small-groups.parquet");
    Path one = dir.resolve("one-group.parquet");
    ParquetShardFile.write(small, big, LABELS, Options.defaults().withRowGroupBytes(1 << 20));
    ParquetShardFile.write(one, big, LABELS, Options.defaults());

    assertTrue(rowGroups(small) > 1, "1 MiB row groups over 2.4 MiB of pixels");
    assertEquals(1, rowGroups(one));
    List<Map<String, Object>> got = DuckDb.query(sql(small));
    assertEquals(200, got.size());
    assertArrayEquals(big.get(199).image().bytes(), (byte[]) got.get(199).get("image"));
  }

  private static long rowGroups(Path file) throws Exception {
    return ((Number)
            DuckDb.query(
                    "SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('"
                        + file
                        + "')")
                .get(0)
                .get("n"))
        .longValue();
  }

  @Test
  void emptyShardIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ParquetShardFile.write(
                    dir.resolve("e.parquet"), List.of(), LABELS, Options.defaults()));
    assertTrue(e.getMessage().contains("at least one row"), e.getMessage());
    assertTrue(!Files.exists(dir.resolve("e.parquet")));
  }

  @Test
  void mixedShapesNameTheOffendingRow() {
    Sample odd =
        original("odd.jpg", List.of("cat"), 5).toBuilder()
            .payload(ImagePayload.raw(pixels(5, 3, 4, 3), 4, 3, 3))
            .build();
    List<Sample> rows = new java.util.ArrayList<>(rows());
    rows.add(1, odd);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ParquetShardFile.write(dir.resolve("m.parquet"), rows, LABELS, Options.defaults()));
    assertTrue(e.getMessage().contains("odd.jpg"), e.getMessage());
    assertTrue(e.getMessage().contains("3x4x3"), e.getMessage());
    assertTrue(!Files.exists(dir.resolve("m.parquet")));
  }

  @Test
  void mixedPixelDtypesAreRejected() {
    Sample f =
        original("f.png", List.of("cat"), 5).toBuilder()
            .payload(ImagePayload.rawFloat32(new byte[H * W * C * 4], W, H, C))
            .build();
    IllegalArgumentException mixed =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ParquetShardFile.write(
                    dir.resolve("x.parquet"),
                    List.of(rows().get(0), f),
                    LABELS,
                    Options.defaults()));
    assertEquals(
        "a fixed-shape shard holds one pixel dtype: row f.png is float32 but row c.jpg is uint8",
        mixed.getMessage());
  }

  @Test
  void mixedRawAndEncodedAndUnknownLabelsAreRejected() {
    Sample png =
        original("p.png", List.of("cat"), 5).toBuilder()
            .payload(ImagePayload.encoded(new byte[] {1, 2}, "png", 1, 1, 3, 1))
            .build();
    IllegalArgumentException mixed =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ParquetShardFile.write(
                    dir.resolve("x.parquet"),
                    List.of(rows().get(0), png),
                    LABELS,
                    Options.defaults()));
    assertTrue(mixed.getMessage().contains("p.png"), mixed.getMessage());

    Sample wolf = original("w.jpg", List.of("wolf"), 5);
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ParquetShardFile.write(
                    dir.resolve("y.parquet"), List.of(wolf), LABELS, Options.defaults()));
    assertTrue(
        unknown.getMessage().contains("w.jpg") && unknown.getMessage().contains("wolf"),
        unknown.getMessage());
    assertTrue(!Files.exists(dir.resolve("y.parquet")), "a rejected shard leaves no file");

    Sample unsplit =
        original("u.jpg", List.of("cat"), 6).toBuilder().split(Split.UNASSIGNED).build();
    Path z = dir.resolve("z.parquet");
    IllegalArgumentException noSplit =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ParquetShardFile.write(
                    z, List.of(rows().get(0), unsplit), LABELS, Options.defaults()));
    assertTrue(noSplit.getMessage().contains("u.jpg"), noSplit.getMessage());
    assertTrue(!Files.exists(z), "a rejected shard leaves no file");
  }

  @Test
  void grayTensorSaysGray() throws Exception {
    Sample g =
        original("g.png", List.of("cat"), 9).toBuilder()
            .payload(ImagePayload.raw(pixels(9, 2, 2, 1), 2, 2, 1))
            .build();
    Path file = dir.resolve("gray.parquet");
    ParquetShardFile.write(file, List.of(g), LABELS, Options.defaults());
    assertEquals(
        "{\"dtype\":\"uint8\",\"shape\":[2,2,1],\"layout\":\"HWC\",\"channel_order\":\"GRAY\"}",
        DuckDb.kvMetadata(file).get("shardsmith.tensor.image"));
  }

  // ---- text shards ----

  private static final String NON_ASCII = "naïve café — 東京 🙂";

  private static Sample text(String id, List<String> labels, String text) {
    return original(id, labels, 7).toBuilder().payload(new TextPayload(text)).build();
  }

  /** Out of id order, non-ASCII text, an empty text, a derived row. */
  private static List<Sample> textRows() {
    return List.of(
        text("t2", List.of("fox"), NON_ASCII),
        text("t1", List.of(), ""),
        text("t0", List.of("dog", "cat"), "plain ascii").toBuilder()
            .id("t0#augmented0")
            .derived("augmented", 0)
            .applied(HFLIP)
            .build());
  }

  @Test
  void textRowsReadBackByDuckDbAndOurReader() throws Exception {
    Path file = dir.resolve("text.parquet");
    List<Sample> written = textRows();
    ShardFileResult r = ParquetShardFile.write(file, written, LABELS, Options.defaults());
    assertEquals(3, r.rows());
    assertEquals(Sha256Files.of(file), r.sha256());

    List<Map<String, Object>> got =
        DuckDb.query(
            "SELECT id, text FROM read_parquet('"
                + file
                + "', file_row_number=true) ORDER BY file_row_number");
    assertEquals(
        List.of(
            Map.of("id", "t2", "text", NON_ASCII),
            Map.of("id", "t1", "text", ""),
            Map.of("id", "t0#augmented0", "text", "plain ascii")),
        got);

    Map<String, String> kv = DuckDb.kvMetadata(file);
    assertEquals("text", kv.get("shardsmith.payload"));
    assertNull(kv.get("shardsmith.tensor.image"));
    assertNull(kv.get("shardsmith.image.encoding"));
    Map<String, String> types = new TreeMap<>();
    for (Map<String, Object> c :
        DuckDb.query(
            "SELECT name, type, converted_type, repetition_type FROM parquet_schema('"
                + file
                + "')")) {
      types.put(
          (String) c.get("name"),
          c.get("type") + "/" + c.get("converted_type") + "/" + c.get("repetition_type"));
    }
    assertEquals("BYTE_ARRAY/UTF8/REQUIRED", types.get("text"));
    assertTrue(!types.containsKey("image") && !types.containsKey("height"), types.toString());
    assertTrue(
        types.containsKey("payload_sha256") && types.containsKey("applied"), types.toString());

    List<ShardRow> mine = ParquetShardFile.read(file);
    assertEquals(List.of(NON_ASCII, "", "plain ascii"), mine.stream().map(ShardRow::text).toList());
    ShardRow d = mine.get(2);
    assertEquals("t0#augmented0", d.id());
    assertNull(d.image());
    assertEquals("text", d.format());
    assertEquals(List.of(0, 0, 0), List.of(d.height(), d.width(), d.channels()));
    assertEquals(List.of(1, 0), d.labels());
    assertEquals(HFLIP, Applied.fromJson(d.applied()));
  }

  @Test
  void imageShardsSayImagePayloadAndReadNoText() throws Exception {
    Path file = dir.resolve("img.parquet");
    ParquetShardFile.write(file, rows(), LABELS, Options.defaults());
    assertEquals("image", DuckDb.kvMetadata(file).get("shardsmith.payload"));
    assertNull(ParquetShardFile.read(file).get(0).text());
  }

  @Test
  void sameTextRowsGiveByteIdenticalFiles() throws Exception {
    ShardFileResult r1 =
        ParquetShardFile.write(dir.resolve("a.parquet"), textRows(), LABELS, Options.defaults());
    ShardFileResult r2 =
        ParquetShardFile.write(dir.resolve("b.parquet"), textRows(), LABELS, Options.defaults());
    assertEquals(r1.sha256(), r2.sha256());
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a.parquet")), Files.readAllBytes(dir.resolve("b.parquet")));
  }

  @Test
  void mixedTextAndImageRowsNameTheRowAndLeaveNoFile() {
    Path file = dir.resolve("mixed.parquet");
    List<Sample> textFirst = List.of(textRows().get(0), rows().get(0));
    IllegalArgumentException e1 =
        assertThrows(
            IllegalArgumentException.class,
            () -> ParquetShardFile.write(file, textFirst, LABELS, Options.defaults()));
    assertTrue(e1.getMessage().contains("row c.jpg"), e1.getMessage());
    List<Sample> imageFirst = List.of(rows().get(0), rows().get(1), textRows().get(1));
    IllegalArgumentException e2 =
        assertThrows(
            IllegalArgumentException.class,
            () -> ParquetShardFile.write(file, imageFirst, LABELS, Options.defaults()));
    assertTrue(e2.getMessage().contains("row t1"), e2.getMessage());
    assertTrue(!Files.exists(file), "a rejected shard leaves no file");
  }

  @Test
  void optionsValidateAndParse() {
    assertEquals(Compression.SNAPPY, Compression.parse("Snappy"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("gzip"));
    assertTrue(e.getMessage().contains("gzip") && e.getMessage().contains("zstd"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Options.defaults().withRowGroupBytes(1000));
    assertEquals(Compression.ZSTD, Options.defaults().compression());
  }
}
