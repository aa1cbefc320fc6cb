package dev.shardsmith.benchmarks;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.transforms.kernels.text.Paraphrase;
import dev.shardsmith.transforms.kernels.text.Protection;
import dev.shardsmith.transforms.kernels.text.RandomDeletion;
import dev.shardsmith.transforms.kernels.text.RandomInsertion;
import dev.shardsmith.transforms.kernels.text.RandomSwap;
import dev.shardsmith.transforms.kernels.text.SynonymReplacement;
import dev.shardsmith.transforms.kernels.text.TextAugmentSpec;
import dev.shardsmith.transforms.kernels.text.TextOp;
import java.util.List;

/**
 * Prints the before/after examples of the Text section of {@code docs/augmentations.md} as
 * Markdown: real fortunes, each op alone with {@code p = 1}, seed {@value #SEED}, sample id {@value
 * #SAMPLE_ID}, copy index 0, protecting the term {@code computer}. Deterministic.
 *
 * <pre>{@code
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt) \
 *     dev.shardsmith.benchmarks.TextGallery
 * }</pre>
 */
public final class TextGallery {
  private TextGallery() {}

  public static final long SEED = 42;
  public static final String SAMPLE_ID = "fortunes/computers";

  private static final List<String> TEXTS =
      List.of(
          "Never trust a computer you can't throw out a window.",
          "The committee investigated the problems carefully, and the report was finished on"
              + " 2024-03-05 for 10000 users.");

  public static void main(String[] args) {
    List<TextOp> ops =
        List.of(
            new SynonymReplacement(1, 0.2, 3),
            new RandomInsertion(1, 0.1, 3),
            new RandomSwap(1, 0.1),
            new RandomDeletion(1, 0.1),
            Paraphrase.rules(1, 1.0));
    Protection protect = Protection.of(List.of("computer"), List.of());
    System.out.println("| op | before | after | applied edits |");
    System.out.println("|---|---|---|---|");
    for (TextOp op : ops) {
      TextAugmentSpec spec = TextAugmentSpec.of(List.of(op), protect);
      for (String t : TEXTS) {
        TextAugmentSpec.Copy c = spec.augment(t, SEED, SAMPLE_ID, 0);
        StringBuilder edits = new StringBuilder();
        for (Applied.Op e : c.applied().ops()) {
          edits
              .append(edits.length() == 0 ? "" : "; ")
              .append('"')
              .append(e.params().get("before"))
              .append("\" → \"")
              .append(e.params().get("after"))
              .append('"')
              .append(e.params().containsKey("kind") ? " (" + e.params().get("kind") + ")" : "");
        }
        System.out.println(
            "| `" + op.name() + "` | " + t + " | " + c.text() + " | " + edits + " |");
      }
    }
  }
}
