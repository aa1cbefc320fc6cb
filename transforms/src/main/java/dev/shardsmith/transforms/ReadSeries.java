package dev.shardsmith.transforms;

import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SeriesPayload;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.tabular.BadTableException;
import dev.shardsmith.transforms.kernels.tabular.TableRows;
import dev.shardsmith.transforms.kernels.tabular.TableSpec;
import dev.shardsmith.transforms.kernels.window.SeriesSpec;
import dev.shardsmith.transforms.kernels.window.SeriesWindows;
import dev.shardsmith.transforms.kernels.window.Timestamps;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads series files (CSV or Parquet, parsed by {@link TableRows}) and cuts them into windows
 * ({@link SeriesWindows}): one sample per window, carrying a {@link SeriesPayload} (T x C float32
 * and the H x C horizon), its group the series id (with a time split, {@code <series id>/<split>}:
 * the series' segment), its id {@code <series id>@<start step>}. Same outputs as {@link
 * ReadTabular}: samples ({@link #OK}), rejections ({@link #REJECTED}) and counters ({@link
 * #COUNTS}).
 *
 * <p>Long form: each row is one step of the series its series column names; the steps of a series
 * (from any file) are ordered by timestamp ({@link Timestamps}). Wide form: each row is a whole
 * one-channel series, its time steps the channel columns in the order listed. Row-level rejections,
 * each counted as one extracted and rejected sample: the reasons of {@link TableRows} ({@code
 * bad_row}, {@code bad_value}, {@code no_label}, {@code no_id}), {@code bad_timestamp} (a missing
 * or unparseable timestamp), {@code duplicate_timestamp} (a second step of a series at the same
 * time: the later file and row is rejected), {@code duplicate_id} (wide form: a second row of a
 * series) and, per window, {@code unknown_label}. A series shorter than one window gives none.
 * Windows are extracted samples; those left out are counted {@code samples.filtered.missing} or
 * {@code samples.filtered.time_gap}. A series is windowed by one worker (memory: the series).
 *
 * <pre>{@code
 * PCollectionTuple read = p.apply("ReadSeries", ReadSeries.of(Map.of("stocks.csv", path), spec));
 * }</pre>
 */
public final class ReadSeries extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<Sample> OK = new TupleTag<>() {};
  public static final TupleTag<Rejected> REJECTED = new TupleTag<>() {};
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<>() {};
  private static final TupleTag<KV<String, Step>> STEPS = new TupleTag<>() {};
  private static final FileReads.Tags TAGS = new FileReads.Tags(OK, REJECTED, COUNTS);

  /** One row: its origin (file name, row), timestamp, values and label. */
  record Step(String file, long row, long time, float[] values, String label)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final FileReads.Input<String, SeriesSpec> input;

  private ReadSeries(FileReads.Input<String, SeriesSpec> input) {
    this.input = input;
  }

  /**
   * Reads {@code files}: name (e.g. the path relative to the config) to file.
   *
   * @throws IllegalArgumentException when {@code files} is empty
   */
  public static ReadSeries of(Map<String, Path> files, SeriesSpec spec) {
    return new ReadSeries(FileReads.Input.of(FileReads.paths(files), spec, "file"));
  }

  /**
   * Only these labels are allowed; a window with another label is rejected ({@code unknown_label}).
   */
  public ReadSeries withDeclaredLabels(List<String> labels) {
    return new ReadSeries(input.with(new DeclaredLabels(labels, false)));
  }

  /** The columns {@link TableRows} reads for {@code spec}. */
  public static TableSpec tableSpec(SeriesSpec spec) {
    return spec.form() == SeriesSpec.Form.LONG
        ? new TableSpec(
            spec.labelColumn(),
            null,
            spec.seriesColumn(),
            spec.channels(),
            List.of(spec.timeColumn()),
            false)
        : new TableSpec(
            spec.labelColumn(), spec.seriesColumn(), null, spec.channels(), List.of(), false);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple read =
        FileReads.read(
            begin,
            input.files(),
            StringUtf8Coder.of(),
            "ReadRows",
            new ReadFn(input.spec()),
            STEPS,
            TAGS);
    PCollectionTuple windows =
        read.get(STEPS)
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(Step.class)))
            .apply("GroupBySeries", GroupByKey.create())
            .apply(
                "Windows",
                ParDo.of(new WindowFn(input.spec(), input.labels()))
                    .withOutputTags(OK, TupleTagList.of(REJECTED).and(COUNTS)));
    return FileReads.merge(read, windows, TAGS);
  }

  /** Reads one file into steps keyed by series id. */
  static final class ReadFn extends DoFn<KV<String, String>, KV<String, Step>> {
    private final SeriesSpec spec;

    ReadFn(SeriesSpec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<String, String> file, MultiOutputReceiver out) {
      String name = file.getKey();
      FileReads.Tally tally = FileReads.Tally.file(name, out, TAGS);
      TableRows.Visitor visitor =
          new TableRows.Visitor() {
            @Override
            public void row(
                long row, String id, String label, String group, float[] numeric, String[] cat) {
              tally.seen();
              if (spec.form() == SeriesSpec.Form.WIDE) {
                out.get(STEPS).output(KV.of(id, new Step(name, row, 0, numeric, label)));
                return;
              }
              if (group == null) {
                rejected(row, "no_id", "series column \"" + spec.seriesColumn() + "\" is empty");
                return;
              }
              long time;
              try {
                time = Timestamps.parse(cat[0]);
              } catch (IllegalArgumentException e) {
                rejected(
                    row,
                    "bad_timestamp",
                    "column \"" + spec.timeColumn() + "\": " + e.getMessage());
                return;
              }
              out.get(STEPS).output(KV.of(group, new Step(name, row, time, numeric, label)));
            }

            @Override
            public void rejected(long row, String reason, String detail) {
              tally.rejectRow(name + "#" + row, reason, detail);
            }
          };
      try {
        TableRows.read(Path.of(file.getValue()), tableSpec(spec), visitor);
      } catch (BadTableException e) {
        // A failure after rows were read is one more row-level rejection, of row -1.
        tally.failed(
            e.reason(), e.getMessage(), n -> visitor.rejected(-1, e.reason(), e.getMessage()));
        return;
      }
      tally.ok();
    }
  }

  /** Orders one series' steps, rejects duplicates and cuts the windows. */
  static final class WindowFn extends DoFn<KV<String, Iterable<Step>>, Sample> {
    private final SeriesSpec spec;
    private final DeclaredLabels allowed;

    WindowFn(SeriesSpec spec, DeclaredLabels allowed) {
      this.spec = spec;
      this.allowed = allowed;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Step>> series, MultiOutputReceiver out) {
      String id = series.getKey();
      List<Step> rows = new ArrayList<>();
      series.getValue().forEach(rows::add);
      rows.sort(
          Comparator.comparingLong(Step::time)
              .thenComparing(Step::file)
              .thenComparingLong(Step::row));
      FileReads.Tally tally = new FileReads.Tally(out, TAGS);
      List<Step> kept = new ArrayList<>();
      for (Step s : rows) {
        Step prev = kept.isEmpty() ? null : kept.get(kept.size() - 1);
        if (prev != null && prev.time() == s.time()) {
          boolean wide = spec.form() == SeriesSpec.Form.WIDE;
          tally.reject(
              s.file(),
              s.file() + "#" + s.row(),
              wide ? "duplicate_id" : "duplicate_timestamp",
              (wide ? "series \"" + id + "\"" : "series \"" + id + "\" at time " + s.time())
                  + " was first seen at "
                  + prev.file()
                  + "#"
                  + prev.row());
          tally.extracted();
          continue;
        }
        kept.add(s);
      }
      float[][] steps;
      String[] labels;
      String source = kept.get(0).file();
      if (spec.form() == SeriesSpec.Form.WIDE) {
        float[] v = kept.get(0).values();
        steps = new float[v.length][];
        labels = new String[v.length];
        for (int i = 0; i < v.length; i++) {
          steps[i] = new float[] {v[i]};
          labels[i] = kept.get(0).label();
        }
      } else {
        steps = new float[kept.size()][];
        labels = new String[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
          steps[i] = kept.get(i).values();
          labels[i] = kept.get(i).label();
        }
      }
      int c = spec.channelCount();
      SeriesWindows.cut(
          steps,
          labels,
          spec,
          new SeriesWindows.Visitor() {
            @Override
            public void window(
                int start, float[] values, float[] horizon, String label, Split split) {
              tally.extracted();
              String sampleId = id + "@" + start;
              if (!allowed.allows(label, sampleId)) {
                tally.reject(
                    source,
                    sampleId,
                    "unknown_label",
                    DeclaredLabels.unknown(label) + " " + allowed.declared());
                return;
              }
              float[] all = new float[values.length + horizon.length];
              System.arraycopy(values, 0, all, 0, values.length);
              System.arraycopy(horizon, 0, all, values.length, horizon.length);
              Sample.Builder b =
                  Sample.builder()
                      .id(sampleId)
                      .group(id)
                      .labels(List.of(label))
                      .payloadHash(ReadTabular.payloadHash(all, new String[0]))
                      .payload(new SeriesPayload(id, start, spec.length(), c, values, horizon));
              if (split != null) {
                // a time split cuts the series: each segment is its own group
                b.split(split).group(id + "/" + split.folder());
              }
              out.get(OK).output(b.build());
            }

            @Override
            public void filtered(int start, String reason, String detail) {
              tally.filtered(reason);
            }
          });
      tally.flush();
    }
  }
}
