package dev.shardsmith.pipelines;

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
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Gathers small string records (counts, shard entries, rejections, split rows) on one worker, sorts
 * them so the result does not depend on bundle order, and writes them as lines to one file; an
 * empty input still writes an empty file, so the commit step can tell "nothing" from "not run".
 * Memory: the whole collection, so use it only for per-file or per-rejection records and the split
 * list.
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
    lines
        .apply("SortedList", Combine.globally(new SortedListFn()))
        .setCoder(ListCoder.of(StringUtf8Coder.of()))
        .apply("WriteFile", ParDo.of(new WriteFn(file, sink)));
    return PDone.in(lines.getPipeline());
  }

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

  static final class WriteFn extends DoFn<List<String>, Void> {
    private final String file;
    private final Sink sink;

    WriteFn(String file, Sink sink) {
      this.file = file;
      this.sink = sink;
    }

    @ProcessElement
    public void process(@Element List<String> lines) throws IOException {
      Path path = Path.of(file);
      Files.createDirectories(path.getParent());
      sink.write(path, lines);
    }
  }
}
