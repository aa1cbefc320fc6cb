package dev.shardsmith.transforms.kernels.tabular;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV records one at a time: comma-separated fields, a field in double quotes may
 * hold commas, line breaks and doubled quotes ({@code ""} is one quote); records end at LF, CRLF or
 * CR. A leading UTF-8 byte order mark is skipped. Lenient where RFC 4180 is silent: a quote inside
 * an unquoted field is kept as a character. A record is {@link Record#malformed()} (with a reason)
 * when text follows a closing quote or a quoted field runs to the end of the file; reading goes on
 * with the next record. Memory: one record.
 *
 * <pre>{@code
 * CsvRecords csv = new CsvRecords(reader);
 * for (CsvRecords.Record r = csv.next(); r != null; r = csv.next()) { ... }
 * }</pre>
 */
public final class CsvRecords {
  /**
   * One record: its fields, and a non-null {@code malformed} reason when it broke the format. A
   * blank line is a record of one empty field.
   */
  public record Record(List<String> fields, String malformed) {
    public boolean isBlank() {
      return malformed == null && fields.size() == 1 && fields.get(0).isEmpty();
    }
  }

  private final Reader in;
  private int peeked = -2;
  private boolean started;

  public CsvRecords(Reader in) {
    this.in = in;
  }

  private int read() throws IOException {
    if (peeked != -2) {
      int c = peeked;
      peeked = -2;
      return c;
    }
    return in.read();
  }

  private int peek() throws IOException {
    if (peeked == -2) {
      peeked = in.read();
    }
    return peeked;
  }

  /** The next record, or null at the end of the input. */
  public Record next() throws IOException {
    if (!started) {
      started = true;
      if (peek() == '\uFEFF') {
        read();
      }
    }
    int c = read();
    if (c == -1) {
      return null;
    }
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    String malformed = null;
    boolean quoted = false;
    boolean afterQuote = false;
    boolean fieldStart = true;
    while (true) {
      if (quoted) {
        if (c == -1) {
          fields.add(field.toString());
          return new Record(fields, "a quoted field is not closed before the end of the file");
        }
        if (c == '"') {
          if (peek() == '"') {
            read();
            field.append('"');
          } else {
            quoted = false;
            afterQuote = true;
          }
        } else {
          field.append((char) c);
        }
      } else if (c == -1 || c == '\n' || c == '\r') {
        if (c == '\r' && peek() == '\n') {
          read();
        }
        fields.add(field.toString());
        return new Record(fields, malformed);
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        afterQuote = false;
        fieldStart = true;
        c = read();
        continue;
      } else if (afterQuote) {
        if (malformed == null) {
          malformed = "text after the closing quote of field " + (fields.size() + 1);
        }
        field.append((char) c);
      } else if (c == '"' && fieldStart) {
        quoted = true;
      } else {
        field.append((char) c);
      }
      fieldStart = false;
      c = read();
    }
  }
}
