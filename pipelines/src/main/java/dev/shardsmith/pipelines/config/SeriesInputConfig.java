package dev.shardsmith.pipelines.config;

import dev.shardsmith.transforms.ReadSeries;
import dev.shardsmith.transforms.kernels.tabular.BadTableException;
import dev.shardsmith.transforms.kernels.tabular.TableRows;
import dev.shardsmith.transforms.kernels.window.SeriesSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys of a series {@code input} ({@code kind: series}): {@code files} (CSV or Parquet, or
 * globs, relative to the config's folder; required), {@code form} ({@code long} | {@code wide};
 * long), the columns {@code series} (required), {@code time} (long form: required), {@code
 * channels} (long form: the value columns; wide form: the time-step columns in time order;
 * required) and {@code label} (required), {@code label_from} ({@code series} | {@code last};
 * series), {@code window} {@code {length (required), stride (= length), horizon (0)}}, {@code
 * missing} ({@code filter} | {@code forward_fill} | {@code linear} | {@code mean} | {@code
 * constant}; filter) and {@code missing_value} (the constant; required with {@code constant} and
 * only then). Parsing reads no file; {@link #resolve()} lists the files and checks the first
 * readable header.
 *
 * <pre>{@code
 * SeriesInputConfig.Resolved r = config.input().series().resolve();
 * }</pre>
 */
public record SeriesInputConfig(Path base, List<String> files, SeriesSpec spec) {

  /** The files to read (name relative to the config's folder, to path) and the window spec. */
  public record Resolved(Map<String, Path> files, SeriesSpec spec) {}

  static final List<String> MISSING =
      List.of("filter", "forward_fill", "linear", "mean", "constant");

  static SeriesInputConfig parse(Section in, Path base) {
    List<String> files = InputFiles.tables(in, "series", "or globs");
    SeriesSpec.Form form =
        SeriesSpec.Form.valueOf(
            in.choice("form", "long", List.of("long", "wide")).toUpperCase(Locale.ROOT));
    String series = in.string("series", null);
    String time = form == SeriesSpec.Form.LONG ? in.string("time", null) : null;
    if (form == SeriesSpec.Form.WIDE && in.has("time")) {
      throw new ConfigException(
          in.key("time")
              + " applies to input.form = long only: in wide form the channels are the time"
              + " steps, in the order listed");
    }
    List<String> channels = List.copyOf(in.strings("channels"));
    if (channels.isEmpty()) {
      throw new ConfigException(
          in.key("channels")
              + " is required: list the value columns (long form) or the time-step columns in"
              + " time order (wide form)");
    }
    if (channels.stream().distinct().count() != channels.size()) {
      throw new ConfigException(in.key("channels") + " = " + channels + " lists a column twice");
    }
    String label = in.string("label", null);
    List<String> roles = new ArrayList<>(List.of(series));
    if (time != null) {
      roles.add(time);
    }
    for (String r : roles) {
      if (channels.contains(r) || r.equals(label) && !r.equals(series)) {
        throw new ConfigException(
            "input: column \"" + r + "\" has two roles among series, time, channels and label");
      }
    }
    if (channels.contains(label)) {
      throw new ConfigException("input: column \"" + label + "\" is both the label and a channel");
    }
    SeriesSpec.LabelFrom labelFrom =
        SeriesSpec.LabelFrom.valueOf(
            in.choice("label_from", "series", List.of("series", "last")).toUpperCase(Locale.ROOT));
    Section w = in.section("window");
    int length = (int) w.integer("length", -1, 1, 1_000_000);
    if (length < 1) {
      throw new ConfigException(w.key("length") + " is required: the window length T in steps");
    }
    int stride = (int) w.integer("stride", length, 1, 1_000_000);
    int horizon = (int) w.integer("horizon", 0, 0, 1_000_000);
    w.finish();
    String missing = in.choice("missing", "filter", MISSING);
    SeriesSpec.Missing m = SeriesSpec.Missing.valueOf(missing.toUpperCase(Locale.ROOT));
    float constant = 0;
    if (m == SeriesSpec.Missing.CONSTANT) {
      if (!in.has("missing_value")) {
        throw new ConfigException(
            in.key("missing_value") + " is required with input.missing = constant");
      }
      constant = (float) in.number("missing_value", 0, -3.4e38, 3.4e38);
    } else if (in.has("missing_value")) {
      throw new ConfigException(
          in.key("missing_value") + " applies to input.missing = constant only, not " + missing);
    }
    SeriesSpec spec =
        new SeriesSpec(
            form, series, time, channels, label, length, stride, horizon, labelFrom, m, constant,
            null);
    return new SeriesInputConfig(base, List.copyOf(files), spec);
  }

  /**
   * This config with {@code split.mode: time} applied: the split's fractions and its {@code gap} (0
   * = window length + horizon; a smaller positive gap is a {@link ConfigException}).
   */
  SeriesInputConfig withTimeSplit(RunConfig.SplitSpec split) {
    if (!"time".equals(split.mode())) {
      return this;
    }
    int min = spec.length() + spec.horizon();
    int gap = split.gap() == 0 ? min : split.gap();
    if (gap < min) {
      throw new ConfigException(
          "split.gap = "
              + split.gap()
              + " is below input.window.length + horizon = "
              + min
              + ": a shorter gap lets a train window's horizon reach into val or test");
    }
    SeriesSpec s = spec;
    return new SeriesInputConfig(
        base,
        files,
        new SeriesSpec(
            s.form(),
            s.seriesColumn(),
            s.timeColumn(),
            s.channels(),
            s.labelColumn(),
            s.length(),
            s.stride(),
            s.horizon(),
            s.labelFrom(),
            s.missing(),
            s.constant(),
            new SeriesSpec.TimeSplit(split.train(), split.val(), split.test(), gap)));
  }

  /** Sections of other kinds must not appear in a series config: they would be ignored. */
  static void rejectOtherSections(com.fasterxml.jackson.databind.JsonNode root) {
    if (root.has("preprocess")) {
      throw new ConfigException(
          "preprocess does not apply to input.kind = series (remove it): windows are cut by"
              + " input.window, scaled by normalize.scale and augmented by augment.ops");
    }
    com.fasterxml.jackson.databind.JsonNode n = root.get("normalize");
    if (n != null) {
      n.fieldNames()
          .forEachRemaining(
              k -> {
                if (!k.equals("scale")) {
                  throw new ConfigException(
                      "normalize."
                          + k
                          + " does not apply to input.kind = series: only normalize.scale (zscore,"
                          + " minmax, none; per channel, fitted on train) does, and input.missing"
                          + " handles missing values");
                }
              });
    }
    com.fasterxml.jackson.databind.JsonNode q = root.get("quality");
    if (q != null && q.size() > 0) {
      throw new ConfigException(
          "quality does not apply to input.kind = series: use input.missing for missing values");
    }
  }

  /** Series rows can be undersampled or duplicated, not interpolated (no SMOTE on windows yet). */
  static void checkBalance(BalanceConfig b) {
    String name = b.strategy().name().toLowerCase(Locale.ROOT);
    if (!List.of("none", "undersample", "oversample", "augment").contains(name)) {
      throw new ConfigException(
          "balance.strategy = "
              + name
              + " is not allowed for input.kind = series: use none, undersample, oversample or"
              + " augment");
    }
  }

  /**
   * Keeps only the keys of a whole effective config that apply to a series run: {@code quality} and
   * {@code preprocess} are errors in a series config, so they are empty, and {@code normalize}
   * keeps {@code scale}, its one series key (the image and tabular defaults would claim settings
   * the run never used).
   */
  static void trimEffective(Map<String, Object> effective) {
    effective.put("quality", Map.of());
    effective.put("preprocess", Map.of());
    Object n = effective.get("normalize");
    if (n instanceof Map<?, ?> normalize) {
      effective.put("normalize", Map.of("scale", normalize.get("scale")));
    }
  }

  /** The effective keys, as the manifest stores them. */
  Map<String, Object> effective() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("files", files);
    m.put("form", spec.form().name().toLowerCase(Locale.ROOT));
    m.put("series", spec.seriesColumn());
    m.put("time", spec.timeColumn());
    m.put("channels", spec.channels());
    m.put("label", spec.labelColumn());
    m.put("label_from", spec.labelFrom().name().toLowerCase(Locale.ROOT));
    m.put(
        "window",
        Map.of("length", spec.length(), "stride", spec.stride(), "horizon", spec.horizon()));
    m.put("missing", spec.missing().name().toLowerCase(Locale.ROOT));
    if (spec.missing() == SeriesSpec.Missing.CONSTANT) {
      m.put("missing_value", spec.constant());
    }
    if (spec.timeSplit() != null) {
      m.put("time_gap", spec.timeSplit().gap());
    }
    return m;
  }

  /**
   * Lists the files (sorted by name; a pattern matching nothing is a {@link ConfigException}) and
   * checks that the first file with a readable header has every configured column.
   */
  public Resolved resolve() {
    Map<String, Path> matched = new TreeMap<>();
    for (String pattern : files) {
      Map<String, Path> m =
          InputFiles.expand(base, pattern, n -> n.endsWith(".csv") || n.endsWith(".parquet"));
      if (m.isEmpty()) {
        throw new ConfigException(
            "input.files has \"" + pattern + "\", which matches no file under " + base);
      }
      matched.putAll(m);
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Path> f : matched.entrySet()) {
      List<TableRows.Column> header;
      try {
        header = TableRows.header(f.getValue());
      } catch (BadTableException e) {
        problems.add(f.getKey() + ": " + e.getMessage());
        continue;
      }
      List<String> names = header.stream().map(TableRows.Column::name).toList();
      List<String> missing = new ArrayList<>(ReadSeries.tableSpec(spec).columns());
      missing.removeAll(names);
      if (!missing.isEmpty()) {
        throw new ConfigException(
            "input (series): the header "
                + names
                + " of "
                + f.getKey()
                + " lacks the column(s) "
                + missing
                + " (input.series, time, channels and label name the columns)");
      }
      return new Resolved(matched, spec);
    }
    throw new ConfigException(
        "input.files: no file has a readable header, so the columns cannot be checked: "
            + problems);
  }
}
