package dev.shardsmith.transforms.kernels.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShardPlanTest {
  @Test
  void roundsToEqualShardsWithAShortLast() {
    ShardPlan p = ShardPlan.of(105, 100);
    assertEquals(2, p.shards());
    assertEquals(53, p.rowsIn(0));
    assertEquals(52, p.rowsIn(1));
    assertEquals(0, p.shardOf(52));
    assertEquals(1, p.shardOf(53));
    assertEquals("part-00001-of-00002.parquet", p.fileName(1, "parquet"));
  }

  @Test
  void everyRankHasOneShardAndRangesAreContiguous() {
    for (long rows : new long[] {1, 7, 64, 65, 1000, 1001}) {
      ShardPlan p = ShardPlan.of(rows, 64);
      long[] seen = new long[p.shards()];
      int last = 0;
      for (long r = 0; r < rows; r++) {
        int s = p.shardOf(r);
        assertEquals(true, s == last || s == last + 1, "ranks map to contiguous shards");
        last = s;
        seen[s]++;
      }
      for (int s = 0; s < p.shards(); s++) {
        assertEquals(p.rowsIn(s), seen[s]);
        assertEquals(true, seen[s] <= 64 && seen[0] - seen[s] < p.shards());
      }
    }
  }

  @Test
  void emptyAndBadInputs() {
    assertEquals(0, ShardPlan.of(0, 10).shards());
    assertThrows(IllegalArgumentException.class, () -> ShardPlan.of(10, 0));
    assertThrows(IllegalArgumentException.class, () -> ShardPlan.of(10, 5).shardOf(10));
  }
}
