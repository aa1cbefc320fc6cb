package dev.shardsmith.pipelines;

import static org.apache.beam.sdk.values.TypeDescriptors.integers;
import static org.apache.beam.sdk.values.TypeDescriptors.kvs;
import static org.apache.beam.sdk.values.TypeDescriptors.strings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;

/**
 * Gathers small string records (counts, shard entries, rejections, split rows) on one worker, sorts
 * them so the result does not depend on bundle order, and writes them as lines to one file; an
 * empty input still writes an empty file, so the commit step can tell "nothing" from "not run".
 * Gathered by a {@code GroupByKey} on one key, so each line travels as its own record (a combine
 * into one list would make the split list of 100k rows one multi-megabyte record, beyond Flink's
 * sort buffer). Memory: the whole collection on the writing worker, so use it only for per-file or
 * per-rejection records and the split list.
 */
final class WriteSortedLines extends PTransform<PCollection<String>, PDone> {
  /** Writes the sorted lines to a file in some format. */
  interface Sink extends java.io.Serializable {
    void write(Path file, List<String> sortedLines) throws IOException;
  }

  private final String file;
  private final Sink sink;

  private WriteSortedLines(String file, Sink sink) {
    this.file = file;
    this.sink = sink;
  }

  /** Plain UTF-8 lines, written to a temporary name and moved into place. */
  static WriteSortedLines to(Path file) {
    return new WriteSortedLines(
        file.toString(),
        (path, lines) -> {
          Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
          Files.write(tmp, lines, StandardCharsets.UTF_8);
          Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        });
  }

  /** The sorted lines handed to {@code sink}. */
  static WriteSortedLines to(Path file, Sink sink) {
    return new WriteSortedLines(file.toString(), sink);
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    Coder<KV<Integer, String>> coder =
        KvCoder.of(VarIntCoder.of(), NullableCoder.of(StringUtf8Coder.of()));
    PCollection<KV<Integer, String>> keyed =
        lines
            .apply(
                "OneKey",
                MapElements.into(kvs(integers(), strings())).via((String l) -> KV.of(0, l)))
            .setCoder(coder);
    // A null marker, so the one group exists (and the file is written) when there are no lines.
    PCollection<KV<Integer, String>> marker =
        lines.getPipeline().apply("Marker", Create.of(KV.of(0, (String) null)).withCoder(coder));
    PCollectionList.of(keyed)
        .and(marker)
        .apply("WithMarker", Flatten.pCollections())
        .apply("Gather", GroupByKey.create())
        .apply("WriteFile", ParDo.of(new WriteFn(file, sink)));
    return PDone.in(lines.getPipeline());
  }

  /**
   * Combines strings into one sorted list: the whole list is one record, so only for short lists
   * (the label set); {@link WriteSortedLines} itself gathers by key.
   */
  static final class SortedListFn extends Combine.CombineFn<String, List<String>, List<String>> {
    @Override
    public List<String> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<String> addInput(List<String> acc, String line) {
      acc.add(line);
      return acc;
    }

    @Override
    public List<String> mergeAccumulators(Iterable<List<String>> accs) {
      List<String> all = new ArrayList<>();
      accs.forEach(all::addAll);
      return all;
    }

    @Override
    public List<String> extractOutput(List<String> acc) {
      List<String> sorted = new ArrayList<>(acc);
      Collections.sort(sorted);
      return sorted;
    }

    @Override
    public Coder<List<String>> getAccumulatorCoder(
        CoderRegistry registry, Coder<String> inputCoder) {
      return ListCoder.of(StringUtf8Coder.of());
    }
  }

  static final class WriteFn extends DoFn<KV<Integer, Iterable<String>>, Void> {
    private final String file;
    private final Sink sink;

    WriteFn(String file, Sink sink) {
      this.file = file;
      this.sink = sink;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<String>> group) throws IOException {
      List<String> lines = new ArrayList<>();
      for (String l : group.getValue()) {
        if (l != null) {
          lines.add(l);
        }
      }
      Collections.sort(lines);
      Path path = Path.of(file);
      Files.createDirectories(path.getParent());
      sink.write(path, lines);
    }
  }
}
