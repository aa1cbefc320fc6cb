package dev.shardsmith.pipelines.config;

import dev.shardsmith.transforms.kernels.text.Paraphrase;
import dev.shardsmith.transforms.kernels.text.Paraphraser;
import dev.shardsmith.transforms.kernels.text.Protection;
import dev.shardsmith.transforms.kernels.text.RandomDeletion;
import dev.shardsmith.transforms.kernels.text.RandomInsertion;
import dev.shardsmith.transforms.kernels.text.RandomSwap;
import dev.shardsmith.transforms.kernels.text.SynonymReplacement;
import dev.shardsmith.transforms.kernels.text.TextAugmentSpec;
import dev.shardsmith.transforms.kernels.text.TextOp;
import dev.shardsmith.transforms.kernels.text.WordNet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the text keys of the {@code augment} section ({@code ops}, {@code protect}) of a {@code
 * input.kind: text} run, strictly: an unknown op or key, a value out of range, a bad regex or an
 * unloadable paraphraser class fails with the key, the value and what is allowed.
 *
 * <pre>{@code
 * augment:
 *   copies: 2
 *   ops:
 *     - {op: synonym, p: 0.5, rate: 0.1}
 *     - {op: random_swap, p: 0.3, alpha: 0.1}
 *     - {op: paraphrase, p: 0.5, rate: 0.5, kinds: [contraction, clause_order]}
 *   protect: {terms: [New York], patterns: ['[A-Z]{2,}-\d+']}
 * }</pre>
 */
public final class TextAugmentConfig {
  private TextAugmentConfig() {}

  /** The op names {@code augment.ops[i].op} takes. */
  public static final List<String> OPS =
      List.of(
          SynonymReplacement.NAME,
          RandomInsertion.NAME,
          RandomSwap.NAME,
          RandomDeletion.NAME,
          Paraphrase.NAME);

  /**
   * Reads (and so consumes, for {@link Section#finish()}) the text-only keys of {@code augment};
   * {@code copies}, {@code enabled}, {@code include_original} and {@code copy_offset} stay with
   * {@link RunConfig}.
   */
  public static TextAugmentSpec parse(Section augment) {
    List<TextOp> ops = new ArrayList<>();
    for (Section s : augment.sections("ops")) {
      ops.add(op(s));
    }
    Section protect = augment.section("protect");
    List<String> terms = protect.strings("terms");
    List<String> patterns = protect.strings("patterns");
    protect.finish();
    Protection protection;
    try {
      protection = Protection.of(terms, patterns);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(protect.key("") + "." + e.getMessage());
    }
    return ops.isEmpty() && terms.isEmpty() && patterns.isEmpty()
        ? TextAugmentSpec.NONE
        : TextAugmentSpec.of(ops, protection);
  }

  private static TextOp op(Section s) {
    String name = s.choice("op", null, OPS);
    double p = s.number("p", 0.5, 0, 1);
    TextOp op;
    try {
      op =
          switch (name) {
            case SynonymReplacement.NAME ->
                new SynonymReplacement(p, s.number("rate", 0.1, 0, 1), senses(s));
            case RandomInsertion.NAME ->
                new RandomInsertion(p, s.number("alpha", 0.1, 0, 1), senses(s));
            case RandomSwap.NAME -> new RandomSwap(p, s.number("alpha", 0.1, 0, 1));
            case RandomDeletion.NAME -> new RandomDeletion(p, s.number("alpha", 0.1, 0, 1));
            default -> paraphrase(s, p);
          };
    } catch (IllegalArgumentException e) {
      throw new ConfigException(s.key("") + " (" + name + "): " + e.getMessage());
    }
    s.finish();
    return op;
  }

  private static int senses(Section s) {
    return (int) s.integer("senses", WordNet.MAX_SENSES, 1, WordNet.MAX_SENSES);
  }

  private static Paraphrase paraphrase(Section s, double p) {
    double rate = s.number("rate", 0.5, 0, 1);
    List<String> kinds = s.has("kinds") ? s.strings("kinds") : Paraphrase.KINDS;
    for (String k : kinds) {
      if (!Paraphrase.KINDS.contains(k)) {
        throw new ConfigException(
            s.key("kinds")
                + " has \""
                + k
                + "\": use any of "
                + String.join(", ", Paraphrase.KINDS));
      }
    }
    String cls = s.optionalString("paraphraser");
    return new Paraphrase(p, rate, kinds, cls == null ? null : load(s.key("paraphraser"), cls));
  }

  private static Paraphraser load(String key, String cls) {
    Class<?> c;
    try {
      c = Class.forName(cls, true, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigException(
          key + " = " + cls + " is not on the classpath: put its jar next to the Shardsmith jar");
    }
    if (!Paraphraser.class.isAssignableFrom(c)) {
      throw new ConfigException(
          key + " = " + cls + " does not implement " + Paraphraser.class.getName());
    }
    try {
      return (Paraphraser) c.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new ConfigException(
          key + " = " + cls + " needs a public no-argument constructor: " + e);
    }
  }

  /** The effective-config view of {@code spec}, for the manifest. */
  public static Map<String, Object> effective(TextAugmentSpec spec) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Map<String, Object>> ops = new ArrayList<>();
    for (TextOp op : spec.ops()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("op", op.name());
      o.put("p", op.p());
      o.putAll(new java.util.TreeMap<>(op.params()));
      ops.add(o);
    }
    m.put("ops", ops);
    m.put(
        "protect",
        Map.of("terms", spec.protection().terms(), "patterns", spec.protection().patterns()));
    return m;
  }
}
