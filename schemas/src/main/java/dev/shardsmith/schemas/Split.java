package dev.shardsmith.schemas;

import java.util.Locale;

/** The split a sample belongs to. {@link #UNASSIGNED} only before the split stage. */
public enum Split {
  TRAIN,
  VAL,
  TEST,
  UNASSIGNED;

  /** The three real splits, in output order. */
  public static final Split[] ASSIGNED = {TRAIN, VAL, TEST};

  /** The lower-case name used in folders, columns and the manifest ({@code train}). */
  public String folder() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a lower- or upper-case split name. */
  public static Split parse(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
