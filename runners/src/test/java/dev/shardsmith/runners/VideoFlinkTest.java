package dev.shardsmith.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.Rejected;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.transforms.ReadVideo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReadVideo}'s splittable DoFn on the embedded Flink runner at parallelism 2, one key frame
 * per initial range: opencv-doc's tree.avi (cinepak), Megamind.avi (packed-B-frame Xvid) and
 * tree.avi cut in half give the same frame ids, payload hashes, rejections and counters as on the
 * DirectRunner ({@code sample-data/fetch opencv-doc}). One run per runner for the class.
 */
class VideoFlinkTest {
  private static final Path DATA =
      Path.of("..", "sample-data/fetched/opencv-doc/usr/share/doc/opencv-doc/examples/data")
          .toAbsolutePath()
          .normalize();

  @TempDir static Path tmp;

  static List<String> direct;
  static List<String> flink;

  @BeforeAll
  static void readOnBothRunners() throws IOException {
    if (!Files.isRegularFile(DATA.resolve("Megamind.avi"))) {
      throw new IllegalStateException("run sample-data/fetch opencv-doc first: no " + DATA);
    }
    byte[] tree = Files.readAllBytes(DATA.resolve("tree.avi"));
    Path half = tmp.resolve("half.avi");
    Files.write(half, Arrays.copyOf(tree, tree.length / 2));
    Map<String, Path> files =
        Map.of(
            "tree.avi", DATA.resolve("tree.avi"),
            "megamind.avi", DATA.resolve("Megamind.avi"),
            "half.avi", half);
    direct = read(files, tmp.resolve("direct"), "--runner=DirectRunner");
    flink = read(files, tmp.resolve("flink"), "--runner=FlinkRunner", "--parallelism=2");
  }

  /**
   * One line per frame ({@code frame <id> <group> <labels> <payload sha256>}), rejection and summed
   * counter, written by the pipeline and read back sorted.
   */
  private static List<String> read(Map<String, Path> files, Path out, String... args)
      throws IOException {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs(args).create());
    PCollectionTuple read =
        p.apply(
            "ReadVideo",
            ReadVideo.of(files, Map.of("tree.avi", "tree", "megamind.avi", "megamind"))
                .withKeyframesPerRange(1));
    PCollection<String> frames =
        read.get(ReadVideo.OK)
            .apply(
                "ShowFrames",
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        (Sample s) ->
                            "frame "
                                + s.id()
                                + " "
                                + s.group()
                                + " "
                                + s.labels()
                                + " "
                                + s.payloadHash()));
    PCollection<String> rejected =
        read.get(ReadVideo.REJECTED)
            .apply(
                "ShowRejected",
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        (Rejected r) ->
                            "rejected " + r.sampleId() + " " + r.reason() + " " + r.detail()));
    PCollection<String> counts =
        read.get(ReadVideo.COUNTS)
            .apply("SumCounts", Sum.longsPerKey())
            .apply(
                "ShowCounts",
                MapElements.into(TypeDescriptors.strings())
                    .via((KV<String, Long> kv) -> "count " + kv.getKey() + "=" + kv.getValue()));
    PCollectionList.of(frames)
        .and(rejected)
        .and(counts)
        .apply("All", Flatten.pCollections())
        .apply("Write", TextIO.write().to(out.resolve("part").toString()).withSuffix(".txt"));
    p.run().waitUntilFinish();
    List<String> lines = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path f : parts.filter(f -> f.toString().endsWith(".txt")).toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    lines.sort(null);
    return lines;
  }

  private static long lines(List<String> l, String prefix) {
    return l.stream().filter(x -> x.startsWith(prefix)).count();
  }

  @Test
  void flinkReadsTheSameFramesRejectionsAndCountersAsTheDirectRunner() {
    // what the DirectRunner read: every frame of tree.avi and Megamind.avi, the first 35 of the
    // half file, whose last (cut) packet fails and whose tail is missing
    assertEquals(68, lines(direct, "frame tree.avi@"), direct.toString());
    assertEquals(270, lines(direct, "frame megamind.avi@"));
    assertEquals(35, lines(direct, "frame half.avi@"));
    assertEquals(2, lines(direct, "rejected half.avi@"), direct.toString());
    assertTrue(
        direct.contains("count samples.extracted=" + (68 + 270 + 35 + 2)), direct.toString());
    assertTrue(direct.contains("count video.decode_warnings=2"), direct.toString());
    assertEquals(direct, flink);
  }
}
