package dev.shardsmith.transforms;

import dev.shardsmith.schemas.Sample;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Gathers elements (samples) into a few buckets keyed by a hash of their id and lets them go again:
 * the elements are unchanged, only their bundling is. The DirectRunner hands every key of a {@code
 * GroupByKey} to the next step as a bundle of its own, and builds each {@code ParDo}'s evaluator
 * per bundle (translating the step to its proto each time), so after a {@code GroupByKey} keyed per
 * row (a sample id, a payload hash) every later step pays that cost once per row, until the next
 * {@code GroupByKey} with few keys; and a key that receives many bundles has its growing state
 * copied once per bundle (quadratic). After a rebundle the steps run on {@value #BUCKETS} bundles.
 * On Flink it is one more shuffle of the rows, nothing else.
 *
 * <p>Deterministic (the bucket is {@code id.hashCode()} modulo the bucket count) and order-free:
 * nothing downstream may depend on bundling or element order (DESIGN.md invariant 1). The ungroup
 * step only iterates a bucket's grouped values, as the runner gives them; it never gathers them
 * into one element or list.
 *
 * <pre>{@code
 * PCollection<Sample> fewer = perRow.apply("Rebundle", Rebundle.samples());
 * }</pre>
 */
public final class Rebundle<T> extends PTransform<PCollection<T>, PCollection<T>> {
  /**
   * Buckets: a few per core of a small machine, so the DirectRunner still runs steps in parallel.
   */
  public static final int BUCKETS = 8;

  private final SerializableFunction<T, String> id;
  private final int buckets;

  private Rebundle(SerializableFunction<T, String> id, int buckets) {
    this.id = id;
    this.buckets = buckets;
  }

  /** Samples into {@value #BUCKETS} buckets by their id. */
  public static Rebundle<Sample> samples() {
    return by(Sample::id, BUCKETS);
  }

  /**
   * Elements into {@code buckets} buckets by the hash of {@code id}'s value.
   *
   * @throws IllegalArgumentException when {@code buckets} is below 1
   */
  public static <T> Rebundle<T> by(SerializableFunction<T, String> id, int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException(
          "Rebundle: buckets must be at least 1, but was " + buckets);
    }
    return new Rebundle<>(id, buckets);
  }

  /** The bucket of the sample with this id, in {@code [0, buckets)}. */
  static int bucket(String id, int buckets) {
    return Math.floorMod(id.hashCode(), buckets);
  }

  @Override
  public PCollection<T> expand(PCollection<T> elements) {
    Coder<T> coder = elements.getCoder();
    SerializableFunction<T, String> key = id;
    int n = buckets;
    return elements
        .apply("ByIdHash", ParDo.of(new BucketFn<>(key, n)))
        .setCoder(KvCoder.of(VarIntCoder.of(), coder))
        .apply("GatherBuckets", GroupByKey.create())
        .apply("Ungroup", ParDo.of(new UngroupFn<>()))
        .setCoder(coder);
  }

  /** (bucket of the element's id, element). */
  static final class BucketFn<T> extends DoFn<T, KV<Integer, T>> {
    private final SerializableFunction<T, String> id;
    private final int buckets;

    BucketFn(SerializableFunction<T, String> id, int buckets) {
      this.id = id;
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element T x, OutputReceiver<KV<Integer, T>> out) {
      out.output(KV.of(bucket(id.apply(x), buckets), x));
    }
  }

  /** A bucket's elements, one at a time. */
  static final class UngroupFn<T> extends DoFn<KV<Integer, Iterable<T>>, T> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<T>> bucket, OutputReceiver<T> out) {
      for (T x : bucket.getValue()) {
        out.output(x);
      }
    }
  }
}
