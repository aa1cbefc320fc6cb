package dev.shardsmith.transforms.kernels.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every text source format and every record-level outcome, on the files in sample-data/text. */
class TextRecordsTest {
  private static final Path TEXT = Path.of("../sample-data/text").toAbsolutePath().normalize();

  @TempDir Path tmp;

  /** What the visitor saw, one line per record: {@code n kind detail}. */
  private static final class Seen implements TextRecords.Visitor {
    final List<String> lines = new ArrayList<>();
    final List<String> texts = new ArrayList<>();

    @Override
    public void record(long n, String id, List<String> labels, String group, String text) {
      lines.add(n + " ok " + id + " " + labels + " " + group);
      texts.add(text);
    }

    @Override
    public void filtered(long n, String id, String reason) {
      lines.add(n + " filtered " + reason);
    }

    @Override
    public void rejected(long n, String id, String reason, String detail) {
      assertTrue(!detail.isBlank(), "a rejection says why");
      lines.add(n + " rejected " + reason);
    }
  }

  private static Seen read(Path file, String label, TextSpec spec) throws BadTextException {
    Seen s = new Seen();
    TextRecords.read(file, label, spec, s);
    return s;
  }

  @Test
  void fortuneFileYieldsOneRecordPerPercentLine() throws Exception {
    Path pets = TEXT.resolve("fortunes/pets");
    Seen s = read(pets, "pets", TextSpec.of(TextSpec.Format.FORTUNE));
    long separators =
        Files.readAllLines(pets, StandardCharsets.UTF_8).stream().filter("%"::equals).count();
    assertEquals(52, separators);
    assertEquals(separators, s.lines.size());
    assertEquals("1 ok null [pets] null", s.lines.get(0));
    assertEquals(
        "A door is what a dog is perpetually on the wrong side of.\n\t\t-- Ogden Nash",
        s.texts.get(0));
    assertEquals(
        "About the only thing on a farm that has an easy time is the dog.", s.texts.get(2));
    // pets holds a UTF-8 pound sign: decoded, not rejected
    assertTrue(s.texts.stream().anyMatch(t -> t.contains("\u00a35")), "the \u00a3 of rule 51");
  }

  @Test
  void damagedFortunesAreRejectedOrFilteredOneByOne() throws Exception {
    Seen s =
        read(
            TEXT.resolve("damaged/damaged-fortunes"),
            "misc",
            TextSpec.of(TextSpec.Format.FORTUNE)
                .withCleanup(TextSpec.Unicode.NFC, TextSpec.Whitespace.COLLAPSE, 1000));
    assertEquals(
        List.of(
            "1 ok null [misc] null",
            "2 rejected invalid_utf8",
            "3 filtered empty",
            "4 filtered too_long",
            "5 ok null [misc] null"),
        s.lines);
    assertEquals(
        List.of("A good fortune about dogs.", "Another good fortune. -- Anonymous"), s.texts);
  }

  @Test
  void damagedJsonLinesGiveEachLineItsReason() throws Exception {
    Seen s =
        read(
            TEXT.resolve("damaged/damaged.jsonl"),
            null,
            TextSpec.of(TextSpec.Format.JSONL)
                .withCleanup(TextSpec.Unicode.NFC, TextSpec.Whitespace.TRIM, 1000));
    assertEquals(
        List.of(
            "1 ok null [pets] null",
            "2 rejected invalid_utf8",
            "3 filtered empty",
            "4 filtered too_long",
            "5 rejected no_label",
            "6 rejected no_text",
            "7 ok null [politics] null",
            "8 rejected bad_json",
            "9 ok null [food] null"),
        s.lines);
  }

