package dev.shardsmith.transforms.kernels.text;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * A pluggable, local paraphraser for the {@code paraphrase} op, for example a model you run in
 * process (ONNX Runtime, DJL) from files on disk; Shardsmith fetches nothing. Name the class in
 * {@code augment.ops: [{op: paraphrase, paraphraser: com.example.MyParaphraser}]}; it needs a
 * public no-argument constructor and must be on the classpath of every worker (put its jar next to
 * the Shardsmith jar). One instance is made per op and shared by a worker's threads, so it must be
 * thread-safe; load a model lazily, once per JVM, as {@link WordNet} does.
 *
 * <p>It sees the text with every protected span (numbers, URLs, user terms...) replaced by a
 * placeholder {@code ⟦0⟧}, {@code ⟦1⟧}, ... and must keep each placeholder exactly once, in order;
 * a rewrite that loses, repeats or reorders one is discarded (the copy keeps its text). For
 * determinism, any randomness must come from {@code rng}, and the output must depend only on the
 * input and {@code rng}.
 *
 * <pre>{@code
 * public final class UpperFirst implements Paraphraser {
 *   public String paraphrase(String masked, SplittableRandom rng) {
 *     return masked.isEmpty() ? masked : Character.toUpperCase(masked.charAt(0)) + masked.substring(1);
 *   }
 * }
 * }</pre>
 */
public interface Paraphraser extends Serializable {
  /** A paraphrase of {@code masked}, or {@code masked} itself (or null) for none. */
  String paraphrase(String masked, SplittableRandom rng);
}
