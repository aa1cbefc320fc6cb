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
import dev.shardsmith.schemas.Modality;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SeriesPayload;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.schemas.Targets;
import dev.shardsmith.schemas.VideoPayload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes one shard as named NumPy arrays plus a {@code meta.json}, and reads them back.
 *
 * <p>Files of shard {@code <base>}, each a NumPy {@code .npy} file (format 1.0, C order,
 * little-endian, data 64-byte aligned) that {@code numpy.load} reads without {@code allow_pickle}
 * and with {@code mmap_mode='r'}:
 *
 * <ul>
 *   <li>{@code <base>.x.npy}: the payloads. Raw images {@code N x H x W x C} uint8 (encoded images
 *       are rejected: configure raw encoding for {@code .npy}), or float32 for normalized images
 *       ({@link ImagePayload#RAW_FLOAT32}; float16 with {@link Options#withFloat16}); video clips
 *       {@code N x T x H x W x C} uint8, or float32 (float16) when every frame is {@link
 *       ImagePayload#RAW_FLOAT32}, as images; series windows {@code N x T x C} and feature vectors
 *       {@code N x F} float32, or float16 with {@link Options#withFloat16}. Only numeric features
 *       go into {@code x}; categorical features are kept as lists of strings in meta.json (below).
 *       Text is rejected.
 *   <li>{@code <base>.y.npy}: {@code N} int64 label indices from the {@link LabelMap} (the first
 *       label; -1 when unlabelled).
 *   <li>{@code <base>.labels.npy}: only when some row has more than one label: {@code N x L} uint8
 *       multi-hot mask over the label map.
 *   <li>{@code <base>.horizon.npy}: for series with a forecast horizon: {@code N x H x C}, the
 *       dtype of {@code x}.
 *   <li>When some image row has boxes: {@code <base>.boxes.npy} ({@code N x Bmax x 4} float32,
 *       x_min y_min x_max y_max in continuous pixels of the row's image, padded with -1), {@code
 *       <base>.n_boxes.npy} ({@code N} int32), {@code <base>.box_labels.npy} ({@code N x Bmax}
 *       int64 class ids, index into {@code input.annotations.classes}, padded with -1) and {@code
 *       <base>.box_flags.npy} ({@code N x Bmax} uint8, bit 1 VOC difficult, bit 2 COCO iscrowd,
 *       padded with 0).
 *   <li>When some image row has keypoints: {@code <base>.keypoints.npy} ({@code N x Kmax x 3}
 *       float32 x y visibility, padded with -1) and {@code <base>.n_keypoints.npy} ({@code N}
 *       int32).
 *   <li>When some image row has a mask: {@code <base>.mask.npy} ({@code N x H x W} uint8 class ids,
 *       all 0 for a row without a mask).
 *   <li>{@code <base>.meta.json}, written last: {@code format_version}, {@code modality}, {@code
 *       rows}, {@code labels} (names by index), {@code arrays} ({@code {name: {file, dtype, shape,
 *       ...}}}) and the row metadata Parquet keeps in columns, one list per key in row order:
 *       {@code ids}, {@code split}, {@code fold}, {@code group}, {@code source_ids}, {@code
 *       copy_index}, {@code derived_kind} (null for an original), {@code payload_sha256}, {@code
 *       applied} (the {@link dev.shardsmith.schemas.Applied} JSON), plus {@code box_label_names}
 *       and {@code keypoint_names} (lists of lists), {@code series_id}/{@code start} or {@code
 *       video_id}/{@code pts_micros} where they apply. A features shard adds {@code features}:
 *       {@code {"names": [the F column names of x], "categorical": {name: [value or null, one per
 *       row]}}} ({@link Options#withFeatureNames}).
 * </ul>
 *
 * <p><b>Deterministic:</b> rows are written in the order given; headers, key order and JSON hold
 * nothing time- or host-dependent, so the same rows and options give byte-identical files. Every
 * row is checked before the first file is opened; a failure while writing deletes this shard's
 * files. Memory: the rows plus one 1 MiB buffer; each file's sha256 is computed as it is written.
 *
 * <pre>{@code
 * List<WrittenFile> files =
 *     NpyShardFile.sink(NpyShardFile.Options.defaults().withFloat16(true))
 *         .write(dir, "part-00000-of-00004", rows, labels);
 * Map<String, NpyShardFile.NpyArray> arrays =
 *     NpyShardFile.readArrays(dir.resolve("part-00000-of-00004.meta.json"));
 * }</pre>
 */
public final class NpyShardFile {
  /** The version of this shard layout (the {@code meta.json} keys and array names). */
  public static final String FORMAT_VERSION = "1";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;
  // NumPy (1.23+) leaves room in the header to grow the first axis in place; so do we.
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;

  private NpyShardFile() {}

  /**
   * Immutable, serializable writer settings: float dtype (default float32) and whether each file's
   * sha256 is computed while it is written (default yes; without it {@link WrittenFile#sha256()} is
   * null and the files are byte-identical).
   */
  public static final class Options extends ShardOptions<Options> {
    private static final long serialVersionUID = 1L;
    private static final Options DEFAULTS = new Options();

    private boolean float16 = false;

    private Options() {}

    /** float32 for series and features, sha256 computed. */
    public static Options defaults() {
      return DEFAULTS;
    }

    /** Writes series and feature values (and horizons) as float16, rounded to nearest even. */
    public Options withFloat16(boolean float16) {
      return with(o -> o.float16 = float16);
    }

    public boolean float16() {
      return float16;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Options other
          && float16 == other.float16
          && sha256() == other.sha256()
          && featureNames().equals(other.featureNames());
    }

    @Override
    public int hashCode() {
      return (Boolean.hashCode(float16) * 31 + Boolean.hashCode(sha256())) * 31
          + featureNames().hashCode();
    }

    @Override
    public String toString() {
      return "Options{" + (float16 ? "float16" : "float32") + (sha256() ? "" : ", no sha256") + "}";
    }
  }

  /**
   * One array read back: its dtype name ({@code uint8}, {@code int32}, {@code int64}, {@code
   * float16} or {@code float32}), its shape and its C-order little-endian data (read-only, position
   * 0). Arrays are compared by identity in {@code equals}.
   */
  public record NpyArray(String dtype, long[] shape, ByteBuffer data) {
    /** Number of elements (the product of the shape). */
    public long count() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }

    /** The data as bytes (any dtype). */
    public byte[] bytes() {
      byte[] b = new byte[data.remaining()];
      data.duplicate().get(b);
      return b;
    }

    /** The values of a {@code float32} or {@code float16} array, widened to float. */
    public float[] floats() {
      ByteBuffer d = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      float[] out = new float[Math.toIntExact(count())];
      if (dtype.equals("float32")) {
        d.asFloatBuffer().get(out);
      } else if (dtype.equals("float16")) {
        for (int i = 0; i < out.length; i++) {
          out[i] = Float16.toFloat(d.getShort(2 * i));
        }
      } else {
        throw new IllegalStateException("not a float array: " + dtype);
      }
      return out;
    }

    /** The values of an {@code int64} array. */
    public long[] longs() {
      checkDtype("int64");
      long[] out = new long[Math.toIntExact(count())];
      data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
      return out;
    }

    /** The values of an {@code int32} array. */
    public int[] ints() {
      checkDtype("int32");
      int[] out = new int[Math.toIntExact(count())];
      data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
      return out;
    }

    private void checkDtype(String want) {
      if (!dtype.equals(want)) {
        throw new IllegalStateException("not an " + want + " array: " + dtype);
      }
    }
  }

  /** This writer as a {@link ShardSink}: format {@code npy}, one file per array plus meta.json. */
  public static ShardSink sink(Options opts) {
    if (opts == null) {
      throw new IllegalArgumentException("sink: opts must not be null");
    }
    return new Sink(opts);
  }

  private record Sink(Options opts) implements ShardSink {
    @Override
    public String format() {
      return "npy";
    }

    @Override
    public List<WrittenFile> write(Path dir, String baseName, List<Sample> rows, LabelMap labels)
        throws IOException {
      return NpyShardFile.write(dir, baseName, rows, labels, opts);
    }
  }

  // ---- writing ----

  /** What the rows hold, checked once before any file is opened. */
  private static final class Plan {
    Modality modality;
    long[] xShape;
    long[] horizonShape;
    boolean multiLabel;
    int maxBoxes = -1;
    int maxKeypoints = -1;
    boolean masks;
    boolean floatPixels;

    /** The dtype of the first image or frame: every other must match. */
    String pixelDtype;
  }

  static List<WrittenFile> write(
      Path dir, String baseName, List<Sample> rows, LabelMap labels, Options opts)
      throws IOException {
    Plan plan = plan(dir.resolve(baseName), rows, labels);
    FeatureNames names = opts.featureNames();
    if (plan.modality == Modality.FEATURES) {
      names = names.orPositional((FeaturePayload) rows.get(0).payload());
      for (Sample s : rows) {
        names.check(s.id(), (FeaturePayload) s.payload());
      }
    }
    int n = rows.size();
    String floatDescr = opts.float16() ? "<f2" : "<f4";
    List<WrittenFile> written = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    ObjectNode arrays = JSON.createObjectNode();
    try {
      // x
      String xName = baseName + ".x.npy";
      boolean pixels = plan.modality == Modality.IMAGE || plan.modality == Modality.VIDEO;
      String xDescr = pixels && !plan.floatPixels ? "|u1" : floatDescr;
      ObjectNode x = arrayMeta(arrays, "x", xName, xDescr, plan.xShape);
      if (pixels) {
        long c = plan.xShape[plan.xShape.length - 1];
        x.put("layout", plan.modality == Modality.IMAGE ? "HWC" : "THWC");
        x.put("channel_order", c == 1 ? "GRAY" : c == 4 ? "RGBA" : "RGB");
      } else {
        x.put("layout", plan.modality == Modality.SERIES ? "TC" : "F");
      }
      try (ArrayOut out = ArrayOut.open(dir.resolve(xName), files, opts.sha256())) {
        out.header(xDescr, plan.xShape);
        for (Sample s : rows) {
          switch (plan.modality) {
            case IMAGE:
              out.putPixels((ImagePayload) s.payload(), plan.floatPixels && opts.float16());
              break;
            case VIDEO:
              for (ImagePayload f : ((VideoPayload) s.payload()).frames()) {
                out.putPixels(f, plan.floatPixels && opts.float16());
              }
              break;
            case SERIES:
              out.putFloats(((SeriesPayload) s.payload()).values(), opts.float16());
              break;
            default:
              out.putFloats(((FeaturePayload) s.payload()).numeric(), opts.float16());
              break;
          }
        }
        written.add(out.finish(xName, n));
      }
      // y
      String yName = baseName + ".y.npy";
      arrayMeta(arrays, "y", yName, "<i8", new long[] {n});
      try (ArrayOut out = ArrayOut.open(dir.resolve(yName), files, opts.sha256())) {
        out.header("<i8", new long[] {n});
        for (Sample s : rows) {
          out.putLong(s.label() == null ? -1 : index(labels, s, s.label()));
        }
        written.add(out.finish(yName, n));
      }
      if (plan.multiLabel) {
        String name = baseName + ".labels.npy";
        long[] shape = {n, labels.size()};
        arrayMeta(arrays, "labels", name, "|u1", shape);
        try (ArrayOut out = ArrayOut.open(dir.resolve(name), files, opts.sha256())) {
          out.header("|u1", shape);
          byte[] mask = new byte[labels.size()];
          for (Sample s : rows) {
            Arrays.fill(mask, (byte) 0);
            for (String l : s.labels()) {
              mask[index(labels, s, l)] = 1;
            }
            out.put(mask);
          }
          written.add(out.finish(name, n));
        }
      }
      if (plan.horizonShape != null) {
        String name = baseName + ".horizon.npy";
        arrayMeta(arrays, "horizon", name, floatDescr, plan.horizonShape).put("layout", "TC");
        try (ArrayOut out = ArrayOut.open(dir.resolve(name), files, opts.sha256())) {
          out.header(floatDescr, plan.horizonShape);
          for (Sample s : rows) {
            out.putFloats(((SeriesPayload) s.payload()).horizon(), opts.float16());
          }
          written.add(out.finish(name, n));
        }
      }
      if (plan.maxBoxes >= 0) {
        int bmax = plan.maxBoxes;
        String name = baseName + ".boxes.npy";
        long[] shape = {n, bmax, 4};
        arrayMeta(arrays, "boxes", name, "<f4", shape).put("layout", "x0y0x1y1").put("pad", -1);
        try (ArrayOut out = ArrayOut.open(dir.resolve(name), files, opts.sha256())) {
          out.header("<f4", shape);
          for (Sample s : rows) {
            float[] b = targets(s).boxes();
            out.putFloats(b, false);
            out.putFloats(minusOnes(4 * bmax - b.length), false);
          }
          written.add(out.finish(name, n));
        }
        String counts = baseName + ".n_boxes.npy";
        arrayMeta(arrays, "n_boxes", counts, "<i4", new long[] {n});
        try (ArrayOut out = ArrayOut.open(dir.resolve(counts), files, opts.sha256())) {
          out.header("<i4", new long[] {n});
          for (Sample s : rows) {
            out.putInt(targets(s).boxCount());
          }
          written.add(out.finish(counts, n));
        }
        String classes = baseName + ".box_labels.npy";
        arrayMeta(arrays, "box_labels", classes, "<i8", new long[] {n, bmax}).put("pad", -1);
        try (ArrayOut out = ArrayOut.open(dir.resolve(classes), files, opts.sha256())) {
          out.header("<i8", new long[] {n, bmax});
          for (Sample s : rows) {
            Targets t = targets(s);
            for (int j = 0; j < bmax; j++) {
              out.putLong(j < t.boxCount() ? t.boxClasses()[j] : -1);
            }
          }
          written.add(out.finish(classes, n));
        }
        String flags = baseName + ".box_flags.npy";
        arrayMeta(arrays, "box_flags", flags, "|u1", new long[] {n, bmax})
            .put("bits", "1=difficult,2=iscrowd");
        try (ArrayOut out = ArrayOut.open(dir.resolve(flags), files, opts.sha256())) {
          out.header("|u1", new long[] {n, bmax});
          for (Sample s : rows) {
            byte[] f = Arrays.copyOf(targets(s).boxFlags(), bmax);
            out.put(f);
          }
          written.add(out.finish(flags, n));
        }
      }
      if (plan.maxKeypoints >= 0) {
        int kmax = plan.maxKeypoints;
        String name = baseName + ".keypoints.npy";
        long[] shape = {n, kmax, 3};
        arrayMeta(arrays, "keypoints", name, "<f4", shape).put("layout", "xyv").put("pad", -1);
        try (ArrayOut out = ArrayOut.open(dir.resolve(name), files, opts.sha256())) {
          out.header("<f4", shape);
          for (Sample s : rows) {
            float[] k = targets(s).keypoints();
            out.putFloats(k, false);
            out.putFloats(minusOnes(3 * kmax - k.length), false);
          }
          written.add(out.finish(name, n));
        }
        String counts = baseName + ".n_keypoints.npy";
        arrayMeta(arrays, "n_keypoints", counts, "<i4", new long[] {n});
        try (ArrayOut out = ArrayOut.open(dir.resolve(counts), files, opts.sha256())) {
          out.header("<i4", new long[] {n});
          for (Sample s : rows) {
            out.putInt(targets(s).keypointCount());
          }
          written.add(out.finish(counts, n));
        }
      }
      if (plan.masks) {
        String name = baseName + ".mask.npy";
        long[] shape = {n, plan.xShape[1], plan.xShape[2]};
        arrayMeta(arrays, "mask", name, "|u1", shape).put("layout", "HW");
        try (ArrayOut out = ArrayOut.open(dir.resolve(name), files, opts.sha256())) {
          out.header("|u1", shape);
          for (Sample s : rows) {
            byte[] m = targets(s).mask();
            if (m == null) {
              out.putZeros(shape[1] * shape[2]);
            } else {
              out.put(m);
            }
          }
          written.add(out.finish(name, n));
        }
      }
      String metaName = baseName + ".meta.json";
      byte[] meta = metaJson(plan, rows, labels, arrays, names);
      Path metaFile = dir.resolve(metaName);
      try (ArrayOut out = ArrayOut.open(metaFile, files, opts.sha256())) {
        out.put(meta);
        written.add(out.finishAs(metaName, "json", n));
      }
    } catch (IOException | RuntimeException e) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
      throw e;
    }
    return List.copyOf(written);
  }

  private static Targets targets(Sample s) {
    return ((ImagePayload) s.payload()).targets();
  }

  private static float[] minusOnes(int count) {
    float[] f = new float[count];
    Arrays.fill(f, -1f);
    return f;
  }

  private static ObjectNode arrayMeta(
      ObjectNode arrays, String name, String file, String descr, long[] shape) {
    ObjectNode a = arrays.putObject(name);
    a.put("file", file);
    a.put("dtype", dtypeName(descr));
    ArrayNode s = a.putArray("shape");
    for (long d : shape) {
      s.add(d);
    }
    return a;
  }

  private static Plan plan(Path shard, List<Sample> rows, LabelMap labels) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a shard needs at least one row: " + shard);
    }
    Sample first = rows.get(0);
    Plan plan = new Plan();
    plan.modality = first.payload().modality();
    long n = rows.size();
    for (Sample s : rows) {
      if (s.split() == Split.UNASSIGNED) {
        throw new IllegalArgumentException("row " + s.id() + " has no split assigned");
      }
      if (s.group() == null) {
        throw new IllegalArgumentException("row " + s.id() + " has no group");
      }
      for (String name : s.labels()) {
        index(labels, s, name);
      }
      plan.multiLabel |= s.labels().size() > 1;
      Modality m = s.payload().modality();
      if (m != plan.modality) {
        throw Mismatch.of(
            "a .npy shard holds one modality", s, lower(m), first, lower(plan.modality));
      }
      long[] shape;
      switch (m) {
        case IMAGE:
          {
            ImagePayload p = rawImage(s, (ImagePayload) s.payload());
            shape = new long[] {n, p.height(), p.width(), p.channels()};
            checkPixelDtype(plan, s, first, p);
            Targets t = p.targets();
            if (t.boxCount() > 0 || plan.maxBoxes >= 0) {
              plan.maxBoxes = Math.max(plan.maxBoxes, t.boxCount());
            }
            if (t.keypointCount() > 0 || plan.maxKeypoints >= 0) {
              plan.maxKeypoints = Math.max(plan.maxKeypoints, t.keypointCount());
            }
            plan.masks |= t.mask() != null;
            break;
          }
        case VIDEO:
          {
            List<ImagePayload> frames = ((VideoPayload) s.payload()).frames();
            ImagePayload f0 = frames.get(0);
            for (ImagePayload f : frames) {
              ParquetShardFile.checkClipFrame(s, f);
              checkPixelDtype(plan, s, first, f);
              if (f.height() != f0.height()
                  || f.width() != f0.width()
                  || f.channels() != f0.channels()) {
                throw new IllegalArgumentException(
                    "row " + s.id() + " has frames of different shapes; a clip needs one shape");
              }
            }
            shape = new long[] {n, frames.size(), f0.height(), f0.width(), f0.channels()};
            break;
          }
        case SERIES:
          {
            SeriesPayload p = (SeriesPayload) s.payload();
            shape = new long[] {n, p.length(), p.channels()};
            long[] horizon = {n, p.horizon().length / p.channels(), p.channels()};
            if (s == first) {
              plan.horizonShape = horizon;
            } else if (!Arrays.equals(horizon, plan.horizonShape)) {
              throw new IllegalArgumentException(
                  "a .npy shard needs one horizon shape: row "
                      + s.id()
                      + " has "
                      + horizon[1]
                      + "x"
                      + horizon[2]
                      + " but row "
                      + first.id()
                      + " has "
                      + plan.horizonShape[1]
                      + "x"
                      + plan.horizonShape[2]);
            }
            break;
          }
        case FEATURES:
          shape = new long[] {n, ((FeaturePayload) s.payload()).numeric().length};
          break;
        default:
          throw new IllegalArgumentException(
              "row "
                  + s.id()
                  + " is "
                  + lower(m)
                  + ": .npy shards hold images, video, series and features; write text as"
                  + " parquet or arrow");
      }
      if (plan.xShape == null) {
        plan.xShape = shape;
      } else if (!Arrays.equals(shape, plan.xShape)) {
        throw Mismatch.of(
            "a .npy shard needs one shape", s, shapeString(shape), first, shapeString(plan.xShape));
      }
    }
    if (plan.horizonShape != null && plan.horizonShape[1] == 0) {
      plan.horizonShape = null;
    }
    return plan;
  }

  /** Every image (every frame of every clip) of a shard has the dtype of the first. */
  private static void checkPixelDtype(Plan plan, Sample s, Sample first, ImagePayload p) {
    if (plan.pixelDtype == null) {
      plan.pixelDtype = p.dtype();
      plan.floatPixels = p.isFloat32();
    } else if (!plan.pixelDtype.equals(p.dtype())) {
      throw Mismatch.of("a .npy shard holds one pixel dtype", s, p.dtype(), first, plan.pixelDtype);
    }
  }

  private static float[] littleEndianFloats(byte[] b) {
    float[] v = new float[b.length / Float.BYTES];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  private static ImagePayload rawImage(Sample s, ImagePayload p) {
    if (!p.isRaw()) {
      throw new IllegalArgumentException(
          "row "
              + s.id()
              + " is an encoded "
              + p.format()
              + " image; .npy holds raw pixels only: use raw encoding for npy output");
    }
    return p;
  }

  private static String shapeString(long[] shape) {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i < shape.length; i++) {
      b.append(i > 1 ? "x" : "").append(shape[i]);
    }
    return b.toString();
  }

  private static String lower(Modality m) {
    return m.name().toLowerCase(Locale.ROOT);
  }

  private static int index(LabelMap labels, Sample s, String name) {
    int i = labels.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(
          "row " + s.id() + " has label '" + name + "', which is not in the label map " + labels);
    }
    return i;
  }

  private static byte[] metaJson(
      Plan plan, List<Sample> rows, LabelMap labels, ObjectNode arrays, FeatureNames features) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format_version", FORMAT_VERSION);
    root.put("modality", lower(plan.modality));
    root.put("rows", rows.size());
    ArrayNode names = root.putArray("labels");
    labels.names().forEach(names::add);
    root.set("arrays", arrays);
    ArrayNode ids = root.putArray("ids");
    ArrayNode split = root.putArray("split");
    ArrayNode fold = root.putArray("fold");
    ArrayNode group = root.putArray("group");
    ArrayNode sources = root.putArray("source_ids");
    ArrayNode copy = root.putArray("copy_index");
    ArrayNode kind = root.putArray("derived_kind");
    ArrayNode hash = root.putArray("payload_sha256");
    ArrayNode applied = root.putArray("applied");
    for (Sample s : rows) {
      ids.add(s.id());
      split.add(s.split().folder());
      fold.add(s.fold());
      group.add(s.group());
      ArrayNode src = sources.addArray();
      s.sourceIds().forEach(src::add);
      copy.add(s.copyIndex());
      kind.add(s.derivedKind());
      hash.add(s.payloadHash());
      applied.add(s.applied().toJson());
    }
    if (plan.maxBoxes >= 0) {
      ArrayNode boxLabels = root.putArray("box_label_names");
      for (Sample s : rows) {
        ArrayNode b = boxLabels.addArray();
        for (String l : targets(s).boxLabels()) {
          b.add(l);
        }
      }
    }
    if (plan.maxKeypoints >= 0) {
      ArrayNode keypointNames = root.putArray("keypoint_names");
      for (Sample s : rows) {
        ArrayNode k = keypointNames.addArray();
        for (String l : targets(s).keypointNames()) {
          k.add(l);
        }
      }
    }
    if (plan.modality == Modality.SERIES) {
      ArrayNode series = root.putArray("series_id");
      ArrayNode start = root.putArray("start");
      for (Sample s : rows) {
        series.add(((SeriesPayload) s.payload()).seriesId());
        start.add(((SeriesPayload) s.payload()).start());
      }
    }
    if (plan.modality == Modality.FEATURES) {
      ObjectNode f = root.putObject("features");
      features.numeric().forEach(f.putArray("names")::add);
      ObjectNode categorical = f.putObject("categorical");
      for (int j = 0; j < features.categorical().size(); j++) {
        ArrayNode values = categorical.putArray(features.categorical().get(j));
        for (Sample s : rows) {
          values.add(((FeaturePayload) s.payload()).categorical()[j]);
        }
      }
    }
    if (plan.modality == Modality.VIDEO) {
      ArrayNode video = root.putArray("video_id");
      ArrayNode pts = root.putArray("pts_micros");
      for (Sample s : rows) {
        VideoPayload v = (VideoPayload) s.payload();
        video.add(v.videoId());
        ArrayNode p = pts.addArray();
        for (long t : v.ptsMicros()) {
          p.add(t);
        }
      }
    }
    try {
      byte[] json = JSON.writeValueAsBytes(root);
      byte[] withNewline = Arrays.copyOf(json, json.length + 1);
      withNewline[json.length] = '\n';
      return withNewline;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code .npy} 1.0 header (2.0 if it would not fit) with NumPy's own layout. */
  static byte[] header(String descr, long[] shape) {
    StringBuilder d = new StringBuilder("{'descr': '");
    d.append(descr).append("', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      d.append(i > 0 ? ", " : "").append(shape[i]);
    }
    d.append(shape.length == 1 ? ",), }" : "), }");
    if (shape.length > 0) {
      d.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
    }
    int prefix = 10;
    if (d.length() + 1 + prefix > 0xffff) {
      prefix = 12;
    }
    int pad = (ALIGN - (prefix + d.length() + 1) % ALIGN) % ALIGN;
    d.append(" ".repeat(pad)).append('\n');
    byte[] dict = d.toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(prefix + dict.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) (prefix == 10 ? 1 : 2)).put((byte) 0);
    if (prefix == 10) {
      b.putShort((short) dict.length);
    } else {
      b.putInt(dict.length);
    }
    return b.put(dict).array();
  }

  private static String dtypeName(String descr) {
    switch (descr) {
      case "|u1":
        return "uint8";
      case "<i4":
        return "int32";
      case "<i8":
        return "int64";
      case "<f2":
        return "float16";
      case "<f4":
        return "float32";
      default:
        throw new IllegalArgumentException("unsupported .npy dtype " + descr);
    }
  }

  /**
   * One file being written through a {@link FileChannel}, hashed as it goes. Bytes are staged in a
   * 1 MiB direct buffer, so the channel writes them without another copy; a byte array is hashed
   * straight from the caller's array, and values packed into the buffer (floats, ints) are hashed
   * from the buffer before it is written. Byte arrays of 1 MiB or more bypass the buffer. Without a
   * digest ({@code sha256} false) nothing is hashed and the bytes are the same.
   */
  private static final class ArrayOut implements AutoCloseable {
    private static final int BUFFER = 1 << 20;

    private final FileChannel channel;
    private final MessageDigest digest;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private int hashedTo;
    private long bytes;

    private ArrayOut(FileChannel channel, boolean sha256) {
      this.channel = channel;
      this.digest = sha256 ? Sha256Files.newDigest() : null;
    }

    static ArrayOut open(Path file, List<Path> files, boolean sha256) throws IOException {
      if (!files.contains(file)) {
        files.add(file);
      }
      return new ArrayOut(
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE),
          sha256);
    }

    void header(String descr, long[] shape) throws IOException {
      put(NpyShardFile.header(descr, shape));
    }

    void put(byte[] b) throws IOException {
      hashPending();
      if (b.length >= BUFFER) {
        flush();
        if (digest != null) {
          digest.update(b);
        }
        writeFully(ByteBuffer.wrap(b));
        return;
      }
      if (buf.remaining() < b.length) {
        flush();
      }
      buf.put(b);
      if (digest != null) {
        digest.update(b);
      }
      hashedTo = buf.position();
    }

    /** Raw pixels as they are (uint8 or float32), or float32 pixels narrowed to float16. */
    void putPixels(ImagePayload p, boolean float16) throws IOException {
      if (float16) {
        putFloats(littleEndianFloats(p.bytes()), true);
      } else {
        put(p.bytes());
      }
    }

    void putFloats(float[] v, boolean float16) throws IOException {
      int i = 0;
      while (i < v.length) {
        int width = float16 ? 2 : 4;
        if (buf.remaining() < width) {
          flush();
        }
        int k = Math.min(buf.remaining() / width, v.length - i);
        if (float16) {
          for (int j = 0; j < k; j++) {
            buf.putShort(Float16.fromFloat(v[i + j]));
          }
        } else {
          buf.asFloatBuffer().put(v, i, k);
          buf.position(buf.position() + 4 * k);
        }
        i += k;
      }
    }

    void putLong(long v) throws IOException {
      if (buf.remaining() < 8) {
        flush();
      }
      buf.putLong(v);
    }

    void putInt(int v) throws IOException {
      if (buf.remaining() < 4) {
        flush();
      }
      buf.putInt(v);
    }

    void putZeros(long count) throws IOException {
      for (long left = count; left > 0; ) {
        if (!buf.hasRemaining()) {
          flush();
        }
        int k = (int) Math.min(buf.remaining(), left);
        buf.put(new byte[k]);
        left -= k;
      }
    }

    /** Hashes what was packed into the buffer since the last hash. */
    private void hashPending() {
      if (digest != null && hashedTo < buf.position()) {
        digest.update(buf.duplicate().limit(buf.position()).position(hashedTo));
        hashedTo = buf.position();
      }
    }

    private void flush() throws IOException {
      hashPending();
      buf.flip();
      writeFully(buf);
      buf.clear();
      hashedTo = 0;
    }

    private void writeFully(ByteBuffer b) throws IOException {
      while (b.hasRemaining()) {
        bytes += channel.write(b);
      }
    }

    WrittenFile finish(String name, long rows) throws IOException {
      return finishAs(name, "npy", rows);
    }

    WrittenFile finishAs(String name, String format, long rows) throws IOException {
      flush();
      channel.close();
      return new WrittenFile(
          name, format, rows, bytes, digest == null ? null : Sha256Files.hex(digest));
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  // ---- reading ----

  /**
   * Reads every array listed in {@code metaJson}'s {@code arrays}, in that order, by name ({@code
   * x}, {@code y}, ...). Data are memory-mapped, read-only.
   *
   * @throws IOException when a file is missing, is not a {@code .npy} file, or its dtype or shape
   *     differ from meta.json
   */
  public static Map<String, NpyArray> readArrays(Path metaJson) throws IOException {
    JsonNode meta = JSON.readTree(metaJson.toFile());
    Path dir = metaJson.toAbsolutePath().getParent();
    Map<String, NpyArray> out = new LinkedHashMap<>();
    for (var it = meta.get("arrays").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Path file = dir.resolve(e.getValue().get("file").asText());
      NpyArray a = readNpy(file);
      long[] shape = new long[e.getValue().get("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = e.getValue().get("shape").get(i).asLong();
      }
      String dtype = e.getValue().get("dtype").asText();
      if (!a.dtype().equals(dtype) || !Arrays.equals(a.shape(), shape)) {
        throw new IOException(
            file
                + " is "
                + a.dtype()
                + Arrays.toString(a.shape())
                + " but meta.json says "
                + dtype
                + Arrays.toString(shape));
      }
      out.put(e.getKey(), a);
    }
    return out;
  }

  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /**
   * Reads one {@code .npy} file (format 1.0, 2.0 or 3.0; C order; little-endian or byte-sized
   * uint8, int32, int64, float16 or float32), memory-mapping its data.
   */
  public static NpyArray readNpy(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      while (pre.hasRemaining() && ch.read(pre) >= 0) {}
      pre.flip();
      byte[] magic = new byte[Math.min(6, pre.remaining())];
      pre.get(magic);
      if (!Arrays.equals(magic, MAGIC) || pre.remaining() < 4) {
        throw new IOException(file + " is not a .npy file");
      }
      int major = pre.get() & 0xff;
      pre.get();
      long headerLen;
      int prefix;
      if (major == 1) {
        headerLen = pre.getShort() & 0xffff;
        prefix = 10;
      } else if (major == 2 || major == 3) {
        headerLen = pre.getInt() & 0xffffffffL;
        prefix = 12;
      } else {
        throw new IOException(file + ": unsupported .npy version " + major);
      }
      ByteBuffer h = ByteBuffer.allocate(Math.toIntExact(headerLen));
      ch.position(prefix);
      while (h.hasRemaining() && ch.read(h) >= 0) {}
      String dict =
          new String(h.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      Matcher descr = DESCR.matcher(dict);
      Matcher fortran = FORTRAN.matcher(dict);
      Matcher shapeM = SHAPE.matcher(dict);
      if (!descr.find() || !fortran.find() || !shapeM.find()) {
        throw new IOException(file + ": malformed .npy header " + dict.trim());
      }
      if (fortran.group(1).equals("True")) {
        throw new IOException(file + ": Fortran-order arrays are not supported");
      }
      String dtype = dtypeOf(file, descr.group(1));
      List<Long> dims = new ArrayList<>();
      for (String part : shapeM.group(1).split(",")) {
        if (!part.isBlank()) {
          dims.add(Long.parseLong(part.trim()));
        }
      }
      long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
      long count = 1;
      for (long d : shape) {
        count *= d;
      }
      long offset = prefix + headerLen;
      long size = count * itemSize(dtype);
      if (ch.size() - offset != size) {
        throw new IOException(
            file + ": " + size + " data bytes expected, " + (ch.size() - offset) + " found");
      }
      ByteBuffer data =
          ch.map(FileChannel.MapMode.READ_ONLY, offset, size).order(ByteOrder.LITTLE_ENDIAN);
      return new NpyArray(dtype, shape, data);
    }
  }

  private static String dtypeOf(Path file, String descr) throws IOException {
    String d = descr.equals("u1") || descr.equals("<u1") ? "|u1" : descr;
    try {
      return dtypeName(d);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static int itemSize(String dtype) {
    switch (dtype) {
      case "uint8":
        return 1;
      case "float16":
        return 2;
      case "int32":
      case "float32":
        return 4;
      default:
        return 8;
    }
  }

  /**
   * Reads an image or clip shard written by this class back into rows, in file order. {@code
   * labels} comes from the multi-hot mask when there is one (then in index order, not the row's own
   * order), else from {@code y}.
   *
   * @throws IOException when the shard is not an image shard or its files disagree with meta.json
   */
  public static List<ShardRow> read(Path metaJson) throws IOException {
    JsonNode meta = JSON.readTree(metaJson.toFile());
    if ("features".equals(meta.path("modality").asText())) {
      return readFeatures(metaJson, meta);
    }
    String modality = meta.path("modality").asText();
    boolean clips = "video".equals(modality);
    if (!"image".equals(modality) && !clips) {
      throw new IOException(metaJson + " is not an image or clip shard: modality " + modality);
    }
    Map<String, NpyArray> arrays = readArrays(metaJson);
    NpyArray x = arrays.get("x");
    long[] y = arrays.get("y").longs();
    NpyArray mask = arrays.get("labels");
    int dims = clips ? 5 : 4;
    if (x.shape().length != dims) {
      throw new IOException(
          metaJson
              + ": x of a "
              + modality
              + " shard must have "
              + dims
              + " dimensions, has "
              + x.shape().length);
    }
    int n = Math.toIntExact(x.shape()[0]);
    // a frame's H x W x C: the last three dimensions (a clip's second is T)
    int h = Math.toIntExact(x.shape()[dims - 3]);
    int w = Math.toIntExact(x.shape()[dims - 2]);
    int c = Math.toIntExact(x.shape()[dims - 1]);
    int size = Math.toIntExact((clips ? x.shape()[1] : 1) * h * w * c);
    // Normalized images: x is float32 (or float16), returned as little-endian float32 bytes.
    boolean floats = !"uint8".equals(x.dtype());
    ByteBuffer floatBytes = null;
    if (floats) {
      float[] values = x.floats();
      floatBytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      floatBytes.asFloatBuffer().put(values);
    }
    List<String> names = new ArrayList<>();
    meta.get("labels").forEach(l -> names.add(l.asText()));
    JsonNode folds = meta.get("fold");
    List<ShardRow> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] image = new byte[floats ? size * Float.BYTES : size];
      if (floats) {
        floatBytes.get(i * size * Float.BYTES, image);
      } else {
        x.data().get((int) ((long) i * size), image);
      }
      List<Integer> labelIndices = new ArrayList<>();
      if (mask != null) {
        int l = Math.toIntExact(mask.shape()[1]);
        for (int j = 0; j < l; j++) {
          if (mask.data().get(i * l + j) != 0) {
            labelIndices.add(j);
          }
        }
      } else if (y[i] >= 0) {
        labelIndices.add((int) y[i]);
      }
      out.add(
          new ShardRow(
              meta.get("ids").get(i).asText(),
              meta.get("split").get(i).asText(),
              folds == null ? -1 : folds.get(i).asInt(),
              (int) y[i],
              y[i] < 0 ? null : names.get((int) y[i]),
              List.copyOf(labelIndices),
              image,
              floats ? ImagePayload.RAW_FLOAT32 : ImagePayload.RAW,
              h,
              w,
              c,
              meta.get("applied").get(i).asText(),
              null,
              null,
              List.of(),
              null,
              clips ? clip(meta, i) : null));
    }
    return out;
  }

  /** The {@code video_id} and {@code pts_micros} of row {@code i} of a clip shard's meta.json. */
  private static ShardRow.Clip clip(JsonNode meta, int i) {
    JsonNode pts = meta.get("pts_micros").get(i);
    long[] out = new long[pts.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = pts.get(k).asLong();
    }
    return new ShardRow.Clip(meta.get("video_id").get(i).asText(), out);
  }

  /**
   * The annotation targets of each row of an image shard, in file order ({@link Targets#NONE} for a
   * shard without targets); masks come back raw. Padding is removed by {@code n_boxes} and {@code
   * n_keypoints}.
   */
  public static List<Targets> readTargets(Path metaJson) throws IOException {
    JsonNode meta = JSON.readTree(metaJson.toFile());
    Map<String, NpyArray> arrays = readArrays(metaJson);
    int n = meta.get("rows").asInt();
    NpyArray boxes = arrays.get("boxes");
    NpyArray keypoints = arrays.get("keypoints");
    NpyArray mask = arrays.get("mask");
    float[] b = boxes == null ? null : boxes.floats();
    int[] nb = boxes == null ? null : arrays.get("n_boxes").ints();
    long[] classes = boxes == null ? null : arrays.get("box_labels").longs();
    byte[] flags = boxes == null ? null : arrays.get("box_flags").bytes();
    int bmax = boxes == null ? 0 : Math.toIntExact(boxes.shape()[1]);
    float[] k = keypoints == null ? null : keypoints.floats();
    int[] nk = keypoints == null ? null : arrays.get("n_keypoints").ints();
    int kmax = keypoints == null ? 0 : Math.toIntExact(keypoints.shape()[1]);
    int pixels = mask == null ? 0 : Math.toIntExact(mask.shape()[1] * mask.shape()[2]);
    List<Targets> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int nbi = nb == null ? 0 : nb[i];
      int nki = nk == null ? 0 : nk[i];
      String[] labels = new String[nbi];
      int[] ids = new int[nbi];
      for (int j = 0; j < nbi; j++) {
        labels[j] = meta.get("box_label_names").get(i).get(j).asText();
        ids[j] = (int) classes[i * bmax + j];
      }
      String[] names = new String[nki];
      for (int j = 0; j < nki; j++) {
        names[j] = meta.get("keypoint_names").get(i).get(j).asText();
      }
      byte[] m = null;
      if (mask != null) {
        m = new byte[pixels];
        mask.data().duplicate().position(i * pixels).get(m);
      }
      Targets t =
          new Targets(
              b == null ? new float[0] : Arrays.copyOfRange(b, 4 * i * bmax, 4 * (i * bmax + nbi)),
              labels,
              ids,
              flags == null ? new byte[0] : Arrays.copyOfRange(flags, i * bmax, i * bmax + nbi),
              k == null ? new float[0] : Arrays.copyOfRange(k, 3 * i * kmax, 3 * (i * kmax + nki)),
              names,
              m);
      out.add(t.isEmpty() ? Targets.NONE : t);
    }
    return out;
  }

  /** A features shard: {@code x} (float32 or float16, widened) and categorical values from meta. */
  private static List<ShardRow> readFeatures(Path metaJson, JsonNode meta) throws IOException {
    Map<String, NpyArray> arrays = readArrays(metaJson);
    NpyArray x = arrays.get("x");
    float[] values = x.floats();
    long[] y = arrays.get("y").longs();
    int n = Math.toIntExact(x.shape()[0]);
    int f = Math.toIntExact(x.shape()[1]);
    List<String> names = new ArrayList<>();
    meta.get("labels").forEach(l -> names.add(l.asText()));
    JsonNode categorical = meta.path("features").path("categorical");
    List<ShardRow> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<String> cats = new ArrayList<>();
      for (var it = categorical.fields(); it.hasNext(); ) {
        JsonNode v = it.next().getValue().get(i);
        cats.add(v.isNull() ? null : v.asText());
      }
      out.add(
          new ShardRow(
              meta.get("ids").get(i).asText(),
              meta.get("split").get(i).asText(),
              meta.get("fold").get(i).asInt(),
              (int) y[i],
              y[i] < 0 ? null : names.get((int) y[i]),
              y[i] < 0 ? List.of() : List.of((int) y[i]),
              null,
              ShardRow.FEATURES,
              0,
              0,
              0,
              meta.get("applied").get(i).asText(),
              null,
              Arrays.copyOfRange(values, i * f, (i + 1) * f),
              java.util.Collections.unmodifiableList(cats),
              null,
              null));
    }
    return out;
  }
}
