package dev.shardsmith.transforms.kernels.window;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses a timestamp cell into a sortable number. Accepted: an integer (taken as is, e.g. a step
 * number or epoch seconds), an ISO date {@code 2012-01-31} or {@code 2012/01/31}, an ISO date-time
 * ({@code 2012-01-31T08:00:00}, optionally with an offset or {@code Z}), or an English month date
 * {@code Jan 31 2012}. Dates and date-times become UTC epoch seconds. Timestamps only order the
 * steps of a series: they are not resampled, so irregular spacing passes as is.
 *
 * <pre>{@code
 * long t = Timestamps.parse("Jan 1 2000"); // 946684800
 * }</pre>
 */
public final class Timestamps {
  private Timestamps() {}

  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
  private static final List<DateTimeFormatter> DATES =
      List.of(
          DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT),
          DateTimeFormatter.ofPattern("uuuu/MM/dd", Locale.ROOT),
          DateTimeFormatter.ofPattern("MMM d uuuu", Locale.ENGLISH));

  /**
   * The timestamp of {@code cell}.
   *
   * @throws IllegalArgumentException naming the value and the accepted forms
   */
  public static long parse(String cell) {
    String t = cell == null ? "" : cell.trim();
    if (INTEGER.matcher(t).matches()) {
      return Long.parseLong(t);
    }
    for (DateTimeFormatter f : DATES) {
      try {
        return LocalDate.parse(t, f).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
      } catch (DateTimeParseException e) {
        // try the next form
      }
    }
    try {
      return OffsetDateTime.parse(t).toEpochSecond();
    } catch (DateTimeParseException e) {
      // try without offset
    }
    try {
      return LocalDateTime.parse(t).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // try an instant
    }
    try {
      return Instant.parse(t).getEpochSecond();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "\""
              + cell
              + "\" is not a timestamp: give an integer, 2012-01-31, 2012/01/31, an ISO date-time"
              + " or Jan 31 2012");
    }
  }
}
