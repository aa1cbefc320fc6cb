package dev.shardsmith.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses an image manifest: a {@code .csv} with a header row naming {@code path}, {@code label} and
 * optionally {@code group} and {@code id} (simple CSV: fields may be double-quoted, no embedded
 * newlines), or a {@code .jsonl} file of objects with the same keys. A line that cannot be used
 * becomes an entry with an {@link Entry#error()}, so it is rejected and counted, not skipped. A
 * path must be relative to the manifest's folder unless an {@code id} is given: ids are never
 * absolute paths. A repeated id is rejected on its second line (memory: one entry per id).
 */
final class ManifestLines {
  private ManifestLines() {}

  /** One manifest line; {@code error} is non-null when the line is unusable. */
  record Entry(String id, String path, String label, String group, String error) {
    /** A line that cannot be used: {@code where} names it, {@code error} says why. */
    static Entry error(String where, String error) {
      return new Entry(where, null, null, null, error);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  static List<Entry> parse(Path manifest) throws IOException {
    List<Entry> out = new ArrayList<>();
    boolean csv = manifest.toString().endsWith(".csv");
    try (BufferedReader r = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
      List<String> header = null;
      Map<String, Integer> firstLine = new HashMap<>();
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String where = manifest.getFileName() + ":" + lineNo;
        if (csv && header == null) {
          header = Arrays.asList(splitCsv(line));
          if (!header.contains("path") || !header.contains("label")) {
            throw new IOException(
                manifest
                    + ": the CSV header must name the columns path and label, but was: "
                    + line);
          }
          continue;
        }
        String path;
        String label;
        String group;
        String id;
        if (csv) {
          String[] f = splitCsv(line);
          if (f.length != header.size()) {
            out.add(Entry.error(where, "expected " + header.size() + " fields, found " + f.length));
            continue;
          }
          path = field(f, header, "path");
          label = field(f, header, "label");
          group = field(f, header, "group");
          id = field(f, header, "id");
        } else {
          JsonNode n;
          try {
            n = JSON.readTree(line);
          } catch (IOException e) {
            out.add(Entry.error(where, "not a JSON object: " + e.getMessage()));
            continue;
          }
          path = text(n, "path");
          label = text(n, "label");
          group = text(n, "group");
          id = text(n, "id");
        }
        if (path == null || path.isEmpty()) {
          out.add(Entry.error(where, "no path"));
          continue;
        }
        if (id == null || id.isEmpty()) {
          if (Path.of(path).isAbsolute()) {
            out.add(
                Entry.error(
                    where,
                    "absolute path "
                        + path
                        + " needs an id column (ids are never absolute paths)"));
            continue;
          }
          id = Path.of(path).normalize().toString();
        }
        Integer first = firstLine.putIfAbsent(id, lineNo);
        if (first != null) {
          out.add(Entry.error(where, "duplicate id " + id + ", first listed on line " + first));
          continue;
        }
        out.add(new Entry(id, path, label, group, null));
      }
    }
    return out;
  }

  private static String field(String[] f, List<String> header, String name) {
    int i = header.indexOf(name);
    return i < 0 ? null : f[i].trim();
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** Splits one CSV line on commas outside double quotes; "" inside quotes is a quote. */
  static String[] splitCsv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out.toArray(new String[0]);
  }
}
