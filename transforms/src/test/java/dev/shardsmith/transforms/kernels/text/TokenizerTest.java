package dev.shardsmith.transforms.kernels.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.transforms.kernels.text.Token.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TokenizerTest {
  @Test
  void rebuildingFromTokensIsLosslessOnEveryFortuneFile() throws Exception {
    int files = 0;
    long tokens = 0;
    try (Stream<Path> s = Files.list(TextFixtures.FORTUNES)) {
      for (Path p : s.filter(x -> x.toString().endsWith(".u8")).sorted().toList()) {
        String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        List<Token> t = Tokenizer.tokenize(text);
        assertEquals(text, Tokenizer.join(t), p.toString());
        tokens += t.size();
        files++;
      }
    }
    assertTrue(files >= 20 && tokens > 500_000, files + " files, " + tokens + " tokens");
  }

  @Test
  void classifiesEveryKindAndKeepsOffsets() {
    String text =
        "Mail bob.smith@example.org or @bob_42 re #Beam2 at https://beam.apache.org/x, don't"
            + " pay $1,000.50 on 2024-03-05!";
    List<Token> t = Tokenizer.tokenize(text);
    List<String> nonSpace =
        t.stream().filter(x -> x.kind() != Kind.SPACE).map(x -> x.kind() + ":" + x.text()).toList();
    assertEquals(
        List.of(
            "WORD:Mail",
            "EMAIL:bob.smith@example.org",
            "WORD:or",
            "HANDLE:@bob_42",
            "WORD:re",
            "HASHTAG:#Beam2",
            "WORD:at",
            "URL:https://beam.apache.org/x",
            "PUNCT:,",
            "WORD:don't",
            "WORD:pay",
            "PUNCT:$",
            "NUMBER:1,000.50",
            "WORD:on",
            "NUMBER:2024-03-05",
            "PUNCT:!"),
        nonSpace);
    int at = 0;
    for (Token x : t) {
      assertEquals(x.text(), text.substring(at, at + x.text().length()));
      at += x.text().length();
    }
    assertEquals(text.length(), at);
  }

  @Test
  void emptyAndWhitespaceOnlyTexts() {
    assertEquals(List.of(), Tokenizer.tokenize(""));
    assertEquals(List.of(Token.free(" \n\t", Kind.SPACE)), Tokenizer.tokenize(" \n\t"));
  }
}
