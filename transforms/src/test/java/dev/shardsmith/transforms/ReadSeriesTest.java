package dev.shardsmith.transforms;

import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SeriesPayload;
import dev.shardsmith.transforms.kernels.window.SeriesSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadSeriesTest {
  @TempDir Path dir;

  private static SeriesSpec longForm(SeriesSpec.LabelFrom from) {
    return new SeriesSpec(
        SeriesSpec.Form.LONG,
        "id",
        "t",
        List.of("a", "b"),
        "y",
        2,
        1,
        1,
        from,
        SeriesSpec.Missing.LINEAR,
        0f,
        null);
  }

  private static String show(Sample s) {
    SeriesPayload p = (SeriesPayload) s.payload();
    return s.id()
        + " "
        + s.group()
        + " "
        + s.label()
        + " "
        + Arrays.toString(p.values())
        + " "
        + Arrays.toString(p.horizon());
  }

  private static String show(Rejected r) {
    return r.source() + " " + r.sampleId() + " " + (r.wholeSource() ? "source " : "") + r.reason();
  }

  @Test
  void longFormSortsByTimeImputesAndRejectsEachBadRow() throws Exception {
    // s1 rows are out of order across two files; one step has a missing b (linear imputation);
    // bad rows: a timestamp that is no date, the same time twice, a non-number, no label.
    Files.writeString(
        dir.resolve("one.csv"),
        "id,t,a,b,y\n"
            + "s1,2000-01-03,3,30,up\n"
            + "s1,2000-01-01,1,10,up\n"
            + "s1,someday,9,9,up\n"
            + "s1,2000-01-01,7,7,up\n"
            + "s2,1,1,1,down\n"
            + "s2,2,x,1,down\n"
            + "s2,3,1,1,\n"
            + ",4,1,1,down\n");
    Files.writeString(
        dir.resolve("two.csv"),
        "id,t,a,b,y\n" + "s1,2000-01-02,2,,up\n" + "s1,2000-01-04,4,40,dn\n");
    Files.writeString(dir.resolve("bad.csv"), "id,t,a,y\ns3,1,1,up\n");
    Map<String, Path> files = new TreeMap<>();
    for (String n : List.of("one.csv", "two.csv", "bad.csv")) {
      files.put(n, dir.resolve(n));
    }
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple read =
        p.apply("Read", ReadSeries.of(files, longForm(SeriesSpec.LabelFrom.LAST)));
    PAssert.that(
            read.get(ReadSeries.OK)
                .apply(
                    "Show", MapElements.into(TypeDescriptors.strings()).via(ReadSeriesTest::show)))
        .containsInAnyOrder(
            "s1@0 s1 up [1.0, 10.0, 2.0, 20.0] [3.0, 30.0]",
            // imputed from the window alone: its b starts missing, so it takes the first value
            "s1@1 s1 up [2.0, 30.0, 3.0, 30.0] [4.0, 40.0]");
    PAssert.that(
            read.get(ReadSeries.REJECTED)
                .apply(
                    "ShowRejected",
                    MapElements.into(TypeDescriptors.strings()).via(ReadSeriesTest::show)))
        .containsInAnyOrder(
            "one.csv one.csv#3 bad_timestamp",
            "one.csv one.csv#4 duplicate_timestamp",
            "one.csv one.csv#6 bad_value",
            "one.csv one.csv#7 no_label",
            "one.csv one.csv#8 no_id",
            "bad.csv bad.csv source missing_column");
    PAssert.that(read.get(ReadSeries.COUNTS).apply("Sum", Sum.longsPerKey()))
        .containsInAnyOrder(
            KV.of("sources.read", 3L),
            KV.of("sources.ok", 2L),
            KV.of("sources.rejected.missing_column", 1L),
            // 5 rejected rows + 2 windows of s1 (s2 keeps one row: too short for a window)
            KV.of("samples.extracted", 7L),
            KV.of("samples.rejected.no_id", 1L),
            KV.of("samples.rejected.bad_timestamp", 1L),
            KV.of("samples.rejected.duplicate_timestamp", 1L),
            KV.of("samples.rejected.bad_value", 1L),
            KV.of("samples.rejected.no_label", 1L));
    p.run().waitUntilFinish();
  }

  /** A long-form Parquet file whose time column {@code t} has the Parquet type {@code tType}. */
  private Path parquet(String name, String tType, String id, long[] times, float[] a)
      throws Exception {
    org.apache.parquet.schema.MessageType schema =
        org.apache.parquet.schema.MessageTypeParser.parseMessageType(
            "message m { required binary id (STRING); required "
                + tType.replaceFirst(" ", " t ")
                + "; required double a; required float b; required binary y (STRING); }");
    Path f = dir.resolve(name);
    var groups = new org.apache.parquet.example.data.simple.SimpleGroupFactory(schema);
    try (var w =
        org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
                new org.apache.parquet.io.LocalOutputFile(f))
            .withType(schema)
            .build()) {
      for (int i = 0; i < times.length; i++) {
        var g = groups.newGroup().append("id", id);
        if (tType.startsWith("int32")) {
          g.append("t", (int) times[i]);
        } else {
          g.append("t", times[i]);
        }
        w.write(g.append("a", (double) a[i]).append("b", 10 * a[i]).append("y", "up"));
      }
    }
    return f;
  }

  @Test
  void parquetTimestampAndDateTimeColumnsOrderTheSteps() throws Exception {
    // s1: TIMESTAMP(MICROS) one minute apart, written out of order; s2: DATE days, out of order
    long min = 60_000_000L;
    Path ts =
        parquet(
            "ts.parquet",
            "int64 (TIMESTAMP(MICROS,true))",
            "s1",
            new long[] {
              1_327_996_800_000_000L + 2 * min,
              1_327_996_800_000_000L,
              1_327_996_800_000_000L + min,
              1_327_996_800_000_000L + 3 * min
            },
            new float[] {3, 1, 2, 4});
    Path date =
        parquet(
            "date.parquet",
            "int32 (DATE)",
            "s2",
            new long[] {15372, 15370, 15371},
            new float[] {7, 5, 6});
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple read =
        p.apply(
            "Read",
            ReadSeries.of(
                new TreeMap<>(Map.of("ts.parquet", ts, "date.parquet", date)),
                longForm(SeriesSpec.LabelFrom.LAST)));
    PAssert.that(
            read.get(ReadSeries.OK)
                .apply(
                    "Show", MapElements.into(TypeDescriptors.strings()).via(ReadSeriesTest::show)))
        .containsInAnyOrder(
            "s1@0 s1 up [1.0, 10.0, 2.0, 20.0] [3.0, 30.0]",
            "s1@1 s1 up [2.0, 20.0, 3.0, 30.0] [4.0, 40.0]",
            "s2@0 s2 up [5.0, 50.0, 6.0, 60.0] [7.0, 70.0]");
    PAssert.that(read.get(ReadSeries.REJECTED)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void wideFormSeriesLabelDuplicateIdsUnknownLabelsAndFilteredWindows() throws Exception {
    Files.writeString(
        dir.resolve("wide.csv"),
        "name,kind,t0,t1,t2,t3\n"
            + "w1,A,1,2,3,4\n"
            + "w2,B,1,,,4\n"
            + "w1,A,9,9,9,9\n"
            + "w3,Z,1,2,3,4\n");
    SeriesSpec spec =
        new SeriesSpec(
            SeriesSpec.Form.WIDE,
            "name",
            null,
            List.of("t0", "t1", "t2", "t3"),
            "kind",
            3,
            1,
            0,
            SeriesSpec.LabelFrom.SERIES,
            SeriesSpec.Missing.FILTER,
            0f,
            null);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple read =
        p.apply(
            "Read",
            ReadSeries.of(Map.of("wide.csv", dir.resolve("wide.csv")), spec)
                .withDeclaredLabels(List.of("A", "B")));
    PAssert.that(
            read.get(ReadSeries.OK)
                .apply(
                    "Show", MapElements.into(TypeDescriptors.strings()).via(ReadSeriesTest::show)))
        .containsInAnyOrder("w1@0 w1 A [1.0, 2.0, 3.0] []", "w1@1 w1 A [2.0, 3.0, 4.0] []");
    PAssert.that(
            read.get(ReadSeries.REJECTED)
                .apply(
                    "ShowRejected",
                    MapElements.into(TypeDescriptors.strings()).via(ReadSeriesTest::show)))
        .containsInAnyOrder(
            "wide.csv wide.csv#3 duplicate_id",
            "wide.csv w3@0 unknown_label",
            "wide.csv w3@1 unknown_label");
    PAssert.that(read.get(ReadSeries.COUNTS).apply("Sum", Sum.longsPerKey()))
        .containsInAnyOrder(
            KV.of("sources.read", 1L),
            KV.of("sources.ok", 1L),
            // w1: 2 windows, its duplicate row, w2: 2 windows filtered, w3: 2 rejected windows
            KV.of("samples.extracted", 7L),
            KV.of("samples.rejected.duplicate_id", 1L),
            KV.of("samples.rejected.unknown_label", 2L),
            KV.of("samples.filtered.missing", 2L));
    p.run().waitUntilFinish();
  }
}
