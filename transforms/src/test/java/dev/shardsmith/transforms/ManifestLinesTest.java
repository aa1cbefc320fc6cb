package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLinesTest {
  @TempDir Path tmp;

  private List<ManifestLines.Entry> parse(String name, String text) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    return ManifestLines.parse(f);
  }

  @Test
  void csvWithQuotesGroupsAndDeclaredIds() throws IOException {
    List<ManifestLines.Entry> e =
        parse(
            "list.csv",
            "label,path,group,id\n"
                + "cat,imgs/a.jpg,,\n"
                + "\"dog, big\",\"imgs/b \"\"1\"\".jpg\",owner-7,\n"
                + "cat,/abs/c.jpg,,c-declared\n"
                + "\n"
                + "cat,./imgs/../imgs/d.jpg,,\n");
    assertEquals(4, e.size());
    assertEquals(new ManifestLines.Entry("imgs/a.jpg", "imgs/a.jpg", "cat", "", null), e.get(0));
    assertEquals("dog, big", e.get(1).label());
    assertEquals("imgs/b \"1\".jpg", e.get(1).path());
    assertEquals("owner-7", e.get(1).group());
    assertEquals("c-declared", e.get(2).id());
    assertEquals("imgs/d.jpg", e.get(3).id(), "ids are normalized relative paths");
  }

  @Test
  void jsonlLines() throws IOException {
    List<ManifestLines.Entry> e =
        parse(
            "list.jsonl",
            "{\"path\": \"x/1.png\", \"label\": \"a\", \"group\": \"g\"}\n"
                + "{\"path\": \"x/2.png\", \"label\": \"b\"}\n"
                + "not json\n");
    assertEquals(3, e.size());
    assertEquals(new ManifestLines.Entry("x/1.png", "x/1.png", "a", "g", null), e.get(0));
    assertEquals(null, e.get(1).group());
    assertEquals("list.jsonl:3", e.get(2).id());
    assertEquals(true, e.get(2).error().startsWith("not a JSON object"));
  }

  @Test
  void unusableLinesBecomeErrorsNotSkips() throws IOException {
    List<ManifestLines.Entry> e =
        parse(
            "list.csv",
            "path,label\n" + "a.jpg,x\n" + "b.jpg\n" + ",x\n" + "/abs.jpg,x\n" + "a.jpg,y\n");
    assertArrayEquals(
        new String[] {
          null,
          "expected 2 fields, found 1",
          "no path",
          "absolute path /abs.jpg needs an id column (ids are never absolute paths)",
          "duplicate id a.jpg, first listed on line 2"
        },
        e.stream().map(ManifestLines.Entry::error).toArray(String[]::new));
    assertEquals("list.csv:3", e.get(1).id());
  }

  @Test
  void aCsvWithoutPathAndLabelColumnsFailsTheRun() {
    IOException x =
        assertThrows(IOException.class, () -> parse("list.csv", "file,class\na.jpg,x\n"));
    assertEquals(true, x.getMessage().contains("must name the columns path and label"));
  }
}
