package dev.shardsmith.transforms.kernels.tabular;

import dev.shardsmith.schemas.FeatureNames;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which columns of a tabular file mean what: the {@code label} column (required), an optional
 * {@code id} and {@code group} column, the numeric feature columns and the categorical (string)
 * feature columns, in payload order. With {@code exactColumns} (features were not listed, so they
 * are "every other column" of the first file) a file with a column outside the spec is rejected
 * rather than read with that column silently left out.
 *
 * <pre>{@code
 * TableSpec spec = TableSpec.resolve("letter", null, null, null, List.of(), header);
 * }</pre>
 */
public record TableSpec(
    String label,
    String id,
    String group,
    List<String> numeric,
    List<String> categorical,
    boolean exactColumns)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public TableSpec {
    numeric = List.copyOf(numeric);
    categorical = List.copyOf(categorical);
    if (label == null || label.isEmpty()) {
      throw new IllegalArgumentException("a table needs a label column");
    }
  }

  /** The feature names the payloads of this spec carry. */
  public FeatureNames featureNames() {
    return new FeatureNames(numeric, categorical);
  }

  /** Every column this spec reads: label, id, group, numeric, categorical (those named). */
  public List<String> columns() {
    List<String> out = new ArrayList<>();
    out.add(label);
    if (id != null) {
      out.add(id);
    }
    if (group != null) {
      out.add(group);
    }
    out.addAll(numeric);
    out.addAll(categorical);
    return out;
  }

  /**
   * The spec for a run: {@code features} null means every column of {@code header} (the first
   * file's) that is not the label, id, group or categorical, in header order.
   *
   * @throws IllegalArgumentException naming the column when a named column is not in {@code
   *     header}, a column has two roles, or (Parquet) a default feature column holds strings
   */
  public static TableSpec resolve(
      String label,
      String id,
      String group,
      List<String> features,
      List<String> categorical,
      List<TableRows.Column> header) {
    List<String> names = header.stream().map(TableRows.Column::name).toList();
    List<String> roles = new ArrayList<>();
    roles.add(label);
    if (id != null) {
      roles.add(id);
    }
    if (group != null) {
      roles.add(group);
    }
    roles.addAll(categorical);
    if (features != null) {
      roles.addAll(features);
    }
    Set<String> seen = new HashSet<>();
    for (String r : roles) {
      if (!seen.add(r)) {
        throw new IllegalArgumentException(
            "column \"" + r + "\" is named twice (label, id, group, features and categorical)");
      }
      if (!names.contains(r)) {
        throw new IllegalArgumentException("column \"" + r + "\" is not in the header " + names);
      }
    }
    List<String> numeric = new ArrayList<>();
    if (features != null) {
      numeric.addAll(features);
    } else {
      for (TableRows.Column c : header) {
        if (!seen.contains(c.name())) {
          if (!c.kind().numeric()) {
            throw new IllegalArgumentException(
                "column \""
                    + c.name()
                    + "\" holds "
                    + c.type()
                    + ", not numbers: list it under categorical, or list the numeric columns"
                    + " under features");
          }
          numeric.add(c.name());
        }
      }
    }
    for (TableRows.Column c : header) {
      if (numeric.contains(c.name()) && !c.kind().numeric()) {
        throw new IllegalArgumentException(
            "feature column \""
                + c.name()
                + "\" holds "
                + c.type()
                + ", not numbers"
                + (c.kind() == TableRows.Kind.STRING ? ": list it under categorical" : ""));
      }
      if (!numeric.contains(c.name()) && seen.contains(c.name()) && !c.kind().text()) {
        throw new IllegalArgumentException(
            "column \""
                + c.name()
                + "\" holds "
                + c.type()
                + ": a label, id, group, categorical or time column must hold strings, integers,"
                + " or int64 TIMESTAMP or int32 DATE logical types");
      }
    }
    return new TableSpec(label, id, group, numeric, categorical, features == null);
  }
}
