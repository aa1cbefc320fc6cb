package dev.shardsmith.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/** The first step of the file readers: (name, path) pairs, spread over the workers. */
final class SourceFiles {
  private SourceFiles() {}

  /** {@code files} (name to path) as elements, reshuffled so each file can go to its own worker. */
  static PCollection<KV<String, String>> spread(PBegin begin, Map<String, String> files) {
    return spread(begin, files, StringUtf8Coder.of());
  }

  /** {@code files} (name to what a reader needs of the file, in {@code coder}), as above. */
  static <V> PCollection<KV<String, V>> spread(PBegin begin, Map<String, V> files, Coder<V> coder) {
    List<KV<String, V>> refs = new ArrayList<>();
    files.forEach((name, file) -> refs.add(KV.of(name, file)));
    return begin
        .apply("Files", Create.of(refs).withCoder(KvCoder.of(StringUtf8Coder.of(), coder)))
        .apply("SpreadFiles", Reshuffle.viaRandomKey());
  }
}
