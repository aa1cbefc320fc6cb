package dev.shardsmith.transforms.kernels.corpus;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.text.Normalizer;
import java.util.Locale;

/**
 * How text sources are read and cleaned: the {@link Format}, the field (JSONL key or CSV column)
 * names, the fixed label of fortune files, the Unicode normalization, the whitespace cleanup and
 * the longest text kept ({@code maxChars} code points, after cleanup).
 *
 * <pre>{@code
 * TextSpec spec = TextSpec.of(TextSpec.Format.JSONL).withLabelsField("tags");
 * }</pre>
 *
 * @param labelsField when set, each record carries several labels (a JSON list of strings, or a CSV
 *     field split on {@code labelsSeparator}) and {@code labelField} is not read
 * @param fixedLabel the label of every record of a fortune file; null: the file's name
 */
public record TextSpec(
    Format format,
    String textField,
    String labelField,
    String labelsField,
    String labelsSeparator,
    String idField,
    String groupField,
    String fixedLabel,
    Unicode unicode,
    Whitespace whitespace,
    int maxChars)
    implements Serializable {

  /** Where records come from. */
  public enum Format {
    /** One JSON object per line. */
    JSONL,
    /** RFC 4180 CSV with a header row. */
    CSV,
    /** {@code root/<class>/**.txt}: one file is one sample, labelled by its class folder. */
    FOLDERS,
    /** Records between lines holding only {@code %}, labelled by the file's name. */
    FORTUNE;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Unicode normalization applied to every text before anything else. */
  public enum Unicode {
    NONE,
    NFC,
    NFKC
  }

  /**
   * Whitespace cleanup after normalization: {@code keep} as is, {@code trim} leading and trailing
   * whitespace, {@code collapse} also turns every inner run of whitespace (line breaks and tabs
   * included) into one space.
   */
  public enum Whitespace {
    KEEP,
    TRIM,
    COLLAPSE
  }

  public TextSpec {
    requireNonNull(format, "format");
    requireNonNull(textField, "textField");
    requireNonNull(labelField, "labelField");
    requireNonNull(labelsSeparator, "labelsSeparator");
    requireNonNull(unicode, "unicode");
    requireNonNull(whitespace, "whitespace");
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be >= 1, was " + maxChars);
    }
    if (labelsSeparator.isEmpty()) {
      throw new IllegalArgumentException("labelsSeparator must not be empty");
    }
  }

  /** Defaults: fields text and label, no id or group, NFC, trim, at most 100,000 characters. */
  public static TextSpec of(Format format) {
    return new TextSpec(
        format,
        "text",
        "label",
        null,
        "|",
        null,
        null,
        null,
        Unicode.NFC,
        Whitespace.TRIM,
        100_000);
  }

  public TextSpec withLabelsField(String field) {
    return new TextSpec(
        format,
        textField,
        labelField,
        field,
        labelsSeparator,
        idField,
        groupField,
        fixedLabel,
        unicode,
        whitespace,
        maxChars);
  }

  public TextSpec withIdAndGroup(String id, String group) {
    return new TextSpec(
        format,
        textField,
        labelField,
        labelsField,
        labelsSeparator,
        id,
        group,
        fixedLabel,
        unicode,
        whitespace,
        maxChars);
  }

  public TextSpec withCleanup(Unicode u, Whitespace w, int max) {
    return new TextSpec(
        format,
        textField,
        labelField,
        labelsField,
        labelsSeparator,
        idField,
        groupField,
        fixedLabel,
        u,
        w,
        max);
  }

  /** The text after Unicode normalization and whitespace cleanup. */
  public String clean(String text) {
    String t =
        switch (unicode) {
          case NONE -> text;
          case NFC -> Normalizer.normalize(text, Normalizer.Form.NFC);
          case NFKC -> Normalizer.normalize(text, Normalizer.Form.NFKC);
        };
    return switch (whitespace) {
      case KEEP -> t;
      case TRIM -> t.strip();
      case COLLAPSE -> t.strip().replaceAll("(?U)\\s+", " ");
    };
  }
}
