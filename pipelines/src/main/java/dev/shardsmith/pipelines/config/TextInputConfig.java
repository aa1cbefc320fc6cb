package dev.shardsmith.pipelines.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardsmith.transforms.ReadText;
import dev.shardsmith.transforms.kernels.corpus.BadTextException;
import dev.shardsmith.transforms.kernels.corpus.TextRecords;
import dev.shardsmith.transforms.kernels.corpus.TextSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The keys of a text {@code input} ({@code kind: text}): {@code format} ({@code jsonl}, {@code
 * csv}, {@code folders}, {@code fortune}; required), {@code files} (jsonl, csv, fortune: files or
 * globs relative to the config's folder) or {@code root} (folders: one sub-folder of {@code .txt}
 * files per class), the field names {@code text_field} ({@code text}), {@code label_field} ({@code
 * label}), {@code labels_field} (multi-label; none), {@code labels_separator} ({@code |}), {@code
 * id_field} and {@code group_field} (none), {@code file_label} (fortune: one label for every file;
 * default each file's name), and the cleanup {@code unicode} ({@code nfc}) and {@code whitespace}
 * ({@code trim}); plus {@code quality.max_chars} (100000). Parsing reads no file; {@link
 * #resolve()} lists the sources.
 *
 * <pre>{@code
 * Map<String, ReadText.Source> sources = config.input().text().resolve();
 * }</pre>
 */
public record TextInputConfig(Path base, List<String> files, Path root, TextSpec spec) {

  static final List<String> FORMATS = List.of("jsonl", "csv", "folders", "fortune");

  static TextInputConfig parse(Section in, Path base) {
    String format = in.choice("format", null, FORMATS);
    TextSpec.Format f = TextSpec.Format.valueOf(format.toUpperCase(Locale.ROOT));
    boolean folders = f == TextSpec.Format.FOLDERS;
    List<String> files = in.strings("files");
    String root = in.optionalString("root");
    if (folders && (root == null || !files.isEmpty())) {
      throw new ConfigException(
          in.key("root")
              + " is required for input.format = folders (a folder holding one sub-folder of .txt"
              + " files per class), and input.files is not used");
    }
    if (!folders && (files.isEmpty() || root != null)) {
      throw new ConfigException(
          in.key("files")
              + " is required for input.format = "
              + format
              + ": list one or more files or globs relative to the config file (input.root is"
              + " for format folders only)");
    }
    boolean records = f == TextSpec.Format.JSONL || f == TextSpec.Format.CSV;
    for (String key :
        List.of("text_field", "label_field", "labels_field", "labels_separator", "id_field")) {
      if (!records && in.has(key)) {
        throw new ConfigException(
            in.key(key)
                + " is set, but input.format = "
                + format
                + " has no fields: it applies to jsonl and csv only");
      }
    }
    if (!records && in.has("group_field")) {
      throw new ConfigException(
          in.key("group_field") + " applies to jsonl and csv only, not format " + format);
    }
    if (f != TextSpec.Format.FORTUNE && in.has("file_label")) {
      throw new ConfigException(
          in.key("file_label") + " applies to input.format = fortune only, not " + format);
    }
    if (in.has("label_field") && in.has("labels_field")) {
      throw new ConfigException(
          in.key("labels_field")
              + " and input.label_field are both set: a record has one label field (label_field)"
              + " or a multi-label field (labels_field), not both");
    }
    String text = nonEmpty(in, "text_field", "text");
    String label = nonEmpty(in, "label_field", "label");
    String labels = in.has("labels_field") ? nonEmpty(in, "labels_field", null) : null;
    String separator = nonEmpty(in, "labels_separator", "|");
    String id = in.optionalString("id_field");
    String group = in.optionalString("group_field");
    String fileLabel = in.optionalString("file_label");
    TextSpec.Unicode unicode =
        TextSpec.Unicode.valueOf(
            in.choice("unicode", "nfc", List.of("nfc", "nfkc", "none")).toUpperCase(Locale.ROOT));
    TextSpec.Whitespace ws =
        TextSpec.Whitespace.valueOf(
            in.choice("whitespace", "trim", List.of("trim", "collapse", "keep"))
                .toUpperCase(Locale.ROOT));
    TextSpec spec =
        new TextSpec(f, text, label, labels, separator, id, group, fileLabel, unicode, ws, 100_000);
    return new TextInputConfig(
        base, List.copyOf(files), root == null ? null : base.resolve(root).normalize(), spec);
  }

  private static String nonEmpty(Section in, String key, String fallback) {
    String v = in.string(key, fallback);
    if (v.isEmpty()) {
      throw new ConfigException(in.key(key) + " is empty: give a field name");
    }
    return v;
  }

  /** This config with the text keys of {@code quality} read: {@code max_chars}. */
  TextInputConfig withQuality(Section quality) {
    int max = (int) quality.integer("max_chars", 100_000, 1, Integer.MAX_VALUE);
    TextSpec s = spec.withCleanup(spec.unicode(), spec.whitespace(), max);
    return new TextInputConfig(base, files, root, s);
  }

  /**
   * Sections and keys that only images (or feature rows) use must not appear in a text config: they
   * would be ignored silently.
   */
  static void rejectOtherSections(JsonNode root) {
    for (String key : List.of("preprocess", "normalize")) {
      if (root.has(key)) {
        throw new ConfigException(
            key + " does not apply to input.kind = text (remove it): text has no " + key + " step");
      }
    }
    JsonNode a = root.get("augment");
    if (a != null && a.has("min_visibility")) {
      throw new ConfigException(
          "augment.min_visibility applies to image annotation targets, not input.kind = text");
    }
    JsonNode q = root.get("quality");
    for (String key : List.of("min_width", "min_height", "max_pixels", "max_missing")) {
      if (q != null && q.has(key)) {
        throw new ConfigException(
            "quality."
                + key
                + " applies to images or tabular rows, not input.kind = text: use"
                + " quality.max_chars");
      }
    }
  }

  /** The effective keys, as the manifest stores them (paths relative to the config). */
  Map<String, Object> effective() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", spec.format().configName());
    if (root != null) {
      m.put("root", InputFiles.name(base, root));
    } else {
      m.put("files", files);
    }
    if (spec.format() == TextSpec.Format.JSONL || spec.format() == TextSpec.Format.CSV) {
      m.put("text_field", spec.textField());
      if (spec.labelsField() != null) {
        m.put("labels_field", spec.labelsField());
        m.put("labels_separator", spec.labelsSeparator());
      } else {
        m.put("label_field", spec.labelField());
      }
      m.put("id_field", spec.idField());
      m.put("group_field", spec.groupField());
    }
    if (spec.format() == TextSpec.Format.FORTUNE) {
      m.put("file_label", spec.fixedLabel());
    }
    m.put("unicode", spec.unicode().name().toLowerCase(Locale.ROOT));
    m.put("whitespace", spec.whitespace().name().toLowerCase(Locale.ROOT));
    return m;
  }

  /**
   * Lists the sources, sorted by name: for folders every {@code .txt} file under {@code root}
   * (named by its path relative to {@code root}, labelled by its first folder; a file directly in
   * {@code root} has no label and is rejected when read), else the files that {@code files} names
   * (named by their path relative to the config's folder; a fortune file labelled {@code
   * file_label} or its own name). A pattern matching nothing, a missing root or a root without a
   * {@code .txt} file is a {@link ConfigException}.
   */
  public Map<String, ReadText.Source> resolve() {
    Map<String, ReadText.Source> out = new TreeMap<>();
    if (root != null) {
      if (!Files.isDirectory(root)) {
        throw new ConfigException(
            "input.root = "
                + root
                + " is not a folder: it must hold one folder of .txt files per"
                + " class");
      }
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(Files::isRegularFile)
            .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt"))
            .forEach(
                p -> {
                  Path rel = root.relativize(p);
                  String label = rel.getNameCount() > 1 ? rel.getName(0).toString() : null;
                  out.put(InputFiles.name(root, p), new ReadText.Source(p, label));
                });
      } catch (IOException e) {
        throw new ConfigException("input.root = " + root + " cannot be listed: " + e);
      }
      if (out.isEmpty()) {
        throw new ConfigException(
            "input.root = "
                + root
                + " holds no .txt file: give one folder of .txt files per class");
      }
      return out;
    }
    for (String pattern : files) {
      Map<String, Path> m = InputFiles.expand(base, pattern, n -> true);
      if (m.isEmpty()) {
        throw new ConfigException(
            "input.files has \"" + pattern + "\", which matches no file under " + base);
      }
      m.forEach(
          (name, p) -> {
            String label =
                spec.format() != TextSpec.Format.FORTUNE
                    ? null
                    : spec.fixedLabel() != null ? spec.fixedLabel() : p.getFileName().toString();
            out.put(name, new ReadText.Source(p, label));
          });
    }
    if (spec.format() == TextSpec.Format.CSV) {
      checkColumns(out);
    }
    return out;
  }

  /**
   * The first CSV whose header can be read must have the configured columns, so a misspelt field
   * name fails before any data is read (a later file without them is a rejected source).
   */
  private void checkColumns(Map<String, ReadText.Source> csvs) {
    List<String> problems = new java.util.ArrayList<>();
    for (Map.Entry<String, ReadText.Source> f : csvs.entrySet()) {
      List<String> header;
      try {
        header = TextRecords.csvHeader(f.getValue().path());
      } catch (BadTextException e) {
        problems.add(f.getKey() + ": " + e.getMessage());
        continue;
      }
      List<String> missing = TextRecords.missingColumns(header, spec);
      if (!missing.isEmpty()) {
        throw new ConfigException(
            "input (text): the header "
                + header
                + " of "
                + f.getKey()
                + " lacks the column(s) "
                + missing
                + " (input.text_field, label_field or labels_field, id_field and group_field name"
                + " the columns)");
      }
      return;
    }
    throw new ConfigException(
        "input.files: no CSV has a readable header, so the columns cannot be checked: " + problems);
  }
}
