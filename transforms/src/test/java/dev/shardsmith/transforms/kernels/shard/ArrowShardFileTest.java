package dev.shardsmith.transforms.kernels.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.LabelMap;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.schemas.TextPayload;
import dev.shardsmith.transforms.kernels.shard.ArrowShardFile.Compression;
import dev.shardsmith.transforms.kernels.shard.ArrowShardFile.Options;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.ExtensionTypeRegistry;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ArrowShardFileTest {
  private static final int H = 4;
  private static final int W = 3;
  private static final int C = 3;
  private static final LabelMap LABELS = LabelMap.declared(List.of("cat", "dog", "fox"));
  private static final Applied HFLIP =
      Applied.of(1, List.of(new Applied.Op("hflip", 0, new TreeMap<>(Map.of("p", 0.5)))));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path NODE_DIR = Path.of("src/test/node");

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

  /** Rows deliberately out of id order, with non-ASCII text: the writer keeps them as given. */
  private static List<Sample> rows() {
    Sample c = original("c.jpg", List.of("fox"), 30);
    Sample a = original("a-é😀.jpg", List.of(), 200);
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

  private static final int[] LABEL = {2, -1, 1};
  private static final String[] LABEL_NAME = {"fox", null, "dog"};
  private static final List<List<Integer>> LABEL_LISTS =
      List.of(List.of(2), List.of(), List.of(1, 0));

  // ---- our reader ----

  @Test
  void roundTripThroughOurReaderWithTensorExtensionAndNoLeak() throws Exception {
    Path file = dir.resolve("part-00000-of-00001.arrow");
    List<Sample> written = rows();
    try (BufferAllocator allocator = new RootAllocator()) {
      ShardFileResult r =
          ArrowShardFile.write(file, written, LABELS, Options.defaults(), allocator);
      assertEquals(0, allocator.getAllocatedMemory(), "the writer released every buffer");
      assertEquals(3, r.rows());
      assertEquals(Files.size(file), r.bytes());
      assertEquals(Sha256Files.of(file), r.sha256());

      List<ShardRow> got = ArrowShardFile.read(file, allocator);
      assertEquals(0, allocator.getAllocatedMemory(), "the reader released every buffer");
      assertEquals(3, got.size());
      for (int i = 0; i < 3; i++) {
        Sample s = written.get(i);
        ShardRow row = got.get(i);
        assertEquals(s.id(), row.id());
        assertArrayEquals(s.image().bytes(), row.image(), "pixels of " + s.id());
        assertEquals(ImagePayload.RAW, row.format());
        assertEquals(List.of(H, W, C), List.of(row.height(), row.width(), row.channels()));
        assertEquals(LABEL[i], row.label(), "label of " + s.id());
        assertEquals(LABEL_NAME[i], row.labelName(), "label_name of " + s.id());
        assertEquals(LABEL_LISTS.get(i), row.labels(), "labels of " + s.id());
        assertEquals(s.split().folder(), row.split());
        assertEquals(s.fold(), row.fold());
        assertEquals(s.applied(), Applied.fromJson(row.applied()));
      }

      // The columns ShardRow does not carry, and the field types, straight from Arrow Java.
      Map<String, List<Object>> cols = new TreeMap<>();
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
          ArrowFileReader reader =
              new ArrowFileReader(in, allocator, CommonsCompressionFactory.INSTANCE)) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        Field image = root.getSchema().findField("image");
        FixedShapeTensorType t = assertInstanceOf(FixedShapeTensorType.class, image.getType());
        assertEquals(List.of(H, W, C), t.shape());
        assertEquals(List.of("H", "W", "C"), t.dimNames());
        assertEquals(new ArrowType.Int(8, false), image.getChildren().get(0).getType());
        assertInstanceOf(FixedShapeTensorType.Vector.class, root.getVector("image"));
        assertEquals(
            List.of(
                "id",
                "image",
                "label",
                "label_name",
                "labels",
                "split",
                "fold",
                "group",
                "source_ids",
                "copy_index",
                "derived_kind",
                "payload_sha256",
                "applied"),
            root.getSchema().getFields().stream().map(Field::getName).toList());
        assertEquals(1, reader.getRecordBlocks().size());
        reader.loadNextBatch();
        for (FieldVector v : root.getFieldVectors()) {
          List<Object> values = new ArrayList<>();
          for (int i = 0; i < root.getRowCount(); i++) {
            Object o = v.getObject(i);
            values.add(o instanceof Text ? o.toString() : o);
          }
          cols.put(v.getName(), values);
        }
      }
      assertEquals(
          List.of(List.of("c.jpg"), List.of("a-é😀.jpg"), List.of("b.jpg", "x.jpg")),
          cols.get("source_ids").stream()
              .map(l -> ((List<?>) l).stream().map(Object::toString).toList())
              .toList());
      assertEquals(List.of("g-c.jpg", "g-a-é😀.jpg", "g-b"), cols.get("group"));
      assertEquals(List.of(-1, -1, 0), cols.get("copy_index"));
      assertEquals(Collections.singletonList("augmented"), cols.get("derived_kind").subList(2, 3));
      assertNull(cols.get("derived_kind").get(0));
      assertEquals(written.stream().map(Sample::payloadHash).toList(), cols.get("payload_sha256"));
      assertEquals(0, allocator.getAllocatedMemory());
    } // RootAllocator.close() throws on a leak.

    Map<String, String> kv = ArrowShardFile.readMetadata(file);
    assertEquals("[\"cat\",\"dog\",\"fox\"]", kv.get("shardsmith.labels"));
    assertEquals("1", kv.get("shardsmith.format_version"));
    assertEquals(
        "{\"dtype\":\"uint8\",\"shape\":[4,3,3],\"layout\":\"HWC\",\"channel_order\":\"RGB\"}",
        kv.get("shardsmith.tensor.image"));
    assertNull(kv.get("shardsmith.image.encoding"));
  }

  @Test
  void tensorTypeSerializesDeserializesAndIsRegistered() {
    FixedShapeTensorType t = FixedShapeTensorType.of(List.of(4, 3, 3), List.of("H", "W", "C"));
    assertEquals("{\"shape\":[4,3,3],\"dim_names\":[\"H\",\"W\",\"C\"]}", t.serialize());
    assertEquals(new ArrowType.FixedSizeList(36), t.storageType());
    assertEquals("arrow.fixed_shape_tensor", t.extensionName());

    ArrowType.ExtensionType registered =
        ExtensionTypeRegistry.lookup(FixedShapeTensorType.EXTENSION_NAME);
    assertInstanceOf(FixedShapeTensorType.class, registered);
    ArrowType back = registered.deserialize(t.storageType(), t.serialize());
    assertEquals(t, back);
    assertEquals(t.hashCode(), back.hashCode());
    ArrowType plain = registered.deserialize(new ArrowType.FixedSizeList(6), "{\"shape\":[2,3]}");
    assertEquals(FixedShapeTensorType.of(List.of(2, 3), null), plain);
    assertNotEquals(t, plain);
    assertNotEquals(t, FixedShapeTensorType.of(List.of(4, 3, 3), null));
    // pyarrow writes an identity permutation in some versions; that is the default layout.
    assertEquals(
        plain,
        registered.deserialize(
            new ArrowType.FixedSizeList(6), "{\"shape\":[2,3],\"permutation\":[0,1]}"));

    IllegalArgumentException size =
        assertThrows(
            IllegalArgumentException.class,
            () -> registered.deserialize(new ArrowType.FixedSizeList(7), "{\"shape\":[2,3]}"));
    assertTrue(size.getMessage().contains("7"), size.getMessage());
    IllegalArgumentException perm =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                registered.deserialize(
                    new ArrowType.FixedSizeList(6), "{\"shape\":[2,3],\"permutation\":[1,0]}"));
    assertTrue(perm.getMessage().contains("row-major"), perm.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> FixedShapeTensorType.of(List.of(2, 0), null));
    assertThrows(
        IllegalArgumentException.class, () -> FixedShapeTensorType.of(List.of(2, 3), List.of("H")));
  }

  @Test
  void encodedPngRowsKeepBytesAndSize() throws Exception {
    byte[] png = Files.readAllBytes(Path.of("../sample-data/photos/smarties.png"));
    byte[] tiny = Files.readAllBytes(Path.of("../sample-data/photos/opencv-logo.png"));
    List<Sample> rows = encodedRows(png, tiny);
    Path file = dir.resolve("enc.arrow");
    ShardFileResult r = ArrowShardFile.write(file, rows, LABELS, Options.defaults());
    assertEquals(2, r.rows());

    List<ShardRow> got = ArrowShardFile.read(file);
    assertEquals("png", got.get(0).format());
    assertArrayEquals(png, got.get(0).image());
    assertEquals(
        List.of(356, 413, 3),
        List.of(got.get(0).height(), got.get(0).width(), got.get(0).channels()));
    assertArrayEquals(tiny, got.get(1).image());
    assertEquals(
        List.of(5, 7, 4), List.of(got.get(1).height(), got.get(1).width(), got.get(1).channels()));
    Map<String, String> kv = ArrowShardFile.readMetadata(file);
    assertEquals("png", kv.get("shardsmith.image.encoding"));
    assertNull(kv.get("shardsmith.tensor.image"));
  }

  private static List<Sample> encodedRows(byte[] png, byte[] tiny) {
    Sample a =
        original("smarties.png", List.of("cat"), 1).toBuilder()
            .payload(ImagePayload.encoded(png, "png", 413, 356, 3, 1))
            .build();
    Sample b =
        original("logo.png", List.of("fox"), 2).toBuilder()
            .payload(ImagePayload.encoded(tiny, "png", 7, 5, 4, 1))
            .build();
    return List.of(a, b);
  }

  // ---- an independent reader: apache-arrow under Node ----

  @ParameterizedTest
  @EnumSource(Compression.class)
  void nodeApacheArrowReadsEveryColumnAndTheTensorExtension(Compression compression)
      throws Exception {
    Path file = dir.resolve(compression + ".arrow");
    List<Sample> written = rows();
    ArrowShardFile.write(file, written, LABELS, Options.defaults().withCompression(compression));
    JsonNode js = readWithNode(file);

    assertEquals(3, js.get("numRows").asInt());
    assertEquals(1, js.get("batches").asInt());
    JsonNode image = js.get("image");
    assertEquals(
        "arrow.fixed_shape_tensor", image.get("metadata").get("ARROW:extension:name").asText());
    assertEquals(
        "{\"shape\":[4,3,3],\"dim_names\":[\"H\",\"W\",\"C\"]}",
        image.get("metadata").get("ARROW:extension:metadata").asText());
    assertEquals(H * W * C, image.get("listSize").asInt());
    assertEquals("Uint8", image.get("childType").asText());
    assertTrue(image.get("type").asText().startsWith("FixedSizeList[36]"), image.toString());
    for (int i = 0; i < 3; i++) {
      byte[] px = written.get(i).image().bytes();
      JsonNode seen = image.get("rows").get(i);
      assertEquals(px.length, seen.get("length").asInt());
      assertEquals(sha256(px), seen.get("sha256").asText(), "pixels of row " + i);
      assertEquals(px[0] & 0xff, seen.get("first").get(0).asInt());
    }
    assertColumnsMatch(written, js);
    JsonNode meta = js.get("schemaMetadata");
    assertEquals("[\"cat\",\"dog\",\"fox\"]", meta.get("shardsmith.labels").asText());
    assertEquals("1", meta.get("shardsmith.format_version").asText());
  }

  @Test
  void nodeApacheArrowReadsEncodedImages() throws Exception {
    byte[] png = Files.readAllBytes(Path.of("../sample-data/photos/smarties.png"));
    byte[] tiny = Files.readAllBytes(Path.of("../sample-data/photos/opencv-logo.png"));
    Path file = dir.resolve("enc.arrow");
    ArrowShardFile.write(file, encodedRows(png, tiny), LABELS, Options.defaults());
    JsonNode js = readWithNode(file);

    assertEquals("png", js.get("schemaMetadata").get("shardsmith.image.encoding").asText());
    assertEquals("Binary", js.get("image").get("type").asText());
    assertFalse(js.get("image").get("metadata").has("ARROW:extension:name"));
    assertEquals(sha256(png), js.get("image").get("rows").get(0).get("sha256").asText());
    assertEquals(sha256(tiny), js.get("image").get("rows").get(1).get("sha256").asText());
    assertEquals(List.of(356, 5), ints(js.get("columns").get("height")));
    assertEquals(List.of(413, 7), ints(js.get("columns").get("width")));
    assertEquals(List.of(3, 4), ints(js.get("columns").get("channels")));
  }

  @Test
  void batchLimitsSplitRecordBatchesAndNodeStillSeesEveryRow() throws Exception {
    SplittableRandom rng = new SplittableRandom(7);
    List<Sample> big = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      byte[] px = new byte[128 * 128 * 3];
      rng.nextBytes(px);
      big.add(
          original(String.format("img-%03d", i), List.of("cat"), i).toBuilder()
              .payload(ImagePayload.raw(px, 128, 128, 3))
              .build());
    }
    // 49,152 bytes a row: 1 MiB holds 21 rows, so 40 rows make 2 batches; 7 rows a batch make 6.
    Path bytes = dir.resolve("bytes.arrow");
    Path rowsFile = dir.resolve("rows.arrow");
    Path one = dir.resolve("one.arrow");
    ArrowShardFile.write(bytes, big, LABELS, Options.defaults().withBatchBytes(1 << 20));
    ArrowShardFile.write(rowsFile, big, LABELS, Options.defaults().withBatchRows(7));
    ArrowShardFile.write(one, big, LABELS, Options.defaults());
    assertEquals(2, recordBatches(bytes));
    assertEquals(6, recordBatches(rowsFile));
    assertEquals(1, recordBatches(one));

    List<ShardRow> got = ArrowShardFile.read(rowsFile);
    assertEquals(40, got.size());
    for (int i = 0; i < 40; i++) {
      assertArrayEquals(big.get(i).image().bytes(), got.get(i).image(), "row " + i);
      assertEquals(big.get(i).id(), got.get(i).id());
    }
    JsonNode js = readWithNode(rowsFile);
    assertEquals(6, js.get("batches").asInt());
    assertEquals(40, js.get("numRows").asInt());
    assertEquals(
        sha256(big.get(39).image().bytes()),
        js.get("image").get("rows").get(39).get("sha256").asText());
    assertEquals("img-039", js.get("columns").get("id").get(39).asText());
  }

  // ---- determinism and the sink ----

  @ParameterizedTest
  @EnumSource(Compression.class)
  void sameRowsGiveByteIdenticalFilesAndTheSinkReportsThem(Compression compression)
      throws Exception {
    Options opts = Options.defaults().withCompression(compression);
    ShardSink sink = ArrowShardFile.sink(opts);
    assertEquals("arrow", sink.format());
    Path d1 = Files.createDirectory(dir.resolve("one"));
    Path d2 = Files.createDirectory(dir.resolve("two"));
    WrittenFile w1 = sink.write(d1, "part-00000-of-00002", rows(), LABELS).get(0);
    WrittenFile w2 = sink.write(d2, "part-00000-of-00002", rows(), LABELS).get(0);
    Path f1 = d1.resolve("part-00000-of-00002.arrow");
    assertEquals("part-00000-of-00002.arrow", w1.name());
    assertEquals("arrow", w1.format());
    assertEquals(3, w1.rows());
    assertEquals(Files.size(f1), w1.bytes());
    assertEquals(Sha256Files.of(f1), w1.sha256());
    assertEquals(w1, w2);
    assertArrayEquals(Files.readAllBytes(f1), Files.readAllBytes(d2.resolve(w2.name())));

    // Rewriting in place replaces the file with the same bytes.
    assertEquals(w1, sink.write(d1, "part-00000-of-00002", rows(), LABELS).get(0));

    // The order is part of the content: the writer does not sort.
    List<Sample> reversed = new ArrayList<>(rows());
    Collections.reverse(reversed);
    assertNotEquals(w1.sha256(), sink.write(d1, "rev", reversed, LABELS).get(0).sha256());
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void withoutSha256TheFileIsByteIdenticalAndNoHashIsReported(Compression compression)
      throws Exception {
    Options hashing = Options.defaults().withCompression(compression);
    Options plain = hashing.withSha256(false);
    assertTrue(hashing.sha256());
    assertFalse(plain.sha256());
    Path one = dir.resolve("hashed.arrow");
    Path two = dir.resolve("plain.arrow");
    ShardFileResult r1 = ArrowShardFile.write(one, rows(), LABELS, hashing);
    ShardFileResult r2 = ArrowShardFile.write(two, rows(), LABELS, plain);
    assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
    assertEquals(Sha256Files.of(one), r1.sha256());
    assertNull(r2.sha256());
    assertEquals(Files.size(two), r2.bytes());
    WrittenFile w = ArrowShardFile.sink(plain).write(dir, "sink", rows(), LABELS).get(0);
    assertNull(w.sha256());
    assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(dir.resolve(w.name())));
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void tensorValuesGoOutWithoutAValidityBitmapAndStillReadBack(Compression compression)
      throws Exception {
    Path file = dir.resolve("slim.arrow");
    ArrowShardFile.write(file, rows(), LABELS, Options.defaults().withCompression(compression));
    try (BufferAllocator allocator = new RootAllocator();
        FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader reader =
            new ArrowFileReader(in, allocator, ShardCompressionFactory.INSTANCE)) {
      int[] at = ArrowShardFile.tensorValuesAt(reader.getVectorSchemaRoot().getSchema());
      ArrowBlock block = reader.getRecordBlocks().get(0);
      in.position(block.getOffset());
      try (ArrowRecordBatch batch =
          MessageSerializer.deserializeRecordBatch(new ReadChannel(in), block, allocator)) {
        assertEquals(3 * H * W * C, batch.getNodes().get(at[0]).getLength(), "the values node");
        assertEquals(0, batch.getNodes().get(at[0]).getNullCount());
        long prefix = compression == Compression.NONE ? 0 : 8;
        assertEquals(prefix, batch.getBuffersLayout().get(at[1]).getSize(), "no validity bytes");
        assertTrue(
            batch.getBuffersLayout().get(at[1] + 1).getSize() >= prefix + 1,
            "the values' data buffer follows");
        if (compression == Compression.NONE) {
          assertEquals(3 * H * W * C, batch.getBuffersLayout().get(at[1] + 1).getSize());
        }
      }
    }
    List<ShardRow> got = ArrowShardFile.read(file);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(rows().get(i).image().bytes(), got.get(i).image());
    }
  }

  @Test
  void compressionsGiveDifferentFilesWithTheSameRows() throws Exception {
    // Compressible pixels, so a codec that silently did nothing would show.
    List<Sample> rows = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      rows.add(
          original("z" + i, List.of("dog"), i).toBuilder()
              .payload(ImagePayload.raw(new byte[64 * 64 * 3], 64, 64, 3))
              .build());
    }
    Map<Compression, Long> sizes = new TreeMap<>();
    for (Compression c : Compression.values()) {
      Path f = dir.resolve(c + ".arrow");
      sizes.put(
          c, ArrowShardFile.write(f, rows, LABELS, Options.defaults().withCompression(c)).bytes());
      assertArrayEquals(new byte[64 * 64 * 3], ArrowShardFile.read(f).get(7).image());
    }
    assertTrue(sizes.get(Compression.LZ4) < sizes.get(Compression.NONE) / 4, sizes.toString());
    assertTrue(sizes.get(Compression.ZSTD) < sizes.get(Compression.NONE) / 4, sizes.toString());
  }

  // ---- errors ----

  @Test
  void emptyShardIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ArrowShardFile.write(
                    dir.resolve("e.arrow"), List.of(), LABELS, Options.defaults()));
    assertTrue(e.getMessage().contains("at least one row"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("e.arrow")));
  }

  @Test
  void mixedShapesUnknownLabelsAndUnassignedSplitsNameTheRowAndLeaveNoFile() throws Exception {
    Sample odd =
        original("odd.jpg", List.of("cat"), 5).toBuilder()
            .payload(ImagePayload.raw(pixels(5, 3, 4, 3), 4, 3, 3))
            .build();
    List<Sample> mixed = new ArrayList<>(rows());
    mixed.add(1, odd);
    Path m = dir.resolve("m.arrow");
    Files.writeString(m, "stale");
    IllegalArgumentException shape =
        assertThrows(
            IllegalArgumentException.class,
            () -> ArrowShardFile.write(m, mixed, LABELS, Options.defaults()));
    assertTrue(shape.getMessage().contains("odd.jpg"), shape.getMessage());
    assertTrue(shape.getMessage().contains("3x4x3"), shape.getMessage());
    assertEquals("stale", Files.readString(m), "validation happens before the file is opened");

    Path y = dir.resolve("y.arrow");
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ArrowShardFile.write(
                    y,
                    List.of(rows().get(0), original("w.jpg", List.of("wolf"), 5)),
                    LABELS,
                    Options.defaults()));
    assertTrue(
        unknown.getMessage().contains("w.jpg") && unknown.getMessage().contains("wolf"),
        unknown.getMessage());
    assertFalse(Files.exists(y), "a rejected shard leaves no file");

    Sample unsplit =
        original("u.jpg", List.of("cat"), 6).toBuilder().split(Split.UNASSIGNED).build();
    Path z = dir.resolve("z.arrow");
    IllegalArgumentException noSplit =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ArrowShardFile.write(
                    z, List.of(rows().get(0), unsplit), LABELS, Options.defaults()));
    assertTrue(noSplit.getMessage().contains("u.jpg"), noSplit.getMessage());
    assertFalse(Files.exists(z), "a rejected shard leaves no file");

    Sample png =
        original("p.png", List.of("cat"), 5).toBuilder()
            .payload(ImagePayload.encoded(new byte[] {1, 2}, "png", 1, 1, 3, 1))
            .build();
    IllegalArgumentException rawAndEncoded =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ArrowShardFile.write(
                    dir.resolve("x.arrow"),
                    List.of(rows().get(0), png),
                    LABELS,
                    Options.defaults()));
    assertTrue(rawAndEncoded.getMessage().contains("p.png"), rawAndEncoded.getMessage());
  }

  @Test
  void readingANonShardArrowFileSaysWhy() throws Exception {
    // A valid Arrow file whose image column is plain binary with no encoding key.
    Path file = dir.resolve("other.arrow");
    org.apache.arrow.vector.types.pojo.Schema schema =
        new org.apache.arrow.vector.types.pojo.Schema(
            List.of(Field.notNullable("image", ArrowType.Binary.INSTANCE)));
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        FileChannel out =
            FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        org.apache.arrow.vector.ipc.ArrowFileWriter w =
            new org.apache.arrow.vector.ipc.ArrowFileWriter(root, null, out)) {
      w.start();
      w.end();
    }
    IOException e = assertThrows(IOException.class, () -> ArrowShardFile.read(file));
    assertTrue(e.getMessage().contains("not a shardsmith image shard"), e.getMessage());
  }

  // ---- text shards ----

  private static final String NON_ASCII = "naïve café — 東京 🙂";

  /** {@link #rows()} with text payloads: non-ASCII text, an empty text, plain ASCII. */
  private static List<Sample> textRows() {
    List<String> texts = List.of(NON_ASCII, "", "plain ascii");
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      out.add(rows().get(i).toBuilder().payload(new TextPayload(texts.get(i))).build());
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void textRowsReadBackByNodeAndOurReader(Compression compression) throws Exception {
    Path file = dir.resolve("text-" + compression + ".arrow");
    List<Sample> written = textRows();
    try (BufferAllocator allocator = new RootAllocator()) {
      ArrowShardFile.write(
          file, written, LABELS, Options.defaults().withCompression(compression), allocator);
      List<ShardRow> mine = ArrowShardFile.read(file, allocator);
      assertEquals(0, allocator.getAllocatedMemory(), "every buffer released");
      assertEquals(
          List.of(NON_ASCII, "", "plain ascii"), mine.stream().map(ShardRow::text).toList());
      assertEquals(
          written.stream().map(Sample::id).toList(), mine.stream().map(ShardRow::id).toList());
      for (ShardRow row : mine) {
        assertNull(row.image());
        assertEquals("text", row.format());
        assertEquals(List.of(0, 0, 0), List.of(row.height(), row.width(), row.channels()));
      }
      assertEquals(LABEL_LISTS.get(2), mine.get(2).labels());
    }

    JsonNode js = readWithNode(file);
    assertTrue(js.get("image").isNull(), js.toString());
    List<String> texts = new ArrayList<>();
    js.get("columns").get("text").forEach(n -> texts.add(n.asText()));
    assertEquals(List.of(NON_ASCII, "", "plain ascii"), texts);
    assertColumnsMatch(written, js);
    assertEquals("text", js.get("schemaMetadata").get("shardsmith.payload").asText());
    assertFalse(js.get("schemaMetadata").has("shardsmith.tensor.image"));
    List<String> names = new ArrayList<>();
    js.get("fields").forEach(f -> names.add(f.get("name").asText()));
    assertEquals("text", names.get(1));
    assertFalse(names.contains("image") || names.contains("height"), names.toString());
    JsonNode textField = js.get("fields").get(1);
    assertEquals("Utf8", textField.get("type").asText());
    assertFalse(textField.get("nullable").asBoolean());
  }

  @Test
  void imageShardsSayImagePayloadAndReadNoText() throws Exception {
    Path file = dir.resolve("img.arrow");
    ArrowShardFile.write(file, rows(), LABELS, Options.defaults());
    assertEquals("image", ArrowShardFile.readMetadata(file).get("shardsmith.payload"));
    assertNull(ArrowShardFile.read(file).get(0).text());
  }

  @Test
  void textBatchesAreCutByUtf8Bytes() throws Exception {
    // 3-byte characters: 400k of them are 1.2 MB of UTF-8 but 400k chars, so a 1 MiB batch
    // limit splits only if the writer counts UTF-8 bytes.
    String big = "東".repeat(400_000);
    List<Sample> written = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      written.add(textRows().get(i).toBuilder().payload(new TextPayload(big + i)).build());
    }
    Path file = dir.resolve("big-text.arrow");
    ArrowShardFile.write(file, written, LABELS, Options.defaults().withBatchBytes(1 << 20));
    assertEquals(3, recordBatches(file));
    ArrowShardFile.write(file, written, LABELS, Options.defaults().withBatchBytes(4 << 20));
    assertEquals(1, recordBatches(file));
    assertEquals(big + 2, ArrowShardFile.read(file).get(2).text());
  }

  @Test
  void sameTextRowsGiveByteIdenticalFiles() throws Exception {
    ShardFileResult r1 =
        ArrowShardFile.write(dir.resolve("a.arrow"), textRows(), LABELS, Options.defaults());
    ShardFileResult r2 =
        ArrowShardFile.write(dir.resolve("b.arrow"), textRows(), LABELS, Options.defaults());
    assertEquals(r1.sha256(), r2.sha256());
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a.arrow")), Files.readAllBytes(dir.resolve("b.arrow")));
  }

  @Test
  void mixedTextAndImageRowsNameTheRowAndLeaveNoFile() {
    Path file = dir.resolve("mixed.arrow");
    List<Sample> textFirst = List.of(textRows().get(0), rows().get(2));
    IllegalArgumentException e1 =
        assertThrows(
            IllegalArgumentException.class,
            () -> ArrowShardFile.write(file, textFirst, LABELS, Options.defaults()));
    assertTrue(e1.getMessage().contains("row b.jpg#augmented0"), e1.getMessage());
    List<Sample> imageFirst = List.of(rows().get(0), textRows().get(1));
    IllegalArgumentException e2 =
        assertThrows(
            IllegalArgumentException.class,
            () -> ArrowShardFile.write(file, imageFirst, LABELS, Options.defaults()));
    assertTrue(e2.getMessage().contains("row " + textRows().get(1).id()), e2.getMessage());
    assertFalse(Files.exists(file), "a rejected shard leaves no file");
  }

  @Test
  void optionsValidateAndParse() {
    assertEquals(Compression.ZSTD, Options.defaults().compression());
    assertEquals(8L << 20, Options.defaults().batchBytes());
    assertEquals(Compression.ZSTD, Compression.parse("Zstd"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Compression.parse("snappy"));
    assertTrue(e.getMessage().contains("snappy") && e.getMessage().contains("lz4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Options.defaults().withBatchRows(0));
    assertThrows(IllegalArgumentException.class, () -> Options.defaults().withBatchBytes(1000));
    assertEquals(5, Options.defaults().withBatchRows(5).batchRows());
  }

  // ---- helpers ----

  private static void assertColumnsMatch(List<Sample> written, JsonNode js) {
    JsonNode cols = js.get("columns");
    for (int i = 0; i < written.size(); i++) {
      Sample s = written.get(i);
      assertEquals(s.id(), cols.get("id").get(i).asText());
      assertEquals(LABEL[i], cols.get("label").get(i).asInt(), "label of " + s.id());
      JsonNode name = cols.get("label_name").get(i);
      assertEquals(LABEL_NAME[i], name.isNull() ? null : name.asText());
      assertEquals(LABEL_LISTS.get(i), ints(cols.get("labels").get(i)));
      assertEquals(s.split().folder(), cols.get("split").get(i).asText());
      assertEquals(s.fold(), cols.get("fold").get(i).asInt());
      assertEquals(s.group(), cols.get("group").get(i).asText());
      List<String> sources = new ArrayList<>();
      cols.get("source_ids").get(i).forEach(n -> sources.add(n.asText()));
      assertEquals(s.sourceIds(), sources);
      assertEquals(s.copyIndex(), cols.get("copy_index").get(i).asInt());
      JsonNode kind = cols.get("derived_kind").get(i);
      assertEquals(s.derivedKind(), kind.isNull() ? null : kind.asText());
      assertEquals(s.payloadHash(), cols.get("payload_sha256").get(i).asText());
      assertEquals(s.applied(), Applied.fromJson(cols.get("applied").get(i).asText()));
    }
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asInt()));
    return out;
  }

  private static long recordBatches(Path file) throws IOException {
    try (BufferAllocator allocator = new RootAllocator();
        FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader reader =
            new ArrowFileReader(in, allocator, CommonsCompressionFactory.INSTANCE)) {
      List<ArrowBlock> blocks = reader.getRecordBlocks();
      return blocks.size();
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /**
   * Reads {@code file} with apache-arrow under Node; skips the test (not fails) when node or npm is
   * missing or the npm registry cannot be reached to install the pinned packages.
   */
  static JsonNode readWithNode(Path file) throws Exception {
    Peers.require(
        run(NODE_DIR, 30, "node", "--version").exitCode == 0,
        "node is not installed: skipping the independent apache-arrow (JS) check");
    synchronized (ArrowShardFileTest.class) {
      if (!Files.exists(NODE_DIR.resolve("node_modules/apache-arrow/package.json"))) {
        Result ci = run(NODE_DIR, 300, "npm", "ci", "--no-audit", "--no-fund");
        Peers.require(
            ci.exitCode == 0,
            "npm ci failed (no npm, or the npm registry is unreachable): skipping the"
                + " independent apache-arrow (JS) check\n"
                + ci.output);
      }
    }
    Result r = run(NODE_DIR, 120, "node", "read-arrow.mjs", file.toAbsolutePath().toString());
    assertEquals(0, r.exitCode, "node read-arrow.mjs failed:\n" + r.output);
    return JSON.readTree(r.output);
  }

  private record Result(int exitCode, String output) {}

  private static Result run(Path dir, long timeoutSeconds, String... command) throws Exception {
    Path log = Files.createTempFile("arrow-node", ".out");
    Path err = Files.createTempFile("arrow-node", ".err");
    try {
      Process p;
      try {
        p =
            new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(log.toFile())
                .redirectError(err.toFile())
                .start();
      } catch (IOException e) {
        return new Result(-1, command[0] + " could not start: " + e.getMessage());
      }
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, String.join(" ", command) + " timed out");
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      return new Result(
          p.exitValue(),
          p.exitValue() == 0 ? out : out + Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
      Files.deleteIfExists(err);
    }
  }
}
