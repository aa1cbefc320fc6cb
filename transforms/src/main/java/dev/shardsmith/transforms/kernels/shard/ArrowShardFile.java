package dev.shardsmith.transforms.kernels.shard;

import dev.shardsmith.schemas.FeatureNames;
import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.LabelMap;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SeriesPayload;
import dev.shardsmith.schemas.Targets;
import dev.shardsmith.schemas.TextPayload;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.kernels.EnumKeys;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes one image or text shard as an Arrow IPC <em>file</em> ({@code .arrow}, the random-access
 * format with a footer), and reads one back for {@code inspect} and tests.
 *
 * <p>Columns are those of {@link ParquetShardFile}, in the same order: {@code id} utf8, {@code
 * image}, {@code label} int32 (LabelMap index, -1 when unlabelled), {@code label_name} utf8
 * (nullable), {@code labels} list&lt;int32&gt;, {@code split} utf8, {@code fold} int32, {@code
 * group} utf8, {@code source_ids} list&lt;utf8&gt;, {@code copy_index} int32, {@code derived_kind}
 * utf8 (nullable), {@code payload_sha256} utf8, {@code applied} utf8; and, when some row has them,
 * the annotation columns of Parquet: {@code boxes} and {@code keypoints} (list&lt;struct&gt;) and
 * {@code mask} (binary, nullable). Only the nullable columns hold nulls. The {@code image} column
 * depends on the rows' payloads (all rows of a shard share one layout):
 *
 * <ul>
 *   <li><b>fixed shape</b> ({@link ImagePayload#RAW} pixels of one shape): the canonical {@code
 *       arrow.fixed_shape_tensor} extension ({@link FixedShapeTensorType}) over {@code
 *       FixedSizeList<uint8>[H*W*C]} with shape {@code [H,W,C]} and dim_names {@code
 *       ["H","W","C"]}; pyarrow reads it as a {@code FixedShapeTensorType}. Schema key {@value
 *       ParquetShardFile#TENSOR_KEY} also describes it as in Parquet (dtype, layout, channel
 *       order). Normalized pixels ({@link ImagePayload#RAW_FLOAT32}, every row) use {@code
 *       FixedSizeList<float32>[H*W*C]} and {@code "dtype":"float32"}.
 *   <li><b>clip</b> ({@link VideoPayload} rows of T raw frames of one shape): the fixed-shape
 *       layout with a leading T, shape {@code [T,H,W,C]} and dim_names {@code ["T","H","W","C"]}
 *       over {@code FixedSizeList<uint8>[T*H*W*C]} (float32 when every frame is), the frames back
 *       to back; then {@code video_id} (utf8) and {@code pts_micros} (list&lt;int64&gt;, the
 *       frames' presentation timestamps in microseconds). {@value ParquetShardFile#TENSOR_KEY}
 *       describes it as in Parquet ({@code "layout":"THWC"}).
 *   <li><b>encoded</b> (png, jpeg, ... of one format): {@code image} is binary, followed by {@code
 *       height}, {@code width} and {@code channels} int32 columns; schema key {@value
 *       ParquetShardFile#ENCODING_KEY} names the format.
 *   <li><b>text</b> ({@link TextPayload} rows): instead of the image columns, a required utf8
 *       column {@code text}.
 *   <li><b>series</b> ({@link SeriesPayload} rows of one shape): instead of the image columns, a
 *       required {@code x} of {@code FixedSizeList<float32>[T*C]} (row-major, time first), {@code
 *       horizon} of {@code FixedSizeList<float32>[H*C]} (only when H > 0), {@code series_id} (utf8)
 *       and {@code start} (int64); the schema key {@value ParquetShardFile#SERIES_KEY} holds the
 *       shapes as in Parquet.
 *   <li><b>features</b> ({@link FeaturePayload} rows): instead of the image columns, a required
 *       {@code features} column of type {@code FixedSizeList<float32>[F]} (NaN where a value is
 *       missing), then one nullable utf8 column per categorical feature, named after it. Schema key
 *       {@value ParquetShardFile#FEATURES_KEY} names the features as in Parquet ({@link
 *       Options#withFeatureNames}).
 * </ul>
 *
 * <p>Schema keys also hold {@value ParquetShardFile#LABELS_KEY} (JSON array of label names by
 * index), {@value ParquetShardFile#FORMAT_VERSION_KEY} = {@value ParquetShardFile#FORMAT_VERSION}
 * and {@value ParquetShardFile#PAYLOAD_KEY} ({@code image}, {@code video}, {@code text}, {@code
 * series} or {@code features}). Buffers are compressed with zstd (level 3, default), LZ4 frame or
 * not at all, per Arrow's IPC buffer compression.
 *
 * <p><b>Deterministic:</b> rows are written in the given order, record batches are cut by fixed
 * rules (row and payload-byte limits), and nothing time- or host-dependent is written, so the same
 * rows and options give a byte-identical file. <b>Memory:</b> the rows in the list plus one record
 * batch off-heap (at most {@link Options#batchBytes()} of payload, default 8 MiB, rounded up to a
 * power of two by Arrow's allocator); every Arrow buffer is released before returning, also on
 * failure, and a failed write leaves no file.
 *
 * <pre>{@code
 * ShardFileResult r =
 *     ArrowShardFile.write(
 *         staging.resolve("part-00000-of-00004.arrow"), sortedRows, labels,
 *         ArrowShardFile.Options.defaults().withCompression(Compression.ZSTD));
 * }</pre>
 */
public final class ArrowShardFile {
  /** Name of the image column. */
  public static final String IMAGE = "image";

  private static final List<String> DIM_NAMES = List.of("H", "W", "C");
  private static final List<String> CLIP_DIM_NAMES = List.of("T", "H", "W", "C");
  private static final int ZSTD_LEVEL = 3;
  private static final ArrowType UTF8 = ArrowType.Utf8.INSTANCE;
  private static final ArrowType INT32 = new ArrowType.Int(32, true);
  private static final ArrowType UINT8 = new ArrowType.Int(8, false);
  private static final ArrowType INT64 = new ArrowType.Int(64, true);
  private static final ArrowType FLOAT32 =
      new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE);

  static {
    FixedShapeTensorType.ensureRegistered();
  }

  private ArrowShardFile() {}

  /** Arrow IPC buffer compression. */
  public enum Compression {
    LZ4(CompressionUtil.CodecType.LZ4_FRAME),
    ZSTD(CompressionUtil.CodecType.ZSTD),
    NONE(CompressionUtil.CodecType.NO_COMPRESSION);

    private final CompressionUtil.CodecType codec;

    Compression(CompressionUtil.CodecType codec) {
      this.codec = codec;
    }

    /** Parses {@code lz4}, {@code zstd} or {@code none} (any case). */
    public static Compression parse(String name) {
      return EnumKeys.parse(Compression.class, "arrow compression", name);
    }
  }

  /**
   * Immutable, serializable writer settings. Defaults: zstd (level 3) buffer compression, no row
   * limit per record batch, 8 MiB of payload per record batch (a new batch starts before a row that
   * would pass it), sha256 computed as the file is written ({@link #withSha256}).
   *
   * <p>Why 8 MiB batches: Arrow's Netty allocator pools buffers up to its 16 MiB chunk and
   * allocates larger ones afresh each time, so a 64 MiB batch paid page faults and zeroing on new
   * memory for every batch: the writer ran at a third of the speed (docs/benchmarks.md). A batch's
   * values and their validity bitmap share one allocation, so 8 MiB of pixels stays under a chunk.
   *
   * <p>LZ4: Arrow Java's own LZ4 codec ({@code arrow-compression} 18.3.0) is Apache Commons
   * Compress's pure-Java LZ4 frame compressor, which wrote pixels at well under 1 MiB/s; LZ4 shards
   * go through {@link Lz4FrameCodec} (lz4-java) instead, about as fast as zstd level 3 on photos
   * (docs/benchmarks.md). zstd stays the default: smaller files at about the same speed.
   */
  public static final class Options extends ShardOptions<Options> {
    private static final long serialVersionUID = 1L;
    private static final Options DEFAULTS = new Options();

    private Compression compression = Compression.ZSTD;
    private int batchRows = Integer.MAX_VALUE;
    private long batchBytes = 8L << 20;

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

    /** At most {@code rows} rows per record batch; at least 1. */
    public Options withBatchRows(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("withBatchRows: must be at least 1, but was " + rows);
      }
      return with(o -> o.batchRows = rows);
    }

    /**
     * At most {@code bytes} of payload (image bytes, or text as UTF-8) per record batch (a single
     * larger row still gets a batch of its own); at least 1 MiB, at most 1 GiB.
     */
    public Options withBatchBytes(long bytes) {
      if (bytes < (1L << 20) || bytes > (1L << 30)) {
        throw new IllegalArgumentException(
            "withBatchBytes: must be in [1 MiB, 1 GiB] ([1048576, 1073741824]), but was " + bytes);
      }
      return with(o -> o.batchBytes = bytes);
    }

    public Compression compression() {
      return compression;
    }

    public int batchRows() {
      return batchRows;
    }

    public long batchBytes() {
      return batchBytes;
    }

    @Override
    public String toString() {
      return "Options{"
          + compression
          + ", batchRows="
          + batchRows
          + ", batchBytes="
          + batchBytes
          + (sha256() ? "" : ", no sha256")
          + "}";
    }
  }

  /** This writer as a {@link ShardSink}: one file, {@code <base>.arrow}. */
  public static ShardSink sink(Options opts) {
    return new Sink(opts);
  }

  private record Sink(Options opts) implements ShardSink {
    @Override
    public String format() {
      return "arrow";
    }

    @Override
    public List<WrittenFile> write(Path dir, String baseName, List<Sample> rows, LabelMap labels)
        throws IOException {
      String name = baseName + ".arrow";
      ShardFileResult r = ArrowShardFile.write(dir.resolve(name), rows, labels, opts);
      return List.of(new WrittenFile(name, "arrow", r.rows(), r.bytes(), r.sha256()));
    }
  }

  /** {@link #write(Path, List, LabelMap, Options, BufferAllocator)} with its own allocator. */
  public static ShardFileResult write(Path file, List<Sample> rows, LabelMap labels, Options opts)
      throws IOException {
    try (BufferAllocator allocator = new RootAllocator()) {
      return write(file, rows, labels, opts, allocator);
    }
  }

  /**
   * Writes {@code rows}, in this order, to {@code file} (replacing it if present), allocating from
   * {@code allocator}; everything allocated is released before this returns.
   *
   * @throws IllegalArgumentException when {@code rows} is empty, mixes text and images, raw and
   *     encoded images, raw shapes or encodings, holds a payload neither image nor text, an
   *     unassigned split, a null group or a label missing from {@code labels}; the message names
   *     the offending id
   */
  public static ShardFileResult write(
      Path file, List<Sample> rows, LabelMap labels, Options opts, BufferAllocator allocator)
      throws IOException {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a shard needs at least one row: " + file);
    }
    ParquetShardFile.Layout layout = ParquetShardFile.Layout.of(rows);
    // Check every row before opening the file, so a bad row leaves no file behind.
    FeatureNames names =
        layout.features
            ? opts.featureNames().orPositional((FeaturePayload) rows.get(0).payload())
            : opts.featureNames();
    for (Sample s : rows) {
      ParquetShardFile.checkRow(s, labels);
      if (layout.features) {
        names.check(s.id(), (FeaturePayload) s.payload());
      }
    }
    Schema schema = schema(layout, labels, names);
    DigestingChannel channel =
        new DigestingChannel(
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE),
            opts.sha256());
    try (channel;
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        ArrowFileWriter writer = newWriter(root, channel, opts, allocator)) {
      writer.start();
      int start = 0;
      while (start < rows.size()) {
        int end = batchEnd(rows, start, opts);
        fill(root, layout, rows.subList(start, end), labels, names);
        writer.writeBatch();
        start = end;
      }
      writer.end();
    } catch (IOException | RuntimeException | Error e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return new ShardFileResult(rows.size(), channel.bytes(), channel.sha256());
  }

  private static ArrowFileWriter newWriter(
      VectorSchemaRoot root, DigestingChannel channel, Options opts, BufferAllocator allocator) {
    // The zstd level is pinned so a library default cannot change the bytes.
    Optional<Integer> level =
        opts.compression() == Compression.ZSTD ? Optional.of(ZSTD_LEVEL) : Optional.empty();
    CompressionCodec.Factory factory =
        opts.compression() == Compression.NONE
            ? NoCompressionCodec.Factory.INSTANCE
            : ShardCompressionFactory.INSTANCE;
    CompressionCodec codec =
        level.isPresent()
            ? factory.createCodec(opts.compression().codec, level.get())
            : factory.createCodec(opts.compression().codec);
    return new TensorFileWriter(
        root, channel, factory, opts.compression().codec, level, codec, allocator);
  }

  /**
   * Arrow's IPC file writer, except that the pixel tensor's uint8 values go out without their
   * validity bitmap when none of them is null: the IPC format allows a 0-length validity buffer
   * when a node's null_count is 0, and every reader (Arrow Java's {@code BitVectorHelper},
   * arrow-js, pyarrow) then treats all values as valid. Arrow Java always writes the bitmap, one
   * bit per pixel (12.5% more bytes than the pixels on a shard of raw images).
   */
  private static final class TensorFileWriter extends ArrowFileWriter {
    private final int valuesNode;
    private final int valuesValidity;
    private final CompressionCodec codec;
    private final BufferAllocator allocator;

    TensorFileWriter(
        VectorSchemaRoot root,
        DigestingChannel channel,
        CompressionCodec.Factory factory,
        CompressionUtil.CodecType codecType,
        Optional<Integer> level,
        CompressionCodec codec,
        BufferAllocator allocator) {
      super(
          root,
          new DictionaryProvider.MapDictionaryProvider(),
          channel,
          Map.of(),
          IpcOption.DEFAULT,
          factory,
          codecType,
          level);
      int[] at = tensorValuesAt(root.getSchema());
      this.valuesNode = at == null ? -1 : at[0];
      this.valuesValidity = at == null ? -1 : at[1];
      this.codec = codec;
      this.allocator = allocator;
    }

    @Override
    protected ArrowBlock writeRecordBatch(ArrowRecordBatch batch) throws IOException {
      if (valuesNode < 0 || batch.getNodes().get(valuesNode).getNullCount() != 0) {
        return super.writeRecordBatch(batch);
      }
      List<ArrowBuf> buffers = new ArrayList<>(batch.getBuffers());
      // The codec's form of an empty buffer (for LZ4 and zstd: a zero length prefix, no body).
      try (ArrowBuf empty = codec.compress(allocator, allocator.getEmpty())) {
        buffers.set(valuesValidity, empty);
        try (ArrowRecordBatch slim =
            new ArrowRecordBatch(
                batch.getLength(),
                batch.getNodes(),
                buffers,
                batch.getBodyCompression(),
                batch.getVariadicBufferCounts(),
                true)) {
          return super.writeRecordBatch(slim);
        }
      }
    }
  }

  /**
   * Where the tensor's uint8 values sit in a record batch of {@code schema}: {@code {node index,
   * index of their validity buffer}}, in the depth-first order of Arrow's {@code VectorUnloader};
   * null when the image column is not a tensor.
   */
  static int[] tensorValuesAt(Schema schema) {
    int nodes = 0;
    int buffers = 0;
    for (Field f : schema.getFields()) {
      if (f.getName().equals(IMAGE) && f.getType() instanceof FixedShapeTensorType) {
        // the tensor's own node (its FixedSizeList storage), then its single child, the values
        return new int[] {nodes + 1, buffers + bufferCount(f.getType())};
      }
      int[] c = count(f);
      nodes += c[0];
      buffers += c[1];
    }
    return null;
  }

  private static int[] count(Field f) {
    int[] c = {1, bufferCount(f.getType())};
    for (Field child : f.getChildren()) {
      int[] cc = count(child);
      c[0] += cc[0];
      c[1] += cc[1];
    }
    return c;
  }

  private static int bufferCount(ArrowType type) {
    return TypeLayout.getTypeBufferCount(
        type instanceof ArrowType.ExtensionType
            ? ((ArrowType.ExtensionType) type).storageType()
            : type);
  }

  /** The end (exclusive) of the record batch starting at {@code start}; at least one row. */
  private static int batchEnd(List<Sample> rows, int start, Options opts) {
    long bytes = payloadBytes(rows.get(start));
    int end = start + 1;
    while (end < rows.size() && end - start < opts.batchRows()) {
      long next = bytes + payloadBytes(rows.get(end));
      if (next > opts.batchBytes()) {
        break;
      }
      bytes = next;
      end++;
    }
    return end;
  }

  /**
   * The bytes a row's payload puts in a batch: the image's (or clip's frames') bytes, the text's
   * UTF-8 bytes, the feature or series values.
   */
  private static long payloadBytes(Sample s) {
    if (s.payload() instanceof FeaturePayload
        || s.payload() instanceof SeriesPayload
        || s.payload() instanceof VideoPayload) {
      return s.payload().payloadBytes();
    }
    return s.payload() instanceof TextPayload t
        ? t.text().getBytes(StandardCharsets.UTF_8).length
        : s.image().bytes().length;
  }

  /** The schema of a shard with this layout and these labels. */
  static Schema schema(ParquetShardFile.Layout layout, LabelMap labels, FeatureNames names) {
    List<Field> fields = new ArrayList<>();
    fields.add(required("id", UTF8));
    if (layout.text) {
      fields.add(required(ParquetShardFile.TEXT_COLUMN, UTF8));
    } else if (layout.series) {
      fields.add(floats("x", layout.height * layout.channels));
      if (layout.width > 0) {
        fields.add(floats("horizon", layout.width * layout.channels));
      }
      fields.add(required("series_id", UTF8));
      fields.add(required("start", new ArrowType.Int(64, true)));
    } else if (layout.features) {
      fields.add(
          new Field(
              ParquetShardFile.FEATURES_COLUMN,
              FieldType.notNullable(new ArrowType.FixedSizeList(names.numeric().size())),
              List.of(required("element", FLOAT32))));
      for (String c : names.categorical()) {
        fields.add(Field.nullable(c, UTF8));
      }
    } else if (layout.raw) {
      FixedShapeTensorType tensor =
          FixedShapeTensorType.of(layout.tensorShape(), layout.clip() ? CLIP_DIM_NAMES : DIM_NAMES);
      fields.add(tensor.field(IMAGE, false, layout.floatPixels ? FLOAT32 : UINT8));
      if (layout.clip()) {
        fields.add(required("video_id", UTF8));
        fields.add(list("pts_micros", INT64));
      }
    } else {
      fields.add(required(IMAGE, ArrowType.Binary.INSTANCE));
      fields.add(required("height", INT32));
      fields.add(required("width", INT32));
      fields.add(required("channels", INT32));
    }
    fields.add(required("label", INT32));
    fields.add(Field.nullable("label_name", UTF8));
    fields.add(list("labels", INT32));
    fields.add(required("split", UTF8));
    fields.add(required("fold", INT32));
    fields.add(required("group", UTF8));
    fields.add(list("source_ids", UTF8));
    fields.add(required("copy_index", INT32));
    fields.add(Field.nullable("derived_kind", UTF8));
    fields.add(required("payload_sha256", UTF8));
    fields.add(required("applied", UTF8));
    if (layout.boxes) {
      fields.add(
          structList(
              "boxes",
              required("x_min", FLOAT32),
              required("y_min", FLOAT32),
              required("x_max", FLOAT32),
              required("y_max", FLOAT32),
              required("label", INT64),
              required("label_name", UTF8),
              required("flags", INT32)));
    }
    if (layout.keypoints) {
      fields.add(
          structList(
              "keypoints",
              required("x", FLOAT32),
              required("y", FLOAT32),
              required("visibility", INT32),
              required("name", UTF8)));
    }
    if (layout.mask) {
      fields.add(Field.nullable("mask", ArrowType.Binary.INSTANCE));
    }
    // Sorted, so the serialized schema does not depend on a hash map's order.
    Map<String, String> kv = new TreeMap<>();
    kv.put(ParquetShardFile.FORMAT_VERSION_KEY, ParquetShardFile.FORMAT_VERSION);
    kv.put(ParquetShardFile.LABELS_KEY, ParquetShardFile.json(labels.names()));
    kv.put(ParquetShardFile.PAYLOAD_KEY, layout.payloadKind());
    if (layout.mask && layout.raw) {
      kv.put(
          ParquetShardFile.MASK_TENSOR_KEY,
          ParquetShardFile.maskTensorJson(layout.height, layout.width));
    }
    if (layout.series) {
      kv.put(
          ParquetShardFile.SERIES_KEY,
          ParquetShardFile.seriesJson(layout.height, layout.channels, layout.width));
    } else if (layout.features) {
      kv.put(ParquetShardFile.FEATURES_KEY, ParquetShardFile.featuresJson(names));
    } else if (!layout.text && layout.raw) {
      kv.put(ParquetShardFile.TENSOR_KEY, ParquetShardFile.tensorJson(layout));
    } else if (!layout.text) {
      kv.put(ParquetShardFile.ENCODING_KEY, layout.format);
    }
    return new Schema(fields, kv);
  }

  private static Field required(String name, ArrowType type) {
    return new Field(name, FieldType.notNullable(type), null);
  }

  private static Field structList(String name, Field... members) {
    return new Field(
        name,
        FieldType.notNullable(ArrowType.List.INSTANCE),
        List.of(
            new Field(
                "element", FieldType.notNullable(ArrowType.Struct.INSTANCE), List.of(members))));
  }

  private static Field list(String name, ArrowType element) {
    return new Field(
        name,
        FieldType.notNullable(ArrowType.List.INSTANCE),
        List.of(new Field("element", FieldType.notNullable(element), null)));
  }

  // ---- writing one record batch ----

  private static void fill(
      VectorSchemaRoot root,
      ParquetShardFile.Layout layout,
      List<Sample> batch,
      LabelMap labels,
      FeatureNames names) {
    int n = batch.size();
    root.clear();
    for (FieldVector v : root.getFieldVectors()) {
      if (v instanceof FixedShapeTensorType.Vector) {
        v.setInitialCapacity(n);
      }
      v.allocateNew();
    }
    if (layout.text) {
      VarCharVector text = (VarCharVector) root.getVector(ParquetShardFile.TEXT_COLUMN);
      for (int i = 0; i < n; i++) {
        text.setSafe(i, utf8(((TextPayload) batch.get(i).payload()).text()));
      }
    } else if (layout.series) {
      fillSeries(root, batch, layout.width > 0);
    } else if (layout.features) {
      fillFeatures(root, batch, names);
    } else if (layout.raw) {
      fillPixels((FixedShapeTensorType.Vector) root.getVector(IMAGE), batch);
      if (layout.clip()) {
        fillClips(root, batch);
      }
    } else {
      VarBinaryVector image = (VarBinaryVector) root.getVector(IMAGE);
      IntVector height = (IntVector) root.getVector("height");
      IntVector width = (IntVector) root.getVector("width");
      IntVector channels = (IntVector) root.getVector("channels");
      for (int i = 0; i < n; i++) {
        ImagePayload p = batch.get(i).image();
        image.setSafe(i, p.bytes());
        height.setSafe(i, p.height());
        width.setSafe(i, p.width());
        channels.setSafe(i, p.channels());
      }
    }
    VarCharVector id = (VarCharVector) root.getVector("id");
    IntVector label = (IntVector) root.getVector("label");
    VarCharVector labelName = (VarCharVector) root.getVector("label_name");
    ListVector labelList = (ListVector) root.getVector("labels");
    IntVector labelItems = (IntVector) labelList.getDataVector();
    VarCharVector split = (VarCharVector) root.getVector("split");
    IntVector fold = (IntVector) root.getVector("fold");
    VarCharVector group = (VarCharVector) root.getVector("group");
    ListVector sources = (ListVector) root.getVector("source_ids");
    VarCharVector sourceItems = (VarCharVector) sources.getDataVector();
    IntVector copyIndex = (IntVector) root.getVector("copy_index");
    VarCharVector derivedKind = (VarCharVector) root.getVector("derived_kind");
    VarCharVector payloadSha = (VarCharVector) root.getVector("payload_sha256");
    VarCharVector applied = (VarCharVector) root.getVector("applied");
    for (int i = 0; i < n; i++) {
      Sample s = batch.get(i);
      id.setSafe(i, utf8(s.id()));
      label.setSafe(i, s.label() == null ? -1 : ParquetShardFile.index(labels, s, s.label()));
      if (s.label() != null) {
        labelName.setSafe(i, utf8(s.label()));
      } else {
        labelName.setNull(i);
      }
      int at = labelList.startNewValue(i);
      for (String name : s.labels()) {
        labelItems.setSafe(at++, ParquetShardFile.index(labels, s, name));
      }
      labelList.endValue(i, s.labels().size());
      split.setSafe(i, utf8(s.split().folder()));
      fold.setSafe(i, s.fold());
      group.setSafe(i, utf8(s.group()));
      at = sources.startNewValue(i);
      for (String source : s.sourceIds()) {
        sourceItems.setSafe(at++, utf8(source));
      }
      sources.endValue(i, s.sourceIds().size());
      copyIndex.setSafe(i, s.copyIndex());
      if (s.derivedKind() != null) {
        derivedKind.setSafe(i, utf8(s.derivedKind()));
      } else {
        derivedKind.setNull(i);
      }
      payloadSha.setSafe(i, utf8(s.payloadHash()));
      applied.setSafe(i, utf8(s.applied().toJson()));
      if (!layout.text && !layout.features && !layout.series && !layout.clip()) {
        fillTargets(root, i, s.image().targets());
      }
    }
    root.setRowCount(n);
  }

  private static void fillTargets(VectorSchemaRoot root, int i, Targets t) {
    ListVector boxes = (ListVector) root.getVector("boxes");
    if (boxes != null) {
      StructVector e = (StructVector) boxes.getDataVector();
      int at = boxes.startNewValue(i);
      float[] b = t.boxes();
      for (int j = 0; j < t.boxCount(); j++, at++) {
        e.setIndexDefined(at);
        ((Float4Vector) e.getChild("x_min")).setSafe(at, b[4 * j]);
        ((Float4Vector) e.getChild("y_min")).setSafe(at, b[4 * j + 1]);
        ((Float4Vector) e.getChild("x_max")).setSafe(at, b[4 * j + 2]);
        ((Float4Vector) e.getChild("y_max")).setSafe(at, b[4 * j + 3]);
        ((BigIntVector) e.getChild("label")).setSafe(at, t.boxClasses()[j]);
        ((VarCharVector) e.getChild("label_name")).setSafe(at, utf8(t.boxLabels()[j]));
        ((IntVector) e.getChild("flags")).setSafe(at, t.boxFlags()[j]);
      }
      boxes.endValue(i, t.boxCount());
    }
    ListVector keypoints = (ListVector) root.getVector("keypoints");
    if (keypoints != null) {
      StructVector e = (StructVector) keypoints.getDataVector();
      int at = keypoints.startNewValue(i);
      float[] k = t.keypoints();
      for (int j = 0; j < t.keypointCount(); j++, at++) {
        e.setIndexDefined(at);
        ((Float4Vector) e.getChild("x")).setSafe(at, k[3 * j]);
        ((Float4Vector) e.getChild("y")).setSafe(at, k[3 * j + 1]);
        ((IntVector) e.getChild("visibility")).setSafe(at, (int) k[3 * j + 2]);
        ((VarCharVector) e.getChild("name")).setSafe(at, utf8(t.keypointNames()[j]));
      }
      keypoints.endValue(i, t.keypointCount());
    }
    VarBinaryVector mask = (VarBinaryVector) root.getVector("mask");
    if (mask != null) {
      if (t.mask() == null) {
        mask.setNull(i);
      } else {
        mask.setSafe(i, t.mask());
      }
    }
  }

  /** {@link ParquetShardFile#readTargets} for an Arrow shard. */
  public static List<Targets> readTargets(Path file) throws IOException {
    List<Targets> out = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator();
        FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader reader =
            new ArrowFileReader(in, allocator, ShardCompressionFactory.INSTANCE)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      for (ArrowBlock block : reader.getRecordBlocks()) {
        reader.loadRecordBatch(block);
        ListVector boxes = (ListVector) root.getVector("boxes");
        ListVector keypoints = (ListVector) root.getVector("keypoints");
        VarBinaryVector mask = (VarBinaryVector) root.getVector("mask");
        for (int i = 0; i < root.getRowCount(); i++) {
          List<Float> b = new ArrayList<>();
          List<String> labels = new ArrayList<>();
          List<Integer> classes = new ArrayList<>();
          List<Byte> flags = new ArrayList<>();
          if (boxes != null) {
            StructVector e = (StructVector) boxes.getDataVector();
            for (int j = boxes.getElementStartIndex(i); j < boxes.getElementEndIndex(i); j++) {
              b.add(((Float4Vector) e.getChild("x_min")).get(j));
              b.add(((Float4Vector) e.getChild("y_min")).get(j));
              b.add(((Float4Vector) e.getChild("x_max")).get(j));
              b.add(((Float4Vector) e.getChild("y_max")).get(j));
              classes.add((int) ((BigIntVector) e.getChild("label")).get(j));
              labels.add(string((VarCharVector) e.getChild("label_name"), j));
              flags.add((byte) ((IntVector) e.getChild("flags")).get(j));
            }
          }
          List<Float> k = new ArrayList<>();
          List<String> names = new ArrayList<>();
          if (keypoints != null) {
            StructVector e = (StructVector) keypoints.getDataVector();
            for (int j = keypoints.getElementStartIndex(i);
                j < keypoints.getElementEndIndex(i);
                j++) {
              k.add(((Float4Vector) e.getChild("x")).get(j));
              k.add(((Float4Vector) e.getChild("y")).get(j));
              k.add((float) ((IntVector) e.getChild("visibility")).get(j));
              names.add(string((VarCharVector) e.getChild("name"), j));
            }
          }
          byte[] m = mask == null || mask.isNull(i) ? null : mask.get(i);
          out.add(ParquetShardFile.targets(b, labels, classes, flags, k, names, m));
        }
      }
    }
    return out;
  }

  /** A required {@code FixedSizeList<float32>[n]} column. */
  private static Field floats(String name, int n) {
    return new Field(
        name,
        FieldType.notNullable(new ArrowType.FixedSizeList(n)),
        List.of(required("element", FLOAT32)));
  }

  /**
   * Fills {@code x} (T x C floats per row), {@code horizon}, {@code series_id} and {@code start}.
   */
  private static void fillSeries(VectorSchemaRoot root, List<Sample> batch, boolean horizon) {
    int n = batch.size();
    VarCharVector seriesId = (VarCharVector) root.getVector("series_id");
    BigIntVector start = (BigIntVector) root.getVector("start");
    for (int i = 0; i < n; i++) {
      SeriesPayload p = (SeriesPayload) batch.get(i).payload();
      seriesId.setSafe(i, utf8(p.seriesId()));
      start.setSafe(i, p.start());
    }
    fillFloats((FixedSizeListVector) root.getVector("x"), batch, false);
    if (horizon) {
      fillFloats((FixedSizeListVector) root.getVector("horizon"), batch, true);
    }
  }

  private static void fillFloats(FixedSizeListVector list, List<Sample> batch, boolean horizon) {
    Float4Vector values = (Float4Vector) list.getDataVector();
    int w = list.getListSize();
    for (int i = 0; i < batch.size(); i++) {
      SeriesPayload p = (SeriesPayload) batch.get(i).payload();
      float[] x = horizon ? p.horizon() : p.values();
      list.setNotNull(i);
      for (int k = 0; k < w; k++) {
        values.setSafe(i * w + k, x[k]);
      }
    }
    values.setValueCount(batch.size() * w);
    list.setValueCount(batch.size());
  }

  /** Fills the features list (F floats per row) and the categorical columns. */
  private static void fillFeatures(VectorSchemaRoot root, List<Sample> batch, FeatureNames names) {
    int n = batch.size();
    int f = names.numeric().size();
    FixedSizeListVector list =
        (FixedSizeListVector) root.getVector(ParquetShardFile.FEATURES_COLUMN);
    Float4Vector values = (Float4Vector) list.getDataVector();
    for (int i = 0; i < n; i++) {
      float[] x = ((FeaturePayload) batch.get(i).payload()).numeric();
      list.setNotNull(i);
      for (int k = 0; k < f; k++) {
        values.setSafe(i * f + k, x[k]);
      }
    }
    values.setValueCount(n * f);
    list.setValueCount(n);
    for (int j = 0; j < names.categorical().size(); j++) {
      VarCharVector column = (VarCharVector) root.getVector(names.categorical().get(j));
      for (int i = 0; i < n; i++) {
        String v = ((FeaturePayload) batch.get(i).payload()).categorical()[j];
        if (v == null) {
          column.setNull(i);
        } else {
          column.setSafe(i, utf8(v));
        }
      }
    }
  }

  /** Fills {@code video_id} and {@code pts_micros} of clip rows. */
  private static void fillClips(VectorSchemaRoot root, List<Sample> batch) {
    VarCharVector videoId = (VarCharVector) root.getVector("video_id");
    ListVector pts = (ListVector) root.getVector("pts_micros");
    BigIntVector ptsItems = (BigIntVector) pts.getDataVector();
    for (int i = 0; i < batch.size(); i++) {
      VideoPayload v = (VideoPayload) batch.get(i).payload();
      videoId.setSafe(i, utf8(v.videoId()));
      int at = pts.startNewValue(i);
      for (long t : v.ptsMicros()) {
        ptsItems.setSafe(at++, t);
      }
      pts.endValue(i, v.ptsMicros().length);
    }
  }

  /**
   * Copies each row's pixels into the tensor storage in one bulk copy per image (per frame of a
   * clip, back to back).
   */
  private static void fillPixels(FixedShapeTensorType.Vector image, List<Sample> batch) {
    int n = batch.size();
    FixedSizeListVector list = image.getUnderlyingVector();
    BaseFixedWidthVector values = (BaseFixedWidthVector) list.getDataVector();
    int size = list.getListSize();
    int bytes = size * values.getTypeWidth(); // 1 for uint8, 4 for float32 pixels
    long total = (long) n * size;
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "a record batch holds at most 2 GiB of pixels, but this one holds " + total);
    }
    if (values.getValueCapacity() < total) {
      values.allocateNew((int) total);
    }
    ArrowBuf data = values.getDataBuffer();
    for (int i = 0; i < n; i++) {
      long at = (long) i * bytes;
      for (ImagePayload frame : ParquetShardFile.Layout.pixelFrames(batch.get(i))) {
        data.setBytes(at, frame.bytes(), 0, frame.bytes().length);
        at += frame.bytes().length;
      }
      list.setNotNull(i);
    }
    // Every value is valid: set whole validity bytes at once, then the bits of the last byte.
    ArrowBuf validity = values.getValidityBuffer();
    long fullBytes = total / 8;
    validity.setOne(0L, fullBytes);
    for (long bit = fullBytes * 8; bit < total; bit++) {
      BitVectorHelper.setBit(validity, bit);
    }
    values.setValueCount((int) total);
    list.setValueCount(n);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- reading ----

  /** The schema-level metadata of a shard file. */
  public static Map<String, String> readMetadata(Path file) throws IOException {
    try (BufferAllocator allocator = new RootAllocator();
        FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader reader =
            new ArrowFileReader(in, allocator, ShardCompressionFactory.INSTANCE)) {
      return new TreeMap<>(reader.getVectorSchemaRoot().getSchema().getCustomMetadata());
    }
  }

  /** {@link #read(Path, BufferAllocator)} with its own allocator. */
  public static List<ShardRow> read(Path file) throws IOException {
    try (BufferAllocator allocator = new RootAllocator()) {
      return read(file, allocator);
    }
  }

  /**
   * Reads every row of a shard file written by {@link #write}, in file order.
   *
   * @throws IOException when the file is not a shardsmith image shard, e.g. its fixed-shape {@code
   *     image} column is not a {@link FixedShapeTensorType} of three dimensions
   */
  public static List<ShardRow> read(Path file, BufferAllocator allocator) throws IOException {
    List<ShardRow> out = new ArrayList<>();
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader reader =
            new ArrowFileReader(in, allocator, ShardCompressionFactory.INSTANCE)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      Schema schema = root.getSchema();
      if (ParquetShardFile.PAYLOAD_TEXT.equals(
          schema.getCustomMetadata().get(ParquetShardFile.PAYLOAD_KEY))) {
        Field textField = schema.findField(ParquetShardFile.TEXT_COLUMN);
        if (textField == null || !textField.getType().equals(UTF8)) {
          throw new IOException(
              file
                  + ": a text shard needs a utf8 column text, but has "
                  + (textField == null ? "none" : textField.getType()));
        }
        for (ArrowBlock block : reader.getRecordBlocks()) {
          reader.loadRecordBatch(block);
          readBatch(root, null, ShardRow.TEXT, out, FeatureNames.NONE);
        }
        return out;
      }
      if (ParquetShardFile.PAYLOAD_SERIES.equals(
          schema.getCustomMetadata().get(ParquetShardFile.PAYLOAD_KEY))) {
        Field x = schema.findField("x");
        if (x == null || !(x.getType() instanceof ArrowType.FixedSizeList)) {
          throw new IOException(file + ": a series shard needs a FixedSizeList<float32> column x");
        }
        for (ArrowBlock block : reader.getRecordBlocks()) {
          reader.loadRecordBatch(block);
          readBatch(root, null, ShardRow.SERIES, out, FeatureNames.NONE);
        }
        return out;
      }
      if (ParquetShardFile.PAYLOAD_FEATURES.equals(
          schema.getCustomMetadata().get(ParquetShardFile.PAYLOAD_KEY))) {
        FeatureNames names =
            ParquetShardFile.featureNames(
                file, schema.getCustomMetadata().get(ParquetShardFile.FEATURES_KEY));
        Field features = schema.findField(ParquetShardFile.FEATURES_COLUMN);
        if (features == null
            || !(features.getType() instanceof ArrowType.FixedSizeList fixed)
            || fixed.getListSize() != names.numeric().size()
            || !features.getChildren().get(0).getType().equals(FLOAT32)) {
          throw new IOException(
              file
                  + ": a features shard needs a column features of FixedSizeList<float32>["
                  + names.numeric().size()
                  + "], but has "
                  + (features == null ? "none" : features.getType()));
        }
        for (ArrowBlock block : reader.getRecordBlocks()) {
          reader.loadRecordBatch(block);
          readBatch(root, null, ShardRow.FEATURES, out, names);
        }
        return out;
      }
      Field imageField = schema.findField(IMAGE);
      String encoding = schema.getCustomMetadata().get(ParquetShardFile.ENCODING_KEY);
      boolean clips =
          ParquetShardFile.PAYLOAD_VIDEO.equals(
              schema.getCustomMetadata().get(ParquetShardFile.PAYLOAD_KEY));
      FixedShapeTensorType tensor = null;
      if (imageField.getType() instanceof FixedShapeTensorType) {
        tensor = (FixedShapeTensorType) imageField.getType();
        ArrowType values = imageField.getChildren().get(0).getType();
        if (tensor.shape().size() != (clips ? 4 : 3)
            || !(values.equals(UINT8) || values.equals(FLOAT32))) {
          throw new IOException(
              file
                  + ": image must be "
                  + (clips ? "a T x H x W x C" : "an H x W x C")
                  + " uint8 or float32 tensor, but is "
                  + tensor
                  + " of "
                  + imageField.getChildren().get(0).getType());
        }
      } else if (encoding == null || clips) {
        throw new IOException(
            file
                + " is not a shardsmith image shard: column image is "
                + imageField.getType()
                + ", neither "
                + FixedShapeTensorType.EXTENSION_NAME
                + (clips ? "" : " nor an encoded image with " + ParquetShardFile.ENCODING_KEY));
      }
      for (ArrowBlock block : reader.getRecordBlocks()) {
        reader.loadRecordBatch(block);
        readBatch(root, tensor, encoding, out, FeatureNames.NONE);
      }
    }
    return out;
  }

  /** Appends the rows of the loaded batch; {@code encoding} is {@link ShardRow#TEXT} for text. */
  private static void readBatch(
      VectorSchemaRoot root,
      FixedShapeTensorType tensor,
      String encoding,
      List<ShardRow> out,
      FeatureNames names) {
    boolean isText = ShardRow.TEXT.equals(encoding);
    boolean isSeries = ShardRow.SERIES.equals(encoding);
    boolean isFeatures = isSeries || ShardRow.FEATURES.equals(encoding);
    VarCharVector id = (VarCharVector) root.getVector("id");
    IntVector label = (IntVector) root.getVector("label");
    VarCharVector labelName = (VarCharVector) root.getVector("label_name");
    ListVector labelList = (ListVector) root.getVector("labels");
    IntVector labelItems = (IntVector) labelList.getDataVector();
    VarCharVector split = (VarCharVector) root.getVector("split");
    IntVector fold = (IntVector) root.getVector("fold");
    VarCharVector applied = (VarCharVector) root.getVector("applied");
    for (int i = 0; i < root.getRowCount(); i++) {
      List<Integer> labels = new ArrayList<>();
      for (int j = labelList.getElementStartIndex(i); j < labelList.getElementEndIndex(i); j++) {
        labels.add(labelItems.get(j));
      }
      byte[] image;
      String format = encoding;
      int h;
      int w;
      int c;
      String text = null;
      float[] features = null;
      float[] horizon = null;
      List<String> categorical = List.of();
      ShardRow.Clip clip = null;
      if (isFeatures) {
        image = null;
        h = 0;
        w = 0;
        c = 0;
        features =
            floatsAt(
                (FixedSizeListVector)
                    root.getVector(isSeries ? "x" : ParquetShardFile.FEATURES_COLUMN),
                i);
        if (isSeries) {
          // the column is only written for a horizon H > 0
          FixedSizeListVector hz = (FixedSizeListVector) root.getVector("horizon");
          horizon = hz == null ? new float[0] : floatsAt(hz, i);
        }
        List<String> cats = new ArrayList<>();
        for (String name : names.categorical()) {
          VarCharVector v = (VarCharVector) root.getVector(name);
          cats.add(v.isNull(i) ? null : string(v, i));
        }
        categorical = java.util.Collections.unmodifiableList(cats);
      } else if (isText) {
        image = null;
        h = 0;
        w = 0;
        c = 0;
        text = string((VarCharVector) root.getVector(ParquetShardFile.TEXT_COLUMN), i);
      } else if (tensor != null) {
        FixedSizeListVector list =
            ((FixedShapeTensorType.Vector) root.getVector(IMAGE)).getUnderlyingVector();
        // uint8, or little-endian float32 for normalized pixels
        int size =
            list.getListSize() * ((BaseFixedWidthVector) list.getDataVector()).getTypeWidth();
        image = new byte[size];
        list.getDataVector().getDataBuffer().getBytes((long) i * size, image, 0, size);
        format =
            list.getDataVector() instanceof Float4Vector
                ? ImagePayload.RAW_FLOAT32
                : ImagePayload.RAW;
        // a frame's H x W x C: the last three dimensions (a clip's first is T)
        int dims = tensor.shape().size();
        h = tensor.shape().get(dims - 3);
        w = tensor.shape().get(dims - 2);
        c = tensor.shape().get(dims - 1);
        if (dims == 4) {
          clip = clipAt(root, i);
        }
      } else {
        image = ((VarBinaryVector) root.getVector(IMAGE)).get(i);
        h = ((IntVector) root.getVector("height")).get(i);
        w = ((IntVector) root.getVector("width")).get(i);
        c = ((IntVector) root.getVector("channels")).get(i);
      }
      out.add(
          new ShardRow(
              string(id, i),
              string(split, i),
              fold.get(i),
              label.get(i),
              labelName.isNull(i) ? null : string(labelName, i),
              List.copyOf(labels),
              image,
              format,
              h,
              w,
              c,
              string(applied, i),
              text,
              features,
              categorical,
              horizon,
              clip));
    }
  }

  /** The {@code video_id} and {@code pts_micros} of row {@code i} of a clip shard. */
  private static ShardRow.Clip clipAt(VectorSchemaRoot root, int i) {
    ListVector pts = (ListVector) root.getVector("pts_micros");
    BigIntVector items = (BigIntVector) pts.getDataVector();
    int from = pts.getElementStartIndex(i);
    long[] out = new long[pts.getElementEndIndex(i) - from];
    for (int k = 0; k < out.length; k++) {
      out[k] = items.get(from + k);
    }
    return new ShardRow.Clip(string((VarCharVector) root.getVector("video_id"), i), out);
  }

  /** Row {@code i} of a {@code FixedSizeList<float32>} column. */
  private static float[] floatsAt(FixedSizeListVector list, int i) {
    Float4Vector values = (Float4Vector) list.getDataVector();
    int f = list.getListSize();
    float[] out = new float[f];
    for (int k = 0; k < f; k++) {
      out[k] = values.get(i * f + k);
    }
    return out;
  }

  private static String string(VarCharVector v, int i) {
    return new String(v.get(i), StandardCharsets.UTF_8);
  }
}
