package dev.shardsmith.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SampleCoderTest {
  private static Sample.Builder base(Payload p) {
    return Sample.builder()
        .id("cats/001.jpg")
        .group("user-7")
        .labels(List.of("cat", "animal"))
        .split(Split.VAL)
        .fold(2)
        .payloadHash("ab".repeat(32))
        .copyCount(3)
        .payload(p);
  }

  private static Sample roundTrip(Sample s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SampleCoder.of().encode(s, out);
    return SampleCoder.of().decode(new ByteArrayInputStream(out.toByteArray()));
  }

  @Test
  void everyModalityRoundTrips() throws IOException {
    SortedMap<String, Object> params = new TreeMap<>();
    params.put("angle", 12.5);
    params.put("n", 3L);
    params.put("word", "fast");
    Applied applied = Applied.NONE.plus(new Applied.Op("rotate", 1, params));
    List<Payload> payloads =
        List.of(
            ImagePayload.encoded(new byte[] {1, 2, 3}, "jpeg", 640, 480, 3, 6)
                .withTargets(
                    new float[] {1, 2, 3, 4},
                    new String[] {"dog"},
                    new float[] {5, 6},
                    new byte[] {9}),
            ImagePayload.raw(new byte[2 * 3 * 3], 3, 2, 3),
            new VideoPayload(
                "v.avi",
                new long[] {0, 40_000},
                List.of(
                    ImagePayload.raw(new byte[3], 1, 1, 3),
                    ImagePayload.raw(new byte[3], 1, 1, 3))),
            new TextPayload("naïve café — ünïcödé " + "x".repeat(70_000)),
            new SeriesPayload("s1", 17, 2, 2, new float[] {1, 2, 3, Float.NaN}, new float[] {5, 6}),
            new FeaturePayload(new float[] {0.5f, Float.NaN}, new String[] {"red", null}));
    for (Payload p : payloads) {
      Sample original = base(p).applied(applied).build();
      assertEquals(original, roundTrip(original), p.modality().name());
      Sample derived =
          base(p).derived("augmented", 4).sourceIds(List.of("a", "b")).group(null).build();
      assertEquals(derived, roundTrip(derived), p.modality().name() + " derived");
    }
  }

  @Test
  void encodingIsDeterministic() throws IOException {
    Sample s = base(new TextPayload("hello")).build();
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    SampleCoder.of().encode(s, a);
    SampleCoder.of().encode(roundTrip(s), b);
    assertEquals(List.of(a.toByteArray()).size(), 1);
    org.junit.jupiter.api.Assertions.assertArrayEquals(a.toByteArray(), b.toByteArray());
  }

  @Test
  void derivedRowsNeedKindAndIndex() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> base(new TextPayload("x")).derived(null, 2).build());
    assertEquals("a derived row needs a kind and a copy index >= 0", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> base(new TextPayload("x")).copyCount(-1).build());
  }

  @Test
  void rawImageSizeIsChecked() {
    assertThrows(IllegalArgumentException.class, () -> ImagePayload.raw(new byte[5], 2, 2, 3));
    assertNotEquals(
        ImagePayload.raw(new byte[12], 2, 2, 3), ImagePayload.raw(new byte[12], 4, 1, 3));
  }

  @Test
  void rejectedRoundTrips() throws IOException {
    Rejected r = Rejected.source("a/b.png", "validate", "truncated", "no IEND");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RejectedCoder.of().encode(r, out);
    assertEquals(r, RejectedCoder.of().decode(new ByteArrayInputStream(out.toByteArray())));
  }
}
