package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.schemas.Targets;
import dev.shardsmith.transforms.kernels.stats.ChannelAccumulator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

class NormalizeImagesTest {
  private static Sample row(String id, Split split, boolean copy, int... rgb) {
    byte[] px = new byte[rgb.length];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) rgb[i];
    }
    Sample.Builder b =
        Sample.builder()
            .id(id)
            .group(id)
            .labels(List.of("a"))
            .split(split)
            .payloadHash("ab".repeat(32))
            .payload(ImagePayload.raw(px, rgb.length / 3, 1, 3));
    return copy
        ? b.id(id + "#aug0").derived("augmented", 0).sourceIds(List.of(id)).build()
        : b.build();
  }

  private static float[] floats(ImagePayload p) {
    float[] f = new float[p.bytes().length / 4];
    ByteBuffer.wrap(p.bytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  @Test
  void everySplitAndCopyIsStandardizedWithTheTrainOriginalsStatistics() {
    // Train originals: channel means 5, 20, 30 and population stds 5, 10, 10.
    List<Sample> rows =
        List.of(
            row("t1", Split.TRAIN, false, 0, 10, 20),
            row("t2", Split.TRAIN, false, 10, 30, 40),
            row("t1", Split.TRAIN, true, 15, 40, 50),
            row("v1", Split.VAL, false, 5, 20, 30),
            row("x1", Split.TEST, false, 255, 0, 35));
    Map<String, float[]> want = new HashMap<>();
    want.put("t1", new float[] {-1, -1, -1});
    want.put("t2", new float[] {1, 1, 1});
    want.put("t1#aug0", new float[] {2, 2, 2});
    want.put("v1", new float[] {0, 0, 0});
    want.put("x1", new float[] {50, -2, 0.5f});

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<Sample> in = p.apply(Create.of(rows).withCoder(SampleCoder.of()));
    PCollection<Sample> out =
        in.apply(
            NormalizeImages.with(
                in.apply(FitStatistics.channels()).apply("View", View.asSingleton())));
    PAssert.that(out)
        .satisfies(
            got -> {
              int n = 0;
              for (Sample s : got) {
                n++;
                assertTrue(s.image().isFloat32(), s.id());
                assertEquals(1, s.image().height());
                assertArrayEquals(want.get(s.id()), floats(s.image()), 1e-6f, s.id());
              }
              assertEquals(5, n);
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void applyingWithNoTrainOriginalsFailsNamingTheTrainSplit() {
    List<Sample> rows =
        List.of(row("v1", Split.VAL, false, 5, 20, 30), row("x1", Split.TEST, false, 1, 2, 3));
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<Sample> in = p.apply(Create.of(rows).withCoder(SampleCoder.of()));
    in.apply(
        NormalizeImages.with(in.apply(FitStatistics.channels()).apply("View", View.asSingleton())));
    String m = NormalizeFeaturesTest.messages(assertThrows(Exception.class, p::run));
    assertTrue(m.contains("fitted on 0 train originals"), m);
    assertTrue(m.contains("raise split.train, or set normalize.image.apply: false"), m);
  }

  @Test
  void targetsFollowAndBadInputsThrow() {
    ChannelAccumulator acc = new ChannelAccumulator();
    acc.add(new byte[] {0, 0, 0, 2, 2, 2}, 3);
    Targets box = Targets.boxes(new float[] {0, 0, 2, 1}, new String[] {"a"}, new int[] {0});
    ImagePayload in = ImagePayload.raw(new byte[] {0, 1, 2, 2, 2, 2}, 2, 1, 3).withTargets(box);
    ImagePayload out = NormalizeImages.normalized(in, acc);
    assertEquals(box, out.targets());
    assertArrayEquals(new float[] {-1, 0, 1, 1, 1, 1}, floats(out));
    assertEquals(24, out.payloadBytes());
    assertTrue(
        assertThrows(
                IllegalStateException.class,
                () ->
                    NormalizeImages.normalized(
                        ImagePayload.encoded(new byte[] {1}, "png", 2, 1, 3, 1), acc))
            .getMessage()
            .contains("decoded uint8 pixels, got png"));
    assertTrue(
        assertThrows(
                IllegalStateException.class,
                () -> NormalizeImages.normalized(ImagePayload.raw(new byte[2], 2, 1, 1), acc))
            .getMessage()
            .contains("1 channels but the statistics were fitted on 3"));
    assertThrows(IllegalStateException.class, () -> NormalizeImages.normalized(out, acc));
  }
}
