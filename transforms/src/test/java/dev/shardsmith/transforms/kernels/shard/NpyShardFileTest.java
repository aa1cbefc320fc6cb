package dev.shardsmith.transforms.kernels.shard;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.LabelMap;
import dev.shardsmith.schemas.Payload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SeriesPayload;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.schemas.Targets;
import dev.shardsmith.schemas.TextPayload;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.kernels.shard.NpyShardFile.NpyArray;
import dev.shardsmith.transforms.kernels.shard.NpyShardFile.Options;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyShardFileTest {
  private static final int H = 24;
  private static final int W = 32;
  private static final int C = 3;
  private static final LabelMap LABELS = LabelMap.declared(List.of("cat", "dog", "fox"));
  private static final Applied HFLIP =
      Applied.of(1, List.of(new Applied.Op("hflip", 0, new TreeMap<>(Map.of("p", 0.5)))));
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final String PYTHON = "/usr/bin/python3";
  private static final String BASE = "part-00000-of-00001";

  @TempDir Path dir;

  // ---- rows ----

  /** A real photo, decoded by OpenCV, converted to RGB and resized to W x H. */
  private static byte[] photo(String name) throws IOException {
    byte[] file = Files.readAllBytes(Path.of("../sample-data/photos", name));
    try (BytePointer p = new BytePointer(file);
        Mat buf = new Mat(1, file.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, p);
        Mat bgr = imdecode(buf, IMREAD_COLOR);
        Mat rgb = new Mat();
        Mat small = new Mat();
        Size size = new Size(W, H)) {
      cvtColor(bgr, rgb, COLOR_BGR2RGB);
      resize(rgb, small, size, 0, 0, INTER_AREA);
      byte[] out = new byte[H * W * C];
      small.data().get(out);
      return out;
    }
  }

  private static byte[] synthetic(int seed) {
    byte[] b = new byte[H * W * C];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (seed + 7 * i);
    }
    return b;
  }

  private static Sample row(String id, List<String> labels, Payload payload) {
    return Sample.builder()
        .id(id)
        .group("g-" + id)
        .labels(labels)
        .split(Split.TRAIN)
        .fold(2)
        .payloadHash(String.format("%064x", id.hashCode() & 0xffff))
        .payload(payload)
        .build();
  }

  /** Three image rows: two real photos (one with two boxes, one multi-label), one synthetic. */
  private static List<Sample> imageRows() throws IOException {
    Sample smarties =
        row(
            "smarties.png",
            List.of("fox"),
            ImagePayload.raw(photo("smarties.png"), W, H, C)
                .withTargets(
                    Targets.boxes(
                        new float[] {1, 2, 10, 12, 3.5f, 4.25f, 30, 20},
                        new String[] {"cat", "dog"},
                        new int[] {0, 1})));
    Sample baboon =
        row("baboon.jpg", List.of("dog", "cat"), ImagePayload.raw(photo("baboon.jpg"), W, H, C));
    Sample derived =
        row("z.jpg", List.of(), ImagePayload.raw(synthetic(5), W, H, C)).toBuilder()
            .id("z.jpg#augmented0")
            .sourceIds(List.of("z.jpg"))
            .split(Split.VAL)
            .derived("augmented", 0)
            .applied(HFLIP)
            .build();
    return List.of(smarties, baboon, derived);
  }

  private static Sample series(String id, float[] values, float[] horizon) {
    return row(
        id, List.of("cat"), new SeriesPayload("s-" + id, 7, values.length / 2, 2, values, horizon));
  }

  // ---- python ----

  private static boolean numpyAvailable() {
    try {
      Process p =
          new ProcessBuilder(PYTHON, "-c", "import numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void assumeNumpy() {
    Peers.require(
        numpyAvailable(),
        PYTHON + " -c 'import numpy' failed: install python3-numpy to run the NumPy reader checks");
  }

  /** Runs {@code script} with {@code args} and parses its stdout as JSON. */
  static JsonNode python(String script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, "-c", script));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    byte[] err;
    byte[] out;
    try (var e = p.getErrorStream();
        var o = p.getInputStream()) {
      out = o.readAllBytes();
      err = e.readAllBytes();
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
    assertEquals(
        0, p.exitValue(), "python failed: " + new String(err, StandardCharsets.UTF_8) + "\n");
    return JSON.readTree(out);
  }

  /** Loads every array of a shard plain and memory-mapped, and summarizes what NumPy sees. */
  private static final String SUMMARY =
      """
      import hashlib, json, os, sys
      import numpy as np
      meta_path = sys.argv[1]
      with open(meta_path, encoding='utf-8') as f:
          meta = json.load(f)
      d = os.path.dirname(meta_path)
      out = {}
      for name, a in meta['arrays'].items():
          path = os.path.join(d, a['file'])
          arr = np.load(path, allow_pickle=False)
          mm = np.load(path, mmap_mode='r', allow_pickle=False)
          with open(path, 'rb') as f:
              version = np.lib.format.read_magic(f)
              np.lib.format.read_array_header_1_0(f) if version == (1, 0) else None
              offset = f.tell()
          out[name] = {
              'dtype': str(arr.dtype), 'shape': list(arr.shape),
              'meta_ok': str(arr.dtype) == a['dtype'] and list(arr.shape) == a['shape'],
              'little': arr.dtype.byteorder in '<|=', 'c_order': bool(arr.flags['C_CONTIGUOUS']),
              'sha256': hashlib.sha256(arr.tobytes()).hexdigest(),
              'mmap_sha256': hashlib.sha256(np.asarray(mm).tobytes()).hexdigest(),
              'mmap_is_memmap': isinstance(mm, np.memmap),
              'version': list(version), 'offset': offset,
              'values': arr.tolist() if arr.size <= 64 else None,
          }
      x = np.load(os.path.join(d, meta['arrays']['x']['file']), allow_pickle=False)
      if x.ndim == 4:
          out['x_1_2_3'] = x[1, 2, 3].tolist()
      print(json.dumps(out))
      """;

  private static String sha256(byte[]... parts) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    for (byte[] p : parts) {
      d.update(p);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static byte[] littleEndian(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  private static List<Object> list(JsonNode n) throws Exception {
    return JSON.treeToValue(n, List.class);
  }

  // ---- tests ----

  @Test
  void numpyLoadsImageShardPlainAndMemoryMapped() throws Exception {
    assumeNumpy();
    List<Sample> rows = imageRows();
    NpyShardFile.sink(Options.defaults()).write(dir, BASE, rows, LABELS);

    JsonNode got = python(SUMMARY, dir.resolve(BASE + ".meta.json").toString());

    for (String name : List.of("x", "y", "labels", "boxes", "n_boxes", "box_labels", "box_flags")) {
      JsonNode a = got.get(name);
      assertTrue(a.get("meta_ok").asBoolean(), name + " dtype/shape differ from meta.json: " + a);
      assertTrue(a.get("little").asBoolean() && a.get("c_order").asBoolean(), name + ": " + a);
      assertEquals(a.get("sha256"), a.get("mmap_sha256"), name + ": mmap reads other bytes");
      assertTrue(a.get("mmap_is_memmap").asBoolean(), name);
      assertEquals(List.of(1, 0), list(a.get("version")), name);
      assertEquals(0, a.get("offset").asInt() % 64, name + " data not 64-byte aligned: " + a);
    }
    assertEquals(List.of(3, H, W, C), list(got.get("x").get("shape")));
    assertEquals("uint8", got.get("x").get("dtype").asText());
    byte[] p0 = rows.get(0).image().bytes();
    byte[] p1 = rows.get(1).image().bytes();
    byte[] p2 = rows.get(2).image().bytes();
    assertEquals(sha256(p0, p1, p2), got.get("x").get("sha256").asText());
    int at = (2 * W + 3) * C;
    assertEquals(
        List.of(p1[at] & 0xff, p1[at + 1] & 0xff, p1[at + 2] & 0xff), list(got.get("x_1_2_3")));

    assertEquals("int64", got.get("y").get("dtype").asText());
    assertEquals(List.of(2, 1, -1), list(got.get("y").get("values")));
    assertEquals("uint8", got.get("labels").get("dtype").asText());
    assertEquals(
        List.of(List.of(0, 0, 1), List.of(1, 1, 0), List.of(0, 0, 0)),
        list(got.get("labels").get("values")));

    assertEquals("float32", got.get("boxes").get("dtype").asText());
    assertEquals(
        List.of(
            List.of(List.of(1.0, 2.0, 10.0, 12.0), List.of(3.5, 4.25, 30.0, 20.0)),
            List.of(List.of(-1.0, -1.0, -1.0, -1.0), List.of(-1.0, -1.0, -1.0, -1.0)),
            List.of(List.of(-1.0, -1.0, -1.0, -1.0), List.of(-1.0, -1.0, -1.0, -1.0))),
        list(got.get("boxes").get("values")));
    assertEquals("int32", got.get("n_boxes").get("dtype").asText());
    assertEquals(List.of(2, 0, 0), list(got.get("n_boxes").get("values")));
    assertEquals("int64", got.get("box_labels").get("dtype").asText());
    assertEquals(
        List.of(List.of(0, 1), List.of(-1, -1), List.of(-1, -1)),
        list(got.get("box_labels").get("values")));
  }

  @Test
  void writtenFilesReportNamesRowsSizesAndShaOfWhatIsOnDisk() throws Exception {
    List<WrittenFile> files =
        NpyShardFile.sink(Options.defaults()).write(dir, BASE, imageRows(), LABELS);

    assertEquals(
        List.of(
            BASE + ".x.npy",
            BASE + ".y.npy",
            BASE + ".labels.npy",
            BASE + ".boxes.npy",
            BASE + ".n_boxes.npy",
            BASE + ".box_labels.npy",
            BASE + ".box_flags.npy",
            BASE + ".meta.json"),
        files.stream().map(WrittenFile::name).toList());
    for (WrittenFile f : files) {
      Path p = dir.resolve(f.name());
      assertEquals(Files.size(p), f.bytes(), f.name());
      assertEquals(Sha256Files.of(p), f.sha256(), f.name());
      assertEquals(3, f.rows(), f.name());
      assertEquals(f.name().endsWith(".json") ? "json" : "npy", f.format(), f.name());
    }
    try (Stream<Path> all = Files.list(dir)) {
      assertEquals(8, all.count(), "no other files");
    }
    assertEquals("npy", NpyShardFile.sink(Options.defaults()).format());
    // Header of x: NumPy's own 1.0 layout, data at 128.
    byte[] x = Files.readAllBytes(dir.resolve(BASE + ".x.npy"));
    String header = new String(x, 10, 118, StandardCharsets.US_ASCII);
    assertTrue(
        header.startsWith("{'descr': '|u1', 'fortran_order': False, 'shape': (3, 24, 32, 3), }"),
        header);
    assertTrue(header.endsWith("\n"), header);
    assertEquals(128 + 3 * H * W * C, x.length);
  }

  @Test
  void metaJsonKeepsRowMetadataInRowOrder() throws Exception {
    List<Sample> rows = imageRows();
    NpyShardFile.sink(Options.defaults()).write(dir, BASE, rows, LABELS);

    byte[] bytes = Files.readAllBytes(dir.resolve(BASE + ".meta.json"));
    JsonNode m = JSON.readTree(bytes);
    List<String> keys = new ArrayList<>();
    m.fieldNames().forEachRemaining(keys::add);
    assertEquals(
        List.of(
            "format_version",
            "modality",
            "rows",
            "labels",
            "arrays",
            "ids",
            "split",
            "fold",
            "group",
            "source_ids",
            "copy_index",
            "derived_kind",
            "payload_sha256",
            "applied",
            "box_label_names"),
        keys);
    assertEquals("1", m.get("format_version").asText());
    assertEquals("image", m.get("modality").asText());
    assertEquals(3, m.get("rows").asInt());
    assertEquals(List.of("cat", "dog", "fox"), list(m.get("labels")));
    assertEquals(
        JSON.readTree(
            "{\"file\":\""
                + BASE
                + ".x.npy\",\"dtype\":\"uint8\",\"shape\":[3,24,32,3],"
                + "\"layout\":\"HWC\",\"channel_order\":\"RGB\"}"),
        m.get("arrays").get("x"));
    assertEquals(
        JSON.readTree("{\"file\":\"" + BASE + ".y.npy\",\"dtype\":\"int64\",\"shape\":[3]}"),
        m.get("arrays").get("y"));
    assertEquals(List.of(3, 2, 4), list(m.get("arrays").get("boxes").get("shape")));
    assertEquals(List.of("smarties.png", "baboon.jpg", "z.jpg#augmented0"), list(m.get("ids")));
    assertEquals(List.of("train", "train", "val"), list(m.get("split")));
    assertEquals(List.of(2, 2, 2), list(m.get("fold")));
    assertEquals(List.of("g-smarties.png", "g-baboon.jpg", "g-z.jpg"), list(m.get("group")));
    assertEquals(
        List.of(List.of("smarties.png"), List.of("baboon.jpg"), List.of("z.jpg")),
        list(m.get("source_ids")));
    assertEquals(List.of(-1, -1, 0), list(m.get("copy_index")));
    assertEquals(java.util.Arrays.asList(null, null, "augmented"), list(m.get("derived_kind")));
    assertEquals(HFLIP, Applied.fromJson(m.get("applied").get(2).asText()));
    assertEquals(Applied.NONE, Applied.fromJson(m.get("applied").get(0).asText()));
    assertEquals(rows.get(1).payloadHash(), m.get("payload_sha256").get(1).asText());
    assertEquals(
        List.of(List.of("cat", "dog"), List.of(), List.of()), list(m.get("box_label_names")));
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertFalse(text.contains("\"labels.npy\""), "labels file lives under arrays.labels");
    assertTrue(text.endsWith("}\n"), text);
  }

  @Test
  void sameRowsGiveByteIdenticalFiles() throws Exception {
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    List<WrittenFile> fa =
        NpyShardFile.sink(Options.defaults()).write(a, BASE, imageRows(), LABELS);
    List<WrittenFile> fb =
        NpyShardFile.sink(Options.defaults()).write(b, BASE, imageRows(), LABELS);
    assertEquals(fa, fb);
    for (WrittenFile f : fa) {
      assertArrayEquals(
          Files.readAllBytes(a.resolve(f.name())), Files.readAllBytes(b.resolve(f.name())));
    }
    // And a changed pixel changes x's sha256 but not y's.
    List<Sample> changed = new ArrayList<>(imageRows());
    byte[] px = synthetic(5);
    px[100]++;
    changed.set(2, changed.get(2).toBuilder().payload(ImagePayload.raw(px, W, H, C)).build());
    Path c = Files.createDirectory(dir.resolve("c"));
    List<WrittenFile> fc = NpyShardFile.sink(Options.defaults()).write(c, BASE, changed, LABELS);
    assertFalse(fa.get(0).sha256().equals(fc.get(0).sha256()));
    assertEquals(fa.get(1).sha256(), fc.get(1).sha256());
  }

  @Test
  void withoutSha256TheFilesAreByteIdenticalAndNoHashIsReported() throws Exception {
    Path a = Files.createDirectory(dir.resolve("hashed"));
    Path b = Files.createDirectory(dir.resolve("plain"));
    Options plain = Options.defaults().withSha256(false);
    assertTrue(Options.defaults().sha256());
    assertFalse(plain.sha256());
    assertFalse(plain.equals(Options.defaults()));
    List<WrittenFile> fa =
        NpyShardFile.sink(Options.defaults()).write(a, BASE, imageRows(), LABELS);
    List<WrittenFile> fb = NpyShardFile.sink(plain).write(b, BASE, imageRows(), LABELS);
    assertEquals(fa.size(), fb.size());
    for (int i = 0; i < fa.size(); i++) {
      WrittenFile f = fa.get(i);
      assertEquals(f.name(), fb.get(i).name());
      assertEquals(f.bytes(), fb.get(i).bytes(), f.name());
      assertNull(fb.get(i).sha256(), f.name());
      assertEquals(Sha256Files.of(a.resolve(f.name())), f.sha256(), f.name());
      assertArrayEquals(
          Files.readAllBytes(a.resolve(f.name())),
          Files.readAllBytes(b.resolve(f.name())),
          f.name());
    }
  }

  @Test
  void ourReaderRoundTripsImageRows() throws Exception {
    List<Sample> rows = imageRows();
    NpyShardFile.sink(Options.defaults()).write(dir, BASE, rows, LABELS);

    List<ShardRow> got = NpyShardFile.read(dir.resolve(BASE + ".meta.json"));
    assertEquals(3, got.size());
    for (int i = 0; i < 3; i++) {
      ShardRow r = got.get(i);
      Sample s = rows.get(i);
      assertEquals(s.id(), r.id());
      assertArrayEquals(s.image().bytes(), r.image(), s.id());
      assertEquals(List.of(H, W, C), List.of(r.height(), r.width(), r.channels()));
      assertEquals(ImagePayload.RAW, r.format());
      assertEquals(s.split().folder(), r.split());
      assertEquals(2, r.fold());
      assertEquals(s.applied(), Applied.fromJson(r.applied()));
    }
    assertEquals(2, got.get(0).label());
    assertEquals("fox", got.get(0).labelName());
    assertEquals(List.of(2), got.get(0).labels());
    assertEquals(1, got.get(1).label());
    assertEquals("dog", got.get(1).labelName());
    assertEquals(List.of(0, 1), got.get(1).labels(), "from the mask, in index order");
    assertEquals(-1, got.get(2).label());
    assertNull(got.get(2).labelName());
    assertEquals(List.of(), got.get(2).labels());

    Map<String, NpyArray> arrays = NpyShardFile.readArrays(dir.resolve(BASE + ".meta.json"));
    assertEquals(
        List.of("x", "y", "labels", "boxes", "n_boxes", "box_labels", "box_flags"),
        List.copyOf(arrays.keySet()));
    assertArrayEquals(new int[] {2, 0, 0}, arrays.get("n_boxes").ints());
    float[] boxes = arrays.get("boxes").floats();
    assertEquals(24, boxes.length);
    assertEquals(4.25f, boxes[5]);
    assertEquals(-1f, boxes[8]);
  }

  @Test
  void float32SeriesAndHorizonAsNumpySeesThem() throws Exception {
    assumeNumpy();
    float[] v0 = {1.5f, -2f, 0.1f, 3e38f, Float.MIN_VALUE, -0f};
    float[] v1 = {Float.NaN, 7f, 8f, 9f, 10f, 11f};
    float[] h0 = {0.25f, 0.5f};
    float[] h1 = {-1f, 1e-3f};
    List<Sample> rows = List.of(series("a", v0, h0), series("b", v1, h1));
    List<WrittenFile> files = NpyShardFile.sink(Options.defaults()).write(dir, BASE, rows, LABELS);
    assertEquals(
        List.of(BASE + ".x.npy", BASE + ".y.npy", BASE + ".horizon.npy", BASE + ".meta.json"),
        files.stream().map(WrittenFile::name).toList());

    JsonNode got = python(SUMMARY, dir.resolve(BASE + ".meta.json").toString());
    assertEquals("float32", got.get("x").get("dtype").asText());
    assertEquals(List.of(2, 3, 2), list(got.get("x").get("shape")));
    assertEquals(sha256(littleEndian(v0), littleEndian(v1)), got.get("x").get("sha256").asText());
    assertEquals(got.get("x").get("sha256"), got.get("x").get("mmap_sha256"));
    assertEquals(List.of(2, 1, 2), list(got.get("horizon").get("shape")));
    assertEquals(
        sha256(littleEndian(h0), littleEndian(h1)), got.get("horizon").get("sha256").asText());
    assertEquals(0.25, got.get("horizon").get("values").get(0).get(0).get(0).asDouble());
    assertEquals((double) 0.1f, got.get("x").get("values").get(0).get(1).get(0).asDouble());
    assertEquals(List.of(0, 0), list(got.get("y").get("values")));

    Map<String, NpyArray> arrays = NpyShardFile.readArrays(dir.resolve(BASE + ".meta.json"));
    assertArrayEquals(
        new float[] {1.5f, -2f, 0.1f, 3e38f, Float.MIN_VALUE, -0f, Float.NaN, 7f, 8f, 9f, 10f, 11f},
        arrays.get("x").floats());
    JsonNode meta = JSON.readTree(dir.resolve(BASE + ".meta.json").toFile());
    assertEquals(List.of("s-a", "s-b"), list(meta.get("series_id")));
    assertEquals("TC", meta.get("arrays").get("x").get("layout").asText());
  }

  /** NumPy's astype(float16) of the float32 shard equals our float16 shard, bit for bit. */
  private static final String F16_COMPARE =
      """
      import json, sys
      import numpy as np
      out = {}
      for name in sys.argv[3:]:
          a32 = np.load(sys.argv[1] + '.' + name + '.npy', allow_pickle=False)
          a16 = np.load(sys.argv[2] + '.' + name + '.npy', allow_pickle=False)
          m16 = np.load(sys.argv[2] + '.' + name + '.npy', mmap_mode='r')
          want = a32.astype(np.float16).view(np.uint16)
          out[name] = {'dtype': str(a16.dtype), 'shape': list(a16.shape),
                       'mismatches': int((want != a16.view(np.uint16)).sum()),
                       'mmap_mismatches': int((want != np.asarray(m16).view(np.uint16)).sum()),
                       'bits': a16.view(np.uint16).ravel().tolist()}
      print(json.dumps(out))
      """;

  @Test
  void float16SeriesAndFeaturesMatchNumpyAstype() throws Exception {
    assumeNumpy();
    SplittableRandom rng = new SplittableRandom(42);
    float[] edges = {
      0f,
      -0f,
      1f,
      65504f,
      65519.99f,
      65520f,
      1e10f,
      -1e10f,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.NaN,
      5.9604645e-8f,
      2.9802322e-8f,
      2.9802326e-8f,
      8.940697e-8f,
      6.1035156e-5f,
      6.097555e-5f,
      1.00048828125f,
      1.00146484375f,
      1e-8f,
      -3.0517578e-5f,
      0.1f,
      1.0009766f,
      2049f,
      4097f
    };
    float[] v0 = new float[64];
    float[] v1 = new float[64];
    for (int i = 0; i < 64; i++) {
      v0[i] = i < edges.length ? edges[i] : (float) (rng.nextGaussian() * 1000);
      v1[i] = Float.intBitsToFloat(rng.nextInt() & 0x7fbfffff | (rng.nextBoolean() ? 0 : 1 << 31));
    }
    List<Sample> seriesRows = List.of(series("a", v0, v1), series("b", v1, v0));
    Path d32 = Files.createDirectory(dir.resolve("f32"));
    Path d16 = Files.createDirectory(dir.resolve("f16"));
    NpyShardFile.sink(Options.defaults()).write(d32, BASE, seriesRows, LABELS);
    NpyShardFile.sink(Options.defaults().withFloat16(true)).write(d16, BASE, seriesRows, LABELS);
    JsonNode got =
        python(
            F16_COMPARE,
            d32.resolve(BASE).toString(),
            d16.resolve(BASE).toString(),
            "x",
            "horizon");
    for (String name : List.of("x", "horizon")) {
      assertEquals("float16", got.get(name).get("dtype").asText(), name);
      assertEquals(0, got.get(name).get("mismatches").asInt(), name + ": " + got.get(name));
      assertEquals(0, got.get(name).get("mmap_mismatches").asInt(), name);
    }
    assertEquals(List.of(2, 32, 2), list(got.get("x").get("shape")));
    // And our own conversion gives the bits NumPy read, value by value.
    JsonNode bits = got.get("x").get("bits");
    for (int i = 0; i < 64; i++) {
      assertEquals(bits.get(i).asInt(), Float16.fromFloat(v0[i]) & 0xffff, "bits of " + v0[i]);
    }
    assertEquals(0x7c00, bits.get(5).asInt(), "65520 overflows to inf");
    assertEquals(0x0001, bits.get(11).asInt(), "smallest subnormal");
    assertEquals(0x0000, bits.get(12).asInt(), "half the smallest subnormal ties to even zero");

    FeaturePayload f0 = new FeaturePayload(v0, new String[] {"red"});
    FeaturePayload f1 = new FeaturePayload(v1, new String[] {"blue"});
    List<Sample> featureRows = List.of(row("fa", List.of("dog"), f0), row("fb", List.of(), f1));
    Path e32 = Files.createDirectory(dir.resolve("e32"));
    Path e16 = Files.createDirectory(dir.resolve("e16"));
    NpyShardFile.sink(Options.defaults()).write(e32, BASE, featureRows, LABELS);
    NpyShardFile.sink(Options.defaults().withFloat16(true)).write(e16, BASE, featureRows, LABELS);
    JsonNode fg =
        python(F16_COMPARE, e32.resolve(BASE).toString(), e16.resolve(BASE).toString(), "x");
    assertEquals(List.of(2, 64), list(fg.get("x").get("shape")));
    assertEquals(0, fg.get("x").get("mismatches").asInt(), fg.toString());
    NpyArray x32 = NpyShardFile.readArrays(e32.resolve(BASE + ".meta.json")).get("x");
    assertEquals(sha256(littleEndian(v0), littleEndian(v1)), sha256(x32.bytes()));
    // Categorical features are not in any array; meta.json keeps them by (positional) name.
    assertEquals(
        "red",
        JSON.readTree(e32.resolve(BASE + ".meta.json").toFile())
            .at("/features/categorical/c0/0")
            .asText());
  }

  @Test
  void float16ConversionMatchesNumpyOnEdgesAndRandomBits() throws Exception {
    assumeNumpy();
    SplittableRandom rng = new SplittableRandom(7);
    int n = 20000;
    float[] v = new float[n];
    float[] edges = {
      0f,
      -0f,
      65504f,
      65505f,
      65519f,
      65520f,
      -65520f,
      Float.MAX_VALUE,
      Float.MIN_VALUE,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.NaN,
      -Float.NaN,
      5.9604645e-8f,
      -5.9604645e-8f,
      2.9802322e-8f,
      2.9802326e-8f,
      8.940697e-8f,
      6.1035156e-5f,
      6.0975552e-5f,
      6.1005354e-5f,
      1.00048828125f,
      1.00146484375f,
      Float.intBitsToFloat(0x7f800001),
      Float.intBitsToFloat(0x7fc00001),
      Float.intBitsToFloat(0x33000000),
      Float.intBitsToFloat(0x33000001),
      Float.intBitsToFloat(0x387fe000),
      Float.intBitsToFloat(0x387ff000)
    };
    for (int i = 0; i < n; i++) {
      v[i] =
          i < edges.length
              ? edges[i]
              : i % 2 == 0
                  ? Float.intBitsToFloat(rng.nextInt())
                  // Concentrate on the float16 range, where rounding matters most.
                  : Float.intBitsToFloat((rng.nextInt(0x30000000, 0x48000000)) | (i % 4 << 30));
    }
    Path in = dir.resolve("in.f32");
    Files.write(in, littleEndian(v));
    JsonNode got =
        python(
            """
            import json, sys
            import numpy as np
            v = np.fromfile(sys.argv[1], dtype='<f4')
            print(json.dumps(v.astype(np.float16).view(np.uint16).tolist()))
            """,
            in.toString());
    int mismatches = 0;
    StringBuilder first = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int want = got.get(i).asInt();
      int have = Float16.fromFloat(v[i]) & 0xffff;
      if (want != have) {
        if (mismatches++ < 5) {
          first.append(
              String.format(
                  "%08x -> numpy %04x, ours %04x; ", Float.floatToRawIntBits(v[i]), want, have));
        }
      }
    }
    assertEquals(0, mismatches, first.toString());
  }

  @Test
  void float16BackToFloatIsExact() {
    for (int h = 0; h < 0x10000; h++) {
      float f = Float16.toFloat((short) h);
      boolean nan = (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0;
      if (nan) {
        assertTrue(Float.isNaN(f), Integer.toHexString(h));
      } else {
        assertEquals(h, Float16.fromFloat(f) & 0xffff, "round trip of " + Integer.toHexString(h));
      }
    }
    assertEquals(65504f, Float16.toFloat((short) 0x7bff));
    assertEquals(5.9604645e-8f, Float16.toFloat((short) 0x0001));
  }

  @Test
  void videoClipsAreNByTByHByWByC() throws Exception {
    ImagePayload f0 = ImagePayload.raw(synthetic(1), W, H, C);
    ImagePayload f1 = ImagePayload.raw(synthetic(2), W, H, C);
    ImagePayload f2 = ImagePayload.raw(synthetic(3), W, H, C);
    List<Sample> rows =
        List.of(
            row("v1", List.of("cat"), new VideoPayload("v", new long[] {0, 40}, List.of(f0, f1))),
            row(
                "v2",
                List.of("fox"),
                new VideoPayload("v", new long[] {80, 120}, List.of(f2, f0))));
    NpyShardFile.sink(Options.defaults()).write(dir, BASE, rows, LABELS);
    NpyArray x = NpyShardFile.readArrays(dir.resolve(BASE + ".meta.json")).get("x");
    assertArrayEquals(new long[] {2, 2, H, W, C}, x.shape());
    assertEquals(sha256(synthetic(1), synthetic(2), synthetic(3), synthetic(1)), sha256(x.bytes()));
    JsonNode meta = JSON.readTree(dir.resolve(BASE + ".meta.json").toFile());
    assertEquals("THWC", meta.get("arrays").get("x").get("layout").asText());
    assertEquals(List.of(List.of(0, 40), List.of(80, 120)), list(meta.get("pts_micros")));
  }

  // ---- errors ----

  private IllegalArgumentException fails(List<Sample> rows) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NpyShardFile.sink(Options.defaults()).write(dir, BASE, rows, LABELS));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.toList(), "a rejected shard leaves no files");
    } catch (IOException io) {
      throw new AssertionError(io);
    }
    return e;
  }

  @Test
  void rejectsEmptyRows() {
    assertTrue(fails(List.of()).getMessage().contains("at least one row"));
  }

  @Test
  void rejectsUnassignedSplit() throws Exception {
    List<Sample> rows = new ArrayList<>(imageRows());
    rows.set(1, rows.get(1).toBuilder().split(Split.UNASSIGNED).build());
    assertEquals("row baboon.jpg has no split assigned", fails(rows).getMessage());
  }

  @Test
  void rejectsEncodedImagesNamingRawEncoding() throws Exception {
    List<Sample> rows = new ArrayList<>(imageRows());
    byte[] png = Files.readAllBytes(Path.of("../sample-data/photos/smarties.png"));
    rows.set(2, row("enc.png", List.of(), ImagePayload.encoded(png, "png", 413, 356, 3, 1)));
    String msg = fails(rows).getMessage();
    assertTrue(msg.contains("enc.png") && msg.contains("raw encoding"), msg);
  }

  @Test
  void rejectsShapeMismatchNamingTheRow() throws Exception {
    List<Sample> rows = new ArrayList<>(imageRows());
    rows.set(1, row("small.jpg", List.of(), ImagePayload.raw(new byte[12], 2, 2, 3)));
    String msg = fails(rows).getMessage();
    assertTrue(msg.contains("row small.jpg is 2x2x3") && msg.contains("24x32x3"), msg);
  }

  @Test
  void rejectsLabelMissingFromMap() throws Exception {
    List<Sample> rows = new ArrayList<>(imageRows());
    rows.set(2, rows.get(2).toBuilder().labels(List.of("cat", "emu")).build());
    String msg = fails(rows).getMessage();
    assertTrue(msg.contains("z.jpg#augmented0") && msg.contains("'emu'"), msg);
  }

  @Test
  void rejectsMixedModalities() throws Exception {
    List<Sample> rows = new ArrayList<>(imageRows());
    rows.add(series("s", new float[] {1, 2}, null));
    assertEquals(
        "a .npy shard holds one modality: row s is series but row smarties.png is image",
        fails(rows).getMessage());
  }

  @Test
  void rejectsMixedPixelDtypes() throws Exception {
    List<Sample> rows = new ArrayList<>(imageRows());
    rows.add(row("f.png", List.of(), ImagePayload.rawFloat32(new byte[W * H * C * 4], W, H, C)));
    assertEquals(
        "a .npy shard holds one pixel dtype: row f.png is float32 but row smarties.png is uint8",
        fails(rows).getMessage());
  }

  @Test
  void rejectsTextAndMixedHorizons() {
    String msg = fails(List.of(row("t", List.of(), new TextPayload("hi")))).getMessage();
    assertTrue(msg.contains("row t is text"), msg);
    String h =
        fails(
                List.of(
                    series("a", new float[] {1, 2}, new float[] {3, 4}),
                    series("b", new float[] {1, 2}, null)))
            .getMessage();
    assertTrue(h.contains("row b"), h);
  }

  @Test
  void optionsAreSerializableValues() throws Exception {
    Options o = Options.defaults().withFloat16(true);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (var out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(NpyShardFile.sink(o));
    }
    try (var in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      ShardSink back = (ShardSink) in.readObject();
      assertEquals("npy", back.format());
    }
    assertTrue(o.float16());
    assertFalse(Options.defaults().float16());
  }
}
