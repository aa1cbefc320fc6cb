package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.TextPayload;
import dev.shardsmith.transforms.kernels.corpus.TextSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * {@link ReadText} on real files: ids, labels, payload hashes, and every rejection and filter
 * counted at both levels of invariant 3.
 */
class ReadTextTest {
  private static final Path TEXT = Path.of("../sample-data/text").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void damagedSourcesAreCountedRecordByRecordAndWholeFilesBySource() throws Exception {
    Map<String, ReadText.Source> sources = new TreeMap<>();
    sources.put("damaged.jsonl", new ReadText.Source(TEXT.resolve("damaged/damaged.jsonl"), null));
    sources.put("gone.jsonl", new ReadText.Source(tmp.resolve("gone.jsonl"), null));
    TextSpec spec =
        TextSpec.of(TextSpec.Format.JSONL)
            .withCleanup(TextSpec.Unicode.NFC, TextSpec.Whitespace.TRIM, 1000);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple read =
        p.apply(
            "Read", ReadText.of(sources, spec).withDeclaredLabels(List.of("food", "pets"), false));
    PAssert.that(
            read.get(ReadText.OK)
                .apply(
                    "Show",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Sample s) ->
                                s.id()
                                    + " "
                                    + s.labels()
                                    + " "
                                    + ((TextPayload) s.payload()).text()
                                    + " "
                                    + s.payloadHash())))
        .containsInAnyOrder(
            "damaged.jsonl#1 [pets] A good record about cats. "
                + ReadImages.sha256("A good record about cats.".getBytes(StandardCharsets.UTF_8)),
            "damaged.jsonl#9 [food] Another good one about food. "
                + ReadImages.sha256(
                    "Another good one about food.".getBytes(StandardCharsets.UTF_8)));
    PAssert.that(
            read.get(ReadText.REJECTED)
                .apply(
                    "Reasons",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Rejected r) ->
                                r.sampleId()
                                    + " "
                                    + (r.wholeSource() ? "source " : "sample ")
                                    + r.reason())))
        .containsInAnyOrder(
            "damaged.jsonl#2 sample invalid_utf8",
            "damaged.jsonl#5 sample no_label",
            "damaged.jsonl#6 sample no_text",
            "damaged.jsonl#7 sample unknown_label",
            "damaged.jsonl#8 sample bad_json",
            "gone.jsonl source read_error");
    PAssert.that(read.get(ReadText.COUNTS).apply("Sum", Sum.longsPerKey()))
        .containsInAnyOrder(
            KV.of("sources.read", 2L),
            KV.of("sources.ok", 1L),
            KV.of("sources.rejected.read_error", 1L),
            KV.of("samples.extracted", 9L),
            KV.of("samples.filtered.empty", 1L),
            KV.of("samples.filtered.too_long", 1L),
            KV.of("samples.rejected.invalid_utf8", 1L),
            KV.of("samples.rejected.no_label", 1L),
            KV.of("samples.rejected.no_text", 1L),
            KV.of("samples.rejected.unknown_label", 1L),
            KV.of("samples.rejected.bad_json", 1L));
    p.run().waitUntilFinish();
  }

  @Test
  void declaredIdsMustBeUniqueAndClassFoldersNameTheirSamples() throws Exception {
    Path dup =
        Files.writeString(
            tmp.resolve("dup.jsonl"),
            "{\"id\": \"a\", \"text\": \"first\", \"label\": \"x\"}\n"
                + "{\"id\": \"a\", \"text\": \"second\", \"label\": \"x\"}\n");
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple read =
        p.apply(
            "ReadDup",
            ReadText.of(
                Map.of("dup.jsonl", new ReadText.Source(dup, null)),
                TextSpec.of(TextSpec.Format.JSONL).withIdAndGroup("id", null)));
    PAssert.that(
            read.get(ReadText.OK)
                .apply(
                    "Text",
                    MapElements.into(TypeDescriptors.strings())
                        .via((Sample s) -> s.id() + " " + ((TextPayload) s.payload()).text())))
        .containsInAnyOrder("a first");
    PAssert.that(
            read.get(ReadText.REJECTED)
                .apply(
                    "Dup",
                    MapElements.into(TypeDescriptors.strings())
                        .via((Rejected r) -> r.sampleId() + " " + r.reason())))
        .containsInAnyOrder("a duplicate_id");
    Path folders = TEXT.resolve("tiny/folders");
    PCollectionTuple whole =
        p.apply(
            "ReadFolders",
            ReadText.of(
                Map.of(
                    "pets/cats.txt",
                    new ReadText.Source(folders.resolve("pets/cats.txt"), "pets"),
                    "food/head.txt",
                    new ReadText.Source(folders.resolve("food/head.txt"), "food")),
                TextSpec.of(TextSpec.Format.FOLDERS)));
    PAssert.that(
            whole
                .get(ReadText.OK)
                .apply(
                    "Ids",
                    MapElements.into(TypeDescriptors.strings())
                        .via((Sample s) -> s.id() + " " + s.label())))
        .containsInAnyOrder("pets/cats.txt pets", "food/head.txt food");
    p.run().waitUntilFinish();
  }

  @Test
  void anUnknownLabelFailsTheRunWhenAsked() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    p.apply(
        "Read",
        ReadText.of(
                Map.of("pets", new ReadText.Source(TEXT.resolve("fortunes/pets"), "pets")),
                TextSpec.of(TextSpec.Format.FORTUNE))
            .withDeclaredLabels(List.of("food"), true));
    Throwable e = assertThrows(RuntimeException.class, () -> p.run().waitUntilFinish());
    while (e.getCause() != null && !(e instanceof IllegalStateException)) {
      e = e.getCause();
    }
    assertTrue(e.getMessage().contains("input.unknown_label = fail"), e.getMessage());
    assertEquals(IllegalStateException.class, e.getClass());
  }
}