  @Test
  void jsonLinesReadIdsGroupsAndMultipleLabels() throws Exception {
    Path f = TEXT.resolve("tiny/quotes.jsonl");
    Seen single = read(f, null, TextSpec.of(TextSpec.Format.JSONL).withIdAndGroup("id", "group"));
    assertEquals("1 ok q1 [pets] heinlein", single.lines.get(0));
    assertEquals("6 ok q6 [pets] null", single.lines.get(5));
    Seen multi =
        read(
            f,
            null,
            TextSpec.of(TextSpec.Format.JSONL)
                .withLabelsField("labels")
                .withIdAndGroup("id", null));
    assertEquals("5 rejected no_label", multi.lines.get(4), "q5 has no labels field");
    assertEquals("6 ok q6 [pets, food] null", multi.lines.get(5));
  }

  @Test
  void jsonLabelsOfTheWrongTypeAndMissingIdsAreRejected() throws Exception {
    Path f =
        Files.writeString(
            tmp.resolve("types.jsonl"),
            "{\"id\": 1, \"text\": \"a\", \"label\": 7, \"tags\": [\"x\", 2]}\n"
                + "{\"text\": \"b\", \"label\": \"x\", \"tags\": \"x|y\"}\n"
                + "{\"id\": \"c\", \"text\": \"c\", \"label\": \"\", \"tags\": []}\n"
                + "{\"id\": 4, \"text\": \"d\", \"label\": \"x\", \"tags\": \"y| x |y\"}\n");
    TextSpec byId = TextSpec.of(TextSpec.Format.JSONL).withIdAndGroup("id", null);
    assertEquals(
        List.of(
            "1 rejected bad_label", "2 rejected no_id", "3 rejected no_label", "4 ok 4 [x] null"),
        read(f, null, byId).lines);
    assertEquals(
        List.of(
            "1 rejected bad_label",
            "2 rejected no_id",
            "3 rejected no_label",
            "4 ok 4 [y, x] null"),
        read(f, null, byId.withLabelsField("tags")).lines);
  }

  @Test
  void aCsvHeaderThatIsNotUtf8RejectsTheFile() throws Exception {
    Path f = tmp.resolve("latin1.csv");
    Files.write(f, "t\u00e9xt,label\nx,a\n".getBytes(StandardCharsets.ISO_8859_1));
    BadTextException e =
        assertThrows(BadTextException.class, () -> read(f, null, TextSpec.of(TextSpec.Format.CSV)));
    assertEquals("invalid_utf8", e.reason());
  }

  @Test
  void csvQuotedFieldsSpanLinesAndLabelsSplitOnTheSeparator() throws Exception {
    Seen s =
        read(
            TEXT.resolve("tiny/quotes.csv"),
            null,
            TextSpec.of(TextSpec.Format.CSV)
                .withLabelsField("labels")
                .withIdAndGroup("id", "group"));
    assertEquals(
        List.of(
            "1 ok c1 [pets] heinlein",
            "2 ok c2 [pets] nash",
            "3 ok c3 [food] null",
            "4 ok c4 [pets, food] null"),
        s.lines);
    assertEquals(
        "Cats, dogs and \"people\" will eat\nnearly anything you leave on the table.",
        s.texts.get(3));
  }

  @Test
  void csvRowsWithBadBytesOrFieldsAreRejectedAlone() throws Exception {
    Path f = tmp.resolve("mixed.csv");
    byte[] bad = "bad \u00e9 bytes".getBytes(StandardCharsets.ISO_8859_1);
    try (var out = Files.newOutputStream(f)) {
      out.write("text,label\r\n".getBytes(StandardCharsets.UTF_8));
      out.write("fine,a\r\n".getBytes(StandardCharsets.UTF_8));
      out.write(bad);
      out.write(",a\r\n".getBytes(StandardCharsets.UTF_8));
      out.write("too,many,fields\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      out.write("\"after\"quote,a\n".getBytes(StandardCharsets.UTF_8));
      out.write("no label,\n".getBytes(StandardCharsets.UTF_8));
      out.write("\"also, fine\",b".getBytes(StandardCharsets.UTF_8));
    }
    Seen s = read(f, null, TextSpec.of(TextSpec.Format.CSV));
    assertEquals(
        List.of(
            "1 ok null [a] null",
            "2 rejected invalid_utf8",
            "3 rejected bad_row",
            "4 rejected bad_row",
            "5 rejected no_label",
            "6 ok null [b] null"),
        s.lines);
    assertEquals(List.of("fine", "also, fine"), s.texts);
  }

