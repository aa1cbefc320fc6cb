package dev.shardsmith.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shardsmith.transforms.ReadText;
import dev.shardsmith.transforms.kernels.corpus.TextSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code input.kind: text} keys: defaults, the effective config, and every bad key. */
class TextInputConfigTest {
  @TempDir Path base;

  private RunConfig parse(String yaml) throws Exception {
    return RunConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml), base);
  }

  private String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  private static final String JSONL = "name: t\ninput: {kind: text, format: jsonl, files: [d/*]";

  @Test
  void defaultsAndTheEffectiveConfig() throws Exception {
    RunConfig c = parse(JSONL + "}\nquality: {max_chars: 500}\naugment: {enabled: false}\n");
    TextSpec s = c.input().text().spec();
    assertEquals("text", c.input().kind());
    assertNull(c.input().root());
    assertNull(c.input().tabular());
    assertEquals(TextSpec.Format.JSONL, s.format());
    assertEquals("text", s.textField());
    assertEquals("label", s.labelField());
    assertNull(s.labelsField());
    assertEquals(TextSpec.Unicode.NFC, s.unicode());
    assertEquals(TextSpec.Whitespace.TRIM, s.whitespace());
    assertEquals(500, s.maxChars());
    Map<?, ?> in = (Map<?, ?>) c.effective().get("input");
    assertEquals("text", in.get("layout"));
    assertEquals("jsonl", in.get("format"));
    assertEquals(List.of("d/*"), in.get("files"));
    assertEquals("nfc", in.get("unicode"));
    assertEquals(Map.of("max_chars", 500), c.effective().get("quality"));
    Map<?, ?> aug = (Map<?, ?>) c.effective().get("augment");
    assertTrue(!aug.containsKey("hflip"), "no image augmentation keys for text: " + aug);
    assertEquals(100_000, parse(JSONL + "}\n").input().text().spec().maxChars());
  }

  @Test
  void resolveListsFilesAndClassFolders() throws Exception {
    Files.createDirectories(base.resolve("d"));
    Files.writeString(base.resolve("d/b.jsonl"), "");
    Files.writeString(base.resolve("d/a.jsonl"), "");
    assertEquals(
        List.of("d/a.jsonl", "d/b.jsonl"),
        List.copyOf(parse(JSONL + "}\n").input().text().resolve().keySet()));
    Files.createDirectories(base.resolve("root/pets/sub"));
    Files.writeString(base.resolve("root/pets/sub/cat.txt"), "c");
    Files.writeString(base.resolve("root/pets/notes.md"), "not a sample");
    Files.writeString(base.resolve("root/loose.txt"), "no class");
    Map<String, ReadText.Source> folders =
        parse("name: t\ninput: {kind: text, format: folders, root: root}\n")
            .input()
            .text()
            .resolve();
    assertEquals(List.of("loose.txt", "pets/sub/cat.txt"), List.copyOf(folders.keySet()));
    assertEquals("pets", folders.get("pets/sub/cat.txt").label());
    assertNull(folders.get("loose.txt").label(), "rejected as no_label when read");
    Files.writeString(base.resolve("d/art"), "x\n%\n");
    Map<String, ReadText.Source> fortunes =
        parse("name: t\ninput: {kind: text, format: fortune, files: [d/art]}\n")
            .input()
            .text()
            .resolve();
    assertEquals("art", fortunes.get("d/art").label());
    assertEquals(
        "jokes",
        parse("name: t\ninput: {kind: text, format: fortune, files: [d/art], file_label: jokes}\n")
            .input()
            .text()
            .resolve()
            .get("d/art")
            .label());
    assertTrue(
        assertThrows(
                ConfigException.class,
                () ->
                    parse("name: t\ninput: {kind: text, format: csv, files: [e/*.csv]}\n")
                        .input()
                        .text()
                        .resolve())
            .getMessage()
            .contains("matches no file"));
    assertTrue(
        assertThrows(
                ConfigException.class,
                () ->
                    parse("name: t\ninput: {kind: text, format: folders, root: d}\n")
                        .input()
                        .text()
                        .resolve())
            .getMessage()
            .contains("holds no .txt file"));
  }

  @Test
  void aCsvColumnMissingFromTheFirstHeaderIsAConfigError() throws Exception {
    Files.createDirectories(base.resolve("d"));
    Files.writeString(base.resolve("d/a.csv"), "");
    Files.writeString(base.resolve("d/b.csv"), "body,label\nhi,x\n");
    String csv = "name: t\ninput: {kind: text, format: csv, files: [d/*.csv]";
    String e =
        assertThrows(ConfigException.class, () -> parse(csv + "}\n").input().text().resolve())
            .getMessage();
    assertTrue(e.contains("of d/b.csv lacks the column(s) [text]"), e);
    assertEquals(
        List.of("d/a.csv", "d/b.csv"),
        List.copyOf(parse(csv + ", text_field: body}\n").input().text().resolve().keySet()),
        "the empty file is rejected when read; the next header decides");
    Files.writeString(base.resolve("d/b.csv"), "");
    assertTrue(
        assertThrows(ConfigException.class, () -> parse(csv + "}\n").input().text().resolve())
            .getMessage()
            .contains("no CSV has a readable header"));
  }

  @Test
  void badKeysAndValuesNameTheKey() throws Exception {
    assertTrue(error("name: t\ninput: {kind: text, files: [a]}\n").contains("input.format"));
    assertTrue(
        error("name: t\ninput: {kind: text, format: xml, files: [a]}\n")
            .contains("use one of jsonl, csv, folders, fortune"));
    assertTrue(
        error("name: t\ninput: {kind: text, format: jsonl}\n").contains("input.files is required"));
    assertTrue(
        error("name: t\ninput: {kind: text, format: folders, files: [a]}\n")
            .contains("input.root is required"));
    assertTrue(
        error("name: t\ninput: {kind: text, format: fortune, files: [a], label_field: x}\n")
            .contains("jsonl and csv only"));
    assertTrue(error(JSONL + ", file_label: x}\n").contains("fortune only"));
    assertTrue(error(JSONL + ", label_field: a, labels_field: b}\n").contains("not both"));
    assertTrue(error(JSONL + ", text_field: ''}\n").contains("input.text_field is empty"));
    assertTrue(error(JSONL + ", unicode: nfd}\n").contains("nfc, nfkc, none"));
    assertTrue(error(JSONL + ", whitespace: squash}\n").contains("trim, collapse, keep"));
    assertTrue(error(JSONL + ", manifest: m.csv}\n").contains("input.manifest"));
    assertTrue(error(JSONL + "}\nquality: {max_chars: 0}\n").contains("quality.max_chars"));
    assertTrue(error(JSONL + "}\nquality: {min_width: 3}\n").contains("quality.min_width"));
    assertTrue(error(JSONL + "}\npreprocess: {resize: 3}\n").contains("preprocess does not"));
    assertTrue(error(JSONL + "}\nnormalize: {scale: none}\n").contains("normalize does not"));
    assertTrue(
        error(JSONL + "}\noutput: {formats: [parquet, npy]}\n").contains("input.kind = text"));
    assertTrue(error(JSONL + "}\naugment: {hflip: {p: 1}}\n").contains("augment.hflip"));
    assertTrue(
        error(JSONL + "}\naugment: {min_visibility: 0.5}\n").contains("augment.min_visibility"));
    assertTrue(
        error(JSONL + "}\nbalance: {strategy: smote}\n")
            .contains("not allowed for input.kind = text"));
    assertTrue(
        error(
                "name: t\ninput: {kind: tabular, files: [a.csv], label: y}\nquality: {max_chars: 9}\n")
            .contains("quality.max_chars"),
        "max_chars is a text key");
  }

  @Test
  void balanceByAugmentationIsAllowedForText() throws Exception {
    RunConfig c =
        parse(JSONL + "}\nbalance: {strategy: augment}\naugment: {ops: [{op: random_swap}]}\n");
    assertEquals("augment", c.balance().strategy().configName());
    assertEquals(0, c.augment().copies(), "text copies come from ops and balance only");
    assertTrue(
        assertThrows(
                ConfigException.class, () -> parse(JSONL + "}\nbalance: {strategy: augment}\n"))
            .getMessage()
            .contains("augment.ops is empty"));
  }
}
