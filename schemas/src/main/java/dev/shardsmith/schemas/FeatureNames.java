package dev.shardsmith.schemas;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the arrays of a {@link FeaturePayload} mean: {@code numeric.get(i)} names {@code
 * numeric()[i]}, {@code categorical.get(j)} names {@code categorical()[j]}. Every row of a tabular
 * run shares one instance; shard writers record it (Parquet and Arrow file keys, {@code .npy}
 * meta.json) and write one string column per categorical feature, named after it.
 *
 * <p>Names are non-empty and unique across both lists; a categorical name must not be one of the
 * shard's own columns ({@link #SHARD_COLUMNS}).
 *
 * <pre>{@code
 * FeatureNames names = new FeatureNames(List.of("x-box", "y-box"), List.of("colour"));
 * }</pre>
 */
public record FeatureNames(List<String> numeric, List<String> categorical) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Columns every shard already has; a categorical feature cannot take one of these names. */
  public static final List<String> SHARD_COLUMNS =
      List.of(
          "id",
          "features",
          "label",
          "label_name",
          "labels",
          "split",
          "fold",
          "group",
          "source_ids",
          "copy_index",
          "derived_kind",
          "payload_sha256",
          "applied");

  /** No features: the names of a shard that holds no feature rows. */
  public static final FeatureNames NONE = new FeatureNames(List.of(), List.of());

  public FeatureNames {
    numeric = List.copyOf(numeric);
    categorical = List.copyOf(categorical);
    Set<String> seen = new HashSet<>();
    for (String n : numeric) {
      check(n, seen);
    }
    for (String c : categorical) {
      check(c, seen);
      if (SHARD_COLUMNS.contains(c)) {
        throw new IllegalArgumentException(
            "categorical feature \""
                + c
                + "\" has the name of a shard column; shard columns are "
                + SHARD_COLUMNS);
      }
    }
  }

  private static void check(String name, Set<String> seen) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a feature name must not be empty");
    }
    if (!seen.add(name)) {
      throw new IllegalArgumentException("feature \"" + name + "\" is named twice");
    }
  }

  /**
   * These names, or when none were given ({@link #NONE}) positional ones for rows shaped like
   * {@code first}: {@code f0, f1, ...} numeric and {@code c0, c1, ...} categorical.
   */
  public FeatureNames orPositional(FeaturePayload first) {
    if (!numeric.isEmpty() || !categorical.isEmpty()) {
      return this;
    }
    List<String> n = new java.util.ArrayList<>();
    for (int i = 0; i < first.numeric().length; i++) {
      n.add("f" + i);
    }
    List<String> c = new java.util.ArrayList<>();
    for (int j = 0; j < first.categorical().length; j++) {
      c.add("c" + j);
    }
    return new FeatureNames(n, c);
  }

  /** Throws unless {@code p}'s arrays have one value per name; {@code id} names the row. */
  public void check(String id, FeaturePayload p) {
    if (p.numeric().length != numeric.size() || p.categorical().length != categorical.size()) {
      throw new IllegalArgumentException(
          "row "
              + id
              + " has "
              + p.numeric().length
              + " numeric and "
              + p.categorical().length
              + " categorical features, but the feature names list "
              + numeric.size()
              + " and "
              + categorical.size());
    }
  }
}
