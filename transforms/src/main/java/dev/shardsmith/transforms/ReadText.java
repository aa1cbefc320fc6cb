package dev.shardsmith.transforms;

import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.RejectedCoder;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.TextPayload;
import dev.shardsmith.transforms.kernels.corpus.BadTextException;
import dev.shardsmith.transforms.kernels.corpus.TextRecords;
import dev.shardsmith.transforms.kernels.corpus.TextSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads text sources ({@link TextRecords}: JSONL, CSV, one {@code .txt} per sample in class
 * folders, fortune files) into samples carrying a {@link TextPayload}: one source per file, one
 * sample per record. Same outputs as {@link ReadTabular}: samples ({@link #OK}), rejections ({@link
 * #REJECTED}) and counters ({@link #COUNTS}: sources read, ok and rejected by reason; samples
 * extracted, filtered ({@code empty}, {@code too_long}) and rejected by reason).
 *
 * <p>A sample's id is the id field's value; else, for class folders, the file's path relative to
 * the root ({@code pets/cat.txt}); else {@code <file name>#<record number>} (JSONL: the line; CSV:
 * the record after the header; fortune: the record). Its payload hash is the sha256 of the cleaned
 * text's UTF-8 bytes, so identical texts share a group in the split. A label outside the declared
 * labels rejects its sample ({@code unknown_label}) or fails the run; with an id field, every
 * record after the first with the same id is rejected ({@code duplicate_id}, as in {@link
 * ReadTabular}). Each file is read by one worker, streaming (memory: one record). Deterministic:
 * the samples depend only on the files and the spec.
 *
 * <pre>{@code
 * PCollectionTuple read =
 *     p.apply("ReadText", ReadText.of(Map.of("fortunes/pets", new ReadText.Source(path, "pets")),
 *         TextSpec.of(TextSpec.Format.FORTUNE)));
 * }</pre>
 */
public final class ReadText extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<Sample> OK = new TupleTag<>() {};
  public static final TupleTag<Rejected> REJECTED = new TupleTag<>() {};
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<>() {};
  private static final TupleTag<KV<String, KV<String, Sample>>> KEYED = new TupleTag<>() {};

  /** One file and the label of its records (class folders, fortune files; null otherwise). */
  public record Source(Path path, String label) {}

  private final Map<String, Source> sources;
  private final TextSpec spec;
  private final List<String> declaredLabels;
  private final boolean failOnUnknownLabel;

  private ReadText(
      Map<String, Source> sources,
      TextSpec spec,
      List<String> declaredLabels,
      boolean failOnUnknownLabel) {
    this.sources = new TreeMap<>(sources);
    this.spec = spec;
    this.declaredLabels = List.copyOf(declaredLabels);
    this.failOnUnknownLabel = failOnUnknownLabel;
  }

  /**
   * Reads {@code sources}: name (the id prefix: the path relative to the config, or to the root for
   * class folders) to file.
   *
   * @throws IllegalArgumentException when {@code sources} is empty
   */
  public static ReadText of(Map<String, Source> sources, TextSpec spec) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("of: give at least one source");
    }
    return new ReadText(sources, spec, List.of(), false);
  }

  /**
   * Only these labels are allowed; another label rejects its sample (reason {@code unknown_label})
   * or, with {@code fail}, fails the run.
   */
  public ReadText withDeclaredLabels(List<String> labels, boolean fail) {
    return new ReadText(sources, spec, labels, fail);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    List<KV<String, KV<String, String>>> refs = new ArrayList<>();
    sources.forEach(
        (name, s) ->
            refs.add(
                KV.of(
                    name,
                    KV.of(
                        s.path().toAbsolutePath().toString(),
                        s.label() == null ? "" : s.label()))));
    PCollectionTuple read =
        begin
            .apply(
                "Files",
                Create.of(refs)
                    .withCoder(
                        KvCoder.of(
                            StringUtf8Coder.of(),
                            KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))))
            .apply("SpreadFiles", Reshuffle.viaRandomKey())
            .apply(
                "ReadRecords",
                ParDo.of(new ReadFn(spec, declaredLabels, failOnUnknownLabel))
                    .withOutputTags(KEYED, TupleTagList.of(REJECTED).and(COUNTS)));
    PCollection<KV<String, KV<String, Sample>>> keyed =
        read.get(KEYED)
            .setCoder(
                KvCoder.of(
                    StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), SampleCoder.of())));
    PCollection<KV<String, Long>> readCounts =
        read.get(COUNTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    PCollection<Rejected> readRejected = read.get(REJECTED).setCoder(RejectedCoder.of());
    if (spec.idField() == null) {
      // Default ids (file name # record, or the file's path) are unique by construction.
      PCollection<Sample> samples =
          keyed.apply("Samples", ParDo.of(new ReadTabular.UnwrapFn())).setCoder(SampleCoder.of());
      return PCollectionTuple.of(OK, samples).and(REJECTED, readRejected).and(COUNTS, readCounts);
    }
    PCollectionTuple unique =
        keyed
            .apply("GroupById", GroupByKey.create())
            .apply(
                "RejectDuplicateIds",
                ParDo.of(new ReadTabular.FirstIdFn())
                    .withOutputTags(
                        ReadTabular.OK,
                        TupleTagList.of(ReadTabular.REJECTED).and(ReadTabular.COUNTS)));
    PCollection<Sample> samples = unique.get(ReadTabular.OK).setCoder(SampleCoder.of());
    PCollection<Rejected> rejected =
        PCollectionList.of(readRejected)
            .and(unique.get(ReadTabular.REJECTED).setCoder(RejectedCoder.of()))
            .apply("AllRejected", Flatten.pCollections());
    PCollection<KV<String, Long>> counts =
        PCollectionList.of(readCounts)
            .and(
                unique
                    .get(ReadTabular.COUNTS)
                    .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
            .apply("AllCounts", Flatten.pCollections());
    return PCollectionTuple.of(OK, samples).and(REJECTED, rejected).and(COUNTS, counts);
  }

  /** Reads one file; outputs each sample keyed by id with its origin. */
  static final class ReadFn
      extends DoFn<KV<String, KV<String, String>>, KV<String, KV<String, Sample>>> {
    private final TextSpec spec;
    private final List<String> declaredLabels;
    private final boolean failOnUnknownLabel;
    private final Counter rejectedFiles = Metrics.counter(ReadText.class, "rejected_sources");
    private final Counter rejectedRecords = Metrics.counter(ReadText.class, "rejected_records");

    ReadFn(TextSpec spec, List<String> declaredLabels, boolean failOnUnknownLabel) {
      this.spec = spec;
      this.declaredLabels = declaredLabels;
      this.failOnUnknownLabel = failOnUnknownLabel;
    }

    @ProcessElement
    public void process(@Element KV<String, KV<String, String>> file, MultiOutputReceiver out) {
      String name = file.getKey();
      String label = file.getValue().getValue();
      boolean whole = spec.format() == TextSpec.Format.FOLDERS;
      out.get(COUNTS).output(KV.of(CountKey.SOURCES_READ, 1L));
      Map<String, Long> counts = new TreeMap<>();
      TextRecords.Visitor visitor =
          new TextRecords.Visitor() {
            private String sampleId(long n, String id) {
              return id != null ? id : whole ? name : name + "#" + n;
            }

            @Override
            public void record(long n, String id, List<String> labels, String group, String text) {
              String sampleId = sampleId(n, id);
              counts.merge(CountKey.SAMPLES_EXTRACTED, 1L, Long::sum);
              for (String l : labels) {
                if (!declaredLabels.isEmpty() && !declaredLabels.contains(l)) {
                  if (failOnUnknownLabel) {
                    throw new IllegalStateException(
                        "label \""
                            + l
                            + "\" of "
                            + sampleId
                            + " is not in input.labels "
                            + declaredLabels
                            + " (input.unknown_label = fail)");
                  }
                  reject(sampleId, "unknown_label", "label \"" + l + "\" is not in input.labels");
                  return;
                }
              }
              Sample s =
                  Sample.builder()
                      .id(sampleId)
                      .group(group)
                      .labels(labels)
                      .payloadHash(ReadImages.sha256(text.getBytes(StandardCharsets.UTF_8)))
                      .payload(new TextPayload(text))
                      .build();
              out.get(KEYED).output(KV.of(sampleId, KV.of(ReadTabular.origin(name, n), s)));
            }

            @Override
            public void filtered(long n, String id, String reason) {
              counts.merge(CountKey.SAMPLES_EXTRACTED, 1L, Long::sum);
              counts.merge(CountKey.samplesFiltered(reason), 1L, Long::sum);
            }

            @Override
            public void rejected(long n, String id, String reason, String detail) {
              counts.merge(CountKey.SAMPLES_EXTRACTED, 1L, Long::sum);
              reject(sampleId(n, id), reason, detail);
            }

            private void reject(String sampleId, String reason, String detail) {
              rejectedRecords.inc();
              Rejected r = new Rejected(name, sampleId, false, "read", reason, detail);
              counts.merge(CountKey.rejected(r), 1L, Long::sum);
              out.get(REJECTED).output(r);
            }
          };
      try {
        TextRecords.read(
            Path.of(file.getValue().getKey()), label.isEmpty() ? null : label, spec, visitor);
      } catch (BadTextException e) {
        if (counts.containsKey(CountKey.SAMPLES_EXTRACTED)) {
          // Records were already emitted (a read failure mid-file): the source stands, and the
          // failure is one record-level rejection, so the counts still add up.
          visitor.rejected(
              counts.get(CountKey.SAMPLES_EXTRACTED) + 1, null, e.reason(), e.getMessage());
        } else {
          rejectedFiles.inc();
          Rejected r = Rejected.source(name, "read", e.reason(), e.getMessage());
          out.get(REJECTED).output(r);
          out.get(COUNTS).output(KV.of(CountKey.rejected(r), 1L));
          return;
        }
      }
      out.get(COUNTS).output(KV.of(CountKey.SOURCES_OK, 1L));
      counts.forEach((k, v) -> out.get(COUNTS).output(KV.of(k, v)));
    }
  }
}
