package dev.shardsmith.transforms;

import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.RejectedCoder;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.transforms.kernels.tabular.BadTableException;
import dev.shardsmith.transforms.kernels.tabular.TableRows;
import dev.shardsmith.transforms.kernels.tabular.TableSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

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
  private static final TupleTag<KV<String, KV<String, Sample>>> KEYED = new TupleTag<>() {};

  private final Map<String, String> files;
  private final TableSpec spec;
  private final List<String> declaredLabels;
  private final boolean failOnUnknownLabel;

  private ReadTabular(
      Map<String, String> files,
      TableSpec spec,
      List<String> declaredLabels,
      boolean failOnUnknownLabel) {
    this.files = new TreeMap<>(files);
    this.spec = spec;
    this.declaredLabels = List.copyOf(declaredLabels);
    this.failOnUnknownLabel = failOnUnknownLabel;
  }

  /**
   * Reads {@code files}: name (the id prefix, e.g. the path relative to the config) to file.
   *
   * @throws IllegalArgumentException when {@code files} is empty
   */
  public static ReadTabular of(Map<String, Path> files, TableSpec spec) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("of: give at least one file");
    }
    Map<String, String> paths = new TreeMap<>();
    files.forEach((name, path) -> paths.put(name, path.toAbsolutePath().toString()));
    return new ReadTabular(paths, spec, List.of(), false);
  }

  /**
   * Only these labels are allowed; another label rejects its row (reason {@code unknown_label}) or,
   * with {@code fail}, fails the run.
   */
  public ReadTabular withDeclaredLabels(List<String> labels, boolean fail) {
    return new ReadTabular(files, spec, labels, fail);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple read =
        SourceFiles.spread(begin, files)
            .apply(
                "ReadRows",
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
    if (spec.id() == null) {
      // Default ids (file name # row) are unique by construction: no grouping pass needed.
      PCollection<Sample> samples =
          keyed.apply("Samples", ParDo.of(new UnwrapFn())).setCoder(SampleCoder.of());
      return PCollectionTuple.of(OK, samples).and(REJECTED, readRejected).and(COUNTS, readCounts);
    }
    PCollectionTuple unique =
        keyed
            .apply("GroupById", GroupByKey.create())
            .apply(
                "RejectDuplicateIds",
                ParDo.of(new FirstIdFn())
                    .withOutputTags(OK, TupleTagList.of(REJECTED).and(COUNTS)));
    PCollection<Sample> samples = unique.get(OK).setCoder(SampleCoder.of());
    PCollection<Rejected> rejected =
        PCollectionList.of(readRejected)
            .and(unique.get(REJECTED).setCoder(RejectedCoder.of()))
            .apply("AllRejected", Flatten.pCollections());
    PCollection<KV<String, Long>> counts =
        PCollectionList.of(readCounts)
            .and(unique.get(COUNTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
            .apply("AllCounts", Flatten.pCollections());
    return PCollectionTuple.of(OK, samples).and(REJECTED, rejected).and(COUNTS, counts);
  }

  /** Where a row came from, sortable: file name, then zero-padded row number. */
  static String origin(String name, long row) {
    return name + "\t" + String.format("%019d", row);
  }

  /** Reads one file; outputs each sample keyed by id with its origin. */
  static final class ReadFn extends DoFn<KV<String, String>, KV<String, KV<String, Sample>>> {
    private final TableSpec spec;
    private final List<String> declaredLabels;
    private final boolean failOnUnknownLabel;
    private final Counter rejectedFiles = Metrics.counter(ReadTabular.class, "rejected_sources");
    private final Counter rejectedRows = Metrics.counter(ReadTabular.class, "rejected_rows");

    ReadFn(TableSpec spec, List<String> declaredLabels, boolean failOnUnknownLabel) {
      this.spec = spec;
      this.declaredLabels = declaredLabels;
      this.failOnUnknownLabel = failOnUnknownLabel;
    }

    @ProcessElement
    public void process(@Element KV<String, String> file, MultiOutputReceiver out) {
      String name = file.getKey();
      out.get(COUNTS).output(KV.of(CountKey.SOURCES_READ, 1L));
      Map<String, Long> counts = new TreeMap<>();
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
              counts.merge(CountKey.SAMPLES_EXTRACTED, 1L, Long::sum);
              if (!declaredLabels.isEmpty() && !declaredLabels.contains(label)) {
                if (failOnUnknownLabel) {
                  throw new IllegalStateException(
                      "label \""
                          + label
                          + "\" of "
                          + sampleId
                          + " is not in input.labels "
                          + declaredLabels
                          + " (input.unknown_label = fail)");
                }
                reject(
                    row,
                    sampleId,
                    "unknown_label",
                    "label \"" + label + "\" is not in input.labels");
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
              out.get(KEYED).output(KV.of(sampleId, KV.of(origin(name, row), s)));
            }

            @Override
            public void rejected(long row, String reason, String detail) {
              counts.merge(CountKey.SAMPLES_EXTRACTED, 1L, Long::sum);
              reject(row, name + "#" + row, reason, detail);
            }

            private void reject(long row, String sampleId, String reason, String detail) {
              rejectedRows.inc();
              Rejected r = new Rejected(name, sampleId, false, "read", reason, detail);
              counts.merge(CountKey.rejected(r), 1L, Long::sum);
              out.get(REJECTED).output(r);
            }
          };
      try {
        TableRows.read(Path.of(file.getValue()), spec, visitor);
      } catch (BadTableException e) {
        if (counts.containsKey(CountKey.SAMPLES_EXTRACTED)) {
          // Rows were already emitted (a failure while closing): the source stands, and the
          // failure is one row-level rejection, so the counts still add up.
          visitor.rejected(counts.get(CountKey.SAMPLES_EXTRACTED) + 1, e.reason(), e.getMessage());
          out.get(COUNTS).output(KV.of(CountKey.SOURCES_OK, 1L));
          counts.forEach((k, v) -> out.get(COUNTS).output(KV.of(k, v)));
          return;
        }
        rejectedFiles.inc();
        Rejected r = Rejected.source(name, "read", e.reason(), e.getMessage());
        out.get(REJECTED).output(r);
        out.get(COUNTS).output(KV.of(CountKey.rejected(r), 1L));
        return;
      }
      out.get(COUNTS).output(KV.of(CountKey.SOURCES_OK, 1L));
      counts.forEach((k, v) -> out.get(COUNTS).output(KV.of(k, v)));
    }
  }

  static final class UnwrapFn extends DoFn<KV<String, KV<String, Sample>>, Sample> {
    @ProcessElement
    public void process(@Element KV<String, KV<String, Sample>> kv, OutputReceiver<Sample> out) {
      out.output(kv.getValue().getValue());
    }
  }

  /** Keeps the first row of an id (lowest origin); rejects the others as duplicates. */
  static final class FirstIdFn extends DoFn<KV<String, Iterable<KV<String, Sample>>>, Sample> {
    @ProcessElement
    public void process(
        @Element KV<String, Iterable<KV<String, Sample>>> group, MultiOutputReceiver out) {
      List<KV<String, Sample>> rows = new ArrayList<>();
      group.getValue().forEach(rows::add);
      rows.sort((a, b) -> a.getKey().compareTo(b.getKey()));
      out.get(OK).output(rows.get(0).getValue());
      String[] at = rows.get(0).getKey().split("\t", 2);
      String first = at[0] + "#" + Long.parseLong(at[1]);
      for (KV<String, Sample> dup : rows.subList(1, rows.size())) {
        String[] origin = dup.getKey().split("\t", 2);
        Rejected r =
            new Rejected(
                origin[0],
                dup.getValue().id(),
                false,
                "read",
                "duplicate_id",
                "id \""
                    + group.getKey()
                    + "\" on row "
                    + Long.parseLong(origin[1])
                    + " was first seen at "
                    + first);
        out.get(REJECTED).output(r);
        out.get(COUNTS).output(KV.of(CountKey.rejected(r), 1L));
      }
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
