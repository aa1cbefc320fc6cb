package dev.shardsmith.transforms.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shardsmith.transforms.kernels.image.Border;
import dev.shardsmith.transforms.kernels.shard.ArrowShardFile;
import dev.shardsmith.transforms.kernels.shard.ParquetShardFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnumKeysTest {
  private enum Codec {
    FAST_ONE,
    NONE
  }

  @Test
  void keysAreLowerCaseNamesInDeclarationOrder() {
    assertEquals("fast_one", EnumKeys.key(Codec.FAST_ONE));
    assertEquals(List.of("fast_one", "none"), EnumKeys.keys(Codec.class));
  }

  @Test
  void parseIgnoresCase() {
    assertEquals(Codec.FAST_ONE, EnumKeys.parse(Codec.class, "codec", "Fast_One"));
    assertEquals(Codec.NONE, EnumKeys.parse(Codec.class, "codec", "NONE"));
  }

  @Test
  void unknownOrNullNameListsTheAllowedKeys() {
    assertEquals(
        "codec must be one of fast_one, none, but was gzip",
        assertThrows(
                IllegalArgumentException.class, () -> EnumKeys.parse(Codec.class, "codec", "gzip"))
            .getMessage());
    assertEquals(
        "codec must be one of fast_one, none, but was null",
        assertThrows(
                IllegalArgumentException.class, () -> EnumKeys.parse(Codec.class, "codec", null))
            .getMessage());
  }

  @Test
  void ofTakesExactlyTheLowerCaseKey() {
    assertEquals(Codec.FAST_ONE, EnumKeys.of(Codec.class, "op: parameter codec", "fast_one"));
    assertEquals(
        "op: parameter codec must be one of [fast_one, none], but was FAST_ONE",
        assertThrows(
                IllegalArgumentException.class,
                () -> EnumKeys.of(Codec.class, "op: parameter codec", "FAST_ONE"))
            .getMessage());
  }

  /** The border's message, word for word as before it used this lookup. */
  @Test
  void borderMessageIsUnchanged() {
    assertEquals(Border.REFLECT, Border.of("rotate: parameter border", "reflect"));
    assertEquals(
        "rotate: parameter border must be one of [constant, reflect, replicate], but was wrap",
        assertThrows(
                IllegalArgumentException.class, () -> Border.of("rotate: parameter border", "wrap"))
            .getMessage());
  }

  /** The shard formats' messages, word for word as before they shared this parser. */
  @Test
  void shardCompressionMessagesAreUnchanged() {
    assertEquals(
        "arrow compression must be one of lz4, zstd, none, but was snappy",
        assertThrows(
                IllegalArgumentException.class, () -> ArrowShardFile.Compression.parse("snappy"))
            .getMessage());
    assertEquals(
        "compression must be one of zstd, snappy, none, but was gzip",
        assertThrows(
                IllegalArgumentException.class, () -> ParquetShardFile.Compression.parse("gzip"))
            .getMessage());
  }
}
