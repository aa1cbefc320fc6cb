package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.image.AugmentSpec;
import dev.shardsmith.transforms.kernels.image.ImageBackend;
import dev.shardsmith.transforms.kernels.image.OpenClDevice;
import dev.shardsmith.transforms.kernels.image.PreprocessSpec;
import dev.shardsmith.transforms.kernels.image.ops.GaussianBlur;
import dev.shardsmith.transforms.kernels.image.ops.PixelOp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** FuseImages on the opencl backend (PoCL here) against cpu, and OpenCV's thread count. */
class FuseImagesBackendTest {
  private static final PreprocessSpec PRE = new PreprocessSpec(64, 48, 48);
  private static final AugmentSpec AUG = new AugmentSpec(0.5, 1, 15, 0.5, 0.3, 1, 3.0 / 4, 4.0 / 3);
  private static final List<PixelOp> OPS = List.of(new GaussianBlur(1, 0.5, 1.5));

  /** What each run's PAssert saw (its function runs on a deserialized copy). */
  private static final Map<String, Map<String, Sample>> SEEN =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static Sample sample(String file, int copies) throws Exception {
    byte[] b = Files.readAllBytes(Path.of("../sample-data/photos/" + file));
    return Sample.builder()
        .id(file)
        .group("g-" + file)
        .labels(List.of("x"))
        .split(Split.TRAIN)
        .payloadHash("h-" + file)
        .copyCount(copies)
        .payload(ImagePayload.encoded(b, "jpeg", 0, 0, 3, 1))
        .build();
  }

  private static Map<String, Sample> rows(ImageBackend.Kind kind, List<Sample> in) {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<Sample> out =
        p.apply(Create.of(in).withCoder(SampleCoder.of()))
            .apply(FuseImages.of(PRE, AUG, 11, 50_000_000L).withPixelOps(OPS).withBackend(kind))
            .get(FuseImages.OK);
    String key = kind.id();
    SEEN.remove(key);
    PAssert.that(out)
        .satisfies(
            rs -> {
              Map<String, Sample> all = new TreeMap<>();
              rs.forEach(r -> all.put(r.id(), r));
              SEEN.put(key, all);
              return null;
            });
    p.run().waitUntilFinish();
    return SEEN.get(key);
  }

  @Test
  void openClRowsMatchCpuRows() throws Exception {
    OpenClDevice.require();
    List<Sample> in = List.of(sample("HappyFish.jpg", 2), sample("baboon.jpg", 1));
    Map<String, Sample> cpu = rows(ImageBackend.Kind.CPU, in);
    Map<String, Sample> dev = rows(ImageBackend.Kind.OPENCL, in);
    assertEquals(5, cpu.size(), cpu.keySet().toString());
    assertEquals(cpu.keySet(), dev.keySet());
    for (String id : cpu.keySet()) {
      Sample a = cpu.get(id);
      Sample b = dev.get(id);
      assertEquals(a.applied(), b.applied(), id);
      byte[] x = a.image().bytes();
      byte[] y = b.image().bytes();
      assertEquals(x.length, y.length);
      int max = 0;
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs((x[i] & 0xFF) - (y[i] & 0xFF)));
      }
      assertTrue(max <= 1, id + ": max abs diff " + max);
    }
  }

  @Test
  void openCvThreadsShareTheCoresAmongWorkers() {
    assertEquals(4, OpenCvThreads.forWorkers(16, 4));
    assertEquals(1, OpenCvThreads.forWorkers(2, 8));
    assertEquals(8, OpenCvThreads.forWorkers(8, 1));
    assertThrows(IllegalArgumentException.class, () -> OpenCvThreads.forWorkers(4, 0));
    assertEquals(
        4,
        OpenCvThreads.workers(
            PipelineOptionsFactory.fromArgs("--runner=DirectRunner", "--targetParallelism=4")
                .create()));
  }
}
