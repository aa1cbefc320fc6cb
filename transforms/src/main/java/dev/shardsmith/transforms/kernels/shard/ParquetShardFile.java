package dev.shardsmith.transforms.kernels.shard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardsmith.schemas.FeatureNames;
import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.LabelMap;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SeriesPayload;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.schemas.Targets;
import dev.shardsmith.schemas.TextPayload;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.kernels.EnumKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes one image or text shard as a Parquet file, and reads one back for {@code inspect} and
 * tests.
 *
 * <p>Three layouts, chosen by the rows' payloads (all rows of a shard share one):
 *
 * <ul>
 *   <li><b>fixed shape</b>: every payload is {@link ImagePayload#RAW} pixels of one shape {@code H
 *       x W x C}; column {@code image} is {@code FIXED_LEN_BYTE_ARRAY(H*W*C)} and the file key
 *       {@value #TENSOR_KEY} holds {@code {"dtype":"uint8","shape":[H,W,C],"layout":"HWC",
 *       "channel_order":"RGB"}} ({@code GRAY} for one channel, {@code RGBA} for four). Normalized
 *       pixels ({@link ImagePayload#RAW_FLOAT32}, all rows) make it {@code
 *       FIXED_LEN_BYTE_ARRAY(H*W*C*4)} of little-endian float32 values, {@code "dtype":"float32"}.
 *   <li><b>clip</b>: every payload is a {@link VideoPayload} of T raw frames of one shape: the
 *       fixed-shape layout with a leading T, column {@code image} is {@code
 *       FIXED_LEN_BYTE_ARRAY(T*H*W*C)} (the frames back to back; times 4 for float32 frames, which
 *       every frame of the shard must then be) and {@value #TENSOR_KEY} holds {@code
 *       {"dtype":"uint8","shape":[T,H,W,C],"layout":"THWC","channel_order":"RGB"}}; then {@code
 *       video_id} (string) and {@code pts_micros} (3-level LIST of required INT64: the T frames'
 *       presentation timestamps in microseconds). DuckDB reads {@code pts_micros} as {@code
 *       BIGINT[]}.
 *   <li><b>encoded</b>: every payload is an encoded image of one format (png, jpeg, ...); column
 *       {@code image} is {@code BINARY}, with {@code height}, {@code width}, {@code channels} INT32
 *       columns, and the file key {@value #ENCODING_KEY} names the format.
 *   <li><b>text</b>: every payload is a {@link TextPayload}; instead of the image columns, a
 *       required UTF-8 string column {@code text}.
 *   <li><b>series</b>: every payload is a {@link SeriesPayload} of one shape; instead of the image
 *       columns, required 3-level LISTs of required FLOAT {@code x} (T x C values, row-major, time
 *       first) and {@code horizon} (H x C; empty without a horizon), {@code series_id} (string) and
 *       {@code start} (int64, the window's first step); the file key {@value #SERIES_KEY} holds the
 *       shapes ({@link #seriesJson}). DuckDB reads {@code x} as {@code FLOAT[]}.
 *   <li><b>features</b>: every payload is a {@link FeaturePayload}; instead of the image columns, a
 *       required 3-level LIST of required FLOAT {@code features} holding the F numeric features
 *       (every row has F; NaN where missing; DuckDB reads it as {@code FLOAT[]}), then one optional
 *       UTF-8 string column per categorical feature, named after it (null where missing). The names
 *       come from {@link Options#withFeatureNames} and are recorded in the file key {@value
 *       #FEATURES_KEY}: {@code {"column":"features","dtype":"float32","length":F,"names":[...],
 *       "categorical":[...]}}.
 * </ul>
 *
 * <p>Other columns, one value per row: {@code id}, {@code source_ids} (3-level LIST of strings),
 * {@code group}, {@code split}, {@code fold}, {@code label} (LabelMap index, -1 when unlabelled),
 * {@code label_name} (null when unlabelled), {@code labels} (LIST of int32 indices), {@code
 * copy_index} (-1 for an original), {@code derived_kind} (null for an original), {@code
 * payload_sha256} and {@code applied} ({@link dev.shardsmith.schemas.Applied#toJson()}). Strings
 * are UTF-8. File keys also hold {@value #LABELS_KEY} (JSON array of label names by index) and
 * {@value #FORMAT_VERSION_KEY} = {@value #FORMAT_VERSION} and {@value #PAYLOAD_KEY} ({@value
 * #PAYLOAD_IMAGE}, {@value #PAYLOAD_VIDEO}, {@value #PAYLOAD_TEXT}, {@value #PAYLOAD_SERIES} or
 * {@value #PAYLOAD_FEATURES}).
 *
 * <p>Annotation targets, each column present only when some row of the shard has them: {@code
 * boxes} (LIST of {@code {x_min, y_min, x_max, y_max: float, label: int64 class id, label_name:
 * string, flags: int32 (1 difficult, 2 iscrowd)}}), {@code keypoints} (LIST of {@code {x, y: float,
 * visibility: int32, name: string}}) and {@code mask} (optional binary, {@code height x width}
 * uint8 class ids; described by {@value #MASK_TENSOR_KEY} in a fixed-shape layout).
 *
 * <p><b>Deterministic:</b> rows are written in the order given (the caller sorts them), and the
 * file holds nothing time- or host-dependent, so the same rows and options give a byte-identical
 * file and sha256. Memory: the rows in the list plus one row group being encoded.
 *
 * <pre>{@code
 * ShardFileResult r =
 *     ParquetShardFile.write(
 *         staging.resolve("part-00000-of-00004.parquet"), sortedRows, labels,
 *         ParquetShardFile.Options.defaults().withCompression(Compression.SNAPPY));
 * }</pre>
 */
public final class ParquetShardFile {
  /** File key of the pixel tensor description (fixed-shape layout). */
  public static final String TENSOR_KEY = "shardsmith.tensor.image";

  /** File key of the mask tensor description ({@code mask} column of a fixed-shape layout). */
  public static final String MASK_TENSOR_KEY = "shardsmith.tensor.mask";

  /** File key of the image encoding (encoded layout). */
  public static final String ENCODING_KEY = "shardsmith.image.encoding";

  /** File key of the JSON array of label names, index order. */
  public static final String LABELS_KEY = "shardsmith.labels";

  /** File key of this file layout's version. */
  public static final String FORMAT_VERSION_KEY = "shardsmith.format_version";

  /** File key of the rows' payload kind: {@value #PAYLOAD_IMAGE} or {@value #PAYLOAD_TEXT}. */
  public static final String PAYLOAD_KEY = "shardsmith.payload";

  /** {@value #PAYLOAD_KEY} of an image shard. */
  public static final String PAYLOAD_IMAGE = "image";

  /** {@value #PAYLOAD_KEY} of a shard of video clips (the clip layout). */
  public static final String PAYLOAD_VIDEO = "video";

  /** {@value #PAYLOAD_KEY} of a text shard. */
  public static final String PAYLOAD_TEXT = "text";

  /** {@value #PAYLOAD_KEY} of a feature-vector (tabular) shard. */
  public static final String PAYLOAD_FEATURES = "features";

  /** {@value #PAYLOAD_KEY} of a series shard. */
  public static final String PAYLOAD_SERIES = "series";

  /** File key of the series tensor description (series layout). */
  public static final String SERIES_KEY = "shardsmith.tensor.series";

  /** File key of the feature description (features layout). */
  public static final String FEATURES_KEY = "shardsmith.features";

  /** Name of the numeric feature column of a features shard. */
  public static final String FEATURES_COLUMN = "features";

  /** Name of the text column of a text shard. */
  public static final String TEXT_COLUMN = "text";

  /** The version of this file layout; bump it when a column or key changes meaning. */
  public static final String FORMAT_VERSION = "1";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ZSTD_LEVEL = 3;

  private ParquetShardFile() {}

  /** Compression codec of every column. */
  public enum Compression {
    ZSTD(CompressionCodecName.ZSTD),
    SNAPPY(CompressionCodecName.SNAPPY),
    NONE(CompressionCodecName.UNCOMPRESSED);

    private final CompressionCodecName codec;

    Compression(CompressionCodecName codec) {
      this.codec = codec;
    }

    /** Parses {@code zstd}, {@code snappy} or {@code none} (any case). */
    public static Compression parse(String name) {
      return EnumKeys.parse(Compression.class, "compression", name);
    }
  }

  /**
   * Immutable, serializable writer settings: compression (default zstd, level 3), row-group size
   * (default 64 MiB, which bounds the writer's buffer), whether the file's sha256 is computed as it
   * is written (default yes; without it the result's sha256 is null and the file is byte-identical)
   * and the names of the features of feature rows (default none: a features shard needs them).
   */
  public static final class Options extends ShardOptions<Options> {
    private static final long serialVersionUID = 1L;
    private static final Options DEFAULTS = new Options();

    private Compression compression = Compression.ZSTD;
    private long rowGroupBytes = 64L << 20;

    private Options() {}

    public static Options defaults() {
      return DEFAULTS;
    }

    public Options withCompression(Compression compression) {
      if (compression == null) {
        throw new IllegalArgumentException("withCompression: compression must not be null");
      }
      return with(o -> o.compression = compression);
    }

    /** Target row-group size in bytes; at least 1 MiB. */
    public Options withRowGroupBytes(long bytes) {
      if (bytes < (1L << 20)) {
        throw new IllegalArgumentException(
            "withRowGroupBytes: must be at least 1 MiB (1048576), but was " + bytes);
      }
      return with(o -> o.rowGroupBytes = bytes);
    }

    public Compression compression() {
      return compression;
    }

    public long rowGroupBytes() {
      return rowGroupBytes;
    }

    @Override
    public String toString() {
      return "Options{"
          + compression
          + ", rowGroupBytes="
          + rowGroupBytes
          + (sha256() ? "" : ", no sha256")
          + "}";
    }
  }

  /** This writer as a {@link ShardSink}: one file, {@code <base>.parquet}. */
  public static ShardSink sink(Options opts) {
    return new Sink(opts);
  }

  private record Sink(Options opts) implements ShardSink {
    @Override
    public String format() {
      return "parquet";
    }

    @Override
    public List<WrittenFile> write(Path dir, String baseName, List<Sample> rows, LabelMap labels)
        throws IOException {
      String name = baseName + ".parquet";
      ShardFileResult r = ParquetShardFile.write(dir.resolve(name), rows, labels, opts);
      return List.of(new WrittenFile(name, "parquet", r.rows(), r.bytes(), r.sha256()));
    }
  }

  /**
   * Writes {@code rows}, in this order, to {@code file} (replacing it if present).
   *
   * @throws IllegalArgumentException when {@code rows} is empty, mixes text and images, raw and
   *     encoded images, raw shapes or encodings, holds a payload neither image nor text, an
   *     unassigned split, a null group or a label missing from {@code labels}; the message names
   *     the offending id
   */
  public static ShardFileResult write(Path file, List<Sample> rows, LabelMap labels, Options opts)
      throws IOException {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a shard needs at least one row: " + file);
    }
    Layout layout = Layout.of(rows);
    FeatureNames names =
        layout.features
            ? opts.featureNames().orPositional((FeaturePayload) rows.get(0).payload())
            : opts.featureNames();
    // Check every row before opening the file, so a bad row leaves no file behind.
    for (Sample s : rows) {
      checkRow(s, labels);
      if (layout.features) {
        names.check(s.id(), (FeaturePayload) s.payload());
      }
    }
    MessageType schema = schema(layout, names);
    Map<String, String> kv = new TreeMap<>();
    kv.put(FORMAT_VERSION_KEY, FORMAT_VERSION);
    kv.put(LABELS_KEY, json(labels.names()));
    kv.put(PAYLOAD_KEY, layout.payloadKind());
    if (layout.mask && layout.raw) {
      kv.put(MASK_TENSOR_KEY, maskTensorJson(layout.height, layout.width));
    }
    if (layout.series) {
      kv.put(SERIES_KEY, seriesJson(layout.height, layout.channels, layout.width));
    } else if (layout.features) {
      kv.put(FEATURES_KEY, featuresJson(names));
    } else if (!layout.text && layout.raw) {
      kv.put(TENSOR_KEY, tensorJson(layout));
    } else if (!layout.text) {
      kv.put(ENCODING_KEY, layout.format);
    }
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    return writeRows(
        file, schema, kv, opts, rows, s -> toGroup(groups.newGroup(), s, labels, names));
  }

  /** The key-value metadata of a shard file (this layout's keys and Parquet's own). */
  public static Map<String, String> readMetadata(Path file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      return new TreeMap<>(reader.getFooter().getFileMetaData().getKeyValueMetaData());
    }
  }

  /** Reads every row of a shard file written by {@link #write}, in file order. */
  public static List<ShardRow> read(Path file) throws IOException {
    Map<String, String> kv = readMetadata(file);
    if (PAYLOAD_FEATURES.equals(kv.get(PAYLOAD_KEY))) {
      return readFeatures(file, kv);
    }
    if (PAYLOAD_SERIES.equals(kv.get(PAYLOAD_KEY))) {
      return readSeries(file);
    }
    boolean text = PAYLOAD_TEXT.equals(kv.get(PAYLOAD_KEY));
    boolean clips = PAYLOAD_VIDEO.equals(kv.get(PAYLOAD_KEY));
    int[] shape = null;
    String rawFormat = ImagePayload.RAW;
    String tensor = kv.get(TENSOR_KEY);
    if (tensor != null) {
      JsonNode t = JSON.readTree(tensor);
      JsonNode s = t.get("shape");
      int dims = clips ? 4 : 3;
      if (s == null || s.size() != dims) {
        throw new IOException(
            file + ": " + TENSOR_KEY + " must have a shape of " + dims + " dimensions: " + tensor);
      }
      // a frame's H x W x C: the last three dimensions (a clip's first is T)
      shape = new int[] {s.get(dims - 3).asInt(), s.get(dims - 2).asInt(), s.get(dims - 1).asInt()};
      if ("float32".equals(t.path("dtype").asText())) {
        rawFormat = ImagePayload.RAW_FLOAT32;
      }
    } else if (clips) {
      throw new IOException(file + " is a clip shard without the key " + TENSOR_KEY);
    }
    String format = text ? ShardRow.TEXT : tensor != null ? rawFormat : kv.get(ENCODING_KEY);
    if (format == null) {
      throw new IOException(file + " is not a shardsmith image shard: no " + TENSOR_KEY);
    }
    List<ShardRow> out = new ArrayList<>();
    for (Group g : readGroups(file)) {
      out.add(
          new ShardRow(
              g.getString("id", 0),
              g.getString("split", 0),
              g.getInteger("fold", 0),
              g.getInteger("label", 0),
              g.getFieldRepetitionCount("label_name") == 0 ? null : g.getString("label_name", 0),
              labelIndices(g),
              text ? null : g.getBinary("image", 0).getBytes(),
              format,
              text ? 0 : shape != null ? shape[0] : g.getInteger("height", 0),
              text ? 0 : shape != null ? shape[1] : g.getInteger("width", 0),
              text ? 0 : shape != null ? shape[2] : g.getInteger("channels", 0),
              g.getString("applied", 0),
              text ? g.getString(TEXT_COLUMN, 0) : null,
              null,
              List.of(),
              null,
              clips
                  ? new ShardRow.Clip(g.getString("video_id", 0), longList(g, "pts_micros"))
                  : null));
    }
    return out;
  }

  private static List<ShardRow> readFeatures(Path file, Map<String, String> kv) throws IOException {
    FeatureNames names = featureNames(file, kv.get(FEATURES_KEY));
    List<ShardRow> out = new ArrayList<>();
    for (Group g : readGroups(file)) {
      float[] features = floatList(g.getGroup(FEATURES_COLUMN, 0));
      List<String> categorical = new ArrayList<>();
      for (String c : names.categorical()) {
        categorical.add(g.getFieldRepetitionCount(c) == 0 ? null : g.getString(c, 0));
      }
      out.add(
          valueRow(
              g,
              ShardRow.FEATURES,
              features,
              java.util.Collections.unmodifiableList(categorical),
              null));
    }
    return out;
  }

  /**
   * Series rows: {@code features} holds {@code x} (T x C, row-major), {@code horizon} the {@code
   * horizon} column (H x C, empty without a horizon).
   */
  private static List<ShardRow> readSeries(Path file) throws IOException {
    List<ShardRow> out = new ArrayList<>();
    for (Group g : readGroups(file)) {
      float[] x = floatList(g.getGroup("x", 0));
      float[] horizon = floatList(g.getGroup("horizon", 0));
      out.add(valueRow(g, ShardRow.SERIES, x, List.of(), horizon));
    }
    return out;
  }

  /** A feature or series row: its values, categorical features and horizon, no pixels or text. */
  private static ShardRow valueRow(
      Group g, String format, float[] values, List<String> categorical, float[] horizon) {
    return new ShardRow(
        g.getString("id", 0),
        g.getString("split", 0),
        g.getInteger("fold", 0),
        g.getInteger("label", 0),
        g.getFieldRepetitionCount("label_name") == 0 ? null : g.getString("label_name", 0),
        labelIndices(g),
        null,
        format,
        0,
        0,
        0,
        g.getString("applied", 0),
        null,
        values,
        categorical,
        horizon,
        null);
  }

  /** The values of a {@code list<float>} group. */
  private static float[] floatList(Group list) {
    float[] out = new float[list.getFieldRepetitionCount("list")];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.getGroup("list", i).getFloat("element", 0);
    }
    return out;
  }

  /** The values of the {@code list<int64>} column {@code name}. */
  private static long[] longList(Group g, String name) {
    Group list = g.getGroup(name, 0);
    long[] out = new long[list.getFieldRepetitionCount("list")];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.getGroup("list", i).getLong("element", 0);
    }
    return out;
  }

  private static List<Integer> labelIndices(Group g) {
    List<Integer> labelIndices = new ArrayList<>();
    Group list = g.getGroup("labels", 0);
    for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
      labelIndices.add(list.getGroup("list", i).getInteger("element", 0));
    }
    return List.copyOf(labelIndices);
  }

  /** The {@value #FEATURES_KEY} value of a features shard. */
  static String featuresJson(FeatureNames names) {
    ObjectNode f = JSON.createObjectNode();
    f.put("column", FEATURES_COLUMN);
    f.put("dtype", "float32");
    f.put("length", names.numeric().size());
    names.numeric().forEach(f.putArray("names")::add);
    names.categorical().forEach(f.putArray("categorical")::add);
    return json(f);
  }

  /** Parses a {@value #FEATURES_KEY} value; {@code file} names the shard in errors. */
  static FeatureNames featureNames(Path file, String json) throws IOException {
    if (json == null) {
      throw new IOException(file + " is a features shard without the key " + FEATURES_KEY);
    }
    JsonNode f = JSON.readTree(json);
    List<String> numeric = new ArrayList<>();
    f.path("names").forEach(n -> numeric.add(n.asText()));
    List<String> categorical = new ArrayList<>();
    f.path("categorical").forEach(n -> categorical.add(n.asText()));
    return new FeatureNames(numeric, categorical);
  }

  // ---- shared with SplitsFile ----

  static <T> ShardFileResult writeRows(
      Path file,
      MessageType schema,
      Map<String, String> kv,
      Options opts,
      List<T> rows,
      Function<T, Group> toGroup)
      throws IOException {
    DigestingOutputFile out = new DigestingOutputFile(file, opts.sha256());
    PlainParquetConfiguration conf = new PlainParquetConfiguration();
    // Pinned rather than left to Parquet's defaults, so a library upgrade cannot change the bytes.
    conf.setInt("parquet.compression.codec.zstd.level", ZSTD_LEVEL);
    conf.setInt("parquet.compression.codec.zstd.workers", 0);
    ExampleParquetWriter.Builder b =
        ExampleParquetWriter.builder(out)
            .withConf(conf)
            .withType(schema)
            .withExtraMetaData(kv)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCompressionCodec(opts.compression().codec)
            .withRowGroupSize(opts.rowGroupBytes())
            .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
            .withPageWriteChecksumEnabled(true);
    if (schema.containsField("image")) {
      // Pixels neither repeat nor sort: a dictionary or min/max would only cost time and bytes.
      b = b.withDictionaryEncoding("image", false).withStatisticsEnabled("image", false);
    }
    try (ParquetWriter<Group> writer = b.build()) {
      for (T row : rows) {
        writer.write(toGroup.apply(row));
      }
    } catch (IOException | RuntimeException e) {
      // Closing the writer wrote a footer: the file would look complete while missing rows.
      Files.deleteIfExists(file);
      throw e;
    }
    return new ShardFileResult(rows.size(), out.bytes(), out.sha256());
  }

  /** The row count from a Parquet file's footer, without reading its pages. */
  public static long rowCount(Path file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      return reader.getRecordCount();
    }
  }

  static List<Group> readGroups(Path file) throws IOException {
    List<Group> out = new ArrayList<>();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
      for (PageReadStore pages = reader.readNextRowGroup();
          pages != null;
          pages = reader.readNextRowGroup()) {
        RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          out.add(records.read());
        }
      }
    }
    return out;
  }

  static Type string(String name, Type.Repetition repetition) {
    return Types.primitive(PrimitiveTypeName.BINARY, repetition)
        .as(LogicalTypeAnnotation.stringType())
        .named(name);
  }

  static Type int32(String name) {
    return Types.required(PrimitiveTypeName.INT32).named(name);
  }

  /**
   * The standard 3-level LIST: {@code required group name (LIST) { repeated group list { element }
   * }}.
   */
  static Type list(String name, Type element) {
    return Types.buildGroup(Type.Repetition.REQUIRED)
        .as(LogicalTypeAnnotation.listType())
        .addField(Types.repeatedGroup().addField(element).named("list"))
        .named(name);
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- layout ----

  static final class Layout {
    /** Text rows: no image columns, a {@code text} column instead; the other fields are unused. */
    final boolean text;

    /** Feature rows: a {@code features} column and categorical columns instead of the image. */
    final boolean features;

    /** Series windows: {@code x} and {@code horizon} columns; height = T, width = H steps. */
    final boolean series;

    final boolean raw;

    /** Fixed-shape layout of float32 pixels ({@link ImagePayload#RAW_FLOAT32}), not uint8. */
    final boolean floatPixels;

    final String format;
    final int height;
    final int width;
    final int channels;

    /** T, the frames of every clip of a clip shard (fixed shape with a leading T); else 0. */
    final int frames;

    /** Image shards: whether some row has boxes, keypoints, a mask (each adds its column). */
    boolean boxes;

    boolean keypoints;
    boolean mask;

    private Layout(SeriesPayload first) {
      this.text = false;
      this.features = false;
      this.series = true;
      this.raw = false;
      this.floatPixels = false;
      this.format = PAYLOAD_SERIES;
      this.height = first.length();
      this.width = first.horizon().length / first.channels();
      this.channels = first.channels();
      this.frames = 0;
    }

    private Layout(boolean text) {
      this.text = text;
      this.series = false;
      this.features = !text;
      this.raw = false;
      this.floatPixels = false;
      this.format = text ? ShardRow.TEXT : ShardRow.FEATURES;
      this.height = 0;
      this.width = 0;
      this.channels = 0;
      this.frames = 0;
    }

    /** Images ({@code frames} 0) or clips of {@code frames} frames, shaped like {@code first}. */
    private Layout(ImagePayload first, int frames) {
      this.text = false;
      this.series = false;
      this.features = false;
      this.raw = first.isRaw();
      this.floatPixels = first.isFloat32();
      this.format = first.format();
      this.height = first.height();
      this.width = first.width();
      this.channels = first.channels();
      this.frames = frames;
    }

    /** True for a shard of video clips. */
    boolean clip() {
      return frames > 0;
    }

    /** The fixed shape of a row's pixels: {@code [H, W, C]}, or {@code [T, H, W, C]} for clips. */
    List<Integer> tensorShape() {
      return clip() ? List.of(frames, height, width, channels) : List.of(height, width, channels);
    }

    /** The bytes of a row's pixels in a fixed-shape layout (4 per value for float32). */
    int pixelBytes() {
      long values = (long) Math.max(frames, 1) * height * width * channels;
      return Math.toIntExact(values * (floatPixels ? Float.BYTES : 1));
    }

    /** {@value #PAYLOAD_KEY}: image, video, text, series or features. */
    String payloadKind() {
      return series
          ? PAYLOAD_SERIES
          : text
              ? PAYLOAD_TEXT
              : features ? PAYLOAD_FEATURES : clip() ? PAYLOAD_VIDEO : PAYLOAD_IMAGE;
    }

    static Layout of(List<Sample> rows) {
      Sample first = rows.get(0);
      if (first.payload() instanceof SeriesPayload sp) {
        Layout layout = new Layout(sp);
        for (Sample s : rows) {
          if (!(s.payload() instanceof SeriesPayload p)
              || p.length() != layout.height
              || p.channels() != layout.channels
              || p.horizon().length != layout.width * layout.channels) {
            throw new IllegalArgumentException(
                "a series shard needs one window shape: row "
                    + s.id()
                    + " differs from row "
                    + first.id()
                    + " ("
                    + layout.height
                    + " x "
                    + layout.channels
                    + ", horizon "
                    + layout.width
                    + ")");
          }
        }
        return layout;
      }
      boolean text = first.payload() instanceof TextPayload;
      boolean features = first.payload() instanceof FeaturePayload;
      boolean clips = first.payload() instanceof VideoPayload;
      for (Sample s : rows) {
        if ((s.payload() instanceof TextPayload) != text
            || (s.payload() instanceof FeaturePayload) != features
            || (s.payload() instanceof VideoPayload) != clips) {
          throw Mismatch.of(
              "a shard holds one of text, features, images or video clips",
              s,
              s.payload().modality(),
              first,
              first.payload().modality());
        }
      }
      if (text || features) {
        return new Layout(text);
      }
      List<ImagePayload> firstPixels = pixelFrames(first);
      Layout layout = new Layout(firstPixels.get(0), clips ? firstPixels.size() : 0);
      for (Sample s : rows) {
        List<ImagePayload> frames = pixelFrames(s);
        if (clips) {
          checkClip(s, frames, layout, first);
        }
        for (ImagePayload p : frames) {
          layout.check(s, p, first);
        }
      }
      return layout;
    }

    /** A clip needs T raw frames without targets, T as in the first row. */
    private static void checkClip(
        Sample s, List<ImagePayload> frames, Layout layout, Sample first) {
      if (frames.size() != layout.frames) {
        throw new IllegalArgumentException(
            "a clip shard needs one clip length: row "
                + s.id()
                + " has "
                + frames.size()
                + " frames but row "
                + first.id()
                + " has "
                + layout.frames);
      }
      for (ImagePayload p : frames) {
        checkClipFrame(s, p);
      }
    }

    /** Checks one image (or one frame of a clip) of row {@code s} against this layout. */
    private void check(Sample s, ImagePayload p, Sample first) {
      boxes |= p.targets().boxCount() > 0;
      keypoints |= p.targets().keypointCount() > 0;
      mask |= p.targets().mask() != null;
      if (p.isRaw() != raw) {
        throw Mismatch.of(
            "a shard holds raw pixels or encoded images, not both", s, p.format(), first, format);
      }
      if (raw && p.isFloat32() != floatPixels) {
        throw Mismatch.of(
            "a fixed-shape shard holds one pixel dtype",
            s,
            p.dtype(),
            first,
            (floatPixels ? "float32" : "uint8"));
      }
      if (raw && (p.height() != height || p.width() != width || p.channels() != channels)) {
        throw Mismatch.of(
            "a fixed-shape shard needs one shape",
            clip() ? "a frame of row " : "row ",
            s,
            shape(p.height(), p.width(), p.channels()),
            first,
            shape(height, width, channels));
      }
      if (!raw && !p.format().equals(format)) {
        throw Mismatch.of("an encoded shard needs one encoding", s, p.format(), first, format);
      }
    }

    /** The pixels of a row: its image, or the frames of its clip in order. */
    static List<ImagePayload> pixelFrames(Sample s) {
      return s.payload() instanceof VideoPayload v ? v.frames() : List.of(image(s));
    }

    private static ImagePayload image(Sample s) {
      if (!(s.payload() instanceof ImagePayload)) {
        throw new IllegalArgumentException(
            "row " + s.id() + " is " + s.payload().modality() + ", not an image");
      }
      return (ImagePayload) s.payload();
    }

    private static String shape(int h, int w, int c) {
      return h + "x" + w + "x" + c + " (HxWxC)";
    }
  }

  private static MessageType schema(Layout layout, FeatureNames names) {
    List<Type> fields = new ArrayList<>();
    fields.add(string("id", Type.Repetition.REQUIRED));
    if (layout.text) {
      fields.add(string(TEXT_COLUMN, Type.Repetition.REQUIRED));
    } else if (layout.series) {
      fields.add(list("x", Types.required(PrimitiveTypeName.FLOAT).named("element")));
      fields.add(list("horizon", Types.required(PrimitiveTypeName.FLOAT).named("element")));
      fields.add(string("series_id", Type.Repetition.REQUIRED));
      fields.add(Types.required(PrimitiveTypeName.INT64).named("start"));
    } else if (layout.features) {
      fields.add(list(FEATURES_COLUMN, Types.required(PrimitiveTypeName.FLOAT).named("element")));
      for (String c : names.categorical()) {
        fields.add(string(c, Type.Repetition.OPTIONAL));
      }
    } else if (layout.raw) {
      fields.add(
          Types.required(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
              .length(layout.pixelBytes())
              .named("image"));
      if (layout.clip()) {
        fields.add(string("video_id", Type.Repetition.REQUIRED));
        fields.add(list("pts_micros", Types.required(PrimitiveTypeName.INT64).named("element")));
      }
    } else {
      fields.add(Types.required(PrimitiveTypeName.BINARY).named("image"));
      fields.add(int32("height"));
      fields.add(int32("width"));
      fields.add(int32("channels"));
    }
    fields.add(int32("label"));
    fields.add(string("label_name", Type.Repetition.OPTIONAL));
    fields.add(list("labels", int32("element")));
    fields.add(string("split", Type.Repetition.REQUIRED));
    fields.add(int32("fold"));
    fields.add(string("group", Type.Repetition.REQUIRED));
    fields.add(list("source_ids", string("element", Type.Repetition.REQUIRED)));
    fields.add(int32("copy_index"));
    fields.add(string("derived_kind", Type.Repetition.OPTIONAL));
    fields.add(string("payload_sha256", Type.Repetition.REQUIRED));
    fields.add(string("applied", Type.Repetition.REQUIRED));
    if (layout.boxes) {
      fields.add(
          list(
              "boxes",
              Types.requiredGroup()
                  .addField(Types.required(PrimitiveTypeName.FLOAT).named("x_min"))
                  .addField(Types.required(PrimitiveTypeName.FLOAT).named("y_min"))
                  .addField(Types.required(PrimitiveTypeName.FLOAT).named("x_max"))
                  .addField(Types.required(PrimitiveTypeName.FLOAT).named("y_max"))
                  .addField(Types.required(PrimitiveTypeName.INT64).named("label"))
                  .addField(string("label_name", Type.Repetition.REQUIRED))
                  .addField(int32("flags"))
                  .named("element")));
    }
    if (layout.keypoints) {
      fields.add(
          list(
              "keypoints",
              Types.requiredGroup()
                  .addField(Types.required(PrimitiveTypeName.FLOAT).named("x"))
                  .addField(Types.required(PrimitiveTypeName.FLOAT).named("y"))
                  .addField(int32("visibility"))
                  .addField(string("name", Type.Repetition.REQUIRED))
                  .named("element")));
    }
    if (layout.mask) {
      fields.add(Types.optional(PrimitiveTypeName.BINARY).named("mask"));
    }
    return new MessageType("shardsmith_" + layout.payloadKind() + "_shard", fields);
  }

  /**
   * A frame of clip row {@code s}, as every format stores clips: raw pixels (uint8 or float32), no
   * annotation targets.
   */
  static void checkClipFrame(Sample s, ImagePayload frame) {
    if (!frame.isRaw()) {
      throw new IllegalArgumentException(
          "row "
              + s.id()
              + " is a clip of encoded "
              + frame.format()
              + " frames; clips are stored as raw tensors only (output.image_encoding: raw)");
    }
    if (!frame.targets().isEmpty()) {
      throw new IllegalArgumentException(
          "row "
              + s.id()
              + " is a clip whose frames carry annotation targets, which clip shards do not store");
    }
  }

  static void checkRow(Sample s, LabelMap labels) {
    if (s.split() == Split.UNASSIGNED) {
      throw new IllegalArgumentException("row " + s.id() + " has no split assigned");
    }
    if (s.group() == null) {
      throw new IllegalArgumentException("row " + s.id() + " has no group");
    }
    for (String name : s.labels()) {
      index(labels, s, name);
    }
  }

  private static Group toGroup(Group g, Sample s, LabelMap labels, FeatureNames names) {
    g.append("id", s.id());
    if (s.payload() instanceof TextPayload t) {
      g.append(TEXT_COLUMN, t.text());
    } else if (s.payload() instanceof SeriesPayload sp) {
      Group x = g.addGroup("x");
      for (float v : sp.values()) {
        x.addGroup("list").append("element", v);
      }
      Group h = g.addGroup("horizon");
      for (float v : sp.horizon()) {
        h.addGroup("list").append("element", v);
      }
      g.append("series_id", sp.seriesId());
      g.append("start", sp.start());
    } else if (s.payload() instanceof FeaturePayload f) {
      Group values = g.addGroup(FEATURES_COLUMN);
      for (float v : f.numeric()) {
        values.addGroup("list").append("element", v);
      }
      for (int j = 0; j < f.categorical().length; j++) {
        if (f.categorical()[j] != null) {
          g.append(names.categorical().get(j), f.categorical()[j]);
        }
      }
    } else if (s.payload() instanceof VideoPayload v) {
      g.append("image", Binary.fromConstantByteArray(clipBytes(v)));
      g.append("video_id", v.videoId());
      Group pts = g.addGroup("pts_micros");
      for (long t : v.ptsMicros()) {
        pts.addGroup("list").append("element", t);
      }
    } else {
      ImagePayload p = (ImagePayload) s.payload();
      g.append("image", Binary.fromConstantByteArray(p.bytes()));
      if (!p.isRaw()) {
        g.append("height", p.height());
        g.append("width", p.width());
        g.append("channels", p.channels());
      }
    }
    g.append("label", s.label() == null ? -1 : index(labels, s, s.label()));
    if (s.label() != null) {
      g.append("label_name", s.label());
    }
    Group labelList = g.addGroup("labels");
    for (String name : s.labels()) {
      labelList.addGroup("list").append("element", index(labels, s, name));
    }
    g.append("split", s.split().folder());
    g.append("fold", s.fold());
    g.append("group", s.group());
    Group sources = g.addGroup("source_ids");
    for (String source : s.sourceIds()) {
      sources.addGroup("list").append("element", source);
    }
    g.append("copy_index", s.copyIndex());
    if (s.derivedKind() != null) {
      g.append("derived_kind", s.derivedKind());
    }
    g.append("payload_sha256", s.payloadHash());
    g.append("applied", s.applied().toJson());
    if (s.payload() instanceof ImagePayload p) {
      appendTargets(g, p.targets());
    }
    return g;
  }

  private static void appendTargets(Group g, Targets t) {
    if (g.getType().containsField("boxes")) {
      Group list = g.addGroup("boxes");
      float[] b = t.boxes();
      for (int i = 0; i < t.boxCount(); i++) {
        list.addGroup("list")
            .addGroup("element")
            .append("x_min", b[4 * i])
            .append("y_min", b[4 * i + 1])
            .append("x_max", b[4 * i + 2])
            .append("y_max", b[4 * i + 3])
            .append("label", (long) t.boxClasses()[i])
            .append("label_name", t.boxLabels()[i])
            .append("flags", (int) t.boxFlags()[i]);
      }
    }
    if (g.getType().containsField("keypoints")) {
      Group list = g.addGroup("keypoints");
      float[] k = t.keypoints();
      for (int i = 0; i < t.keypointCount(); i++) {
        list.addGroup("list")
            .addGroup("element")
            .append("x", k[3 * i])
            .append("y", k[3 * i + 1])
            .append("visibility", (int) k[3 * i + 2])
            .append("name", t.keypointNames()[i]);
      }
    }
    if (g.getType().containsField("mask") && t.mask() != null) {
      g.append("mask", Binary.fromConstantByteArray(t.mask()));
    }
  }

  /**
   * The annotation targets of each row of a shard written by {@link #write}, in file order ({@link
   * Targets#NONE} for rows without); masks come back raw.
   */
  public static List<Targets> readTargets(Path file) throws IOException {
    List<Targets> out = new ArrayList<>();
    for (Group g : readGroups(file)) {
      out.add(targets(g));
    }
    return out;
  }

  static Targets targets(Group g) {
    List<Float> boxes = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<Integer> classes = new ArrayList<>();
    List<Byte> flags = new ArrayList<>();
    if (g.getType().containsField("boxes")) {
      Group list = g.getGroup("boxes", 0);
      for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
        Group e = list.getGroup("list", i).getGroup("element", 0);
        boxes.add(e.getFloat("x_min", 0));
        boxes.add(e.getFloat("y_min", 0));
        boxes.add(e.getFloat("x_max", 0));
        boxes.add(e.getFloat("y_max", 0));
        classes.add((int) e.getLong("label", 0));
        labels.add(e.getString("label_name", 0));
        flags.add((byte) e.getInteger("flags", 0));
      }
    }
    List<Float> kps = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (g.getType().containsField("keypoints")) {
      Group list = g.getGroup("keypoints", 0);
      for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
        Group e = list.getGroup("list", i).getGroup("element", 0);
        kps.add(e.getFloat("x", 0));
        kps.add(e.getFloat("y", 0));
        kps.add((float) e.getInteger("visibility", 0));
        names.add(e.getString("name", 0));
      }
    }
    byte[] mask =
        g.getType().containsField("mask") && g.getFieldRepetitionCount("mask") > 0
            ? g.getBinary("mask", 0).getBytes()
            : null;
    return targets(boxes, labels, classes, flags, kps, names, mask);
  }

  /** Targets from column values (shared with the Arrow reader). */
  static Targets targets(
      List<Float> boxes,
      List<String> labels,
      List<Integer> classes,
      List<Byte> flags,
      List<Float> keypoints,
      List<String> names,
      byte[] mask) {
    float[] b = new float[boxes.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = boxes.get(i);
    }
    byte[] f = new byte[flags.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = flags.get(i);
    }
    float[] k = new float[keypoints.size()];
    for (int i = 0; i < k.length; i++) {
      k[i] = keypoints.get(i);
    }
    Targets t =
        new Targets(
            b,
            labels.toArray(new String[0]),
            classes.stream().mapToInt(Integer::intValue).toArray(),
            f,
            k,
            names.toArray(new String[0]),
            mask);
    return t.isEmpty() ? Targets.NONE : t;
  }

  static int index(LabelMap labels, Sample s, String name) {
    int i = labels.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(
          "row " + s.id() + " has label '" + name + "', which is not in the label map " + labels);
    }
    return i;
  }

  static String maskTensorJson(int h, int w) {
    ObjectNode t = JSON.createObjectNode();
    t.put("dtype", "uint8");
    t.putArray("shape").add(h).add(w);
    t.put("layout", "HW");
    return json(t);
  }

  /**
   * The {@value #SERIES_KEY} value: {@code {"column":"x","dtype":"float32","shape":[T,C],
   * "layout":"TC","horizon":{"column":"horizon","shape":[H,C]}}}; each row's list holds its T x C
   * (H x C) values row-major, time first.
   */
  static String seriesJson(int t, int c, int h) {
    ObjectNode j = JSON.createObjectNode();
    j.put("column", "x");
    j.put("dtype", "float32");
    j.putArray("shape").add(t).add(c);
    j.put("layout", "TC");
    ObjectNode hz = j.putObject("horizon");
    hz.put("column", "horizon");
    hz.putArray("shape").add(h).add(c);
    return json(j);
  }

  /**
   * The {@value #TENSOR_KEY} value of a fixed-shape (image or clip) layout: dtype, shape ({@code
   * [H,W,C]}, or {@code [T,H,W,C]} for clips), layout ({@code HWC} or {@code THWC}) and channel
   * order.
   */
  static String tensorJson(Layout layout) {
    ObjectNode t = JSON.createObjectNode();
    t.put("dtype", layout.floatPixels ? "float32" : "uint8");
    ArrayNode shape = t.putArray("shape");
    layout.tensorShape().forEach(shape::add);
    t.put("layout", layout.clip() ? "THWC" : "HWC");
    int c = layout.channels;
    t.put("channel_order", c == 1 ? "GRAY" : c == 4 ? "RGBA" : "RGB");
    return json(t);
  }

  /** The frames of a clip back to back, as the {@code image} column holds them. */
  static byte[] clipBytes(VideoPayload v) {
    int frame = v.frames().get(0).bytes().length;
    byte[] out = new byte[Math.multiplyExact(frame, v.frames().size())];
    for (int i = 0; i < v.frames().size(); i++) {
      System.arraycopy(v.frames().get(i).bytes(), 0, out, i * frame, frame);
    }
    return out;
  }
}
