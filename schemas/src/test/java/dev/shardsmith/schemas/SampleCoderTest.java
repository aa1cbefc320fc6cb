package dev.shardsmith.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                    new Targets(
                            new float[] {1, 2, 3, 4, 0.5f, 0.25f, 640, 480},
                            new String[] {"dog", "person"},
                            new int[] {3, 0},
                            new byte[] {Targets.DIFFICULT, Targets.CROWD},
                            new float[] {5, 6, 2, 7.5f, 8, 0},
                            new String[] {"nose", ""},
                            null)
                        .withMaskFile(new byte[] {9})),
            ImagePayload.raw(new byte[2 * 3 * 3], 3, 2, 3)
                .withTargets(
                    Targets.boxes(new float[] {0, 0, 3, 2}, new String[] {"cat"}, new int[] {1})
                        .withMask(new byte[] {0, 1, 2, 3, 4, 5})),
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
  void targetsAreChecked() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Targets.boxes(new float[] {1, 2, 3}, new String[] {"a"}, new int[] {0}));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Targets(
                new float[0],
                new String[0],
                new int[0],
                new byte[0],
                new float[] {1, 2},
                new String[] {"nose"},
                null));
    // a raw image's mask has one byte per pixel
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ImagePayload.raw(new byte[12], 2, 2, 3)
                .withTargets(Targets.NONE.withMask(new byte[3])));
    ImagePayload a =
        ImagePayload.raw(new byte[3], 1, 1, 3)
            .withTargets(
                Targets.boxes(new float[] {0, 0, 1, 1}, new String[] {"a"}, new int[] {0}));
    ImagePayload b =
        ImagePayload.raw(new byte[3], 1, 1, 3)
            .withTargets(
                Targets.boxes(new float[] {0, 0, 1, 1}, new String[] {"a"}, new int[] {1}));
    assertNotEquals(a, b);
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
  void float32PixelsRoundTripWithTheirDtype() throws IOException {
    java.nio.ByteBuffer le =
        java.nio.ByteBuffer.allocate(2 * 1 * 3 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    le.asFloatBuffer().put(new float[] {-1.5f, 0f, 2.25f, Float.MIN_VALUE, -0f, 1e30f});
    ImagePayload p =
        ImagePayload.rawFloat32(le.array(), 2, 1, 3)
            .withTargets(
                Targets.boxes(new float[] {0, 0, 2, 1}, new String[] {"cat"}, new int[] {1}));
    Sample original = base(p).build();
    Sample back = roundTrip(original);
    assertEquals(original, back);
    ImagePayload q = back.image();
    assertTrue(q.isRaw() && q.isFloat32());
    assertEquals("float32", q.dtype());
    assertEquals(ImagePayload.RAW_FLOAT32, q.format());
    assertEquals(24, q.payloadBytes(), "4 bytes per value");
    assertEquals(
        1e30f,
        java.nio.ByteBuffer.wrap(q.bytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(20));
    assertEquals("uint8", ImagePayload.raw(new byte[6], 2, 1, 3).dtype());
    assertNotEquals(
        ImagePayload.raw(new byte[24], 4, 2, 3), ImagePayload.rawFloat32(new byte[24], 2, 1, 3));
    assertThrows(
        IllegalArgumentException.class, () -> ImagePayload.rawFloat32(new byte[6], 2, 1, 3));
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
