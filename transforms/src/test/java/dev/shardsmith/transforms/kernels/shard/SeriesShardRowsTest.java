package dev.shardsmith.transforms.kernels.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shardsmith.schemas.LabelMap;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SeriesPayload;
import dev.shardsmith.schemas.Split;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our own readers return a series window's values and its horizon as written, per format. */
class SeriesShardRowsTest {
  private static final LabelMap LABELS = LabelMap.declared(List.of("up", "down"));
  private static final int T = 6;
  private static final int H = 3;
  private static final int C = 2;

  @TempDir Path dir;

  private static Sample window(String id, int seed, int horizonSteps) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[T * C];
    float[] h = new float[horizonSteps * C];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    for (int i = 0; i < h.length; i++) {
      h[i] = (float) (100 + rng.nextGaussian());
    }
    return Sample.builder()
        .id(id)
        .group("s-" + id)
        .labels(List.of(seed % 2 == 0 ? "up" : "down"))
        .split(Split.TRAIN)
        .fold(1)
        .payloadHash(String.format("%064x", seed))
        .payload(new SeriesPayload("s-" + id, 10L * seed, T, C, x, h))
        .build();
  }

  private static void assertSame(List<Sample> written, List<ShardRow> read) {
    assertEquals(written.size(), read.size());
    for (int i = 0; i < written.size(); i++) {
      SeriesPayload p = (SeriesPayload) written.get(i).payload();
      ShardRow r = read.get(i);
      assertEquals(written.get(i).id(), r.id());
      assertEquals(ShardRow.SERIES, r.format());
      assertArrayEquals(p.values(), r.features(), r.id() + " x");
      assertArrayEquals(p.horizon(), r.horizon(), r.id() + " horizon");
    }
  }

  private List<ShardRow> roundTrip(String file, List<Sample> rows) throws IOException {
    Path path = dir.resolve(file);
    if (file.endsWith(".parquet")) {
      ParquetShardFile.write(path, rows, LABELS, ParquetShardFile.Options.defaults());
    } else {
      ArrowShardFile.write(path, rows, LABELS, ArrowShardFile.Options.defaults());
    }
    return ShardReader.read(path);
  }

  @Test
  void horizonReadsBackAsWrittenFromParquetAndArrow() throws IOException {
    List<Sample> rows = List.of(window("a", 1, H), window("b", 2, H), window("c", 3, H));
    for (String file : List.of("h.parquet", "h.arrow")) {
      List<ShardRow> read = roundTrip(file, rows);
      assertSame(rows, read);
      assertEquals(H * C, read.get(0).horizon().length, file);
      assertEquals(100f, read.get(2).horizon()[0], 5f, file + ": the horizon, not the window");
    }
  }

  @Test
  void noHorizonReadsBackEmpty() throws IOException {
    List<Sample> rows = List.of(window("a", 1, 0), window("b", 2, 0));
    for (String file : List.of("n.parquet", "n.arrow")) {
      List<ShardRow> read = roundTrip(file, rows);
      assertSame(rows, read);
      assertEquals(0, read.get(1).horizon().length, file);
    }
  }
}