  @Test
  void csvWithoutTheNamedColumnsIsARejectedSource() throws Exception {
    Path f = Files.writeString(tmp.resolve("cols.csv"), "body,label\nhello,a\n");
    BadTextException e =
        assertThrows(BadTextException.class, () -> read(f, null, TextSpec.of(TextSpec.Format.CSV)));
    assertEquals("missing_column", e.reason());
    assertTrue(e.getMessage().contains("[text]"), e.getMessage());
    Path empty = Files.writeString(tmp.resolve("empty.csv"), "");
    assertEquals(
        "no_header",
        assertThrows(
                BadTextException.class, () -> read(empty, null, TextSpec.of(TextSpec.Format.CSV)))
            .reason());
  }

  @Test
  void aWholeFileIsOneSampleAndNeedsAClassFolder() throws Exception {
    Seen s =
        read(
            TEXT.resolve("tiny/folders/pets/door.txt"),
            "pets",
            TextSpec.of(TextSpec.Format.FOLDERS));
    assertEquals(List.of("1 ok null [pets] null"), s.lines);
    assertEquals(
        "A door is what a dog is perpetually on the wrong side of.\n\t\t-- Ogden Nash",
        s.texts.get(0));
    Path latin1 = tmp.resolve("latin1.txt");
    Files.write(latin1, "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(
        List.of("1 rejected invalid_utf8"),
        read(latin1, "x", TextSpec.of(TextSpec.Format.FOLDERS)).lines);
    assertEquals(
        List.of("1 rejected no_label"),
        read(latin1, null, TextSpec.of(TextSpec.Format.FOLDERS)).lines);
  }

  @Test
  void anUnreadableFileIsABadSource() {
    BadTextException e =
        assertThrows(
            BadTextException.class,
            () -> read(tmp.resolve("missing.jsonl"), null, TextSpec.of(TextSpec.Format.JSONL)));
    assertEquals("read_error", e.reason());
  }

  @Test
  void cleanupNormalizesUnicodeAndWhitespaceOnlyAsConfigured() {
    String composed = "caf\u00e9";
    String decomposed = "cafe\u0301";
    TextSpec nfc = TextSpec.of(TextSpec.Format.JSONL);
    assertEquals(composed, nfc.clean("  " + decomposed + "\n"));
    TextSpec none = nfc.withCleanup(TextSpec.Unicode.NONE, TextSpec.Whitespace.KEEP, 10);
    assertEquals("  " + decomposed + "\n", none.clean("  " + decomposed + "\n"));
    assertEquals("\ufb01", none.clean("\ufb01"));
    assertEquals(
        "fi a b",
        nfc.withCleanup(TextSpec.Unicode.NFKC, TextSpec.Whitespace.COLLAPSE, 10)
            .clean("\ufb01\t a\u00a0\n b "));
  }

  @Test
  void tooLongCountsCodePointsNotUtf16Units() throws Exception {
    Path f = tmp.resolve("emoji");
    // four emoji: 8 UTF-16 units, 4 code points
    Files.writeString(f, "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\n%\n");
    TextSpec four =
        TextSpec.of(TextSpec.Format.FORTUNE)
            .withCleanup(TextSpec.Unicode.NFC, TextSpec.Whitespace.TRIM, 4);
    assertEquals(List.of("1 ok null [e] null"), read(f, "e", four).lines);
    TextSpec three = four.withCleanup(TextSpec.Unicode.NFC, TextSpec.Whitespace.TRIM, 3);
    assertEquals(List.of("1 filtered too_long"), read(f, "e", three).lines);
  }
}
