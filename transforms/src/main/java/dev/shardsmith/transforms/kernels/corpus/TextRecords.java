package dev.shardsmith.transforms.kernels.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.transforms.kernels.tabular.CsvRecords;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one text source into records, streaming (memory: one record), and reports each to a {@link
 * Visitor} as a kept record, a filtered one or a rejected one, in file order. Each record's bytes
 * are decoded as strict UTF-8 on their own, so one bad byte rejects its record ({@code
 * invalid_utf8}), never its neighbours or the file. A leading byte order mark is skipped.
 *
 * <ul>
 *   <li>{@link TextSpec.Format#JSONL}: one JSON object per line (blank lines are skipped); record
 *       numbers are line numbers. Rejections: {@code invalid_utf8}, {@code bad_json} (not a JSON
 *       object), {@code no_text} (the text field missing, null or not a string), {@code no_label},
 *       {@code bad_label} (not a string, or labels not a list of strings), {@code no_id}.
 *   <li>{@link TextSpec.Format#CSV}: a header row, then RFC 4180 records ({@link CsvRecords};
 *       quoted fields may span lines; blank records are skipped); record numbers count from 1 after
 *       the header. A header without the text or label column rejects the file ({@code
 *       missing_column}); a record with another field count or broken quoting is {@code bad_row}.
 *   <li>{@link TextSpec.Format#FOLDERS}: the whole file is one record (number 1), labelled by the
 *       caller (its class folder; without one the record is rejected, {@code no_label}).
 *   <li>{@link TextSpec.Format#FORTUNE}: records end at a line holding only {@code %}; record
 *       numbers count from 1; text after the last {@code %} line is a record unless it is empty.
 *       Labelled by the caller ({@link TextSpec#fixedLabel()} or the file's name).
 * </ul>
 *
 * <p>Every record's text is cleaned ({@link TextSpec#clean}); an empty or whitespace-only result is
 * filtered ({@code empty}), one longer than {@link TextSpec#maxChars()} code points is filtered
 * ({@code too_long}).
 *
 * <pre>{@code
 * TextRecords.read(path, "fortunes/pets", "pets", spec, visitor);
 * }</pre>
 */
public final class TextRecords {
  private TextRecords() {}

  /** What a source yields, record by record. */
  public interface Visitor {
    /** A record kept: cleaned text, labels (at least one), group and id (null when not given). */
    void record(long n, String id, List<String> labels, String group, String text);

    /** A record filtered ({@code empty}, {@code too_long}). */
    void filtered(long n, String id, String reason);

    /** A record that cannot be used, with a short reason and a human detail. */
    void rejected(long n, String id, String reason, String detail);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads {@code file}; {@code label} is the label of every record of a folder or fortune source
   * (ignored for JSONL and CSV).
   *
   * @throws BadTextException when the whole source cannot be used
   */
  public static void read(Path file, String label, TextSpec spec, Visitor v)
      throws BadTextException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      switch (spec.format()) {
        case JSONL -> readJsonl(in, spec, v);
        case CSV -> readCsv(in, spec, v);
        case FOLDERS -> readWhole(in, label, spec, v);
        case FORTUNE -> readFortunes(in, label, spec, v);
      }
    } catch (IOException e) {
      throw new BadTextException("read_error", "cannot read " + file.getFileName() + ": " + e);
    }
  }

  /**
   * The bytes as strict UTF-8, or null when they are not; {@code where[0]} then holds the offset of
   * the first bad byte.
   */
  static String decode(byte[] bytes, int[] where) {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = d.decode(in, out, true);
    if (r.isError()) {
      where[0] = in.position();
      return null;
    }
    d.flush(out);
    String s = out.flip().toString();
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  /** Filters, then hands a record to the visitor. */
  private static void emit(
      Visitor v, TextSpec spec, long n, String id, List<String> labels, String group, String raw) {
    String text = spec.clean(raw);
    if (text.isBlank()) {
      v.filtered(n, id, "empty");
    } else if (text.codePointCount(0, text.length()) > spec.maxChars()) {
      v.filtered(n, id, "too_long");
    } else {
      v.record(n, id, labels, group, text);
    }
  }

  private static String badBytes(int[] where) {
    return "invalid UTF-8 at byte " + where[0] + " of the record";
  }

  // ---- JSON Lines

  private static void readJsonl(InputStream in, TextSpec spec, Visitor v) throws IOException {
    long n = 0;
    int[] where = new int[1];
    for (byte[] line = line(in); line != null; line = line(in)) {
      n++;
      String s = decode(line, where);
      if (s == null) {
        v.rejected(n, null, "invalid_utf8", badBytes(where));
        continue;
      }
      if (s.isBlank()) {
        continue;
      }
      JsonNode o;
      try {
        o = JSON.readTree(s);
      } catch (JsonProcessingException e) {
        o = null;
      }
      if (o == null || !o.isObject()) {
        v.rejected(n, null, "bad_json", "line " + n + " is not a JSON object");
        continue;
      }
      String id = null;
      if (spec.idField() != null) {
        JsonNode x = o.get(spec.idField());
        if (x == null || x.isNull() || !x.isValueNode() || x.asText().isEmpty()) {
          v.rejected(n, null, "no_id", "line " + n + " has no " + spec.idField());
          continue;
        }
        id = x.asText();
      }
      JsonNode t = o.get(spec.textField());
      if (t == null || !t.isTextual()) {
        v.rejected(
            n,
            id,
            "no_text",
            "line "
                + n
                + ": "
                + spec.textField()
                + " is "
                + (t == null ? "missing" : t)
                + ", not a string");
        continue;
      }
      List<String> labels = new ArrayList<>();
      String[] problem = jsonLabels(o, spec, labels);
      if (problem != null) {
        v.rejected(n, id, problem[0], "line " + n + ": " + problem[1]);
        continue;
      }
      JsonNode g = spec.groupField() == null ? null : o.get(spec.groupField());
      String group = g == null || g.isNull() || !g.isValueNode() ? null : g.asText();
      emit(v, spec, n, id, labels, group, t.asText());
    }
  }

  /**
   * Fills {@code out} with the record's labels; returns null, or the rejection's reason ({@code
   * no_label}, {@code bad_label}) and detail.
   */
  private static String[] jsonLabels(JsonNode o, TextSpec spec, List<String> out) {
    boolean multi = spec.labelsField() != null;
    String field = multi ? spec.labelsField() : spec.labelField();
    JsonNode x = o.get(field);
    if (x == null || x.isNull()) {
      return new String[] {"no_label", field + " is missing"};
    }
    if (multi && x.isTextual()) {
      return csvLabels(x.asText(), spec, out)
          ? null
          : new String[] {"no_label", field + " is empty"};
    }
    List<JsonNode> items = new ArrayList<>();
    if (multi && x.isArray()) {
      x.forEach(items::add);
    } else {
      items.add(x);
    }
    Set<String> labels = new LinkedHashSet<>();
    for (JsonNode i : items) {
      if (!i.isTextual()) {
        return new String[] {
          "bad_label",
          field + " = " + x + " must be a string" + (multi ? " or a list of strings" : "")
        };
      }
      if (!i.asText().isBlank()) {
        labels.add(i.asText().strip());
      }
    }
    if (labels.isEmpty()) {
      return new String[] {"no_label", field + " is empty"};
    }
    out.addAll(labels);
    return null;
  }

  /** Splits a labels string; false when it holds no label. */
  private static boolean csvLabels(String value, TextSpec spec, List<String> out) {
    Set<String> labels = new LinkedHashSet<>();
    for (String l : value.split(java.util.regex.Pattern.quote(spec.labelsSeparator()), -1)) {
      if (!l.isBlank()) {
        labels.add(l.strip());
      }
    }
    out.addAll(labels);
    return !labels.isEmpty();
  }

  // ---- CSV

  /**
   * The column names of a CSV file's header row.
   *
   * @throws BadTextException when the file cannot be read, is empty or its header is not UTF-8
   */
  public static List<String> csvHeader(Path file) throws BadTextException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return csvHeader(in);
    } catch (IOException e) {
      throw new BadTextException("read_error", "cannot read " + file.getFileName() + ": " + e);
    }
  }

  /** The columns a CSV source lacks for {@code spec} (text, label or labels, id, group). */
  public static List<String> missingColumns(List<String> header, TextSpec spec) {
    List<String> missing = new ArrayList<>();
    for (String c :
        java.util.Arrays.asList(
            spec.textField(),
            spec.labelsField() != null ? spec.labelsField() : spec.labelField(),
            spec.idField(),
            spec.groupField())) {
      if (c != null && !header.contains(c)) {
        missing.add(c);
      }
    }
    return missing;
  }

  private static List<String> csvHeader(InputStream in) throws IOException, BadTextException {
    int[] where = new int[1];
    byte[] headerBytes = csvRecord(in);
    if (headerBytes == null) {
      throw new BadTextException("no_header", "the file is empty: a CSV needs a header row");
    }
    String headerText = decode(headerBytes, where);
    if (headerText == null) {
      throw new BadTextException("invalid_utf8", "the header row: " + badBytes(where));
    }
    return new CsvRecords(new StringReader(headerText)).next().fields();
  }

  private static void readCsv(InputStream in, TextSpec spec, Visitor v)
      throws IOException, BadTextException {
    int[] where = new int[1];
    List<String> header = csvHeader(in);
    int text = header.indexOf(spec.textField());
    String labelName = spec.labelsField() != null ? spec.labelsField() : spec.labelField();
    int label = header.indexOf(labelName);
    int id = spec.idField() == null ? -1 : header.indexOf(spec.idField());
    int group = spec.groupField() == null ? -1 : header.indexOf(spec.groupField());
    List<String> missing = missingColumns(header, spec);
    if (!missing.isEmpty()) {
      throw new BadTextException(
          "missing_column", "the header " + header + " lacks the column(s) " + missing);
    }
    long n = 0;
    for (byte[] rec = csvRecord(in); rec != null; rec = csvRecord(in)) {
      n++;
      String s = decode(rec, where);
      if (s == null) {
        v.rejected(n, null, "invalid_utf8", badBytes(where));
        continue;
      }
      CsvRecords.Record r = new CsvRecords(new StringReader(s)).next();
      if (r == null || r.isBlank()) {
        n--;
        continue;
      }
      if (r.malformed() != null || r.fields().size() != header.size()) {
        v.rejected(
            n,
            null,
            "bad_row",
            "record "
                + n
                + ": "
                + (r.malformed() != null
                    ? r.malformed()
                    : r.fields().size() + " fields, the header has " + header.size()));
        continue;
      }
      List<String> f = r.fields();
      String rowId = id < 0 ? null : f.get(id);
      if (id >= 0 && rowId.isEmpty()) {
        v.rejected(n, null, "no_id", "record " + n + " has no " + spec.idField());
        continue;
      }
      List<String> labels = new ArrayList<>();
      if (spec.labelsField() != null) {
        csvLabels(f.get(label), spec, labels);
      } else if (!f.get(label).isBlank()) {
        labels.add(f.get(label).strip());
      }
      if (labels.isEmpty()) {
        v.rejected(n, rowId, "no_label", "record " + n + ": " + labelName + " is empty");
        continue;
      }
      String g = group < 0 || f.get(group).isEmpty() ? null : f.get(group);
      emit(v, spec, n, rowId, labels, g, f.get(text));
    }
  }

  /**
   * The bytes of the next CSV record without its line end (quoted line breaks kept), or null at the
   * end. Splitting bytes is safe for UTF-8: no multi-byte sequence holds a quote, comma or line
   * break byte. The states follow {@link CsvRecords}: a quote opens a quoted field only at the
   * field's start.
   */
  static byte[] csvRecord(InputStream in) throws IOException {
    int c = in.read();
    if (c == -1) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    final int start = 0;
    final int plain = 1;
    final int quoted = 2;
    final int afterQuote = 3;
    int state = start;
    while (c != -1) {
      if (state != quoted && (c == '\n' || c == '\r')) {
        if (c == '\r') {
          in.mark(1);
          if (in.read() != '\n') {
            in.reset();
          }
        }
        break;
      }
      out.write(c);
      state =
          switch (state) {
            case start -> c == '"' ? quoted : c == ',' ? start : plain;
            case quoted -> c == '"' ? afterQuote : quoted;
            case afterQuote -> c == '"' ? quoted : c == ',' ? start : plain;
            default -> c == ',' ? start : plain;
          };
      c = in.read();
    }
    return out.toByteArray();
  }

  // ---- one file, one sample

  private static void readWhole(InputStream in, String label, TextSpec spec, Visitor v)
      throws IOException {
    if (label == null) {
      v.rejected(1, null, "no_label", "the file is not in a class folder");
      return;
    }
    int[] where = new int[1];
    String s = decode(in.readAllBytes(), where);
    if (s == null) {
      v.rejected(1, null, "invalid_utf8", badBytes(where));
      return;
    }
    emit(v, spec, 1, null, List.of(label), null, s);
  }

  // ---- fortune files

  private static void readFortunes(InputStream in, String label, TextSpec spec, Visitor v)
      throws IOException {
    long n = 0;
    int[] where = new int[1];
    ByteArrayOutputStream rec = new ByteArrayOutputStream(1024);
    boolean any = false;
    for (byte[] line = line(in); ; line = line(in)) {
      boolean end = line == null;
      if (end || (line.length == 1 && line[0] == '%')) {
        if (end && (!any || rec.size() == 0)) {
          return; // nothing after the last separator
        }
        n++;
        byte[] bytes = rec.toByteArray();
        // the line break before the separator belongs to it, not to the text
        int len =
            bytes.length > 0 && bytes[bytes.length - 1] == '\n' ? bytes.length - 1 : bytes.length;
        String s = decode(java.util.Arrays.copyOf(bytes, len), where);
        if (s == null) {
          v.rejected(n, null, "invalid_utf8", badBytes(where));
        } else {
          emit(v, spec, n, null, List.of(label), null, s);
        }
        if (end) {
          return;
        }
        rec.reset();
        any = false;
        continue;
      }
      rec.write(line);
      rec.write('\n');
      any = true;
    }
  }

  /** The next line's bytes without its line end (LF or CRLF), or null at the end. */
  static byte[] line(InputStream in) throws IOException {
    int c = in.read();
    if (c == -1) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    while (c != -1 && c != '\n') {
      out.write(c);
      c = in.read();
    }
    byte[] b = out.toByteArray();
    return b.length > 0 && b[b.length - 1] == '\r' ? java.util.Arrays.copyOf(b, b.length - 1) : b;
  }
}
