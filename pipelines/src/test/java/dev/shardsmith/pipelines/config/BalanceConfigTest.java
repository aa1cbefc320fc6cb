package dev.shardsmith.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shardsmith.transforms.Balance.SmallClass;
import dev.shardsmith.transforms.Balance.Strategy;
import dev.shardsmith.transforms.Balance.Target;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code balance} section: defaults, every strategy's keys, and each bad value's message. */
class BalanceConfigTest {
  private static final String IMAGES = "name: t\ninput: {root: imgs}\n";

  private static RunConfig parse(String yaml) throws Exception {
    return RunConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml), Path.of("/d"));
  }

  private static BalanceConfig balance(String section) throws Exception {
    return parse(IMAGES + "balance: " + section + "\n").balance();
  }

  /** Parses the section alone as a feature-vector run would (the SMOTE family allowed). */
  private static BalanceConfig features(String section) throws Exception {
    return BalanceConfig.parse(
        new Section("balance", new ObjectMapper(new YAMLFactory()).readTree(section)),
        "tabular",
        parse(IMAGES).augment());
  }

  private static String error(String section) {
    return assertThrows(ConfigException.class, () -> balance(section)).getMessage();
  }

  private static String featureError(String section) {
    return assertThrows(ConfigException.class, () -> features(section)).getMessage();
  }

  @Test
  void defaultIsNoneAndEachStrategyHasItsDefaultTarget() throws Exception {
    assertEquals(BalanceConfig.NONE, parse(IMAGES).balance());
    assertEquals(Map.of("strategy", "none"), parse(IMAGES).balance().effective());
    assertEquals(Target.min(), balance("{strategy: undersample}").target());
    assertEquals(Target.max(), balance("{strategy: oversample}").target());
    assertEquals(Target.median(), balance("{strategy: augment, target: median}").target());
    assertEquals(Target.count(120), balance("{strategy: oversample, target: 120}").target());
    assertEquals(Target.count(7), balance("{strategy: undersample, target: 7}").target());
    BalanceConfig b =
        features(
            "{strategy: borderline_smote, k_neighbors: 3, m_neighbors: 8, kind: borderline-1,"
                + " small_class: reduce_k}");
    assertEquals(Strategy.BORDERLINE_SMOTE, b.strategy());
    assertEquals(3, b.kNeighbors());
    assertEquals(8, b.mNeighbors());
    assertEquals(SmallClass.REDUCE_K, b.smallClass());
    assertEquals(
        Map.of(
            "strategy", "borderline_smote",
            "target", "max",
            "k_neighbors", 3,
            "small_class", "reduce_k",
            "m_neighbors", 8,
            "kind", "borderline-1"),
        b.effective());
    assertEquals(5, features("{strategy: smote_nc}").kNeighbors());
    assertEquals(SmallClass.ERROR, features("{strategy: adasyn}").smallClass());
  }

  @Test
  void theSectionChangesTheConfigHash() throws Exception {
    assertNotEquals(
        parse(IMAGES).sha256(), parse(IMAGES + "balance: {strategy: oversample}\n").sha256());
    assertNotEquals(
        parse(IMAGES + "balance: {strategy: oversample}\n").sha256(),
        parse(IMAGES + "balance: {strategy: oversample, target: median}\n").sha256());
  }

  @Test
  void badValuesNameTheKeyTheValueAndWhatIsAllowed() {
    assertEquals(
        "balance.strategy = smoote is not allowed: use one of none, undersample, oversample,"
            + " augment, smote, borderline_smote, adasyn, smote_nc",
        error("{strategy: smoote}"));
    assertEquals(
        "balance.target = max is not allowed for balance.strategy = undersample: use min or a"
            + " count >= 1",
        error("{strategy: undersample, target: max}"));
    assertEquals(
        "balance.target = min is not allowed for balance.strategy = oversample: use max, median"
            + " or a count >= 1",
        error("{strategy: oversample, target: min}"));
    assertEquals(
        "balance.target = 0 is out of range: must be in [1, 2147483647]",
        error("{strategy: oversample, target: 0}"));
    assertEquals(
        "balance.target = 1.5 must be an integer", error("{strategy: oversample, target: 1.5}"));
    assertEquals(
        "balance.target is set, but balance.strategy = none uses no target",
        error("{target: max}"));
    assertEquals(
        "balance.k_neighbors is set, but balance.strategy = oversample does not use it: it applies"
            + " to the SMOTE strategies only",
        error("{strategy: oversample, k_neighbors: 3}"));
    assertEquals(
        "balance.m_neighbors is set, but balance.strategy = smote does not use it: it applies to"
            + " borderline_smote only",
        featureError("{strategy: smote, m_neighbors: 3}"));
    assertEquals(
        "balance.k_neighbors = 0 is out of range: must be in [1, 1000]",
        featureError("{strategy: smote, k_neighbors: 0}"));
    assertEquals(
        "balance.small_class = drop is not allowed: use one of error, reduce_k, skip",
        featureError("{strategy: adasyn, small_class: drop}"));
    assertEquals(
        "balance.kind = borderline-2 is not allowed: use one of borderline-1",
        featureError("{strategy: borderline_smote, kind: borderline-2}"));
    assertEquals(
        "balance.k is not a known key: balance takes strategy, target, k_neighbors, m_neighbors,"
            + " kind, small_class",
        error("{strategy: oversample, k: 3}"));
  }

  @Test
  void crossSectionRulesFailBeforeAnyDataIsRead() {
    assertEquals(
        "balance.strategy = smote interpolates feature vectors and is not allowed for input.kind ="
            + " images: use none, undersample, oversample or augment",
        error("{strategy: smote}"));
    assertEquals(
        "balance.strategy = augment makes augmented copies, but augment.enabled = false: enable"
            + " augment, or use oversample (exact duplicates)",
        assertThrows(
                ConfigException.class,
                () -> parse(IMAGES + "augment: {enabled: false}\nbalance: {strategy: augment}\n"))
            .getMessage());
    assertEquals(
        "balance.strategy = augment makes augmented copies, which only images, text and series"
            + " have an engine for, but input.kind = tabular: use oversample or a SMOTE strategy",
        featureError("{strategy: augment}"));
  }
}
