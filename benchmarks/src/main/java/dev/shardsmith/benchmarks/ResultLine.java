package dev.shardsmith.benchmarks;

import java.util.Locale;

/**
 * One measured row in the line protocol shared with the Python peers and parsed by {@code
 * benchmarks/run}.
 *
 * <p>Format, tab separated: {@code RESULT <row> <threads> <unit> <value> <api>}; a higher value is
 * better for every unit used so far (items per second). {@code CHECK <row> <value>} lines carry a
 * checksum of the work, printed outside the timed loop so both sides can be compared.
 *
 * <p>{@code System.out.println(ResultLine.result("decode", 1, "img/s", 812.4, "JavaCV ..."))}
 */
public final class ResultLine {
  private ResultLine() {}

  /** The {@code RESULT} line for one row. */
  public static String result(String row, int threads, String unit, double value, String api) {
    return String.format(
        Locale.ROOT, "RESULT\t%s\t%d\t%s\t%.1f\t%s", row, threads, unit, value, api);
  }

  /** The {@code CHECK} line for one row. */
  public static String check(String row, double value) {
    return String.format(Locale.ROOT, "CHECK\t%s\t%.4f", row, value);
  }
}
