package dev.shardsmith.pipelines.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shardsmith.transforms.Balance;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import dev.shardsmith.transforms.kernels.series.SeriesOp;
import dev.shardsmith.transforms.kernels.stats.NormalizeSpec;
import dev.shardsmith.transforms.kernels.text.TextAugmentSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run, as its YAML file describes it: {@code name}, {@code seed}, {@code input}, {@code
 * quality}, {@code split}, {@code preprocess}, {@code normalize}, {@code balance}, {@code augment},
 * {@code compute}, {@code output}. Immutable; relative paths are resolved against the config file's
 * folder.
 *
 * <pre>{@code
 * RunConfig config = RunConfig.load(Path.of("sample-data/demo.yaml"));
 * }</pre>
 */
public record RunConfig(
    String name,
    long seed,
    Input input,
    Quality quality,
    SplitSpec split,
    Preprocess preprocess,
    NormalizeSpec normalize,
    BalanceConfig balance,
    Augment augment,
    Compute compute,
    Output output,
    TargetsConfig targets) {

  /**
   * Where the data comes from: images in a class-per-folder tree or a CSV/JSONL manifest, or
   * ({@code kind: tabular}) feature rows in CSV/Parquet files ({@code tabular}, else null), or
   * ({@code kind: text}) text records ({@code text}, else null).
   */
  public record Input(
      String kind,
      Path root,
      Path manifest,
      List<String> labels,
      String unknownLabel,
      TabularInputConfig tabular,
      TextInputConfig text,
      SeriesInputConfig series,
      VideoInputConfig video) {}

  /** Filters and limits applied while reading. */
  public record Quality(int minWidth, int minHeight, long maxPixels) {}

  /**
   * The split: mode, fractions (they sum to 1), folds (0 = none) and the frozen {@code
   * splits.parquet} (null = none) with its sha256. See {@link SplitConfig}.
   */
  public record SplitSpec(
      String mode,
      double train,
      double val,
      double test,
      int folds,
      Path freezeFrom,
      String freezeFromSha256,
      int gap) {
    /** The planner's spec for this run's seed. */
    public dev.shardsmith.transforms.kernels.split.GroupSplit.Spec plannerSpec(long seed) {
      return SplitConfig.spec(mode, train, val, test, folds, seed);
    }

    public double fraction(dev.shardsmith.schemas.Split split) {
      switch (split) {
        case TRAIN:
          return train;
        case VAL:
          return val;
        case TEST:
          return test;
        default:
          throw new IllegalArgumentException("no fraction for " + split);
      }
    }
  }

  /**
   * Every-split, deterministic preprocessing: shorter side to {@code resize}, centre crop; {@code
   * resize == 0} keeps every image at its own size.
   */
  public record Preprocess(int resize, int cropWidth, int cropHeight, List<PixelOp> ops) {}

  /** Train-only augmentation: per-sample copies and the op probabilities and ranges. */
  public record Augment(
      boolean enabled,
      int copies,
      boolean includeOriginal,
      int copyOffset,
      double hflipP,
      double rotateP,
      double rotateLimit,
      double rrcP,
      double[] rrcScale,
      double[] rrcRatio,
      List<PixelOp> ops,
      TextAugmentSpec text,
      List<SeriesOp> series) {}

  /** Where image kernels run. {@code auto} resolves to {@code backend}. */
  public record Compute(String device, String backend) {}

  /**
   * Shard formats, sizing and the output folder (the CLI's --output overrides {@code dir}). A 0
   * target means none; at least one of {@code shardRows} and {@code shardBytes} is set.
   */
  public record Output(
      Path dir,
      List<String> formats,
      long shardRows,
      long shardBytes,
      String equalShards,
      int workers,
      String parquetCompression,
      long parquetRowGroupBytes,
      String arrowCompression,
      String npyFloat,
      String imageEncoding,
      int imageQuality,
      String mode) {
    public Output withDir(Path d) {
      return new Output(
          d,
          formats,
          shardRows,
          shardBytes,
          equalShards,
          workers,
          parquetCompression,
          parquetRowGroupBytes,
          arrowCompression,
          npyFloat,
          imageEncoding,
          imageQuality,
          mode);
    }
  }

  /** The shard formats this version writes. */
  public static final List<String> FORMATS = List.of("parquet", "arrow", "npy");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Reads and validates a config file; throws {@link ConfigException} naming the bad key. */
  public static RunConfig load(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException("config " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("config " + file + " cannot be read: " + e);
    }
    if (root == null || root.isMissingNode()) {
      throw new ConfigException("config " + file + " is empty: it needs at least name and input");
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(root, base);
  }

  static RunConfig parse(JsonNode rootNode, Path base) {
    Section root = new Section("", rootNode);
    String name = root.string("name", null);
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new ConfigException(
          "name = \"" + name + "\" must use letters, digits, '.', '_' or '-' only");
    }
    long seed = root.integer("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);

    Section in = root.section("input");
    String kind =
        in.choice("kind", "images", List.of("images", "tabular", "text", "series", "video"));
    TabularInputConfig tabular = kind.equals("tabular") ? TabularInputConfig.parse(in, base) : null;
    TextInputConfig text = kind.equals("text") ? TextInputConfig.parse(in, base) : null;
    SeriesInputConfig series = kind.equals("series") ? SeriesInputConfig.parse(in, base) : null;
    VideoInputConfig video = kind.equals("video") ? VideoInputConfig.parse(in, base) : null;
    boolean images = tabular == null && text == null && series == null && video == null;
    String rootDir = images ? in.optionalString("root") : null;
    String manifest = images ? in.optionalString("manifest") : null;
    if (images && (rootDir == null) == (manifest == null)) {
      throw new ConfigException(
          "input needs exactly one of input.root (a class-per-folder tree) or input.manifest"
              + " (a CSV or JSONL file of path, label[, group])");
    }
    if (manifest != null && !(manifest.endsWith(".csv") || manifest.endsWith(".jsonl"))) {
      throw new ConfigException("input.manifest = \"" + manifest + "\" must end in .csv or .jsonl");
    }
    List<String> labels = in.strings("labels");
    if (labels.stream().distinct().count() != labels.size()) {
      throw new ConfigException("input.labels = " + labels + " lists a label twice");
    }
    String unknownLabel = in.choice("unknown_label", "reject", List.of("reject", "fail"));
    TargetsConfig targets = TargetsConfig.parse(in, base);
    in.finish();

    Section q = root.section("quality");
    Quality quality =
        new Quality(
            (int) q.integer("min_width", 1, 1, 1 << 20),
            (int) q.integer("min_height", 1, 1, 1 << 20),
            q.integer("max_pixels", 100_000_000L, 1, 1L << 40));
    double maxMissing = q.number("max_missing", 1.0, 0, 1);
    if (text != null) {
      text = text.withQuality(q);
    }
    q.finish();

    Input input =
        new Input(
            kind,
            rootDir == null ? null : base.resolve(rootDir).normalize(),
            manifest == null ? null : base.resolve(manifest).normalize(),
            List.copyOf(labels),
            unknownLabel,
            tabular,
            text,
            series,
            video);
    if (tabular != null) {
      TabularInputConfig.rejectImageSections(rootNode);
    }
    if (text != null) {
      TextInputConfig.rejectOtherSections(rootNode);
    }

    SplitSpec split = SplitConfig.parse(root.section("split"), base);
    if (series != null) {
      SeriesInputConfig.rejectOtherSections(rootNode);
      if (unknownLabel.equals("fail")) {
        throw new ConfigException(
            "input.unknown_label = fail is not supported for input.kind = series: a window with"
                + " a label outside input.labels is rejected (unknown_label: reject)");
      }
      input =
          new Input(
              kind,
              null,
              null,
              input.labels(),
              unknownLabel,
              null,
              null,
              series.withTimeSplit(split),
              null);
    } else if (split.mode().equals("time")) {
      throw new ConfigException(
          "split.mode = time orders windows of a series by time: it needs input.kind = series, not "
              + kind);
    }

    Section p = root.section("preprocess");
    int resize = (int) p.integer("resize", 256, 0, 16384);
    int crop = (int) p.integer("crop", resize, 0, 16384);
    int cropHeight = (int) p.integer("crop_height", crop, 0, 16384);
    if (resize == 0 && (crop != 0 || cropHeight != 0)) {
      throw new ConfigException(
          "preprocess.crop = "
              + crop
              + " needs preprocess.resize > 0: resize 0 keeps every image"
              + " at its own size, without a crop");
    }
    if (resize > 0 && (crop < 1 || cropHeight < 1)) {
      throw new ConfigException(
          "preprocess.crop = " + crop + " (crop_height " + cropHeight + ") must be >= 1");
    }
    if (crop > resize || cropHeight > resize) {
      throw new ConfigException(
          "preprocess.crop = "
              + crop
              + " (crop_height "
              + cropHeight
              + ") must not exceed"
              + " preprocess.resize = "
              + resize
              + ": the crop is taken from the resized image");
    }
    List<PixelOp> preOps = PixelOpConfig.parsePreprocess(p);
    p.finish();

    NormalizeSpec normalize = NormalizeConfig.parse(root.section("normalize"), maxMissing);
    Section balanceSection = root.section("balance"); // parsed once augment is known

    Section a = root.section("augment");
    targets = targets.withMinVisibility(a.number("min_visibility", 0.3, 0, 1));
    boolean enabled = a.bool("enabled", true);
    // images draw flips by default, so a copy is useful without ops; text and series copies
    // come only from their ops
    boolean opsElsewhere = text != null || series != null;
    int copies = (int) a.integer("copies", opsElsewhere ? 0 : 1, 0, 10_000);
    boolean includeOriginal = a.bool("include_original", true);
    int copyOffset = (int) a.integer("copy_offset", 0, 0, Integer.MAX_VALUE / 2);
    TextAugmentSpec textAugment = text != null ? TextAugmentConfig.parse(a) : null;
    List<SeriesOp> seriesAugment = series != null ? SeriesOpConfig.parseAugment(a) : null;
    if (series != null) {
      SeriesOpConfig.checkWindow(
          seriesAugment, series.spec().length(), series.spec().horizon(), "input.window.length");
    }
    Section hflip = opsElsewhere ? new Section("augment.hflip", null) : a.section("hflip");
    double hflipP = hflip.number("p", 0.5, 0, 1);
    hflip.finish();
    Section rotate = opsElsewhere ? new Section("augment.rotate", null) : a.section("rotate");
    double rotateP = rotate.number("p", 0.0, 0, 1);
    double rotateLimit = rotate.number("limit", 15, 0, 180);
    rotate.finish();
    Section rrc =
        opsElsewhere
            ? new Section("augment.random_resized_crop", null)
            : a.section("random_resized_crop");
    double rrcP = rrc.number("p", 0.0, 0, 1);
    double[] rrcScale = rrc.range("scale", new double[] {0.08, 1.0}, 1e-6, 1);
    double[] rrcRatio = rrc.range("ratio", new double[] {3.0 / 4, 4.0 / 3}, 1e-3, 1e3);
    rrc.finish();
    List<PixelOp> pixelOps = new java.util.ArrayList<>();
    for (Section op : opsElsewhere ? List.<Section>of() : a.sections("ops")) {
      pixelOps.add(PixelOpConfig.parse(op));
    }
    a.finish();
    Augment augment =
        new Augment(
            enabled,
            copies,
            includeOriginal,
            copyOffset,
            hflipP,
            rotateP,
            rotateLimit,
            rrcP,
            rrcScale,
            rrcRatio,
            List.copyOf(pixelOps),
            textAugment,
            seriesAugment);
    BalanceConfig balance = BalanceConfig.parse(balanceSection, kind, augment);
    if (series != null) {
      SeriesInputConfig.checkBalance(balance);
    }
    boolean noOps =
        (text != null && textAugment.isEmpty()) || (series != null && seriesAugment.isEmpty());
    if (enabled && noOps && (copies > 0 || balance.strategy() == Balance.Strategy.AUGMENT)) {
      throw new ConfigException(
          (copies > 0 ? "augment.copies = " + copies : "balance.strategy = augment")
              + " makes augmented copies, but augment.ops is empty: list the ops a copy gets, or"
              + " set augment.copies: 0 and another balance.strategy (for input.kind = "
              + kind
              + " a copy differs from its original only through augment.ops)");
    }

    Compute compute = ComputeConfig.parse(root.section("compute"));

    Section o = root.section("output");
    String dir = o.string("dir", "out/" + name);
    List<String> formats = o.has("formats") ? o.strings("formats") : List.of("parquet");
    if (formats.isEmpty()
        || !FORMATS.containsAll(formats)
        || formats.stream().distinct().count() != formats.size()) {
      throw new ConfigException(
          "output.formats = "
              + formats
              + " is not allowed: list one or more of "
              + FORMATS
              + ", each once");
    }
    long shardRows = o.integer("shard_rows", 1000, 0, 10_000_000);
    long shardBytes = o.bytes("shard_bytes", 0, 0, 1L << 40);
    if (shardRows == 0 && shardBytes == 0) {
      throw new ConfigException(
          "output.shard_rows and output.shard_bytes are both 0: give a row target, a byte target"
              + " or both");
    }
    String equalShards =
        o.choice("equal_shards", "allow_short", List.of("allow_short", "pad", "drop"));
    int workers = (int) o.integer("workers", 1, 1, 100_000);
    Section pq = o.section("parquet");
    String parquetCompression = pq.choice("compression", "zstd", List.of("zstd", "snappy", "none"));
    long rowGroup = pq.bytes("row_group_bytes", 64L << 20, 1L << 20, 1L << 31);
    pq.finish();
    Section ar = o.section("arrow");
    String arrowCompression = ar.choice("compression", "lz4", List.of("lz4", "zstd", "none"));
    ar.finish();
    Section np = o.section("npy");
    String npyFloat = np.choice("float_dtype", "float32", List.of("float32", "float16"));
    np.finish();
    String encoding = o.choice("image_encoding", "raw", List.of("raw", "png", "jpeg", "webp"));
    int imageQuality = (int) o.integer("image_quality", 95, 1, 100);
    NormalizeConfig.checkImageApply(normalize, encoding);
    VideoInputConfig.checkClipEncoding(video, encoding);
    if (resize == 0 && encoding.equals("raw")) {
      throw new ConfigException(
          "output.image_encoding = raw needs images of one size, but preprocess.resize = 0 keeps"
              + " their own sizes: set preprocess.resize and crop, or encode as png, jpeg or webp");
    }
    if (text != null && formats.contains("npy")) {
      throw new ConfigException(
          "output.formats lists npy, which holds numeric arrays only, but input.kind = text: write"
              + " text as parquet or arrow");
    }
    if (!encoding.equals("raw") && formats.contains("npy")) {
      throw new ConfigException(
          "output.formats lists npy, which holds raw pixel arrays, but output.image_encoding = "
              + encoding
              + ": use raw, or drop npy");
    }
    Output output =
        new Output(
            base.resolve(dir).normalize(),
            List.copyOf(formats),
            shardRows,
            shardBytes,
            equalShards,
            workers,
            parquetCompression,
            rowGroup,
            arrowCompression,
            npyFloat,
            encoding,
            imageQuality,
            o.choice("mode", "overwrite", List.of("overwrite", "fail")));
    o.finish();
    root.finish();
    return new RunConfig(
        name,
        seed,
        input,
        quality,
        split,
        new Preprocess(resize, crop, cropHeight, preOps),
        normalize,
        balance,
        augment,
        compute,
        output,
        targets);
  }

  /** The same config writing to another folder. */
  public RunConfig withOutputDir(Path dir) {
    return new RunConfig(
        name,
        seed,
        input,
        quality,
        split,
        preprocess,
        normalize,
        balance,
        augment,
        compute,
        output.withDir(dir),
        targets);
  }

  /**
   * The effective config with every default filled in, as the manifest stores it. Paths are left
   * out (moving the data or the output changes nothing); the resolved backend is in.
   */
  public Map<String, Object> effective() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("seed", seed);
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("kind", input.kind());
    in.put(
        "layout",
        input.series() != null
            ? input.series().spec().form().name().toLowerCase(java.util.Locale.ROOT)
            : input.tabular() != null
                ? "table"
                : input.text() != null
                    ? "text"
                    : input.video() != null
                        ? "video_files"
                        : input.root() != null ? "class_folders" : "manifest");
    if (input.tabular() != null) {
      in.putAll(input.tabular().effective());
    }
    if (input.text() != null) {
      in.putAll(input.text().effective());
    }
    if (input.series() != null) {
      in.putAll(input.series().effective());
    }
    if (input.video() != null) {
      in.putAll(input.video().effective());
    }
    in.put("labels", input.labels());
    in.put("unknown_label", input.unknownLabel());
    in.putAll(targets.effectiveInput());
    m.put("input", in);
    m.put(
        "quality",
        input.text() != null
            ? Map.of("max_chars", input.text().spec().maxChars())
            : Map.of(
                "min_width", quality.minWidth(),
                "min_height", quality.minHeight(),
                "max_pixels", quality.maxPixels(),
                "max_missing", normalize.maxMissing()));
    m.put("split", SplitConfig.effective(split));
    m.put(
        "preprocess",
        Map.of(
            "resize", preprocess.resize(),
            "crop", preprocess.cropWidth(),
            "crop_height", preprocess.cropHeight(),
            "ops", preprocess.ops().stream().map(PixelOpConfig::effective).toList()));
    m.put("normalize", NormalizeConfig.effective(normalize));
    m.put("balance", balance.effective());
    Map<String, Object> aug = new LinkedHashMap<>();
    aug.put("enabled", augment.enabled());
    aug.put("copies", augment.copies());
    aug.put("include_original", augment.includeOriginal());
    aug.put("copy_offset", augment.copyOffset());
    if (augment.text() != null) {
      aug.putAll(TextAugmentConfig.effective(augment.text()));
    } else if (augment.series() != null) {
      aug.putAll(SeriesOpConfig.effective(augment.series()));
    } else {
      aug.put("hflip", Map.of("p", augment.hflipP()));
      aug.put("rotate", Map.of("p", augment.rotateP(), "limit", augment.rotateLimit()));
      aug.put(
          "random_resized_crop",
          Map.of(
              "p", augment.rrcP(),
              "scale", List.of(augment.rrcScale()[0], augment.rrcScale()[1]),
              "ratio", List.of(augment.rrcRatio()[0], augment.rrcRatio()[1])));
      aug.put("ops", augment.ops().stream().map(PixelOpConfig::effective).toList());
    }
    if (targets.any()) {
      aug.put("min_visibility", targets.minVisibility());
    }
    m.put("augment", aug);
    m.put("compute", Map.of("device", compute.device(), "backend", compute.backend()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("formats", output.formats());
    out.put("shard_rows", output.shardRows());
    out.put("shard_bytes", output.shardBytes());
    out.put("equal_shards", output.equalShards());
    out.put("workers", output.workers());
    out.put(
        "parquet",
        Map.of(
            "compression", output.parquetCompression(),
            "row_group_bytes", output.parquetRowGroupBytes()));
    out.put("arrow", Map.of("compression", output.arrowCompression()));
    out.put("npy", Map.of("float_dtype", output.npyFloat()));
    out.put("image_encoding", output.imageEncoding());
    out.put("image_quality", output.imageQuality());
    out.put("mode", output.mode());
    m.put("output", out);
    if (input.series() != null) {
      SeriesInputConfig.trimEffective(m);
    }
    return m;
  }

  /** sha256 of the effective config as canonical JSON (sorted keys): the run's identity. */
  public String sha256() {
    try {
      byte[] json =
          new ObjectMapper()
              .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
              .writeValueAsString(effective())
              .getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
