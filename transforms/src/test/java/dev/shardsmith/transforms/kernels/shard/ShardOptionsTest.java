package dev.shardsmith.transforms.kernels.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.schemas.FeatureNames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings every format's options share: each wither changes a copy, never the original. */
class ShardOptionsTest {
  private static final FeatureNames NAMES = new FeatureNames(List.of("x"), List.of("colour"));

  @Test
  void withersChangeACopyAndOneSettingOnly() {
    ArrowShardFile.Options base = ArrowShardFile.Options.defaults().withBatchRows(7);
    ArrowShardFile.Options changed =
        base.withSha256(false)
            .withFeatureNames(NAMES)
            .withCompression(ArrowShardFile.Compression.LZ4);
    assertTrue(base.sha256());
    assertEquals(FeatureNames.NONE, base.featureNames());
    assertEquals(ArrowShardFile.Compression.ZSTD, base.compression());
    assertFalse(changed.sha256());
    assertEquals(NAMES, changed.featureNames());
    assertEquals(ArrowShardFile.Compression.LZ4, changed.compression());
    assertEquals(7, changed.batchRows());
    assertEquals(8L << 20, changed.batchBytes());
    assertTrue(ArrowShardFile.Options.defaults().sha256());
    assertEquals(Integer.MAX_VALUE, ArrowShardFile.Options.defaults().batchRows());

    ParquetShardFile.Options p = ParquetShardFile.Options.defaults().withRowGroupBytes(2L << 20);
    ParquetShardFile.Options q = p.withSha256(false);
    assertTrue(p.sha256());
    assertFalse(q.sha256());
    assertEquals(2L << 20, q.rowGroupBytes());
    assertEquals(64L << 20, ParquetShardFile.Options.defaults().rowGroupBytes());

    NpyShardFile.Options n = NpyShardFile.Options.defaults().withFeatureNames(NAMES);
    assertEquals(FeatureNames.NONE, NpyShardFile.Options.defaults().featureNames());
    assertEquals(NAMES, n.featureNames());
    assertEquals(NpyShardFile.Options.defaults().withFeatureNames(NAMES), n);
  }

  @Test
  void nullFeatureNamesAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ParquetShardFile.Options.defaults().withFeatureNames(null));
    assertEquals("withFeatureNames: names must not be null", e.getMessage());
  }

  @Test
  void optionsSurviveJavaSerialization() throws Exception {
    ArrowShardFile.Options o =
        ArrowShardFile.Options.defaults().withSha256(false).withFeatureNames(NAMES);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      ArrowShardFile.Options back = (ArrowShardFile.Options) in.readObject();
      assertFalse(back.sha256());
      assertEquals(NAMES, back.featureNames());
      assertEquals(o.toString(), back.toString());
    }
  }
}
