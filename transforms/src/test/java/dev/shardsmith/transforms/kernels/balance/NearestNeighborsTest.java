package dev.shardsmith.transforms.kernels.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NearestNeighborsTest {

  @Test
  void distancesEqualScikitLearnBruteForceForEveryQueryOnLetters() throws Exception {
    Reference.require();
    LabeledRows letters = Reference.letters("letters-2000.data");
    int k = 5;
    List<String> ref =
        Reference.run("knn", Reference.resource("letters/letters-2000.data").toString(), "" + k);
    assertEquals(letters.n(), ref.size());
    // Small blocks so that several query and data blocks (and a ragged last block) are exercised.
    Neighbors nn =
        NearestNeighbors.of(k).withBlocks(300, 700).searchSelf(letters.x(), letters.n(), 16);
    int ties = 0;
    for (int i = 0; i < letters.n(); i++) {
      String[] parts = ref.get(i).split(" ");
      assertEquals(k, parts.length);
      for (int j = 0; j < k; j++) {
        double expected = Double.parseDouble(parts[j]);
        double actual = nn.distance(i, j);
        assertEquals(
            expected, actual, 1e-4 * Math.max(expected, 1e-12), "query " + i + ", neighbour " + j);
        if (j > 0 && nn.distance(i, j) == nn.distance(i, j - 1)) {
          ties++;
        }
      }
    }
    assertTrue(ties > 100, "integer letters features should tie often, saw " + ties);
  }

  @Test
  void blockedSearchEqualsReferenceBruteForceAtSeveralBlockSizes() {
    SplittableRandom rng = new SplittableRandom(7);
    int n = 900;
    int q = 250;
    int d = 13;
    float[] data = new float[n * d];
    float[] queries = new float[q * d];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (rng.nextGaussian() * 3 + 10); // an offset makes the norm trick lossy
    }
    for (int i = 0; i < queries.length; i++) {
      queries[i] = (float) (rng.nextGaussian() * 3 + 10);
    }
    int k = 7;
    Neighbors ref = NearestNeighbors.bruteForce(data, n, d, queries, q, k, null);
    int[][] blocks = {{1, 1}, {16, 50}, {64, 899}, {250, 900}, {1024, 4096}};
    for (int[] b : blocks) {
      for (int margin : new int[] {0, 16}) {
        Neighbors got =
            NearestNeighbors.of(k)
                .withBlocks(b[0], b[1])
                .withMargin(margin)
                .search(data, n, d, queries, q, null);
        assertArrayEquals(ref.indices(), got.indices(), "blocks " + b[0] + "x" + b[1]);
        assertArrayEquals(ref.distances(), got.distances(), 0.0, "blocks " + b[0] + "x" + b[1]);
      }
    }
    for (boolean vector : new boolean[] {true, false}) {
      Neighbors threaded =
          NearestNeighbors.of(k)
              .withThreads(2)
              .withBlocks(37, 256)
              .withVectorScan(vector)
              .search(data, n, d, queries, q, null);
      assertArrayEquals(ref.indices(), threaded.indices(), "vector " + vector);
      assertArrayEquals(ref.distances(), threaded.distances(), 0.0, "vector " + vector);
    }
  }

  @Test
  void selfSearchOverTileTriangleEqualsReferenceAtSeveralTilesAndThreads() {
    // searchSelf computes each pair once (tiles on and above the diagonal, read both ways) and
    // merges per-thread candidates; the result must not depend on tiles or threads. Rounded
    // values on a coarse grid make many tied distances.
    SplittableRandom rng = new SplittableRandom(11);
    int n = 1100;
    int d = 5;
    float[] data = new float[n * d];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) Math.rint(rng.nextGaussian() * 2 + 20);
    }
    int[] self = new int[n];
    for (int i = 0; i < n; i++) {
      self[i] = i;
    }
    int k = 6;
    Neighbors ref = NearestNeighbors.bruteForce(data, n, d, data, n, k, self);
    assertTrue(NearestNeighbors.VECTOR_API, "tests run with --add-modules jdk.incubator.vector");
    for (int b : new int[] {1, 7, 64, 1100, 4096}) {
      for (int threads : new int[] {1, 2, 3}) {
        for (int margin : new int[] {0, 16}) {
          for (boolean vector : new boolean[] {true, false}) {
            Neighbors got =
                NearestNeighbors.of(k)
                    .withBlocks(b, b)
                    .withMargin(margin)
                    .withThreads(threads)
                    .withVectorScan(vector)
                    .searchSelf(data, n, d);
            String what =
                "tile " + b + ", threads " + threads + ", margin " + margin + ", vector " + vector;
            assertArrayEquals(ref.indices(), got.indices(), what);
            assertArrayEquals(ref.distances(), got.distances(), 0.0, what);
          }
        }
      }
    }
    // searchRows over every row in order takes the same self-search.
    int[] all = self.clone();
    assertArrayEquals(
        ref.indices(), NearestNeighbors.of(k).withThreads(2).searchRows(data, n, d, all).indices());
  }

  @Test
  void kdTreeGivesTheBruteForceResultIncludingTies() {
    // Low dimension, integer grid values: many exact ties and duplicate rows, so the k-d tree's
    // own order among equal distances must be overridden by the re-rank (and rescans).
    SplittableRandom rng = new SplittableRandom(5);
    for (int d : new int[] {1, 2, 3}) {
      int n = 700;
      float[] data = new float[n * d];
      for (int i = 0; i < data.length; i++) {
        data[i] = rng.nextInt(12);
      }
      int[] self = new int[n];
      for (int i = 0; i < n; i++) {
        self[i] = i;
      }
      int k = 4;
      Neighbors ref = NearestNeighbors.bruteForce(data, n, d, data, n, k, self);
      for (int threads : new int[] {1, 2}) {
        Neighbors got =
            NearestNeighbors.of(k)
                .withMethod(NearestNeighbors.Method.KD_TREE)
                .withThreads(threads)
                .searchSelf(data, n, d);
        assertArrayEquals(ref.indices(), got.indices(), "d " + d + ", threads " + threads);
        assertArrayEquals(ref.distances(), got.distances(), 0.0, "d " + d);
      }
      // Other queries (a third of them copies of data rows), no exclusion.
      int q = 90;
      float[] queries = new float[q * d];
      for (int i = 0; i < queries.length; i++) {
        queries[i] = i % 3 == 0 ? data[i] : (float) (rng.nextDouble() * 12);
      }
      Neighbors refQ = NearestNeighbors.bruteForce(data, n, d, queries, q, k, null);
      Neighbors gotQ =
          NearestNeighbors.of(k)
              .withMethod(NearestNeighbors.Method.KD_TREE)
              .search(data, n, d, queries, q, null);
      assertArrayEquals(refQ.indices(), gotQ.indices(), "queries, d " + d);
      assertArrayEquals(refQ.distances(), gotQ.distances(), 0.0, "queries, d " + d);
    }
  }

  @Test
  void tiesAreOrderedByRowIndexWhateverTheBlocks() {
    // 40 copies of the same point around a query at the origin, plus distinct farther points:
    // every copy is at distance 1, so the 5 nearest must be the 5 smallest row indices of copies.
    int d = 4;
    int n = 100;
    float[] data = new float[n * d];
    for (int i = 0; i < n; i++) {
      boolean copy = i % 2 == 1 && i < 80;
      data[i * d] = copy ? 1f : 2f + i;
    }
    float[] query = new float[d];
    int[] expected = {1, 3, 5, 7, 9};
    for (int[] b : new int[][] {{1, 1}, {1, 7}, {1, 100}}) {
      Neighbors got =
          NearestNeighbors.of(5)
              .withBlocks(b[0], b[1])
              .withMargin(0)
              .search(data, n, d, query, 1, null);
      assertArrayEquals(expected, got.indices(), "blocks " + b[0] + "x" + b[1]);
      assertArrayEquals(new double[] {1, 1, 1, 1, 1}, got.distances(), 0.0);
    }
    assertArrayEquals(
        expected, NearestNeighbors.bruteForce(data, n, d, query, 1, 5, null).indices());
  }

  @Test
  void selfMatchesAreExcludedEvenAmongDuplicates() {
    float[] data = {0, 0, 0, 0, 5, 5}; // rows 0 and 1 coincide
    Neighbors nn = NearestNeighbors.of(1).searchSelf(data, 3, 2);
    assertArrayEquals(new int[] {1, 0, 0}, nn.indices());
    assertEquals(0.0, nn.distance(0, 0));
  }

  @Test
  void tooFewRowsForKIsAClearError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NearestNeighbors.of(3).searchSelf(new float[] {0, 1, 2}, 3, 1));
    assertTrue(e.getMessage().contains("k = 3"), e.getMessage());
  }
}
