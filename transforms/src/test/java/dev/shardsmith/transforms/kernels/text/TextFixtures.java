package dev.shardsmith.transforms.kernels.text;

import dev.shardsmith.schemas.Applied;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real sentences from Debian's fortunes, and a replayer for recorded edits. */
final class TextFixtures {
  private TextFixtures() {}

  static final Path FORTUNES = Path.of("/usr/share/games/fortunes");

  /** One-line fortunes of {@code file} between 20 and 200 characters. */
  static List<String> sentences(String file) throws IOException {
    List<String> out = new ArrayList<>();
    for (String rec : Files.readString(FORTUNES.resolve(file)).split("\n%\n")) {
      String s = rec.replace('\n', ' ').trim();
      if (s.length() >= 20 && s.length() <= 200 && !s.contains("\t")) {
        out.add(s);
      }
    }
    return out;
  }

  /** Applies {@code applied}'s edits, in order, to the tokens of {@code original}. */
  static String replay(String original, Applied applied) {
    List<String> t = new ArrayList<>();
    for (Token x : Tokenizer.tokenize(original)) {
      t.add(x.text());
    }
    for (Applied.Op op : applied.ops()) {
      int i = ((Long) op.params().get("index")).intValue();
      String before = (String) op.params().get("before");
      String after = (String) op.params().get("after");
      if (op.params().containsKey("to")) {
        int j = ((Long) op.params().get("to")).intValue();
        if (!t.get(i).equals(before) || !t.get(j).equals(after)) {
          throw new AssertionError("swap does not match the text at " + i + ", " + j + ": " + op);
        }
        t.set(i, after);
        t.set(j, before);
        continue;
      }
      int end = i;
      StringBuilder b = new StringBuilder();
      while (b.length() < before.length()) {
        b.append(t.get(end++));
      }
      if (!b.toString().equals(before)) {
        throw new AssertionError("edit does not match the text at " + i + ": " + op);
      }
      t.subList(i, end).clear();
      List<String> add = new ArrayList<>();
      for (Token x : Tokenizer.tokenize(after)) {
        add.add(x.text());
      }
      t.addAll(i, add);
    }
    return String.join("", t);
  }
}
