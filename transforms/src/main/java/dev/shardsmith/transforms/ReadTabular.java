package dev.shardsmith.transforms;

import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.kernels.tabular.BadTableException;
import dev.shardsmith.transforms.kernels.tabular.TableRows;
import dev.shardsmith.transforms.kernels.tabular.TableSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Reads tabular files (CSV or Parquet, {@link TableRows}) into feature-vector samples: one source
 * per file, one sample per row, carrying a {@link FeaturePayload} in the order of the {@link
 * TableSpec} (numeric float32 with NaN where missing, categorical strings with null where missing).
 * Same outputs as {@link ReadImages}: samples ({@link #OK}), rejections ({@link #REJECTED}) and
 * counters ({@link #COUNTS}, keys of {@link CountKey}).
 *
 * <p>A sample's id is the id column's value or {@code <file name>#<row>}, where the file name is
 * the one given with the file (its path relative to the config's folder) and rows count from 1
 * after the header. Its payload hash is the sha256 of a canonical encoding of its feature values
 * (not its label, id or group), so exact duplicate rows share a group in the split. A whole file
 * that cannot be used is a rejected source; a bad row is a rejected sample (reasons in {@link
 * TableRows}), as is a label outside the declared labels ({@code unknown_label}) and, with an id
 * column, every row after the first with the same id ({@code duplicate_id}; the first is the lowest
 * file name, then row). Each file is read by one worker, streaming (memory: one row); duplicate-id
 * detection groups the samples by id.
 *
 * <pre>{@code
 * PCollectionTuple read =
 *     p.apply("ReadTabular", ReadTabular.of(Map.of("letters.csv", path), spec));
 * }</pre>
 */
public final class ReadTabular extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<Sample> OK = new TupleTag<>() {};
  public static final TupleTag<Rejected> REJECTED = new TupleTag<>() {};
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<>() {};
  private static final FileReads.Tags TAGS =
      new FileReads.Tags(OK, REJECTED, COUNTS).metered(ReadTabular.class, "rejected_rows");

  private final FileReads.Input<String, TableSpec> input;

  private ReadTabular(FileReads.Input<String, TableSpec> input) {
    this.input = input;
  }

  /**
   * Reads {@code files}: name (the id prefix, e.g. the path relative to the config) to file.
   *
   * @throws IllegalArgumentException when {@code files} is empty
   */
  public static ReadTabular of(Map<String, Path> files, TableSpec spec) {
    return new ReadTabular(FileReads.Input.of(FileReads.paths(files), spec, "file"));
  }

  /**
   * Only these labels are allowed; another label rejects its row (reason {@code unknown_label}) or,
   * with {@code fail}, fails the run.
   */
  public ReadTabular withDeclaredLabels(List<String> labels, boolean fail) {
    return new ReadTabular(input.with(new DeclaredLabels(labels, fail)));
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple read =
        FileReads.read(
            begin,
            input.files(),
            StringUtf8Coder.of(),
            "ReadRows",
            new ReadFn(input.spec(), input.labels()),
            FileReads.KEYED,
            TAGS);
    // Only ids from the id column can repeat; default ids (file name # row) are unique.
    return FileReads.samples(read, input.spec().id() != null, TAGS);
  }

  /** Reads one file; outputs each sample keyed by id with its origin. */
  static final class ReadFn extends DoFn<KV<String, String>, KV<String, KV<String, Sample>>> {
    private final TableSpec spec;
    private final DeclaredLabels labels;

    ReadFn(TableSpec spec, DeclaredLabels labels) {
      this.spec = spec;
      this.labels = labels;
    }

    @ProcessElement
    public void process(@Element KV<String, String> file, MultiOutputReceiver out) {
      String name = file.getKey();
      FileReads.Tally tally = FileReads.Tally.file(name, out, TAGS);
      TableRows.Visitor visitor =
          new TableRows.Visitor() {
            @Override
            public void row(
                long row,
                String id,
                String label,
                String group,
                float[] numeric,
                String[] categorical) {
              String sampleId = id != null ? id : name + "#" + row;
              tally.extracted();
              if (!labels.allows(label, sampleId)) {
                tally.reject(name, sampleId, "unknown_label", DeclaredLabels.unknown(label));
                return;
              }
              Sample s =
                  Sample.builder()
                      .id(sampleId)
                      .group(group)
                      .labels(List.of(label))
                      .payloadHash(payloadHash(numeric, categorical))
                      .payload(new FeaturePayload(numeric, categorical))
                      .build();
              out.get(FileReads.KEYED)
                  .output(KV.of(sampleId, KV.of(FileReads.origin(name, row), s)));
            }

            @Override
            public void rejected(long row, String reason, String detail) {
              tally.rejectRow(name + "#" + row, reason, detail);
            }
          };
      try {
        TableRows.read(Path.of(file.getValue()), spec, visitor);
      } catch (BadTableException e) {
        // A failure after rows were emitted (while closing) is one more row-level rejection.
        tally.failed(
            e.reason(), e.getMessage(), row -> visitor.rejected(row, e.reason(), e.getMessage()));
        return;
      }
      tally.ok();
    }
  }

  /**
   * Hex sha256 of the row's feature values: for each numeric value its float32 bits (one NaN),
   * big-endian; then for each categorical value a 0 byte when missing, else a 1 byte, its UTF-8
   * length (int32) and bytes.
   */
  static String payloadHash(float[] numeric, String[] categorical) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 * numeric.length + 16);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(numeric.length);
      for (float x : numeric) {
        out.writeInt(Float.floatToIntBits(x));
      }
      out.writeInt(categorical.length);
      for (String c : categorical) {
        if (c == null) {
          out.writeByte(0);
        } else {
          byte[] b = c.getBytes(StandardCharsets.UTF_8);
          out.writeByte(1);
          out.writeInt(b.length);
          out.write(b);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ReadImages.sha256(bytes.toByteArray());
  }
}
