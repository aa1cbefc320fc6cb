package dev.shardsmith.transforms.kernels.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.shardsmith.schemas.Targets;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.kernels.image.TreeFrames;
import dev.shardsmith.transforms.kernels.video.VideoDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Video clips (rows of {@link VideoPayload}, T real frames of {@code
 * sample-data/video/tree/tree.avi} decoded by {@link VideoDecoder}) through the three shard
 * writers: a fixed-shape {@code [T, H, W, C]} tensor per row in Parquet and Arrow, {@code N x T x H
 * x W x C} in {@code .npy}, uint8 or float32 (float16 in {@code .npy} where asked). Each format is
 * read back by an independent reader (DuckDB, Node's apache-arrow, NumPy), every byte checked, and
 * by ours ({@link ShardReader}).
 */
class ClipShardFilesTest {
  private static final LabelMap LABELS = LabelMap.declared(List.of("still", "tree"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int H = 240;
  private static final int W = 320;
  private static final int C = 3;
  private static final Applied FLIP =
      Applied.of(1, List.of(new Applied.Op("hflip", 0, new java.util.TreeMap<>(Map.of("p", 1.0)))));

  /** The first 8 decoded frames of tree.avi: 320 x 240 RGB, with their pts. */
  private static List<VideoDecoder.DecodedFrame> frames;

  @TempDir Path dir;

  @BeforeAll
  static void decodeTree() {
    frames = TreeFrames.all().subList(0, 8);
    ImagePayload f0 = frames.get(0).image();
    assertEquals(List.of(H, W, C), List.of(f0.height(), f0.width(), f0.channels()));
    assertFalse(
        java.util.Arrays.equals(f0.bytes(), frames.get(1).image().bytes()),
        "consecutive frames of tree.avi differ, so a frame out of place would show");
  }

  /** Frame i as float32: {@code (x - 100) / 50}, little-endian, as normalization writes it. */
  private static ImagePayload float32(ImagePayload frame) {
    byte[] px = frame.bytes();
    ByteBuffer b = ByteBuffer.allocate(px.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (byte v : px) {
      b.putFloat(((v & 0xff) - 100) / 50f);
    }
    return ImagePayload.rawFloat32(b.array(), frame.width(), frame.height(), frame.channels());
  }

  /** A clip of frames {@code from, from+1, ...} (T of them) with the contract's id and hash. */
  private static Sample clip(
      int from, int t, String label, Split split, Function<ImagePayload, ImagePayload> pixels) {
    long[] pts = new long[t];
    List<ImagePayload> images = new ArrayList<>();
    for (int j = 0; j < t; j++) {
      pts[j] = frames.get(from + j).ptsMicros();
      images.add(pixels.apply(frames.get(from + j).image()));
    }
    return Sample.builder()
        .id("tree.avi@" + pts[0])
        .group("tree.avi")
        .labels(label == null ? List.of() : List.of(label))
        .split(split)
        .fold(split == Split.TRAIN ? 1 : -1)
        .payloadHash(sha256(images.stream().map(ImagePayload::bytes).toArray(byte[][]::new)))
        .payload(new VideoPayload("tree.avi", pts, images))
        .build();
  }

  /** Two 4-frame uint8 clips (frames 0-3 and 4-7), the second an augmented copy in val. */
  private static List<Sample> uint8Clips() {
    Sample augmented =
        clip(4, 4, "tree", Split.VAL, Function.identity()).toBuilder()
            .derived("augmented", 0)
            .applied(FLIP)
            .build();
    return List.of(clip(0, 4, "still", Split.TRAIN, Function.identity()), augmented);
  }

  /** Three 2-frame float32 clips (frames 0-1, 2-3, 4-5), one unlabelled. */
  private static List<Sample> float32Clips() {
    return List.of(
        clip(2, 2, "tree", Split.TRAIN, ClipShardFilesTest::float32),
        clip(0, 2, null, Split.TEST, ClipShardFilesTest::float32),
        clip(4, 2, "still", Split.TRAIN, ClipShardFilesTest::float32));
  }

  private static VideoPayload video(Sample s) {
    return (VideoPayload) s.payload();
  }

  /** The frames of a clip back to back, as every format stores them. */
  private static byte[] clipBytes(Sample s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    video(s).frames().forEach(f -> out.writeBytes(f.bytes()));
    return out.toByteArray();
  }

  private static String sha256(byte[]... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        d.update(p);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** What our reader must return for clip rows written from {@code want}. */
  private static void assertClipRows(List<Sample> want, List<ShardRow> got, boolean float32) {
    assertEquals(want.size(), got.size());
    for (int i = 0; i < want.size(); i++) {
      Sample s = want.get(i);
      ShardRow r = got.get(i);
      VideoPayload v = video(s);
      assertEquals(s.id(), r.id());
      assertEquals(v.frames().size(), r.frames(), "frames of " + s.id());
      assertEquals("tree.avi", r.clip().videoId());
      assertArrayEquals(v.ptsMicros(), r.clip().ptsMicros(), "pts of " + s.id());
      assertEquals(float32 ? ImagePayload.RAW_FLOAT32 : ImagePayload.RAW, r.format());
      assertEquals(List.of(H, W, C), List.of(r.height(), r.width(), r.channels()));
      assertArrayEquals(clipBytes(s), r.image(), "every byte of " + s.id());
      assertEquals(s.label() == null ? -1 : LABELS.indexOf(s.label()), r.label());
      assertEquals(s.label(), r.labelName());
      assertEquals(s.split().folder(), r.split());
      assertEquals(s.fold(), r.fold());
      assertEquals(s.applied(), Applied.fromJson(r.applied()));
      assertNull(r.text());
    }
  }

  private static String tensorJson(int t, String dtype) {
    return "{\"dtype\":\""
        + dtype
        + "\",\"shape\":["
        + t
        + ",240,320,3],\"layout\":\"THWC\",\"channel_order\":\"RGB\"}";
  }

  // ---- Parquet ----

  @Test
  void parquetClipsAreFixedShapeTensorsThatDuckDbReadsByteForByte() throws Exception {
    for (boolean float32 : new boolean[] {false, true}) {
      List<Sample> rows = float32 ? float32Clips() : uint8Clips();
      int t = float32 ? 2 : 4;
      Path file = dir.resolve((float32 ? "f32" : "u8") + ".parquet");
      ParquetShardFile.write(file, rows, LABELS, ParquetShardFile.Options.defaults());
      assertClipRows(rows, ShardReader.read(file), float32);
      assertEquals(
          java.util.Collections.nCopies(rows.size(), Targets.NONE), ShardReader.readTargets(file));

      Map<String, String> kv = DuckDb.kvMetadata(file);
      assertEquals("video", kv.get(ParquetShardFile.PAYLOAD_KEY));
      assertEquals(
          tensorJson(t, float32 ? "float32" : "uint8"), kv.get(ParquetShardFile.TENSOR_KEY));
      List<Map<String, Object>> got =
          DuckDb.query(
              "SELECT id, image, octet_length(image) AS n, video_id, pts_micros,"
                  + " typeof(pts_micros) AS pts_type, label_name, split, payload_sha256 FROM '"
                  + file
                  + "'");
      assertEquals(rows.size(), got.size());
      for (int i = 0; i < rows.size(); i++) {
        Sample s = rows.get(i);
        Map<String, Object> g = got.get(i);
        assertEquals(s.id(), g.get("id"));
        long bytes = (long) t * H * W * C * (float32 ? 4 : 1);
        assertEquals(bytes, ((Number) g.get("n")).longValue(), "T x H x W x C values");
        assertArrayEquals(clipBytes(s), (byte[]) g.get("image"), "every byte of " + s.id());
        assertEquals("tree.avi", g.get("video_id"));
        assertEquals("BIGINT[]", g.get("pts_type"));
        List<Long> pts = new ArrayList<>();
        for (long p : video(s).ptsMicros()) {
          pts.add(p);
        }
        assertEquals(pts, g.get("pts_micros"), "pts of " + s.id());
        assertEquals(s.label(), g.get("label_name"));
        assertEquals(s.split().folder(), g.get("split"));
        assertEquals(s.payloadHash(), g.get("payload_sha256"));
      }
    }
  }

  // ---- Arrow ----

  @ParameterizedTest
  @EnumSource(ArrowShardFile.Compression.class)
  void arrowClipsAreTensorExtensionsThatNodeReadsByteForByte(ArrowShardFile.Compression codec)
      throws Exception {
    ArrowShardFile.Options opts = ArrowShardFile.Options.defaults().withCompression(codec);
    for (boolean float32 : new boolean[] {false, true}) {
      List<Sample> rows = float32 ? float32Clips() : uint8Clips();
      int t = float32 ? 2 : 4;
      Path file = dir.resolve((float32 ? "f32" : "u8") + ".arrow");
      try (BufferAllocator allocator = new RootAllocator()) {
        ArrowShardFile.write(file, rows, LABELS, opts, allocator);
        assertClipRows(rows, ArrowShardFile.read(file, allocator), float32);
        assertEquals(0, allocator.getAllocatedMemory(), "every buffer released");
      }
      assertClipRows(rows, ShardReader.read(file), float32);
      Map<String, String> kv = ArrowShardFile.readMetadata(file);
      assertEquals(
          tensorJson(t, float32 ? "float32" : "uint8"), kv.get(ParquetShardFile.TENSOR_KEY));
      assertEquals("video", kv.get(ParquetShardFile.PAYLOAD_KEY));

      JsonNode js = ArrowShardFileTest.readWithNode(file);
      assertEquals(rows.size(), js.get("numRows").asInt());
      JsonNode image = js.get("image");
      assertEquals(
          "arrow.fixed_shape_tensor", image.get("metadata").get("ARROW:extension:name").asText());
      assertEquals(
          "{\"shape\":[" + t + ",240,320,3],\"dim_names\":[\"T\",\"H\",\"W\",\"C\"]}",
          image.get("metadata").get("ARROW:extension:metadata").asText());
      assertEquals(t * H * W * C, image.get("listSize").asInt());
      assertEquals(float32 ? "Float32" : "Uint8", image.get("childType").asText());
      List<String> names = new ArrayList<>();
      js.get("fields").forEach(f -> names.add(f.get("name").asText()));
      assertEquals(List.of("id", "image", "video_id", "pts_micros", "label"), names.subList(0, 5));
      assertEquals("List<Int64>", js.get("fields").get(3).get("type").asText());
      JsonNode cols = js.get("columns");
      for (int i = 0; i < rows.size(); i++) {
        Sample s = rows.get(i);
        JsonNode seen = image.get("rows").get(i);
        byte[] want = clipBytes(s);
        assertEquals(want.length, seen.get("length").asInt());
        assertEquals(sha256(want), seen.get("sha256").asText(), "every byte of " + s.id());
        assertEquals(s.id(), cols.get("id").get(i).asText());
        assertEquals("tree.avi", cols.get("video_id").get(i).asText());
        List<Long> pts = new ArrayList<>();
        cols.get("pts_micros").get(i).forEach(p -> pts.add(p.asLong()));
        assertEquals(
            java.util.Arrays.stream(video(s).ptsMicros()).boxed().toList(),
            pts,
            "pts of " + s.id());
      }
    }
  }

  // ---- .npy ----

  private static final String NUMPY_CLIPS =
      """
      import hashlib, json, sys
      import numpy as np
      meta = json.load(open(sys.argv[1] + '.meta.json', encoding='utf-8'))
      x = np.load(sys.argv[1] + '.x.npy', mmap_mode='r')
      print(json.dumps({
          'shape': list(x.shape), 'dtype': str(x.dtype),
          'rows': [hashlib.sha256(np.ascontiguousarray(x[i]).tobytes()).hexdigest()
                   for i in range(x.shape[0])],
          'frame_sums': [float(x[i, j].astype(np.float64).sum())
                         for i in range(x.shape[0]) for j in range(x.shape[1])],
          'layout': meta['arrays']['x']['layout'], 'modality': meta['modality'],
          'video_id': meta['video_id'], 'pts_micros': meta['pts_micros']}))
      """;

  /** A clip's values as the .npy x array holds them: float32 narrowed to float16 where asked. */
  private static byte[] npyBytes(Sample s, boolean float16) {
    byte[] raw = clipBytes(s);
    if (!float16) {
      return raw;
    }
    ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out = ByteBuffer.allocate(raw.length / 2).order(ByteOrder.LITTLE_ENDIAN);
    while (in.hasRemaining()) {
      out.putShort(Float16.fromFloat(in.getFloat()));
    }
    return out.array();
  }

  @Test
  void npyClipsReadByNumpyAndOurReaderInUint8Float32AndFloat16() throws Exception {
    NpyShardFileTest.assumeNumpy();
    String[][] cases = {{"u8", "uint8"}, {"f32", "float32"}, {"f16", "float16"}};
    for (String[] c : cases) {
      boolean floats = !c[0].equals("u8");
      boolean float16 = c[0].equals("f16");
      List<Sample> rows = floats ? float32Clips() : uint8Clips();
      int t = floats ? 2 : 4;
      String base = "clips-" + c[0];
      NpyShardFile.sink(NpyShardFile.Options.defaults().withFloat16(float16))
          .write(dir, base, rows, LABELS);
      JsonNode np = NpyShardFileTest.python(NUMPY_CLIPS, dir.resolve(base).toString());
      assertEquals(List.of(rows.size(), t, H, W, C), ints(np.get("shape")), c[0]);
      assertEquals(c[1], np.get("dtype").asText());
      assertEquals("THWC", np.get("layout").asText());
      assertEquals("video", np.get("modality").asText());
      for (int i = 0; i < rows.size(); i++) {
        Sample s = rows.get(i);
        assertEquals(
            sha256(npyBytes(s, float16)), np.get("rows").get(i).asText(), c[0] + " " + s.id());
        assertEquals("tree.avi", np.get("video_id").get(i).asText());
        List<Long> pts = new ArrayList<>();
        np.get("pts_micros").get(i).forEach(p -> pts.add(p.asLong()));
        assertEquals(java.util.Arrays.stream(video(s).ptsMicros()).boxed().toList(), pts);
      }
      if (!floats) {
        // numpy's own view of the values: each frame's sum of its uint8 pixels
        for (int i = 0; i < rows.size(); i++) {
          for (int j = 0; j < t; j++) {
            long sum = 0;
            for (byte b : video(rows.get(i)).frames().get(j).bytes()) {
              sum += b & 0xff;
            }
            assertEquals(sum, np.get("frame_sums").get(i * t + j).asLong(), "frame " + j);
          }
        }
      }

      List<ShardRow> ours = ShardReader.read(dir.resolve(base + ".meta.json"));
      if (float16) {
        // float16 comes back widened: the frames' floats rounded through float16
        List<Sample> rounded = new ArrayList<>();
        for (Sample s : rows) {
          rounded.add(s.toBuilder().payload(roundedToFloat16(video(s))).build());
        }
        assertClipRows(rounded, ours, true);
      } else {
        assertClipRows(rows, ours, floats);
      }
    }
  }

  private static VideoPayload roundedToFloat16(VideoPayload v) {
    List<ImagePayload> out = new ArrayList<>();
    for (ImagePayload f : v.frames()) {
      ByteBuffer in = ByteBuffer.wrap(f.bytes()).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer b = ByteBuffer.allocate(f.bytes().length).order(ByteOrder.LITTLE_ENDIAN);
      while (in.hasRemaining()) {
        b.putFloat(Float16.toFloat(Float16.fromFloat(in.getFloat())));
      }
      out.add(ImagePayload.rawFloat32(b.array(), f.width(), f.height(), f.channels()));
    }
    return new VideoPayload(v.videoId(), v.ptsMicros(), out);
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asInt()));
    return out;
  }

  @Test
  void sameClipsGiveByteIdenticalShardsInEveryFormat() throws Exception {
    List<ShardSink> sinks =
        List.of(
            ParquetShardFile.sink(ParquetShardFile.Options.defaults()),
            ArrowShardFile.sink(ArrowShardFile.Options.defaults()),
            NpyShardFile.sink(NpyShardFile.Options.defaults()));
    Path one = Files.createDirectory(dir.resolve("one"));
    Path two = Files.createDirectory(dir.resolve("two"));
    for (ShardSink sink : sinks) {
      List<WrittenFile> first = sink.write(one, "part-00000-of-00001", uint8Clips(), LABELS);
      List<WrittenFile> again = sink.write(two, "part-00000-of-00001", uint8Clips(), LABELS);
      assertEquals(first, again, sink.format());
      for (WrittenFile f : first) {
        assertEquals(2, f.rows());
        assertEquals(Sha256Files.of(two.resolve(f.name())), f.sha256(), f.name());
      }
    }
  }

  // ---- errors ----

  /** Frame {@code f} cropped to its top-left {@code h x w}: a real frame of another shape. */
  private static ImagePayload crop(ImagePayload f, int h, int w) {
    byte[] out = new byte[h * w * C];
    for (int y = 0; y < h; y++) {
      System.arraycopy(f.bytes(), y * f.width() * C, out, y * w * C, w * C);
    }
    return ImagePayload.raw(out, w, h, C);
  }

  /** Every writer rejects {@code rows} before opening a file; returns the three messages. */
  private List<String> rejected(List<Sample> rows) throws Exception {
    List<String> messages = new ArrayList<>();
    Path p = dir.resolve("bad.parquet");
    Path a = dir.resolve("bad.arrow");
    messages.add(
        assertThrows(
                IllegalArgumentException.class,
                () -> ParquetShardFile.write(p, rows, LABELS, ParquetShardFile.Options.defaults()))
            .getMessage());
    messages.add(
        assertThrows(
                IllegalArgumentException.class,
                () -> ArrowShardFile.write(a, rows, LABELS, ArrowShardFile.Options.defaults()))
            .getMessage());
    messages.add(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    NpyShardFile.sink(NpyShardFile.Options.defaults())
                        .write(dir, "bad", rows, LABELS))
            .getMessage());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.toList(), "a rejected shard leaves no files");
    }
    return messages;
  }

  @Test
  void mixedFrameShapesClipLengthsAndDtypesNameTheRows() throws Exception {
    Sample good = uint8Clips().get(0);
    // one frame of the second clip is a 120 x 160 crop
    Sample odd = clip(4, 4, "tree", Split.TRAIN, Function.identity());
    List<ImagePayload> f = new ArrayList<>(video(odd).frames());
    f.set(2, crop(f.get(2), 120, 160));
    Sample cropped =
        odd.toBuilder().payload(new VideoPayload("tree.avi", video(odd).ptsMicros(), f)).build();
    List<String> shape = rejected(List.of(good, cropped));
    assertEquals(
        "a fixed-shape shard needs one shape: a frame of row "
            + cropped.id()
            + " is 120x160x3 (HxWxC) but row "
            + good.id()
            + " is 240x320x3 (HxWxC)",
        shape.get(0));
    assertEquals(shape.get(0), shape.get(1), "Arrow checks rows as Parquet does");
    assertEquals(
        "row " + cropped.id() + " has frames of different shapes; a clip needs one shape",
        shape.get(2));

    // a whole clip of another frame size
    List<ImagePayload> small = new ArrayList<>();
    video(odd).frames().forEach(x -> small.add(crop(x, 120, 160)));
    Sample smallClip =
        odd.toBuilder()
            .payload(new VideoPayload("tree.avi", video(odd).ptsMicros(), small))
            .build();
    List<String> size = rejected(List.of(good, smallClip));
    assertTrue(size.get(0).contains("row " + smallClip.id() + " is 120x160x3"), size.get(0));
    assertEquals(
        "a .npy shard needs one shape: row "
            + smallClip.id()
            + " is 4x120x160x3 but row "
            + good.id()
            + " is 4x240x320x3",
        size.get(2));

    Sample twoFrames = clip(4, 2, "tree", Split.TRAIN, Function.identity());
    List<String> length = rejected(List.of(good, twoFrames));
    assertEquals(
        "a clip shard needs one clip length: row "
            + twoFrames.id()
            + " has 2 frames but row "
            + good.id()
            + " has 4",
        length.get(0));
    assertEquals(length.get(0), length.get(1));
    assertTrue(length.get(2).contains("row " + twoFrames.id() + " is 2x240x320x3"), length.get(2));

    Sample floats = clip(4, 4, "tree", Split.TRAIN, ClipShardFilesTest::float32);
    List<String> dtype = rejected(List.of(good, floats));
    assertEquals(
        "a fixed-shape shard holds one pixel dtype: row "
            + floats.id()
            + " is float32 but row "
            + good.id()
            + " is uint8",
        dtype.get(0));
    assertEquals(
        "a .npy shard holds one pixel dtype: row "
            + floats.id()
            + " is float32 but row "
            + good.id()
            + " is uint8",
        dtype.get(2));
  }

  @Test
  void clipsMixedWithImagesOrOfEncodedOrAnnotatedFramesAreRejected() throws Exception {
    Sample good = uint8Clips().get(0);
    Sample image = good.toBuilder().id("frame.png").payload(frames.get(0).image()).build();
    List<String> mixed = rejected(List.of(good, image));
    assertEquals(
        "a shard holds one of text, features, images or video clips: row frame.png is IMAGE but"
            + " row "
            + good.id()
            + " is VIDEO",
        mixed.get(0));
    assertEquals(
        "a .npy shard holds one modality: row frame.png is image but row "
            + good.id()
            + " is video",
        mixed.get(2));

    byte[] png = Files.readAllBytes(Path.of("../sample-data/photos/smarties.png"));
    ImagePayload encoded = ImagePayload.encoded(png, "png", 413, 356, 3, 1);
    Sample encodedClip =
        good.toBuilder()
            .id("enc@0")
            .payload(new VideoPayload("enc", new long[] {0, 40}, List.of(encoded, encoded)))
            .build();
    List<String> enc = rejected(List.of(encodedClip));
    assertEquals(
        "row enc@0 is a clip of encoded png frames; clips are stored as raw tensors only"
            + " (output.image_encoding: raw)",
        enc.get(0));
    assertEquals(enc.get(0), enc.get(1));
    assertEquals(enc.get(0), enc.get(2));

    Targets box =
        new Targets(
            new float[] {1, 2, 30, 40},
            new String[] {"leaf"},
            new int[] {0},
            new byte[] {0},
            new float[0],
            new String[0],
            null);
    List<ImagePayload> boxed = new ArrayList<>(video(good).frames());
    boxed.set(1, boxed.get(1).withTargets(box));
    Sample withTargets =
        good.toBuilder()
            .payload(new VideoPayload("tree.avi", video(good).ptsMicros(), boxed))
            .build();
    List<String> targets = rejected(List.of(withTargets));
    assertEquals(
        "row "
            + good.id()
            + " is a clip whose frames carry annotation targets, which clip shards do not store",
        targets.get(0));
    assertEquals(targets.get(0), targets.get(1));
    assertEquals(targets.get(0), targets.get(2));
  }
}
