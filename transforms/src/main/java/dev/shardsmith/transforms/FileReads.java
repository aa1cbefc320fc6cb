package dev.shardsmith.transforms;

import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.RejectedCoder;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * What the row readers ({@link ReadTabular}, {@link ReadText}, {@link ReadSeries}) share: what they
 * read ({@link Input}: files, spec, declared labels), the counting of one file's read ({@link
 * Tally}), the read step itself ({@link #read}) and its tail: keyed samples to samples, the first
 * of each id kept ({@link #samples}), and the rejections and counts of two steps flattened ({@link
 * #merge}).
 */
final class FileReads {
  private FileReads() {}

  /** A sample keyed by its id, with its origin ({@link #origin}) as the value's key. */
  static final TupleTag<KV<String, KV<String, Sample>>> KEYED = new TupleTag<>() {};

  private static final KvCoder<String, Long> COUNT_CODER =
      KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());

  /**
   * A reader's three outputs: samples, rejections and counters; and the Beam metrics it increments
   * for each rejected source and row, or null for none.
   */
  record Tags(
      TupleTag<Sample> ok,
      TupleTag<Rejected> rejected,
      TupleTag<KV<String, Long>> counts,
      Counter rejectedSources,
      Counter rejectedRows)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Outputs without Beam metrics. */
    Tags(TupleTag<Sample> ok, TupleTag<Rejected> rejected, TupleTag<KV<String, Long>> counts) {
      this(ok, rejected, counts, null, null);
    }

    /** These outputs, with {@code reader}'s metrics {@code rejected_sources} and {@code rows}. */
    Tags metered(Class<?> reader, String rows) {
      return new Tags(
          ok,
          rejected,
          counts,
          Metrics.counter(reader, "rejected_sources"),
          Metrics.counter(reader, rows));
    }
  }

  /**
   * What a reader reads: its files (name, the id prefix, to what its read step needs of the file),
   * in name order, its spec and the labels it allows.
   */
  record Input<F, S>(Map<String, F> files, S spec, DeclaredLabels labels) {
    Input {
      files = Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /**
     * {@code files} read with {@code spec}, all labels allowed.
     *
     * @throws IllegalArgumentException when {@code files} is empty, naming {@code what} they are
     */
    static <F, S> Input<F, S> of(Map<String, F> files, S spec, String what) {
      if (files.isEmpty()) {
        throw new IllegalArgumentException("of: give at least one " + what);
      }
      return new Input<>(files, spec, DeclaredLabels.ANY);
    }

    /** The same, allowing only {@code labels}. */
    Input<F, S> with(DeclaredLabels labels) {
      return new Input<>(files, spec, labels);
    }
  }

  /** {@code files} (name to path) with absolute paths. */
  static Map<String, String> paths(Map<String, Path> files) {
    Map<String, String> paths = new TreeMap<>();
    files.forEach((name, path) -> paths.put(name, path.toAbsolutePath().toString()));
    return paths;
  }

  /**
   * Reads {@code files} (name to what {@code fn} reads, in {@code coder}), each by one worker, with
   * the step {@code step}: {@code fn}'s outputs under {@code main} and the reader's rejections and
   * counters, their coders set.
   */
  static <V, T> PCollectionTuple read(
      PBegin begin,
      Map<String, V> files,
      Coder<V> coder,
      String step,
      DoFn<KV<String, V>, T> fn,
      TupleTag<T> main,
      Tags tags) {
    PCollectionTuple read =
        SourceFiles.spread(begin, files, coder)
            .apply(
                step,
                ParDo.of(fn)
                    .withOutputTags(main, TupleTagList.of(tags.rejected()).and(tags.counts())));
    read.get(tags.rejected()).setCoder(RejectedCoder.of());
    read.get(tags.counts()).setCoder(COUNT_CODER);
    return read;
  }

  /**
   * The reader's outputs from {@code read}'s {@link #KEYED} samples. With {@code groupById} they
   * are grouped by id: the first of an id (lowest origin) is kept and the others are rejected
   * ({@code duplicate_id}, {@link FirstIdFn}); without, the ids are unique by construction and the
   * samples are taken as they are.
   */
  static PCollectionTuple samples(PCollectionTuple read, boolean groupById, Tags tags) {
    PCollection<KV<String, KV<String, Sample>>> keyed =
        read.get(KEYED)
            .setCoder(
                KvCoder.of(
                    StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), SampleCoder.of())));
    if (!groupById) {
      PCollection<Sample> samples =
          keyed.apply("Samples", ParDo.of(new UnwrapFn())).setCoder(SampleCoder.of());
      return PCollectionTuple.of(tags.ok(), samples)
          .and(tags.rejected(), read.get(tags.rejected()))
          .and(tags.counts(), read.get(tags.counts()));
    }
    PCollectionTuple unique =
        keyed
            .apply("GroupById", GroupByKey.create())
            .apply(
                "RejectDuplicateIds",
                ParDo.of(new FirstIdFn(tags))
                    .withOutputTags(
                        tags.ok(), TupleTagList.of(tags.rejected()).and(tags.counts())));
    return merge(read, unique, tags);
  }

  /**
   * {@code second}'s samples, with the rejections and the counters of {@code first} and {@code
   * second} flattened.
   */
  static PCollectionTuple merge(PCollectionTuple first, PCollectionTuple second, Tags tags) {
    PCollection<Rejected> rejected =
        PCollectionList.of(first.get(tags.rejected()).setCoder(RejectedCoder.of()))
            .and(second.get(tags.rejected()).setCoder(RejectedCoder.of()))
            .apply("AllRejected", Flatten.pCollections());
    PCollection<KV<String, Long>> counts =
        PCollectionList.of(first.get(tags.counts()).setCoder(COUNT_CODER))
            .and(second.get(tags.counts()).setCoder(COUNT_CODER))
            .apply("AllCounts", Flatten.pCollections());
    return PCollectionTuple.of(tags.ok(), second.get(tags.ok()).setCoder(SampleCoder.of()))
        .and(tags.rejected(), rejected)
        .and(tags.counts(), counts);
  }

  /** Where a row came from, sortable: file name, then zero-padded row number. */
  static String origin(String name, long row) {
    return name + "\t" + String.format("%019d", row);
  }

  /**
   * The counters of one step's element, output when it ends ({@link #flush}): samples extracted,
   * filtered and rejected by reason. Made by {@link #file} for one file's read, it also counts the
   * file read, then ok ({@link #ok}) or, when nothing of it could be read, a rejected source
   * ({@link #failed}).
   */
  static final class Tally {
    private final DoFn.MultiOutputReceiver out;
    private final Tags tags;
    private final String file;
    private final Map<String, Long> counts = new TreeMap<>();
    private boolean any;

    private Tally(DoFn.MultiOutputReceiver out, Tags tags, String file) {
      this.out = out;
      this.tags = tags;
      this.file = file;
    }

    /** Counts for an element that is not a file. */
    Tally(DoFn.MultiOutputReceiver out, Tags tags) {
      this(out, tags, null);
    }

    /** Counts the read of file {@code name}, which it counts read at once. */
    static Tally file(String name, DoFn.MultiOutputReceiver out, Tags tags) {
      out.get(tags.counts()).output(KV.of(CountKey.SOURCES_READ, 1L));
      return new Tally(out, tags, name);
    }

    /** Some of the file was read (a row that is not itself a sample). */
    void seen() {
      any = true;
    }

    /** One more sample extracted. */
    void extracted() {
      any = true;
      counts.merge(CountKey.SAMPLES_EXTRACTED, 1L, Long::sum);
    }

    /** One more sample extracted and filtered out for {@code reason}. */
    void filtered(String reason) {
      extracted();
      counts.merge(CountKey.samplesFiltered(reason), 1L, Long::sum);
    }

    /** One more sample extracted from the file, and rejected. */
    void rejectRow(String sampleId, String reason, String detail) {
      extracted();
      reject(file, sampleId, reason, detail);
    }

    /** Rejects sample {@code sampleId} of {@code source} at the read. */
    void reject(String source, String sampleId, String reason, String detail) {
      if (tags.rejectedRows() != null) {
        tags.rejectedRows().inc();
      }
      Rejected r = new Rejected(source, sampleId, false, "read", reason, detail);
      counts.merge(CountKey.rejected(r), 1L, Long::sum);
      out.get(tags.rejected()).output(r);
    }

    /** Outputs the counters. */
    void flush() {
      counts.forEach((k, v) -> out.get(tags.counts()).output(KV.of(k, v)));
    }

    /** The file was read: counts it ok and outputs the counters. */
    void ok() {
      out.get(tags.counts()).output(KV.of(CountKey.SOURCES_OK, 1L));
      flush();
    }

    /**
     * The file failed as a whole ({@code reason}, {@code detail}). When some of it was read, the
     * source stands and the failure is one more row-level rejection, made by {@code late} with the
     * next sample number, so the counts still add up; else the file is a rejected source.
     */
    void failed(String reason, String detail, LongConsumer late) {
      if (any) {
        late.accept(counts.getOrDefault(CountKey.SAMPLES_EXTRACTED, 0L) + 1);
        ok();
        return;
      }
      if (tags.rejectedSources() != null) {
        tags.rejectedSources().inc();
      }
      Rejected r = Rejected.source(file, "read", reason, detail);
      out.get(tags.rejected()).output(r);
      out.get(tags.counts()).output(KV.of(CountKey.rejected(r), 1L));
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
    private final Tags tags;

    FirstIdFn(Tags tags) {
      this.tags = tags;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<KV<String, Sample>>> group, MultiOutputReceiver out) {
      List<KV<String, Sample>> rows = new ArrayList<>();
      group.getValue().forEach(rows::add);
      rows.sort((a, b) -> a.getKey().compareTo(b.getKey()));
      out.get(tags.ok()).output(rows.get(0).getValue());
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
        out.get(tags.rejected()).output(r);
        out.get(tags.counts()).output(KV.of(CountKey.rejected(r), 1L));
      }
    }
  }
}
