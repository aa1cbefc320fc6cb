package dev.shardsmith.transforms;

import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.TextPayload;
import dev.shardsmith.transforms.kernels.corpus.BadTextException;
import dev.shardsmith.transforms.kernels.corpus.TextRecords;
import dev.shardsmith.transforms.kernels.corpus.TextSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

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
  private static final FileReads.Tags TAGS =
      new FileReads.Tags(OK, REJECTED, COUNTS).metered(ReadText.class, "rejected_records");

  /** One file and the label of its records (class folders, fortune files; null otherwise). */
  public record Source(Path path, String label) {}

  private final FileReads.Input<Source, TextSpec> input;

  private ReadText(FileReads.Input<Source, TextSpec> input) {
    this.input = input;
  }

  /**
   * Reads {@code sources}: name (the id prefix: the path relative to the config, or to the root for
   * class folders) to file.
   *
   * @throws IllegalArgumentException when {@code sources} is empty
   */
  public static ReadText of(Map<String, Source> sources, TextSpec spec) {
    return new ReadText(FileReads.Input.of(sources, spec, "source"));
  }

  /**
   * Only these labels are allowed; another label rejects its sample (reason {@code unknown_label})
   * or, with {@code fail}, fails the run.
   */
  public ReadText withDeclaredLabels(List<String> labels, boolean fail) {
    return new ReadText(input.with(new DeclaredLabels(labels, fail)));
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    // Each file as (absolute path, label or "").
    Map<String, KV<String, String>> files = new TreeMap<>();
    input
        .files()
        .forEach(
            (name, s) ->
                files.put(
                    name,
                    KV.of(
                        s.path().toAbsolutePath().toString(), s.label() == null ? "" : s.label())));
    PCollectionTuple read =
        FileReads.read(
            begin,
            files,
            KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()),
            "ReadRecords",
            new ReadFn(input.spec(), input.labels()),
            FileReads.KEYED,
            TAGS);
    // Only ids from the id field can repeat; default ids (file name # record, or the file's path)
    // are unique.
    return FileReads.samples(read, input.spec().idField() != null, TAGS);
  }

  /** Reads one file; outputs each sample keyed by id with its origin. */
  static final class ReadFn
      extends DoFn<KV<String, KV<String, String>>, KV<String, KV<String, Sample>>> {
    private final TextSpec spec;
    private final DeclaredLabels allowed;

    ReadFn(TextSpec spec, DeclaredLabels allowed) {
      this.spec = spec;
      this.allowed = allowed;
    }

    @ProcessElement
    public void process(@Element KV<String, KV<String, String>> file, MultiOutputReceiver out) {
      String name = file.getKey();
      String label = file.getValue().getValue();
      boolean whole = spec.format() == TextSpec.Format.FOLDERS;
      FileReads.Tally tally = FileReads.Tally.file(name, out, TAGS);
      TextRecords.Visitor visitor =
          new TextRecords.Visitor() {
            private String sampleId(long n, String id) {
              return id != null ? id : whole ? name : name + "#" + n;
            }

            @Override
            public void record(long n, String id, List<String> labels, String group, String text) {
              String sampleId = sampleId(n, id);
              tally.extracted();
              for (String l : labels) {
                if (!allowed.allows(l, sampleId)) {
                  tally.reject(name, sampleId, "unknown_label", DeclaredLabels.unknown(l));
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
              out.get(FileReads.KEYED).output(KV.of(sampleId, KV.of(FileReads.origin(name, n), s)));
            }

            @Override
            public void filtered(long n, String id, String reason) {
              tally.filtered(reason);
            }

            @Override
            public void rejected(long n, String id, String reason, String detail) {
              tally.rejectRow(sampleId(n, id), reason, detail);
            }
          };
      try {
        TextRecords.read(
            Path.of(file.getValue().getKey()), label.isEmpty() ? null : label, spec, visitor);
      } catch (BadTextException e) {
        // A read failure after records were emitted (mid-file) is one more record-level rejection.
        tally.failed(
            e.reason(), e.getMessage(), n -> visitor.rejected(n, null, e.reason(), e.getMessage()));
        return;
      }
      tally.ok();
    }
  }
}
