package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.kernels.tabular.TableSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

class ReadTabularTest {
  @TempDir Path dir;

  private static final TableSpec BY_ID =
      new TableSpec("y", "id", "g", List.of("a", "b"), List.of("c"), false);

  private Map<String, Path> files() throws Exception {
    Files.writeString(
        dir.resolve("one.csv"),
        "id,y,g,a,b,c\n" + "r1,A,g1,1,2,red\n" + "r2,B,,1,2,red\n" + "r3,B,,x,2,red\n");
    Files.writeString(
        dir.resolve("two.csv"), "id,y,g,a,b,c\n" + "r2,A,,5,6,\n" + "r4,A,,,6,blue\n");
    Files.writeString(dir.resolve("bad.csv"), "id,y,a,b\nr9,A,1,2\n");
    Map<String, Path> files = new TreeMap<>();
    for (String name : List.of("one.csv", "two.csv", "bad.csv")) {
      files.put("data/" + name, dir.resolve(name));
    }
    return files;
  }

  @Test
  void readsRowsRejectsBadOnesAndDuplicateIdsAndCountsEverything() throws Exception {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple read = p.apply("Read", ReadTabular.of(files(), BY_ID));
    PAssert.that(
            read.get(ReadTabular.OK)
                .apply(
                    "Show1",
                    MapElements.into(TypeDescriptors.strings())
                        .via((Sample s) -> s.id() + " " + s.label() + " " + s.group())))
        .containsInAnyOrder("r1 A g1", "r2 B null", "r4 A null");
    PAssert.that(
            read.get(ReadTabular.REJECTED)
                .apply(
                    "Show2",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Rejected r) ->
                                r.source()
                                    + " "
                                    + r.sampleId()
                                    + " "
                                    + (r.wholeSource() ? "source " : "sample ")
                                    + r.reason())))
        .containsInAnyOrder(
            "data/one.csv data/one.csv#3 sample bad_value",
            "data/two.csv r2 sample duplicate_id",
            "data/bad.csv data/bad.csv source missing_column");
    PAssert.that(read.get(ReadTabular.COUNTS).apply("Sum", Sum.longsPerKey()))
        .containsInAnyOrder(
            KV.of("sources.read", 3L),
            KV.of("sources.ok", 2L),
            KV.of("sources.rejected.missing_column", 1L),
            KV.of("samples.extracted", 5L),
            KV.of("samples.rejected.bad_value", 1L),
            KV.of("samples.rejected.duplicate_id", 1L));
    p.run().waitUntilFinish();
  }

  @Test
  void defaultIdsAreFileNameAndRowAndUnknownLabelsAreRejected() throws Exception {
    TableSpec noId = new TableSpec("y", null, null, List.of("a", "b"), List.of("c"), false);
    Map<String, Path> one = Map.of("data/one.csv", files().get("data/one.csv"));
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple read =
        p.apply("Read", ReadTabular.of(one, noId).withDeclaredLabels(List.of("A"), false));
    PAssert.that(
            read.get(ReadTabular.OK)
                .apply(
                    "Ids", MapElements.into(TypeDescriptors.strings()).via((Sample s) -> s.id())))
        .containsInAnyOrder("data/one.csv#1");
    PAssert.that(
            read.get(ReadTabular.REJECTED)
                .apply(
                    "Show3",
                    MapElements.into(TypeDescriptors.strings())
                        .via((Rejected r) -> r.sampleId() + " " + r.reason())))
        .containsInAnyOrder("data/one.csv#2 unknown_label", "data/one.csv#3 bad_value");
    p.run().waitUntilFinish();
  }

  @Test
  void payloadHashIsOverTheFeatureValuesOnly() {
    String h = ReadTabular.payloadHash(new float[] {1f, Float.NaN}, new String[] {"red", null});
    assertEquals(
        h, ReadTabular.payloadHash(new float[] {1f, Float.NaN}, new String[] {"red", null}));
    List<String> others = new ArrayList<>();
    others.add(ReadTabular.payloadHash(new float[] {1f, 0f}, new String[] {"red", null}));
    others.add(ReadTabular.payloadHash(new float[] {1f, Float.NaN}, new String[] {"red", ""}));
    others.add(ReadTabular.payloadHash(new float[] {1f, Float.NaN}, new String[] {null, "red"}));
    for (String o : others) {
      assertNotEquals(h, o);
    }
    assertEquals(
        new FeaturePayload(new float[] {1f}, null).categorical().length, 0, "no categorical");
  }
}
