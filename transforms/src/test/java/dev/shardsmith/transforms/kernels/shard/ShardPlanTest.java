package dev.shardsmith.transforms.kernels.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shardsmith.transforms.kernels.shard.ShardPlan.EqualShards;
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
    assertEquals("part-00001-of-00002", p.baseName(1));
    assertEquals(0, p.padding());
    assertEquals(0, p.dropped());
  }

  @Test
  void everyRankHasOneShardAndRangesAreContiguous() {
    for (EqualShards mode : EqualShards.values()) {
      for (long rows : new long[] {1, 7, 64, 65, 1000, 1001}) {
        for (int workers : new int[] {1, 3}) {
          ShardPlan p = ShardPlan.of(rows, 0, 64, 0, workers, mode);
          long[] seen = new long[p.shards()];
          int last = 0;
          long dropped = 0;
          for (long r = 0; r < rows + p.padding(); r++) {
            int s = p.shardOf(r);
            if (s < 0) {
              dropped++;
              continue;
            }
            assertTrue(s == last || s == last + 1, "ranks map to contiguous shards");
            last = s;
            seen[s]++;
          }
          assertEquals(p.dropped(), dropped);
          long total = 0;
          for (int s = 0; s < p.shards(); s++) {
            assertEquals(p.rowsIn(s), seen[s], mode + " rows " + rows + " shard " + s);
            assertTrue(seen[s] > 0 && seen[s] <= 64);
            total += seen[s];
          }
          assertEquals(rows + p.padding() - p.dropped(), total);
          assertTrue(p.padding() < p.shards() && p.dropped() < p.shards());
          if (mode != EqualShards.ALLOW_SHORT) {
            for (int s = 0; s < p.shards(); s++) {
              assertEquals(seen[0], seen[s], "equal shards under " + mode);
            }
          }
          if (rows >= workers) {
            assertEquals(0, p.shards() % workers, "a multiple of the workers: " + p);
          }
        }
      }
    }
  }

  @Test
  void byteTargetAndWorkers() {
    // 1000 rows of 3 KiB: a 1 MiB target needs 3 shards; 4 workers round that up to 4.
    ShardPlan p = ShardPlan.of(1000, 1000L * 3072, 0, 1 << 20, 4, EqualShards.PAD);
    assertEquals(4, p.shards());
    assertEquals(250, p.rowsPerShard());
    ShardPlan both = ShardPlan.of(1000, 1000L * 3072, 100, 1 << 20, 1, EqualShards.ALLOW_SHORT);
    assertEquals(10, both.shards(), "the tighter target wins");
    ShardPlan pad = ShardPlan.of(10, 0, 3, 0, 1, EqualShards.PAD);
    assertEquals(4, pad.shards());
    assertEquals(2, pad.padding());
    ShardPlan drop = ShardPlan.of(10, 0, 3, 0, 1, EqualShards.DROP);
    assertEquals(4, drop.shards());
    assertEquals(2, drop.dropped());
    assertEquals(-1, drop.shardOf(9));
  }

  @Test
  void emptyAndBadInputs() {
    assertEquals(0, ShardPlan.of(0, 10).shards());
    assertThrows(IllegalArgumentException.class, () -> ShardPlan.of(10, 0));
    assertThrows(IllegalArgumentException.class, () -> ShardPlan.of(10, 5).shardOf(10));
    assertEquals(2, ShardPlan.of(2, 0, 1, 0, 4, EqualShards.PAD).shards(), "never empty shards");
  }
}
