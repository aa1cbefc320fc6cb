package dev.shardsmith.pipelines.config;

import dev.shardsmith.transforms.Balance;
import dev.shardsmith.transforms.Balance.SmallClass;
import dev.shardsmith.transforms.Balance.Strategy;
import dev.shardsmith.transforms.Balance.Target;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code balance} section: how the train split is rebalanced ({@link Balance}). Keys: {@code
 * strategy} ({@code none}), {@code target} ({@code min} for undersample, else {@code max}), and for
 * the SMOTE family {@code k_neighbors} (5), {@code small_class} ({@code error}), for {@code
 * borderline_smote} also {@code m_neighbors} (10) and {@code kind} ({@code borderline-1}). A key
 * that the chosen strategy does not use is an error, so it never looks applied when it is not.
 *
 * <pre>{@code
 * BalanceConfig b = config.balance();
 * PCollectionTuple out = samples.apply("Balance", b.transform(config.seed(), copies, offset, true));
 * }</pre>
 */
public record BalanceConfig(
    Strategy strategy,
    Target target,
    int kNeighbors,
    int mNeighbors,
    String kind,
    SmallClass smallClass) {

  public static final BalanceConfig NONE =
      new BalanceConfig(Strategy.NONE, Target.max(), 5, 10, "borderline-1", SmallClass.ERROR);

  /** The strategies an image run can use (the SMOTE family needs feature rows). */
  public static final List<Strategy> IMAGE_STRATEGIES =
      List.of(Strategy.NONE, Strategy.UNDERSAMPLE, Strategy.OVERSAMPLE, Strategy.AUGMENT);

  static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
  }

  /**
   * Parses {@code balance}; {@code inputKind} and {@code augment} are the run's, for the checks
   * that span sections (SMOTE needs feature rows, {@code augment} needs augmentation enabled).
   */
  static BalanceConfig parse(Section s, String inputKind, RunConfig.Augment augment) {
    Strategy strategy =
        Strategy.valueOf(
            s.choice("strategy", "none", names(Strategy.values())).toUpperCase(Locale.ROOT));
    String name = strategy.configName();
    boolean under = strategy == Strategy.UNDERSAMPLE;
    List<String> named = under ? List.of("min") : List.of("max", "median");
    String allowed = String.join(", ", named) + " or a count >= 1";
    boolean given = s.has("target");
    String t;
    try {
      t = s.string("target", "");
    } catch (ConfigException notAString) {
      t = null;
    }
    Target target;
    if (!given) {
      target = under ? Target.min() : Target.max();
    } else if (strategy == Strategy.NONE) {
      throw new ConfigException(
          s.key("target") + " is set, but balance.strategy = none uses no target");
    } else if (t == null) {
      target = Target.count(s.integer("target", 1, 1, Integer.MAX_VALUE));
    } else if (named.contains(t)) {
      target = new Target(t, 0);
    } else {
      throw new ConfigException(
          s.key("target")
              + " = "
              + t
              + " is not allowed for balance.strategy = "
              + name
              + ": use "
              + allowed);
    }
    boolean smote = strategy.interpolates();
    boolean borderline = strategy == Strategy.BORDERLINE_SMOTE;
    rejectUnless(s, smote, "k_neighbors", name, "the SMOTE strategies");
    rejectUnless(s, smote, "small_class", name, "the SMOTE strategies");
    rejectUnless(s, borderline, "m_neighbors", name, "borderline_smote");
    rejectUnless(s, borderline, "kind", name, "borderline_smote");
    int k = (int) s.integer("k_neighbors", 5, 1, 1000);
    int m = (int) s.integer("m_neighbors", 10, 1, 1000);
    String kind = s.choice("kind", "borderline-1", List.of("borderline-1"));
    SmallClass small =
        SmallClass.valueOf(
            s.choice("small_class", "error", names(SmallClass.values())).toUpperCase(Locale.ROOT));
    s.finish();
    boolean augmentable = List.of("images", "text", "series").contains(inputKind);
    if (augmentable && !IMAGE_STRATEGIES.contains(strategy)) {
      throw new ConfigException(
          "balance.strategy = "
              + name
              + " interpolates feature vectors and is not allowed for input.kind = "
              + inputKind
              + ": use none, undersample, oversample or augment");
    }
    if (strategy == Strategy.AUGMENT && !augmentable) {
      throw new ConfigException(
          "balance.strategy = augment makes augmented copies, which only images, text and series"
              + " have an engine for, but input.kind = "
              + inputKind
              + ": use oversample or a SMOTE strategy");
    }
    if (strategy == Strategy.AUGMENT && !augment.enabled()) {
      throw new ConfigException(
          "balance.strategy = augment makes augmented copies, but augment.enabled = false: enable"
              + " augment, or use oversample (exact duplicates)");
    }
    return new BalanceConfig(strategy, target, k, m, kind, small);
  }

  private static void rejectUnless(
      Section s, boolean used, String key, String strategy, String users) {
    if (!used && s.has(key)) {
      throw new ConfigException(
          s.key(key)
              + " is set, but balance.strategy = "
              + strategy
              + " does not use it: it applies to "
              + users
              + " only");
    }
  }

  /**
   * The transform for a run with this {@code seed} and augmentation plan: {@code copies} augmented
   * copies per train sample from {@code copyOffset}, train originals written or not.
   */
  public Balance transform(long seed, int copies, int copyOffset, boolean includeOriginal) {
    return Balance.train(strategy, target, seed)
        .withCopies(copies, copyOffset, includeOriginal)
        .withNeighbors(kNeighbors, mNeighbors)
        .withSmallClass(smallClass);
  }

  /** The section as the effective config shows it: every key the strategy uses. */
  Map<String, Object> effective() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("strategy", strategy.configName());
    if (strategy == Strategy.NONE) {
      return m;
    }
    m.put(
        "target", target.kind().equals("count") ? (Object) target.count() : (Object) target.kind());
    if (strategy.interpolates()) {
      m.put("k_neighbors", kNeighbors);
      m.put("small_class", smallClass.name().toLowerCase(Locale.ROOT));
    }
    if (strategy == Strategy.BORDERLINE_SMOTE) {
      m.put("m_neighbors", mNeighbors);
      m.put("kind", kind);
    }
    return m;
  }
}
