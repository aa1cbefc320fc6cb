package dev.shardsmith.pipelines.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A strict reader over one YAML mapping: every typed getter names the full key in its error, and
 * {@link #finish()} rejects keys nobody asked for, so a typo never passes silently.
 */
final class Section {
  private final String path;
  private final JsonNode node;
  private final Set<String> read = new LinkedHashSet<>();

  Section(String path, JsonNode node) {
    this.path = path;
    this.node = node == null || node.isNull() ? MissingNode.getInstance() : node;
    if (!this.node.isMissingNode() && !this.node.isObject()) {
      throw new ConfigException(
          key("") + " must be a mapping of keys to values, but was " + describe(this.node));
    }
  }

  String key(String name) {
    return path.isEmpty() ? name : name.isEmpty() ? path : path + "." + name;
  }

  boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  private JsonNode get(String name) {
    read.add(name);
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? null : v;
  }

  Section section(String name) {
    return new Section(key(name), get(name));
  }

  String string(String name, String fallback) {
    JsonNode v = get(name);
    if (v == null) {
      if (fallback == null) {
        throw new ConfigException(key(name) + " is required: give a string");
      }
      return fallback;
    }
    if (!v.isTextual()) {
      throw new ConfigException(key(name) + " = " + describe(v) + " must be a string");
    }
    return v.asText();
  }

  /** An optional string: null when absent. */
  String optionalString(String name) {
    JsonNode v = get(name);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw new ConfigException(key(name) + " = " + describe(v) + " must be a string");
    }
    return v.asText();
  }

  String choice(String name, String fallback, List<String> allowed) {
    String v = string(name, fallback);
    if (!allowed.contains(v)) {
      throw new ConfigException(
          key(name) + " = " + v + " is not allowed: use one of " + String.join(", ", allowed));
    }
    return v;
  }

  long integer(String name, long fallback, long min, long max) {
    JsonNode v = get(name);
    if (v == null) {
      return fallback;
    }
    if (!v.isIntegralNumber()) {
      throw new ConfigException(key(name) + " = " + describe(v) + " must be an integer");
    }
    long x = v.asLong();
    if (x < min || x > max) {
      throw new ConfigException(
          key(name) + " = " + x + " is out of range: must be in [" + min + ", " + max + "]");
    }
    return x;
  }

  double number(String name, double fallback, double min, double max) {
    JsonNode v = get(name);
    if (v == null) {
      return fallback;
    }
    return checkNumber(key(name), v, min, max);
  }

  private static double checkNumber(String key, JsonNode v, double min, double max) {
    if (!v.isNumber()) {
      throw new ConfigException(key + " = " + describe(v) + " must be a number");
    }
    double x = v.asDouble();
    if (!(x >= min && x <= max)) {
      throw new ConfigException(
          key + " = " + v.asText() + " is out of range: must be in [" + min + ", " + max + "]");
    }
    return x;
  }

  /**
   * A size in bytes: an integer, or a string with a unit ({@code 512KiB}, {@code 256MiB}, {@code
   * 1GiB}, {@code 100MB}, {@code 1GB}); {@code min <= size <= max}.
   */
  long bytes(String name, long fallback, long min, long max) {
    JsonNode v = get(name);
    if (v == null) {
      return fallback;
    }
    long x;
    if (v.isIntegralNumber()) {
      x = v.asLong();
    } else if (v.isTextual()) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\\s*(\\d+)\\s*(B|KB|MB|GB|KiB|MiB|GiB)?\\s*")
              .matcher(v.asText());
      if (!m.matches()) {
        throw new ConfigException(
            key(name)
                + " = \""
                + v.asText()
                + "\" must be a byte count such as 268435456 or"
                + " 256MiB (units B, KB, MB, GB, KiB, MiB, GiB)");
      }
      String unit = m.group(2) == null ? "B" : m.group(2);
      long mult =
          switch (unit) {
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            default -> 1L;
          };
      x = Long.parseLong(m.group(1)) * mult;
    } else {
      throw new ConfigException(key(name) + " = " + describe(v) + " must be a byte count");
    }
    if (x < min || x > max) {
      throw new ConfigException(
          key(name)
              + " = "
              + v.asText()
              + " is out of range: must be in ["
              + min
              + ", "
              + max
              + "] bytes");
    }
    return x;
  }

  boolean bool(String name, boolean fallback) {
    JsonNode v = get(name);
    if (v == null) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new ConfigException(key(name) + " = " + describe(v) + " must be true or false");
    }
    return v.asBoolean();
  }

  /** A two-number range {@code [lo, hi]} with {@code min <= lo <= hi <= max}. */
  double[] range(String name, double[] fallback, double min, double max) {
    JsonNode v = get(name);
    if (v == null) {
      return fallback;
    }
    if (!v.isArray() || v.size() != 2) {
      throw new ConfigException(
          key(name) + " = " + describe(v) + " must be a list of two numbers [low, high]");
    }
    double lo = checkNumber(key(name) + "[0]", v.get(0), min, max);
    double hi = checkNumber(key(name) + "[1]", v.get(1), min, max);
    if (lo > hi) {
      throw new ConfigException(key(name) + " = " + v + " must have low <= high");
    }
    return new double[] {lo, hi};
  }

  List<String> strings(String name) {
    JsonNode v = get(name);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!v.isArray()) {
      throw new ConfigException(key(name) + " = " + describe(v) + " must be a list of strings");
    }
    for (JsonNode x : v) {
      if (!x.isTextual()) {
        throw new ConfigException(
            key(name) + " has " + describe(x) + ": must be a list of strings");
      }
      out.add(x.asText());
    }
    return out;
  }

  /**
   * A list of lists of {@code size} strings each ({@code [[a, b], [c, d]]} for size 2); empty when
   * absent.
   */
  List<List<String>> stringTuples(String name, int size) {
    JsonNode v = get(name);
    List<List<String>> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    String want = "must be a list of lists of " + size + " strings";
    if (!v.isArray()) {
      throw new ConfigException(key(name) + " = " + describe(v) + " " + want);
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode t = v.get(i);
      List<String> tuple = new ArrayList<>();
      for (JsonNode x : t.isArray() ? t : MissingNode.getInstance()) {
        if (x.isTextual()) {
          tuple.add(x.asText());
        }
      }
      if (!t.isArray() || t.size() != size || tuple.size() != size) {
        throw new ConfigException(key(name) + "[" + i + "] = " + describe(t) + ": " + want);
      }
      out.add(List.copyOf(tuple));
    }
    return out;
  }

  /** A list of mappings, each as its own section named {@code key[i]}; empty when absent. */
  List<Section> sections(String name) {
    JsonNode v = get(name);
    List<Section> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!v.isArray()) {
      throw new ConfigException(key(name) + " = " + describe(v) + " must be a list of mappings");
    }
    for (int i = 0; i < v.size(); i++) {
      out.add(new Section(key(name) + "[" + i + "]", v.get(i)));
    }
    return out;
  }

  /** A two-integer range {@code [lo, hi]}, as {@link #range} but integral. */
  int[] intRange(String name, int[] fallback, int min, int max) {
    double[] r = range(name, new double[] {fallback[0], fallback[1]}, min, max);
    if (r[0] != Math.rint(r[0]) || r[1] != Math.rint(r[1])) {
      throw new ConfigException(key(name) + " = [" + r[0] + ", " + r[1] + "] must be integers");
    }
    return new int[] {(int) r[0], (int) r[1]};
  }

  /** Fails on any key that no getter read: unknown keys are errors. */
  void finish() {
    Set<String> unknown = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!read.contains(k)) {
        unknown.add(k);
      }
    }
    if (!unknown.isEmpty()) {
      String k = unknown.iterator().next();
      throw new ConfigException(
          key(k)
              + " is not a known key"
              + (read.isEmpty()
                  ? " (" + (path.isEmpty() ? "the top level" : path) + " takes no keys)"
                  : ": "
                      + (path.isEmpty() ? "the top level" : path)
                      + " takes "
                      + String.join(", ", read)));
    }
  }

  static String describe(JsonNode v) {
    if (v.isTextual()) {
      return "\"" + v.asText() + "\"";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    return v.toString();
  }
}
