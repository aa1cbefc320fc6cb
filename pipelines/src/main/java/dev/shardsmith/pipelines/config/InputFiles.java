package dev.shardsmith.pipelines.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Expands the {@code input.files} entries of a config (a file, or a glob such as {@code
 * data/*.csv}, relative to the config's folder) into files named by their path relative to that
 * folder, sorted by name. Used by the tabular, series, text and video inputs.
 */
final class InputFiles {
  private InputFiles() {}

  /**
   * The {@code files} of a table input ({@code kind} tabular or series): required, each a {@code
   * .csv} or {@code .parquet} file or glob; {@code globs} says how globs are written in the
   * message.
   */
  static List<String> tables(Section in, String kind, String globs) {
    List<String> files = in.strings("files");
    if (files.isEmpty()) {
      throw new ConfigException(
          in.key("files")
              + " is required for input.kind = "
              + kind
              + ": list one or more .csv or .parquet files ("
              + globs
              + "), relative to the config file");
    }
    for (String f : files) {
      String lower = f.toLowerCase(Locale.ROOT);
      if (!lower.endsWith(".csv") && !lower.endsWith(".parquet")) {
        throw new ConfigException(
            in.key("files") + " has \"" + f + "\": each entry must end in .csv or .parquet");
      }
    }
    return files;
  }

  /**
   * The files {@code pattern} names; a plain path that is not a file is a {@link ConfigException},
   * a glob may match nothing (the caller says what it wanted). Glob matches are kept only when
   * {@code accept} takes their lower-cased file name.
   */
  static Map<String, Path> expand(Path base, String pattern, Predicate<String> accept) {
    Map<String, Path> out = new TreeMap<>();
    if (!pattern.contains("*")
        && !pattern.contains("?")
        && !pattern.contains("[")
        && !pattern.contains("{")) {
      Path p = base.resolve(pattern).normalize();
      if (!Files.isRegularFile(p)) {
        throw new ConfigException("input.files has \"" + pattern + "\": " + p + " is not a file");
      }
      out.put(name(base, p), p);
      return out;
    }
    // Walk from the folder before the first glob character.
    String[] parts = pattern.split("/");
    Path root = base;
    int i = 0;
    while (i < parts.length - 1 && !parts[i].matches(".*[*?\\[{].*")) {
      root = root.resolve(parts[i]);
      i++;
    }
    PathMatcher matcher =
        FileSystems.getDefault().getPathMatcher("glob:" + base.resolve(pattern).normalize());
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile)
          .map(Path::normalize)
          .filter(matcher::matches)
          .filter(p -> accept.test(p.getFileName().toString().toLowerCase(Locale.ROOT)))
          .forEach(p -> out.put(name(base, p), p));
    } catch (IOException e) {
      throw new ConfigException(
          "input.files has \"" + pattern + "\": cannot list " + root + ": " + e);
    }
    return out;
  }

  /** A file's name in sample ids: its path relative to {@code base}, with '/'. */
  static String name(Path base, Path p) {
    return base.relativize(p).toString().replace('\\', '/');
  }
}
