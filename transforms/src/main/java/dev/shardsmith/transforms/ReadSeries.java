package dev.shardsmith.transforms;

import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.RejectedCoder;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
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
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
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

  /** One row: its origin (file name, row), timestamp, values and label. */
  record Step(String file, long row, long time, float[] values, String label)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final Map<String, String> files;
  private final SeriesSpec spec;
  private final List<String> declaredLabels;

  private ReadSeries(Map<String, String> files, SeriesSpec spec, List<String> declaredLabels) {
    this.files = new TreeMap<>(files);
    this.spec = spec;
    this.declaredLabels = List.copyOf(declaredLabels);
  }

  /**
   * Reads {@code files}: name (e.g. the path relative to the config) to file.
   *
   * @throws IllegalArgumentException when {@code files} is empty
   */
  public static ReadSeries of(Map<String, Path> files, SeriesSpec spec) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("of: give at least one file");
    }
    Map<String, String> paths = new TreeMap<>();
    files.forEach((name, path) -> paths.put(name, path.toAbsolutePath().toString()));
    return new ReadSeries(paths, spec, List.of());
  }

  /**
   * Only these labels are allowed; a window with another label is rejected ({@code unknown_label}).
   */
  public ReadSeries withDeclaredLabels(List<String> labels) {
    return new ReadSeries(files, spec, labels);
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
    KvCoder<String, Long> countCoder = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    PCollectionTuple read =
        SourceFiles.spread(begin, files)
            .apply(
                "ReadRows",
                ParDo.of(new ReadFn(spec))
                    .withOutputTags(STEPS, TupleTagList.of(REJECTED).and(COUNTS)));
    PCollectionTuple windows =
        read.get(STEPS)
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(Step.class)))
            .apply("GroupBySeries", GroupByKey.create())
            .apply(
                "Windows",
                ParDo.of(new WindowFn(spec, declaredLabels))
                    .withOutputTags(OK, TupleTagList.of(REJECTED).and(COUNTS)));
    PCollection<Rejected> rejected =
        PCollectionList.of(read.get(REJECTED).setCoder(RejectedCoder.of()))
            .and(windows.get(REJECTED).setCoder(RejectedCoder.of()))
            .apply("AllRejected", Flatten.pCollections());
    PCollection<KV<String, Long>> counts =
        PCollectionList.of(read.get(COUNTS).setCoder(countCoder))
            .and(windows.get(COUNTS).setCoder(countCoder))
            .apply("AllCounts", Flatten.pCollections());
    return PCollectionTuple.of(OK, windows.get(OK).setCoder(SampleCoder.of()))
        .and(REJECTED, rejected)
        .and(COUNTS, counts);
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
      out.get(COUNTS).output(KV.of(CountKey.SOURCES_READ, 1L));
      Map<String, Long> counts = new TreeMap<>();
      boolean[] any = {false};
      TableRows.Visitor visitor =
          new TableRows.Visitor() {
            @Override
            public void row(
                long row, String id, String label, String group, float[] numeric, String[] cat) {
              any[0] = true;
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
              any[0] = true;
              counts.merge(CountKey.SAMPLES_EXTRACTED, 1L, Long::sum);
              Rejected r = new Rejected(name, name + "#" + row, false, "read", reason, detail);
              counts.merge(CountKey.rejected(r), 1L, Long::sum);
              out.get(REJECTED).output(r);
            }
          };
      try {
        TableRows.read(Path.of(file.getValue()), tableSpec(spec), visitor);
      } catch (BadTableException e) {
        if (any[0]) {
          visitor.rejected(-1, e.reason(), e.getMessage());
          out.get(COUNTS).output(KV.of(CountKey.SOURCES_OK, 1L));
          counts.forEach((k, v) -> out.get(COUNTS).output(KV.of(k, v)));
          return;
        }
        Rejected r = Rejected.source(name, "read", e.reason(), e.getMessage());
        out.get(REJECTED).output(r);
        out.get(COUNTS).output(KV.of(CountKey.rejected(r), 1L));
        return;
      }
      out.get(COUNTS).output(KV.of(CountKey.SOURCES_OK, 1L));
      counts.forEach((k, v) -> out.get(COUNTS).output(KV.of(k, v)));
    }
  }

  /** Orders one series' steps, rejects duplicates and cuts the windows. */
  static final class WindowFn extends DoFn<KV<String, Iterable<Step>>, Sample> {
    private final SeriesSpec spec;
    private final List<String> declaredLabels;

    WindowFn(SeriesSpec spec, List<String> declaredLabels) {
      this.spec = spec;
      this.declaredLabels = declaredLabels;
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
      Map<String, Long> counts = new TreeMap<>();
      List<Step> kept = new ArrayList<>();
      for (Step s : rows) {
        Step prev = kept.isEmpty() ? null : kept.get(kept.size() - 1);
        if (prev != null && prev.time() == s.time()) {
          boolean wide = spec.form() == SeriesSpec.Form.WIDE;
          reject(
              out,
              counts,
              s.file(),
              s.file() + "#" + s.row(),
              wide ? "duplicate_id" : "duplicate_timestamp",
              (wide ? "series \"" + id + "\"" : "series \"" + id + "\" at time " + s.time())
                  + " was first seen at "
                  + prev.file()
                  + "#"
                  + prev.row());
          counts.merge(CountKey.SAMPLES_EXTRACTED, 1L, Long::sum);
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
              counts.merge(CountKey.SAMPLES_EXTRACTED, 1L, Long::sum);
              String sampleId = id + "@" + start;
              if (!declaredLabels.isEmpty() && !declaredLabels.contains(label)) {
                reject(
                    out,
                    counts,
                    source,
                    sampleId,
                    "unknown_label",
                    "label \"" + label + "\" is not in input.labels " + declaredLabels);
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
              counts.merge(CountKey.SAMPLES_EXTRACTED, 1L, Long::sum);
              counts.merge(CountKey.samplesFiltered(reason), 1L, Long::sum);
            }
          });
      counts.forEach((k, v) -> out.get(COUNTS).output(KV.of(k, v)));
    }

    private static void reject(
        MultiOutputReceiver out,
        Map<String, Long> counts,
        String source,
        String sampleId,
        String reason,
        String detail) {
      Rejected r = new Rejected(source, sampleId, false, "read", reason, detail);
      counts.merge(CountKey.rejected(r), 1L, Long::sum);
      out.get(REJECTED).output(r);
    }
  }
}
