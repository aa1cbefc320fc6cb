package dev.shardsmith.transforms.kernels.tabular;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads the rows of one CSV ({@code .csv}: UTF-8, header row required, RFC 4180 quoting, {@link
 * CsvRecords}) or Parquet ({@code .parquet}: flat columns of int32, int64, float, double, UTF-8
 * strings, and int64 {@code TIMESTAMP} (millis, micros, nanos) and int32 {@code DATE} logical
 * types) file into feature values, streaming. A Parquet {@code TIMESTAMP} cell reads as its
 * ISO-8601 instant ({@code 2012-01-31T08:00:00.000123Z}, UTC, full precision), a {@code DATE} cell
 * as its ISO date ({@code 2012-01-31}): the text a CSV file would hold, so they can be a label, id,
 * group, categorical or series time column, never a numeric feature.
 *
 * <p>Cells: an empty cell, {@code NA} or {@code NaN} (any case) is missing: NaN in a numeric
 * feature, null in a categorical one, no label, no group; a Parquet null likewise. Infinite values
 * ({@code inf}, {@code -Infinity}, ... and Parquet's) are missing too. A numeric cell that is not a
 * decimal number, or overflows float32, rejects its row ({@code bad_value}); so do a CSV row with
 * the wrong number of fields or broken quoting ({@code bad_row}), a missing label ({@code
 * no_label}) and a missing id where an id column is declared ({@code no_id}). Blank CSV lines are
 * skipped. Rows are numbered from 1 (the first row after the header) in file order.
 *
 * <p>A file is rejected whole ({@link BadTableException}) when it cannot be read or decoded (reason
 * {@code io}, or {@code parquet} for a file Parquet cannot open), has no header ({@code header}) or
 * the same column twice ({@code header}), lacks a column of the spec ({@code missing_column}), has
 * a column outside an exact spec ({@code extra_column}) or a column of the wrong type ({@code
 * column_type}). When reading fails part-way, the rows read so far stand and the failure becomes
 * one row-level rejection ({@code io}).
 *
 * <pre>{@code
 * TableRows.read(file, spec, visitor);
 * }</pre>
 */
public final class TableRows {
  private TableRows() {}

  /** What a column holds: CSV columns are {@link #TEXT_OR_NUMBER} until a cell is parsed. */
  public enum Kind {
    TEXT_OR_NUMBER,
    NUMERIC,
    INTEGER,
    STRING,
    /** A Parquet {@code TIMESTAMP} or {@code DATE} column, read as ISO-8601 text. */
    TIME,
    OTHER;

    boolean numeric() {
      return this == TEXT_OR_NUMBER || this == NUMERIC || this == INTEGER;
    }

    boolean text() {
      return this == TEXT_OR_NUMBER || this == STRING || this == INTEGER || this == TIME;
    }
  }

  /** A column of a file's header; {@code type} describes it for messages. */
  public record Column(String name, Kind kind, String type) {}

  /** Receives each row of a file, or its rejection. */
  public interface Visitor {
    /** A good row; {@code id} and {@code group} are null when the spec has no such column. */
    void row(
        long row, String id, String label, String group, float[] numeric, String[] categorical);

    /** A rejected row, with its reason and a detail that names the column and value. */
    void rejected(long row, String reason, String detail);
  }

  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern INFINITE = Pattern.compile("[+-]?(inf|infinity)");

  static boolean isCsv(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
  }

  /** The header of {@code file}: column names (and, for Parquet, their types). */
  public static List<Column> header(Path file) throws BadTableException {
    if (isCsv(file)) {
      try (BufferedReader r = reader(file)) {
        return csvHeader(file, new CsvRecords(r));
      } catch (IOException e) {
        throw io(file, e);
      }
    }
    try (ParquetFileReader r = openParquet(file)) {
      return parquetHeader(r.getFooter().getFileMetaData().getSchema());
    } catch (IOException e) {
      throw io(file, e);
    }
  }

  /** Reads every row of {@code file} under {@code spec} into {@code visitor}, in file order. */
  public static void read(Path file, TableSpec spec, Visitor visitor) throws BadTableException {
    if (isCsv(file)) {
      readCsv(file, spec, visitor);
    } else {
      readParquet(file, spec, visitor);
    }
  }

  // ---- CSV ----

  private static BufferedReader reader(Path file) throws IOException {
    return new BufferedReader(
        new java.io.InputStreamReader(
            Files.newInputStream(file),
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)),
        1 << 16);
  }

  private static List<Column> csvHeader(Path file, CsvRecords csv)
      throws IOException, BadTableException {
    CsvRecords.Record h = csv.next();
    while (h != null && h.isBlank()) {
      h = csv.next();
    }
    if (h == null) {
      throw new BadTableException("header", file + " is empty: a CSV file needs a header row");
    }
    if (h.malformed() != null) {
      throw new BadTableException(
          "header", file + ": the header row is malformed: " + h.malformed());
    }
    List<Column> out = new ArrayList<>();
    for (String name : h.fields()) {
      out.add(new Column(name, Kind.TEXT_OR_NUMBER, "text"));
    }
    return out;
  }

  private static void readCsv(Path file, TableSpec spec, Visitor visitor) throws BadTableException {
    long row = 0;
    try (BufferedReader r = reader(file)) {
      CsvRecords csv = new CsvRecords(r);
      List<Column> header = csvHeader(file, csv);
      int[] at = positions(file, header, spec);
      int width = header.size();
      try {
        for (CsvRecords.Record rec = csv.next(); rec != null; rec = csv.next()) {
          if (rec.isBlank()) {
            continue;
          }
          row++;
          if (rec.malformed() != null) {
            visitor.rejected(row, "bad_row", rec.malformed());
          } else if (rec.fields().size() != width) {
            visitor.rejected(
                row,
                "bad_row",
                "expected " + width + " fields as in the header, found " + rec.fields().size());
          } else {
            emit(row, spec, rec.fields(), at, visitor);
          }
        }
      } catch (IOException e) {
        // Part-way: rows so far stand; the rest is one row-level rejection.
        visitor.rejected(row + 1, "io", "reading stopped after row " + row + ": " + message(e));
      }
    } catch (IOException e) {
      throw io(file, e);
    }
  }

  /** The header position of each spec column, in {@link TableSpec#columns()} order. */
  private static int[] positions(Path file, List<Column> header, TableSpec spec)
      throws BadTableException {
    Map<String, Integer> index = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).name();
      names.add(name);
      if (index.putIfAbsent(name, i) != null) {
        throw new BadTableException(
            "header", file + ": column \"" + name + "\" appears twice in the header " + names);
      }
    }
    List<String> wanted = spec.columns();
    int[] at = new int[wanted.size()];
    for (int k = 0; k < wanted.size(); k++) {
      Integer i = index.get(wanted.get(k));
      if (i == null) {
        throw new BadTableException(
            "missing_column",
            file + ": column \"" + wanted.get(k) + "\" is not in the header " + names(header));
      }
      at[k] = i;
      Column c = header.get(i);
      boolean numericFeature =
          k >= wanted.size() - spec.categorical().size() - spec.numeric().size()
              && k < wanted.size() - spec.categorical().size();
      if (numericFeature ? !c.kind().numeric() : !c.kind().text()) {
        throw new BadTableException(
            "column_type",
            file
                + ": column \""
                + c.name()
                + "\" holds "
                + c.type()
                + (numericFeature
                    ? ", but a numeric feature needs int32, int64, float or double"
                    : ", but a label, id, group, categorical or time column needs strings,"
                        + " integers, or int64 TIMESTAMP or int32 DATE logical types"));
      }
    }
    if (spec.exactColumns() && header.size() != wanted.size()) {
      List<String> extra = new ArrayList<>(names);
      extra.removeAll(wanted);
      throw new BadTableException(
          "extra_column",
          file
              + " has columns "
              + extra
              + " that the first file did not have; features are every other column of the first"
              + " file unless input.features lists them");
    }
    return at;
  }

  private static List<String> names(List<Column> header) {
    return header.stream().map(Column::name).toList();
  }

  /** Turns one row's cells (in {@link TableSpec#columns()} order via {@code at}) into a row. */
  private static void emit(long row, TableSpec spec, List<String> cells, int[] at, Visitor v) {
    int k = 0;
    String label = text(cells.get(at[k++]));
    String id = spec.id() == null ? null : text(cells.get(at[k++]));
    String group = spec.group() == null ? null : text(cells.get(at[k++]));
    if (label == null) {
      v.rejected(row, "no_label", "label column \"" + spec.label() + "\" is empty");
      return;
    }
    if (spec.id() != null && id == null) {
      v.rejected(row, "no_id", "id column \"" + spec.id() + "\" is empty");
      return;
    }
    float[] numeric = new float[spec.numeric().size()];
    for (int j = 0; j < numeric.length; j++) {
      String cell = cells.get(at[k++]);
      String t = cell.trim();
      if (isMissing(t) || INFINITE.matcher(t.toLowerCase(Locale.ROOT)).matches()) {
        numeric[j] = Float.NaN;
        continue;
      }
      float x = DECIMAL.matcher(t).matches() ? Float.parseFloat(t) : Float.NaN;
      if (Float.isNaN(x) || Float.isInfinite(x)) {
        v.rejected(
            row,
            "bad_value",
            "column \""
                + spec.numeric().get(j)
                + "\" has \""
                + cell
                + "\": "
                + (Float.isNaN(x) ? "not a number" : "outside the float32 range"));
        return;
      }
      numeric[j] = x;
    }
    String[] categorical = new String[spec.categorical().size()];
    for (int j = 0; j < categorical.length; j++) {
      categorical[j] = text(cells.get(at[k++]));
    }
    v.row(row, id, label, group, numeric, categorical);
  }

  private static boolean isMissing(String trimmed) {
    return trimmed.isEmpty() || trimmed.equals("NA") || trimmed.equalsIgnoreCase("nan");
  }

  /** A string cell, or null when missing. */
  private static String text(String cell) {
    return isMissing(cell.trim()) ? null : cell;
  }

  // ---- Parquet ----

  private static ParquetFileReader openParquet(Path file) throws IOException, BadTableException {
    try {
      return ParquetFileReader.open(new LocalInputFile(file));
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new BadTableException(
          "parquet", file + " is not a readable Parquet file: " + message(e));
    }
  }

  private static List<Column> parquetHeader(MessageType schema) {
    List<Column> out = new ArrayList<>();
    for (Type t : schema.getFields()) {
      out.add(new Column(t.getName(), kind(t), describe(t)));
    }
    return out;
  }

  private static Kind kind(Type t) {
    if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
      return Kind.OTHER;
    }
    PrimitiveType p = t.asPrimitiveType();
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    switch (p.getPrimitiveTypeName()) {
      case INT32:
        return a == null || a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation
            ? Kind.INTEGER
            : a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? Kind.TIME : Kind.OTHER;
      case INT64:
        return a == null || a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation
            ? Kind.INTEGER
            : a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation
                ? Kind.TIME
                : Kind.OTHER;
      case FLOAT:
      case DOUBLE:
        return Kind.NUMERIC;
      case BINARY:
        return a == null
                || a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            ? Kind.STRING
            : Kind.OTHER;
      default:
        return Kind.OTHER;
    }
  }

  private static String describe(Type t) {
    if (!t.isPrimitive()) {
      return "a nested group";
    }
    PrimitiveType p = t.asPrimitiveType();
    return (t.isRepetition(Type.Repetition.REPEATED) ? "repeated " : "")
        + p.getPrimitiveTypeName().name().toLowerCase(Locale.ROOT)
        + (p.getLogicalTypeAnnotation() == null ? "" : " " + p.getLogicalTypeAnnotation());
  }

  private static void readParquet(Path file, TableSpec spec, Visitor visitor)
      throws BadTableException {
    long row = 0;
    try (ParquetFileReader r = openParquet(file)) {
      MessageType schema = r.getFooter().getFileMetaData().getSchema();
      List<Column> header = parquetHeader(schema);
      positions(file, header, spec);
      List<String> wanted = spec.columns();
      List<Type> fields = new ArrayList<>();
      for (String name : wanted) {
        fields.add(schema.getType(name));
      }
      MessageType projection = new MessageType(schema.getName(), fields);
      r.setRequestedSchema(projection);
      MessageColumnIO io = new ColumnIOFactory().getColumnIO(projection);
      List<String> cells = new ArrayList<>(wanted.size());
      int[] at = new int[wanted.size()];
      for (int k = 0; k < at.length; k++) {
        at[k] = k;
      }
      RecordReader<Group> records = null;
      long left = 0;
      while (true) {
        // Only Parquet's own reading is caught here; the visitor's exceptions propagate.
        try {
          while (left == 0) {
            PageReadStore pages = r.readNextRowGroup();
            if (pages == null) {
              return;
            }
            records = io.getRecordReader(pages, new GroupRecordConverter(projection));
            left = pages.getRowCount();
          }
          Group g = records.read();
          left--;
          cells.clear();
          for (int k = 0; k < fields.size(); k++) {
            cells.add(cell(g, k, fields.get(k).asPrimitiveType()));
          }
        } catch (IOException | RuntimeException e) {
          visitor.rejected(row + 1, "io", "reading stopped after row " + row + ": " + message(e));
          return;
        }
        row++;
        emit(row, spec, cells, at, visitor);
      }
    } catch (IOException e) {
      throw io(file, e);
    }
  }

  /** A Parquet value as the CSV cell it would be: "" for null, the number or the string. */
  private static String cell(Group g, int field, PrimitiveType type) {
    if (g.getFieldRepetitionCount(field) == 0) {
      return "";
    }
    LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case INT32:
        return a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
            ? java.time.LocalDate.ofEpochDay(g.getInteger(field, 0)).toString()
            : Integer.toString(g.getInteger(field, 0));
      case INT64:
        return a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
            ? instant(g.getLong(field, 0), ts.getUnit()).toString()
            : Long.toString(g.getLong(field, 0));
      case FLOAT:
        return floatCell(g.getFloat(field, 0));
      case DOUBLE:
        {
          double d = g.getDouble(field, 0);
          // Rounded once to float32 here, so the CSV path's parse sees an exact float.
          return Double.isFinite(d) && Math.abs(d) > Float.MAX_VALUE
              ? Double.toString(d)
              : floatCell((float) d);
        }
      default:
        return g.getString(field, 0);
    }
  }

  /**
   * A {@code TIMESTAMP} value as an instant; a local (not UTC-adjusted) timestamp is read as UTC,
   * as {@link dev.shardsmith.transforms.kernels.window.Timestamps} reads an ISO date-time without
   * an offset.
   */
  private static java.time.Instant instant(long v, LogicalTypeAnnotation.TimeUnit unit) {
    switch (unit) {
      case MILLIS:
        return java.time.Instant.ofEpochMilli(v);
      case MICROS:
        return java.time.Instant.ofEpochSecond(
            Math.floorDiv(v, 1_000_000L), 1000L * Math.floorMod(v, 1_000_000L));
      default:
        return java.time.Instant.ofEpochSecond(
            Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L));
    }
  }

  private static String floatCell(float f) {
    return Float.isNaN(f) ? "NaN" : Float.isInfinite(f) ? "inf" : Float.toString(f);
  }

  private static BadTableException io(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new BadTableException("io", "no such file: " + file);
    }
    if (e instanceof CharacterCodingException) {
      return new BadTableException("io", file + " is not UTF-8 text: " + message(e));
    }
    return new BadTableException("io", file + " cannot be read: " + message(e));
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
