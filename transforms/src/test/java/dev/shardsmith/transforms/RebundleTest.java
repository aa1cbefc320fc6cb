package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** Rebundle on the DirectRunner: the same elements, in at most its bucket count of bundles. */
class RebundleTest {
  /** Non-empty bundles seen by {@link CountBundlesFn}, per test key. */
  private static final Map<String, AtomicInteger> BUNDLES = new ConcurrentHashMap<>();

  private static Sample sample(String id, float x) {
    return Sample.builder()
        .id(id)
        .labels(List.of("a"))
        .payloadHash("h-" + id)
        .payload(new FeaturePayload(new float[] {x}, new String[0]))
        .build();
  }

  /** Counts the bundles in which it sees at least one element. */
  static final class CountBundlesFn<T> extends DoFn<T, T> {
    private final String key;
    private transient boolean counted;

    CountBundlesFn(String key) {
      this.key = key;
    }

    @StartBundle
    public void start() {
      counted = false;
    }

    @ProcessElement
    public void process(@Element T x, OutputReceiver<T> out) {
      if (!counted) {
        BUNDLES.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        counted = true;
      }
      out.output(x);
    }
  }

  /**
   * 60 samples (two of them equal) after a GroupByKey per id, which hands on one bundle per sample,
   * then through {@code rebundle} if given; the bundles a later step sees.
   */
  private static int bundlesAfter(String key, Rebundle<Sample> rebundle) {
    List<Sample> in = new ArrayList<>();
    for (int i = 0; i < 59; i++) {
      in.add(sample("s-" + i, i));
    }
    in.add(sample("s-7", 7)); // a duplicate element stays a duplicate
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollection<Sample> perRow =
        p.apply(Create.of(in).withCoder(SampleCoder.of()))
            .apply(WithKeys.of((Sample s) -> s.id()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SampleCoder.of()))
            .apply(GroupByKey.create())
            .apply(
                "Ungroup",
                ParDo.of(
                    new DoFn<KV<String, Iterable<Sample>>, Sample>() {
                      @ProcessElement
                      public void process(
                          @Element KV<String, Iterable<Sample>> kv, OutputReceiver<Sample> out) {
                        kv.getValue().forEach(out::output);
                      }
                    }))
            .setCoder(SampleCoder.of());
    PCollection<Sample> out =
        (rebundle == null ? perRow : perRow.apply("Rebundle", rebundle))
            .apply("Count", ParDo.of(new CountBundlesFn<Sample>(key)))
            .setCoder(SampleCoder.of());
    PAssert.that(out).containsInAnyOrder(in);
    p.run().waitUntilFinish();
    return BUNDLES.get(key).get();
  }

  @Test
  void samplesComeOutUnchangedInAtMostBucketsBundles() {
    int without = bundlesAfter("without", null);
    int with = bundlesAfter("with", Rebundle.samples());
    // The control: the DirectRunner hands on a bundle per key of the GroupByKey.
    assertEquals(59, without);
    assertTrue(with >= 1 && with <= Rebundle.BUCKETS, "bundles after Rebundle: " + with);
    assertTrue(bundlesAfter("with-2", Rebundle.by(Sample::id, 2)) <= 2);
  }

  @Test
  void bucketsStayInRangeForNegativeHashes() {
    for (String id : List.of("", "a", "polygenelubricants", "GydZG_", "DESIGNING WORKHOUSES")) {
      int b = Rebundle.bucket(id, 8);
      assertTrue(b >= 0 && b < 8, id + " -> " + b);
      assertEquals(Math.floorMod(id.hashCode(), 8), b);
    }
  }

  @Test
  void rejectsFewerThanOneBucket() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Rebundle.by(Sample::id, 0));
    assertEquals("Rebundle: buckets must be at least 1, but was 0", e.getMessage());
  }
}
