package dev.shardsmith.transforms.kernels.shard;

import dev.shardsmith.schemas.Sample;

/**
 * The writers' error for a row that disagrees with a shard's first row: {@code <rule>: row <id> is
 * <value> but row <first id> is <first value>}, so the message names both rows and both values.
 */
final class Mismatch {
  private Mismatch() {}

  static IllegalArgumentException of(
      String rule, Sample row, Object value, Sample first, Object firstValue) {
    return of(rule, "row ", row, value, first, firstValue);
  }

  /**
   * The same, {@code what} naming the part of {@code row} that differs ({@code "a frame of row "}).
   */
  static IllegalArgumentException of(
      String rule, String what, Sample row, Object value, Sample first, Object firstValue) {
    return new IllegalArgumentException(
        rule
            + ": "
            + what
            + row.id()
            + " is "
            + value
            + " but row "
            + first.id()
            + " is "
            + firstValue);
  }
}
