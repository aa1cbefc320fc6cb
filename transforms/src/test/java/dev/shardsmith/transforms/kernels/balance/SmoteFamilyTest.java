package dev.shardsmith.transforms.kernels.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class SmoteFamilyTest {

  private static final String ABC = "letters-abc.data"; // A, B, C: 300, 60, 25 rows

  private static LabeledRows abc() throws Exception {
    return Reference.letters(ABC);
  }

  /** Letters with feature columns 0 and 1 as categorical codes, the other 14 numeric. */
  private record Mixed(LabeledRows numeric, int[] categorical) {}

  private static Mixed mixed() throws Exception {
    LabeledRows all = abc();
    int n = all.n();
    float[] num = new float[n * 14];
    int[] cat = new int[n * 2];
    for (int i = 0; i < n; i++) {
      cat[i * 2] = (int) all.x()[i * 16];
      cat[i * 2 + 1] = (int) all.x()[i * 16 + 1];
      System.arraycopy(all.x(), i * 16 + 2, num, i * 14, 14);
    }
    return new Mixed(LabeledRows.of(num, n, 14, all.y()), cat);
  }

  private static SortedMap<Integer, Integer> countsAfter(LabeledRows rows, SyntheticRows s) {
    SortedMap<Integer, Integer> counts = SamplingStrategy.classCounts(rows.y());
    for (int label : s.y()) {
      counts.merge(label, 1, Integer::sum);
    }
    return counts;
  }

  private static SortedMap<Integer, Integer> referenceCounts(String method) throws Exception {
    List<String> lines =
        Reference.run("counts", Reference.resource("letters/" + ABC).toString(), method);
    SortedMap<Integer, Integer> counts = new TreeMap<>();
    for (String l : lines) {
      String[] p = l.split(" ");
      counts.put(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
    }
    return counts;
  }

  @Test
  void classCountsEqualImbalancedLearn() throws Exception {
    Reference.require();
    LabeledRows rows = abc();
    SmoteParams p = SmoteParams.defaults(42);
    Map<String, SyntheticRows> ours =
        Map.of(
            "smote", Smote.resample(rows, p),
            "borderline", BorderlineSmote.resample(rows, p),
            "adasyn", Adasyn.resample(rows, p));
    for (Map.Entry<String, SyntheticRows> e : ours.entrySet()) {
      assertEquals(referenceCounts(e.getKey()), countsAfter(rows, e.getValue()), e.getKey());
    }
    // ADASYN's rounding makes its counts data-dependent (imbalanced-learn: 300, 298, 299 here).
    assertEquals(Map.of(0, 300, 1, 298, 2, 299), countsAfter(rows, ours.get("adasyn")));
    Mixed m = mixed();
    SyntheticRows nc = SmoteNc.resample(m.numeric(), m.categorical(), 2, p);
    assertEquals(referenceCounts("smotenc"), countsAfter(m.numeric(), nc));
  }

  /** Every synthetic row sits on the segment between its recorded parents, both of its class. */
  private static void assertOnSegments(LabeledRows rows, SyntheticRows s) {
    int d = rows.d();
    assertTrue(s.m() > 0);
    for (int i = 0; i < s.m(); i++) {
      int p = s.parent()[i];
      int q = s.neighbor()[i];
      assertEquals(s.y()[i], rows.y()[p], "parent class, row " + i);
      assertEquals(s.y()[i], rows.y()[q], "neighbour class, row " + i);
      assertTrue(p != q, "a row is never its own neighbour");
      assertTrue(s.u()[i] >= 0 && s.u()[i] < 1, "u in [0, 1)");
      for (int t = 0; t < d; t++) {
        double a = rows.x()[p * d + t];
        double expected = a + s.u()[i] * (rows.x()[q * d + t] - a);
        assertEquals(expected, s.x()[i * d + t], 1e-5 * Math.max(1, Math.abs(expected)));
      }
    }
  }

  @Test
  void syntheticRowsLieOnSegmentsBetweenRecordedParents() throws Exception {
    LabeledRows rows = abc();
    SmoteParams p = SmoteParams.defaults(3);
    assertOnSegments(rows, Smote.resample(rows, p));
    assertOnSegments(rows, BorderlineSmote.resample(rows, p));
    assertOnSegments(rows, Adasyn.resample(rows, p));
    Mixed m = mixed();
    assertOnSegments(m.numeric(), SmoteNc.resample(m.numeric(), m.categorical(), 2, p));
  }

  @Test
  void smoteSecondParentIsAmongTheFirstParentsKMinorityNeighbours() throws Exception {
    LabeledRows rows = abc();
    SyntheticRows s = Smote.resample(rows, SmoteParams.defaults(5));
    int d = rows.d();
    for (int i = 0; i < s.m(); i++) {
      int p = s.parent()[i];
      int q = s.neighbor()[i];
      // Independent check by the reference brute force over the class: q's distance is within the
      // 5 smallest distances from p to the other rows of its class.
      int[] cls = Interpolation.rowsOf(rows.y(), s.y()[i]);
      double[] dist = new double[cls.length - 1];
      int j = 0;
      for (int r : cls) {
        if (r != p) {
          dist[j++] = NearestNeighbors.squaredDistance(rows.x(), p * d, rows.x(), r * d, d);
        }
      }
      Arrays.sort(dist);
      double dq = NearestNeighbors.squaredDistance(rows.x(), p * d, rows.x(), q * d, d);
      assertTrue(dq <= dist[4], "row " + i + ": neighbour " + q + " is not among p's 5 nearest");
    }
  }

  @Test
  void everyRowOfAClassSeedsAnEvenShareUnderSmote() throws Exception {
    LabeledRows rows = abc();
    SyntheticRows s = Smote.resample(rows, SmoteParams.defaults(1));
    int[] perParent = new int[rows.n()];
    for (int p : s.parent()) {
      perParent[p]++;
    }
    for (int i = 0; i < rows.n(); i++) {
      int need = rows.y()[i] == 1 ? 240 / 60 : rows.y()[i] == 2 ? 275 / 25 : 0;
      assertEquals(need, perParent[i], "row " + i);
    }
  }

  @Test
  void borderlineSeedsAreInDanger() throws Exception {
    LabeledRows rows = abc();
    SyntheticRows s = BorderlineSmote.resample(rows, SmoteParams.defaults(9));
    int d = rows.d();
    for (int p : Arrays.stream(s.parent()).distinct().toArray()) {
      Neighbors nn =
          NearestNeighbors.bruteForce(
              rows.x(),
              rows.n(),
              d,
              Arrays.copyOfRange(rows.x(), p * d, p * d + d),
              1,
              10,
              new int[] {p});
      int other = 0;
      for (int j = 0; j < 10; j++) {
        other += rows.y()[nn.index(0, j)] != rows.y()[p] ? 1 : 0;
      }
      assertTrue(other >= 5 && other < 10, "seed " + p + " has " + other + " of 10 other-class");
    }
  }

  @Test
  void smoteNcTakesTheMostFrequentNeighbourCategoryTiesToTheNearest() {
    // Class 1: x = 0..4 with categories 9, 7, 8, 7, 8; its median std is sqrt(2), so a category
    // mismatch adds 1 to the squared distance. With k = 4, worked by hand:
    // row 0 -> neighbours 1, 2, 3, 4 = 7, 8, 7, 8: a tie, the nearest (row 1) gives 7;
    // row 1 -> 0, 2, 3, 4 = 9, 8, 7, 8 -> 8; row 2 -> 1, 3, 4, 0 = 7, 7, 8, 9 -> 7;
    // row 3 -> 2, 4, 1, 0 = 8, 8, 7, 9 -> 8; row 4 -> 3, 2, 1, 0 = 7, 8, 7, 9 -> 7.
    int n = 15;
    float[] x = new float[n];
    int[] y = new int[n];
    int[] cat = new int[n];
    int[] classCats = {9, 7, 8, 7, 8};
    for (int i = 0; i < n; i++) {
      x[i] = i < 5 ? i : 100 + i;
      y[i] = i < 5 ? 1 : 0;
      cat[i] = i < 5 ? classCats[i] : 0;
    }
    SyntheticRows s =
        SmoteNc.resample(LabeledRows.of(x, n, 1, y), cat, 1, SmoteParams.defaults(0).withK(4));
    assertEquals(10 - 5, s.m());
    int[] expected = {7, 8, 7, 8, 7};
    for (int i = 0; i < s.m(); i++) {
      assertEquals(expected[s.parent()[i]], s.categories()[i], "parent " + s.parent()[i]);
    }
  }

  @Test
  void smoteNcCategoricalDistanceIsTheImblearnEncoding() {
    // Smallest class (label 1): numeric stds 1 and 3 -> median std 2; a mismatch adds 2^2/2 = 2.
    float[] num = {0, 0, 2, 6, 10, 10, 10, 10, 10, 10};
    int[] y = {1, 1, 0, 0, 0};
    LabeledRows rows = LabeledRows.of(num, 5, 2, y);
    assertEquals(2.0, SmoteNc.medianStdOfSmallestClass(rows), 1e-12);
  }

  private static void assertDeterministic(BiFunction<LabeledRows, Long, SyntheticRows> f)
      throws Exception {
    LabeledRows rows = abc();
    SyntheticRows a = f.apply(rows, 11L);
    SyntheticRows b = f.apply(rows, 11L);
    SyntheticRows c = f.apply(rows, 12L);
    assertArrayEquals(a.x(), b.x());
    assertArrayEquals(a.parent(), b.parent());
    assertArrayEquals(a.neighbor(), b.neighbor());
    assertArrayEquals(a.u(), b.u());
    assertFalse(Arrays.equals(a.x(), c.x()), "another seed must give other rows");
    assertFalse(Arrays.equals(a.u(), c.u()));
  }

  @Test
  void sameSeedSameRowsOtherSeedOtherRows() throws Exception {
    assertDeterministic((r, seed) -> Smote.resample(r, SmoteParams.defaults(seed)));
    assertDeterministic((r, seed) -> BorderlineSmote.resample(r, SmoteParams.defaults(seed)));
    assertDeterministic((r, seed) -> Adasyn.resample(r, SmoteParams.defaults(seed)));
    Mixed m = mixed();
    assertDeterministic(
        (r, seed) -> SmoteNc.resample(m.numeric(), m.categorical(), 2, SmoteParams.defaults(seed)));
    // Threads change neither the neighbours nor the draws.
    LabeledRows rows = abc();
    assertArrayEquals(
        Smote.resample(rows, SmoteParams.defaults(4)).x(),
        Smote.resample(rows, SmoteParams.defaults(4).withThreads(2)).x());
  }

  @Test
  void explicitTargetsAreMetExactly() throws Exception {
    LabeledRows rows = abc();
    SmoteParams p =
        SmoteParams.defaults(0).withStrategy(SamplingStrategy.targets(Map.of(2, 100, 1, 60)));
    SyntheticRows s = Smote.resample(rows, p);
    assertEquals(Map.of(0, 300, 1, 60, 2, 100), countsAfter(rows, s));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Smote.resample(rows, p.withStrategy(SamplingStrategy.targets(Map.of(1, 10)))));
    assertTrue(e.getMessage().contains("class 1"), e.getMessage());
  }

  @Test
  void aClassWithKOrFewerRowsFailsClearlyUnlessTheFallbackIsOn() {
    // Class 1 has 4 rows; k = 5 needs 6.
    int n = 24;
    float[] x = new float[n * 2];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[i * 2] = i;
      x[i * 2 + 1] = (i * 7) % 5;
      y[i] = i < 4 ? 1 : 0;
    }
    LabeledRows rows = LabeledRows.of(x, n, 2, y);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Smote.resample(rows, SmoteParams.defaults(0)));
    assertTrue(e.getMessage().contains("class 1 has 4 samples"), e.getMessage());
    assertTrue(e.getMessage().contains("k_neighbors=5"), e.getMessage());
    SyntheticRows s = Smote.resample(rows, SmoteParams.defaults(0).withSmallClassFallback(true));
    assertEquals(16, s.m());
    assertOnSegments(rows, s);
    // A class of one row has no neighbour at all: still an error with the fallback.
    int[] y1 = y.clone();
    Arrays.fill(y1, 1, 4, 0);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Smote.resample(
                LabeledRows.of(x, n, 2, y1), SmoteParams.defaults(0).withSmallClassFallback(true)));
  }

  @Test
  void adasynRoundsHalfToEvenExactly() {
    assertEquals(2, Adasyn.roundHalfEven(5, 2));
    assertEquals(4, Adasyn.roundHalfEven(7, 2));
    assertEquals(3, Adasyn.roundHalfEven(8, 3));
    assertEquals(0, Adasyn.roundHalfEven(1, 3));
  }
}
