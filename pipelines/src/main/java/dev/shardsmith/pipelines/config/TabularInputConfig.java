package dev.shardsmith.pipelines.config;

import dev.shardsmith.transforms.kernels.tabular.BadTableException;
import dev.shardsmith.transforms.kernels.tabular.TableRows;
import dev.shardsmith.transforms.kernels.tabular.TableSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys of a tabular {@code input} ({@code kind: tabular}): {@code files} (CSV or Parquet files,
 * or globs, relative to the config's folder), {@code label} (required), {@code id}, {@code group},
 * {@code features} (numeric columns; default every other column of the first file) and {@code
 * categorical} (string feature columns). Parsing reads no file; {@link #resolve()} lists the files
 * and reads the first one's header, so a config naming a column that is not there fails before any
 * data is read.
 *
 * <pre>{@code
 * TabularInputConfig.Resolved r = config.input().tabular().resolve();
 * }</pre>
 */
public record TabularInputConfig(
    Path base,
    List<String> files,
    String label,
    String id,
    String group,
    List<String> features,
    List<String> categorical) {

  /** The files to read (name relative to the config's folder, to path) and the column spec. */
  public record Resolved(Map<String, Path> files, TableSpec spec) {}

  static TabularInputConfig parse(Section in, Path base) {
    List<String> files = InputFiles.tables(in, "tabular", "or globs such as data/*.csv");
    String label = in.string("label", null);
    String id = in.optionalString("id");
    String group = in.optionalString("group");
    List<String> features = in.has("features") ? List.copyOf(in.strings("features")) : null;
    if (features != null && features.isEmpty()) {
      throw new ConfigException(
          in.key("features")
              + " is empty: list the numeric columns, or leave the key out to use every other"
              + " column");
    }
    List<String> categorical = List.copyOf(in.strings("categorical"));
    return new TabularInputConfig(
        base, List.copyOf(files), label, id, group, features, categorical);
  }

  /**
   * Sections that only images use must not appear in a tabular config: they would be ignored
   * silently.
   */
  static void rejectImageSections(com.fasterxml.jackson.databind.JsonNode root) {
    for (String key : List.of("preprocess", "augment")) {
      if (root.has(key)) {
        throw new ConfigException(
            key
                + " applies to images only; input.kind = tabular has no "
                + key
                + " section (remove it)");
      }
    }
  }

  /** The effective keys, as the manifest stores them. */
  Map<String, Object> effective() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("files", files);
    m.put("label", label);
    m.put("id", id);
    m.put("group", group);
    m.put("features", features);
    m.put("categorical", categorical);
    return m;
  }

  /**
   * Lists the files (sorted by name; a pattern matching nothing, a missing file or a non-CSV,
   * non-Parquet match is a {@link ConfigException}) and resolves the columns against the header of
   * the first file whose header can be read.
   */
  public Resolved resolve() {
    Map<String, Path> matched = new TreeMap<>();
    for (String pattern : files) {
      Map<String, Path> m = expand(pattern);
      if (m.isEmpty()) {
        throw new ConfigException(
            "input.files has \""
                + pattern
                + "\", which matches no file under "
                + base
                + ": give a .csv or .parquet file or a glob such as data/*.csv");
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
        continue; // the file is rejected at read time; the next one defines the columns
      }
      try {
        return new Resolved(
            matched, TableSpec.resolve(label, id, group, features, categorical, header));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "input (tabular): "
                + e.getMessage()
                + " of "
                + f.getKey()
                + " (input.label, id, group, features, categorical name the columns)");
      }
    }
    throw new ConfigException(
        "input.files: no file has a readable header, so the columns cannot be checked: "
            + problems);
  }

  private Map<String, Path> expand(String pattern) {
    return InputFiles.expand(base, pattern, n -> n.endsWith(".csv") || n.endsWith(".parquet"));
  }
}
