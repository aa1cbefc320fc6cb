package dev.shardsmith.transforms.kernels.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableRowsTest {
  @TempDir Path dir;

  /** What the visitor saw, one line per row: "row id label group [numeric] [categorical]". */
  private static final class Seen implements TableRows.Visitor {
    final List<String> rows = new ArrayList<>();
    final List<String> rejected = new ArrayList<>();
    final List<float[]> numeric = new ArrayList<>();

    @Override
    public void row(
        long row, String id, String label, String group, float[] x, String[] categorical) {
      rows.add(
          row
              + " "
              + id
              + " "
              + label
              + " "
              + group
              + " "
              + Arrays.toString(x)
              + " "
              + Arrays.toString(categorical));
      numeric.add(x);
    }

    @Override
    public void rejected(long row, String reason, String detail) {
      rejected.add(row + " " + reason + ": " + detail);
    }
  }

  private Path csv(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  private static TableSpec spec(List<String> numeric, List<String> categorical) {
    return new TableSpec("y", null, null, numeric, categorical, false);
  }

  @Test
  void csvRecordsFollowRfc4180Quoting() throws Exception {
    CsvRecords r =
        new CsvRecords(
            new StringReader("\uFEFFa,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",x\"y,\rlast"));
    assertEquals(List.of("a", "b,c", "say \"hi\""), r.next().fields());
    assertEquals(List.of("two\nlines", "x\"y", ""), r.next().fields());
    assertEquals(List.of("last"), r.next().fields());
    assertEquals(null, r.next());
    CsvRecords bad = new CsvRecords(new StringReader("\"a\"b,c\n\"open,d"));
    CsvRecords.Record afterQuote = bad.next();
    assertTrue(afterQuote.malformed().contains("after the closing quote"), afterQuote.malformed());
    assertTrue(bad.next().malformed().contains("not closed"));
  }

  @Test
  void csvCellsMissingInfiniteAndQuotedValues() throws Exception {
    Path f =
        csv(
            "t.csv",
            "y,a,b,colour\n"
                + "A,1.5,\"2e3\",red\n"
                + "B,,NA,\n"
                + "\n"
                + "C,NaN,inf,\"x, \"\"y\"\"\"\n"
                + "D, -Infinity ,-.5,NA\n");
    Seen seen = new Seen();
    TableRows.read(f, spec(List.of("a", "b"), List.of("colour")), seen);
    assertEquals(
        List.of(
            "1 null A null [1.5, 2000.0] [red]",
            "2 null B null [NaN, NaN] [null]",
            "3 null C null [NaN, NaN] [x, \"y\"]",
            "4 null D null [NaN, -0.5] [null]"),
        seen.rows,
        "the blank line is skipped and does not count as a row");
    assertEquals(List.of(), seen.rejected);
  }

  @Test
  void badValueBadRowAndNoLabelRejectTheirRowOnly() throws Exception {
    Path f =
        csv(
            "t.csv",
            "y,a,b\n"
                + "A,1,2\n"
                + "B,1,two\n"
                + "C,1\n"
                + ",1,2\n"
                + "D,1,0x10\n"
                + "E,1e39,1\n"
                + "F,\"1\"x,2\n"
                + "G,3,4\n");
    Seen seen = new Seen();
    TableRows.read(f, spec(List.of("a", "b"), List.of()), seen);
    assertEquals(List.of("1 null A null [1.0, 2.0] []", "8 null G null [3.0, 4.0] []"), seen.rows);
    assertEquals(
        List.of(
            "2 bad_value: column \"b\" has \"two\": not a number",
            "3 bad_row: expected 3 fields as in the header, found 2",
            "4 no_label: label column \"y\" is empty",
            "5 bad_value: column \"b\" has \"0x10\": not a number",
            "6 bad_value: column \"a\" has \"1e39\": outside the float32 range",
            "7 bad_row: text after the closing quote of field 2"),
        seen.rejected);
  }

  @Test
  void aMissingColumnEmptyFileOrDuplicateHeaderRejectsTheWholeFile() throws Exception {
    BadTableException missing =
        assertThrows(
            BadTableException.class,
            () ->
                TableRows.read(
                    csv("m.csv", "y,a\nA,1\n"), spec(List.of("a", "b"), List.of()), new Seen()));
    assertEquals("missing_column", missing.reason());
    assertTrue(missing.getMessage().contains("column \"b\" is not in the header [y, a]"));
    assertEquals(
        "header",
        assertThrows(
                BadTableException.class,
                () -> TableRows.read(csv("e.csv", ""), spec(List.of(), List.of()), new Seen()))
            .reason());
    assertEquals(
        "header",
        assertThrows(
                BadTableException.class,
                () ->
                    TableRows.read(
                        csv("d.csv", "y,a,a\nA,1,2\n"), spec(List.of("a"), List.of()), new Seen()))
            .reason());
    assertEquals(
        "io",
        assertThrows(
                BadTableException.class,
                () ->
                    TableRows.read(
                        dir.resolve("absent.csv"), spec(List.of(), List.of()), new Seen()))
            .reason());
  }

  @Test
  void anExactSpecRejectsAFileWithAnotherColumn() throws Exception {
    TableSpec exact =
        TableSpec.resolve(
            "y", null, null, null, List.of(), TableRows.header(csv("a.csv", "y,a\nA,1\n")));
    assertEquals(List.of("a"), exact.numeric());
    BadTableException e =
        assertThrows(
            BadTableException.class,
            () -> TableRows.read(csv("b.csv", "y,a,zz\nA,1,2\n"), exact, new Seen()));
    assertEquals("extra_column", e.reason());
    assertTrue(e.getMessage().contains("[zz]"), e.getMessage());
  }

  @Test
  void resolveDefaultsFeaturesAndNamesABadColumn() throws Exception {
    List<TableRows.Column> header = TableRows.header(csv("h.csv", "id,y,g,a,colour,b\n"));
    TableSpec s = TableSpec.resolve("y", "id", "g", null, List.of("colour"), header);
    assertEquals(List.of("a", "b"), s.numeric());
    assertEquals(List.of("y", "id", "g", "a", "b", "colour"), s.columns());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TableSpec.resolve("label", null, null, null, List.of(), header));
    assertTrue(e.getMessage().contains("\"label\" is not in the header"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> TableSpec.resolve("y", null, null, List.of("a", "y"), List.of(), header));
  }

  private Path parquet() throws Exception {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message t { required binary y (STRING); optional int32 i; optional int64 l;"
                + " optional float f; optional double d; optional binary colour (STRING);"
                + " optional boolean flag; }");
    Path f = dir.resolve("t.parquet");
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new LocalOutputFile(f)).withType(schema).build()) {
      w.write(
          groups
              .newGroup()
              .append("y", "A")
              .append("i", 1)
              .append("l", 2L)
              .append("f", 0.1f)
              .append("d", 0.1)
              .append("colour", "red"));
      w.write(groups.newGroup().append("y", "B").append("f", Float.POSITIVE_INFINITY));
      w.write(groups.newGroup().append("y", "").append("d", 1e300));
      w.write(groups.newGroup().append("y", "C").append("d", 1e300));
    }
    return f;
  }

  @Test
  void parquetReadsNumericStringAndNullColumns() throws Exception {
    Path f = parquet();
    Seen seen = new Seen();
    TableRows.read(f, spec(List.of("i", "l", "f", "d"), List.of("colour")), seen);
    assertEquals(
        List.of(
            "1 null A null [1.0, 2.0, 0.1, 0.1] [red]",
            "2 null B null [NaN, NaN, NaN, NaN] [null]"),
        seen.rows);
    assertArrayEquals(new float[] {1f, 2f, 0.1f, (float) 0.1}, seen.numeric.get(0));
    assertEquals(
        List.of(
            "3 no_label: label column \"y\" is empty",
            "4 bad_value: column \"d\" has \"1.0E300\": outside the float32 range"),
        seen.rejected);
    // flag is boolean: no type a label, id, group or categorical column can hold
    IllegalArgumentException atConfig =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TableSpec.resolve(
                    "y", null, null, List.of(), List.of("flag"), TableRows.header(f)));
    assertTrue(atConfig.getMessage().contains("\"flag\" holds boolean"), atConfig.getMessage());
    BadTableException atRead =
        assertThrows(
            BadTableException.class,
            () -> TableRows.read(f, spec(List.of(), List.of("flag")), new Seen()));
    assertEquals("column_type", atRead.reason());
  }

  @Test
  void parquetDefaultFeaturesMustBeNumericAndWrongTypesRejectTheFile() throws Exception {
    Path f = parquet();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TableSpec.resolve("y", null, null, null, List.of(), TableRows.header(f)));
    assertTrue(e.getMessage().contains("\"colour\" holds binary"), e.getMessage());
    BadTableException wrong =
        assertThrows(
            BadTableException.class,
            () -> TableRows.read(f, spec(List.of("colour"), List.of()), new Seen()));
    assertEquals("column_type", wrong.reason());
    assertTrue(wrong.getMessage().contains("\"colour\""), wrong.getMessage());
  }

  @Test
  void parquetTimestampAndDateColumnsReadAsIsoText() throws Exception {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message t { required binary y (STRING); optional int64 us (TIMESTAMP(MICROS,true));"
                + " optional int64 ms (TIMESTAMP(MILLIS,false)); optional int32 d (DATE);"
                + " optional int64 ns (TIMESTAMP(NANOS,true)); optional int32 tm (TIME(MILLIS,true));"
                + " }");
    Path f = dir.resolve("time.parquet");
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new LocalOutputFile(f)).withType(schema).build()) {
      // 2012-01-31T08:00:00Z and one microsecond before the epoch; day 15370 = 2012-01-31
      w.write(
          groups
              .newGroup()
              .append("y", "A")
              .append("us", 1_327_996_800_000_123L)
              .append("ms", 1_327_996_800_500L)
              .append("d", 15370)
              .append("ns", 1_327_996_800_000_000_001L)
              .append("tm", 1000));
      w.write(groups.newGroup().append("y", "B").append("us", -1L).append("d", -1));
    }
    Seen seen = new Seen();
    TableRows.read(f, spec(List.of(), List.of("us", "ms", "d", "ns")), seen);
    assertEquals(
        List.of(
            "1 null A null [] [2012-01-31T08:00:00.000123Z, 2012-01-31T08:00:00.500Z, 2012-01-31,"
                + " 2012-01-31T08:00:00.000000001Z]",
            "2 null B null [] [1969-12-31T23:59:59.999999Z, null, 1969-12-31, null]"),
        seen.rows);
    assertEquals(
        1_327_996_800L,
        dev.shardsmith.transforms.kernels.window.Timestamps.parse("2012-01-31T08:00:00.000123Z"));
    assertEquals(
        1_327_968_000L, dev.shardsmith.transforms.kernels.window.Timestamps.parse("2012-01-31"));
    // accepted at config time too; a numeric feature or a TIME-of-day column is still an error
    TableSpec.resolve("y", null, null, List.of(), List.of("us", "d"), TableRows.header(f));
    BadTableException numeric =
        assertThrows(
            BadTableException.class,
            () -> TableRows.read(f, spec(List.of("us"), List.of()), new Seen()));
    assertEquals("column_type", numeric.reason());
    BadTableException timeOfDay =
        assertThrows(
            BadTableException.class,
            () -> TableRows.read(f, spec(List.of(), List.of("tm")), new Seen()));
    assertEquals("column_type", timeOfDay.reason());
    assertTrue(timeOfDay.getMessage().contains("TIMESTAMP"), timeOfDay.getMessage());
  }

  @Test
  void aCorruptParquetFileIsRejectedWhole() throws Exception {
    Path good = parquet();
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = dir.resolve("truncated.parquet");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    BadTableException e =
        assertThrows(
            BadTableException.class,
            () -> TableRows.read(truncated, spec(List.of("i"), List.of()), new Seen()));
    assertEquals("parquet", e.reason());
    Path text = csv("not.parquet", "y,a\nA,1\n");
    assertEquals(
        "parquet", assertThrows(BadTableException.class, () -> TableRows.header(text)).reason());
  }
}
