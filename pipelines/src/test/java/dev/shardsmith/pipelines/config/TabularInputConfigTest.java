package dev.shardsmith.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularInputConfigTest {
  @TempDir Path base;

  private RunConfig parse(String yaml) throws Exception {
    return RunConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml), base);
  }

  private String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  private static final String IN = "name: t\ninput: {kind: tabular, files: [d/*.csv], label: y";

  @Test
  void parsesTheKeysAndResolvesGlobsAndDefaultFeatures() throws Exception {
    Files.createDirectories(base.resolve("d/sub"));
    Files.writeString(base.resolve("d/b.csv"), "id,y,g,a,colour,b\n");
    Files.writeString(base.resolve("d/a.csv"), "id,y,g,a,colour,b\n");
    Files.writeString(base.resolve("d/sub/c.csv"), "id,y\n");
    Files.writeString(base.resolve("d/notes.txt"), "x");
    RunConfig c = parse(IN + ", id: id, group: g, categorical: [colour]}\n");
    TabularInputConfig t = c.input().tabular();
    assertEquals("tabular", c.input().kind());
    assertNull(c.input().root());
    assertNull(t.features());
    TabularInputConfig.Resolved r = t.resolve();
    assertEquals(List.of("d/a.csv", "d/b.csv"), List.copyOf(r.files().keySet()), "sorted");
    assertEquals(List.of("a", "b"), r.spec().numeric());
    assertEquals(List.of("colour"), r.spec().categorical());
    assertEquals("table", ((java.util.Map<?, ?>) c.effective().get("input")).get("layout"));
  }

  @Test
  void badKeysAndValuesNameTheKey() throws Exception {
    assertTrue(
        error("name: t\ninput: {kind: tabular, label: y}\n").contains("input.files is required"));
    assertTrue(
        error("name: t\ninput: {kind: tabular, files: [a.tsv], label: y}\n")
            .contains("must end in .csv or .parquet"));
    assertTrue(error("name: t\ninput: {kind: tabular, files: [a.csv]}\n").contains("input.label"));
    assertTrue(error(IN + ", features: []}\n").contains("input.features is empty"));
    assertTrue(error(IN + ", root: imgs}\n").contains("root"), "image keys are unknown here");
    assertTrue(error(IN + "}\naugment: {copies: 2}\n").contains("augment applies to images"));
    assertTrue(error(IN + ", colums: [a]}\n").contains("colums"));
  }

  @Test
  void resolveFailsOnNoMatchAMissingFileAndAMissingColumn() throws Exception {
    assertTrue(
        assertThrows(ConfigException.class, () -> parse(IN + "}\n").input().tabular().resolve())
            .getMessage()
            .contains("matches no file"));
    assertTrue(
        assertThrows(
                ConfigException.class,
                () ->
                    parse("name: t\ninput: {kind: tabular, files: [x.csv], label: y}\n")
                        .input()
                        .tabular()
                        .resolve())
            .getMessage()
            .contains("is not a file"));
    Files.createDirectories(base.resolve("d"));
    Files.writeString(base.resolve("d/a.csv"), "y,a\n");
    String m =
        assertThrows(
                ConfigException.class,
                () -> parse(IN + ", group: g}\n").input().tabular().resolve())
            .getMessage();
    assertTrue(m.contains("\"g\" is not in the header [y, a]") && m.contains("d/a.csv"), m);
  }
}
