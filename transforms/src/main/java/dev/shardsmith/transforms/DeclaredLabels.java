package dev.shardsmith.transforms;

import java.io.Serializable;
import java.util.List;

/**
 * The labels a reader allows ({@code input.labels}; none declared: all) and whether another label
 * fails the run ({@code input.unknown_label = fail}) rather than rejecting its sample or source as
 * {@code unknown_label}: one check for {@link ReadImages} and the row readers of {@link FileReads}.
 */
record DeclaredLabels(List<String> declared, boolean fail) implements Serializable {
  private static final long serialVersionUID = 1L;

  static final DeclaredLabels ANY = new DeclaredLabels(List.of(), false);

  DeclaredLabels {
    declared = List.copyOf(declared);
  }

  /**
   * Whether {@code label} of sample {@code sampleId} is allowed.
   *
   * @throws IllegalStateException when it is not and {@link #fail()} is set
   */
  boolean allows(String label, String sampleId) {
    if (declared.isEmpty() || declared.contains(label)) {
      return true;
    }
    if (fail) {
      throw new IllegalStateException(
          "label \""
              + label
              + "\" of "
              + sampleId
              + " is not in input.labels "
              + declared
              + " (input.unknown_label = fail)");
    }
    return false;
  }

  /** The detail of an {@code unknown_label} rejection. */
  static String unknown(String label) {
    return "label \"" + label + "\" is not in input.labels";
  }
}
