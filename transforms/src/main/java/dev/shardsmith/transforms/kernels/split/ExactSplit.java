package dev.shardsmith.transforms.kernels.split;

import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code exact} split of DESIGN.md: groups are the connected components of samples linked by a
 * shared user group or a shared payload hash; every group lands in exactly one split; per-class
 * counts follow the requested fractions.
 *
 * <p>Per class, the targets are the largest-remainder rounding of {@code n_c x fraction}. Groups
 * are placed largest first, ties in the order of {@code hash(seed, group id)}; a single-label group
 * goes to the split with the largest remaining deficit for its class, a mixed-label group to the
 * split with the largest deficit weighted by its label counts (in the spirit of scikit-learn's
 * StratifiedGroupKFold). When every group holds one sample, every class's counts equal its targets,
 * so proportions are exact up to one sample. Deterministic in (seed, groups); not stable when data
 * is appended.
 *
 * <p>Memory: the list of hash nodes and groups, about {@code 200 bytes x (distinct hashes + user
 * groups)}: the one documented exception for the exact split (DESIGN.md invariant 6).
 *
 * <pre>{@code
 * ExactSplit.Plan plan = ExactSplit.plan(nodes, new double[] {0.8, 0.1, 0.1}, seed);
 * Split s = plan.splitOf(hash);
 * }</pre>
 */
public final class ExactSplit {
  private ExactSplit() {}

  /**
   * The result, aligned with the input order of the hash nodes ({@link #groupAt}, {@link
   * #splitAt}), and per class the targets and achieved counts. {@link #splitOf} and {@link
   * #groupOf} look a hash up (an index is built on first use).
   */
  public static final class Plan {
    private final String[] hashes;
    private final String[] groups;
    private final Split[] splits;
    private final int groupCount;
    private final SortedMap<String, long[]> targets;
    private final SortedMap<String, long[]> achieved;
    private Map<String, Integer> index;

    Plan(
        String[] hashes,
        String[] groups,
        Split[] splits,
        int groupCount,
        SortedMap<String, long[]> targets,
        SortedMap<String, long[]> achieved) {
      this.hashes = hashes;
      this.groups = groups;
      this.splits = splits;
      this.groupCount = groupCount;
      this.targets = targets;
      this.achieved = achieved;
    }

    /** The group of the {@code i}-th hash node given to {@link ExactSplit#plan}. */
    public String groupAt(int i) {
      return groups[i];
    }

    /** The split of the {@code i}-th hash node given to {@link ExactSplit#plan}. */
    public Split splitAt(int i) {
      return splits[i];
    }

    public Split splitOf(String hash) {
      return splits[indexOf(hash)];
    }

    public String groupOf(String hash) {
      return groups[indexOf(hash)];
    }

    /** Number of groups (connected components). */
    public int groupCount() {
      return groupCount;
    }

    public int size() {
      return hashes.length;
    }

    /** Per class: target counts for train, val, test. */
    public SortedMap<String, long[]> targets() {
      return targets;
    }

    /** Per class: achieved counts for train, val, test. */
    public SortedMap<String, long[]> achieved() {
      return achieved;
    }

    private int indexOf(String hash) {
      if (index == null) {
        Map<String, Integer> m = new HashMap<>(hashes.length * 2);
        for (int i = 0; i < hashes.length; i++) {
          m.put(hashes[i], i);
        }
        index = m;
      }
      Integer i = index.get(hash);
      if (i == null) {
        throw new IllegalArgumentException("no hash node " + hash + " in this plan");
      }
      return i;
    }
  }

  /**
   * Plans the split. {@code fractions} are train, val, test and sum to 1; a split with fraction 0
   * receives nothing. Works on int indices throughout (hash nodes, user groups, labels,
   * components), so a million singleton groups plan in well under a second.
   */
  public static Plan plan(Collection<HashNode> nodes, double[] fractions, long seed) {
    if (fractions.length != 3) {
      throw new IllegalArgumentException("fractions are train, val, test");
    }
    HashNode[] in = nodes.toArray(new HashNode[0]);
    int n = in.length;

    // Components: union-find over hash nodes 0..n-1 and user groups n.. (linked through nodes).
    Map<String, Integer> userGroup = new HashMap<>();
    int[] parent = new int[n + countGroupRefs(in)];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < n; i++) {
      for (String g : in[i].userGroups()) {
        Integer id = userGroup.get(g);
        if (id == null) {
          id = n + userGroup.size();
          userGroup.put(g, id);
        }
        union(parent, i, id);
      }
    }

    // A component's name: its smallest user group, else sha256:<smallest hash>.
    int[] comp = new int[n];
    int[] compOfRoot = new int[parent.length];
    Arrays.fill(compOfRoot, -1);
    List<String> names = new ArrayList<>();
    List<Boolean> named = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int root = find(parent, i);
      int c = compOfRoot[root];
      if (c < 0) {
        c = names.size();
        compOfRoot[root] = c;
        names.add(null);
        named.add(false);
      }
      comp[i] = c;
      HashNode node = in[i];
      boolean byGroup = !node.userGroups().isEmpty();
      String candidate = byGroup ? node.userGroups().first() : "sha256:" + node.hash();
      String best = names.get(c);
      boolean bestByGroup = named.get(c);
      // user-group names sort before hash names, then by string
      if (best == null
          || (byGroup && !bestByGroup)
          || (byGroup == bestByGroup && candidate.compareTo(best) < 0)) {
        names.set(c, candidate);
        named.set(c, byGroup);
      }
    }
    int groups = names.size();

    // Labels as ints; per component its size and either one label or a mixed count map.
    Map<String, Integer> labelId = new HashMap<>();
    List<String> labelNames = new ArrayList<>();
    long[] size = new long[groups];
    long[] single = new long[groups];
    int[] onlyLabel = new int[groups];
    Arrays.fill(onlyLabel, -1);
    Map<Integer, SortedMap<Integer, Long>> mixed = new HashMap<>();
    List<Long> classTotals = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = comp[i];
      for (Map.Entry<String, Long> e : in[i].labels().entrySet()) {
        Integer l = labelId.get(e.getKey());
        if (l == null) {
          l = labelNames.size();
          labelId.put(e.getKey(), l);
          labelNames.add(e.getKey());
          classTotals.add(0L);
        }
        long count = e.getValue();
        classTotals.set(l, classTotals.get(l) + count);
        size[c] += count;
        SortedMap<Integer, Long> m = mixed.get(c);
        if (m != null) {
          m.merge(l, count, Long::sum);
        } else if (onlyLabel[c] < 0 || onlyLabel[c] == l) {
          onlyLabel[c] = l;
          single[c] += count;
        } else {
          m = new TreeMap<>();
          m.put(onlyLabel[c], single[c]);
          m.merge(l, count, Long::sum);
          mixed.put(c, m);
        }
      }
    }

    int labels = labelNames.size();
    long[][] target = new long[labels][];
    long[][] got = new long[labels][3];
    for (int l = 0; l < labels; l++) {
      target[l] = largestRemainder(classTotals.get(l), fractions);
    }

    // Order: largest first, then hash(seed, group), then the name.
    long[] rank = new long[groups];
    for (int c = 0; c < groups; c++) {
      rank[c] = Seeds.hash(seed, "split", names.get(c));
    }
    int[] order = new int[groups];
    for (int c = 0; c < groups; c++) {
      order[c] = c;
    }
    sort(order, new int[groups], 0, groups, size, rank, names);

    Split[] splitOfComp = new Split[groups];
    for (int c : order) {
      SortedMap<Integer, Long> m = mixed.get(c);
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int s = 0; s < 3; s++) {
        if (fractions[s] <= 0) {
          continue;
        }
        double score;
        if (m == null) {
          score = onlyLabel[c] < 0 ? 0 : target[onlyLabel[c]][s] - got[onlyLabel[c]][s];
        } else {
          score = 0;
          for (Map.Entry<Integer, Long> e : m.entrySet()) {
            score += (double) e.getValue() * (target[e.getKey()][s] - got[e.getKey()][s]);
          }
        }
        if (score > bestScore) {
          bestScore = score;
          best = s;
        }
      }
      splitOfComp[c] = Split.ASSIGNED[best];
      if (m == null) {
        if (onlyLabel[c] >= 0) {
          got[onlyLabel[c]][best] += single[c];
        }
      } else {
        for (Map.Entry<Integer, Long> e : m.entrySet()) {
          got[e.getKey()][best] += e.getValue();
        }
      }
    }

    String[] hashes = new String[n];
    String[] groupOf = new String[n];
    Split[] splitOf = new Split[n];
    for (int i = 0; i < n; i++) {
      hashes[i] = in[i].hash();
      groupOf[i] = names.get(comp[i]);
      splitOf[i] = splitOfComp[comp[i]];
    }
    SortedMap<String, long[]> targets = new TreeMap<>();
    SortedMap<String, long[]> achieved = new TreeMap<>();
    for (int l = 0; l < labels; l++) {
      targets.put(labelNames.get(l), target[l]);
      achieved.put(labelNames.get(l), got[l]);
    }
    return new Plan(hashes, groupOf, splitOf, groups, targets, achieved);
  }

  /**
   * Merge sort of component indices, largest first, then by rank, then by name: primitive, stable,
   * no boxing (a million groups sort in a fraction of a second).
   */
  private static void sort(
      int[] a, int[] tmp, int lo, int hi, long[] size, long[] rank, List<String> names) {
    if (hi - lo < 2) {
      return;
    }
    int mid = (lo + hi) >>> 1;
    sort(a, tmp, lo, mid, size, rank, names);
    sort(a, tmp, mid, hi, size, rank, names);
    if (before(a[mid - 1], a[mid], size, rank, names) <= 0) {
      return; // already in order
    }
    System.arraycopy(a, lo, tmp, lo, hi - lo);
    int i = lo;
    int j = mid;
    for (int k = lo; k < hi; k++) {
      if (j >= hi || (i < mid && before(tmp[i], tmp[j], size, rank, names) <= 0)) {
        a[k] = tmp[i++];
      } else {
        a[k] = tmp[j++];
      }
    }
  }

  private static int before(int x, int y, long[] size, long[] rank, List<String> names) {
    int bySize = Long.compare(size[y], size[x]);
    if (bySize != 0) {
      return bySize;
    }
    int byRank = Long.compare(rank[x], rank[y]);
    return byRank != 0 ? byRank : names.get(x).compareTo(names.get(y));
  }

  private static int countGroupRefs(HashNode[] in) {
    int refs = 0;
    for (HashNode h : in) {
      refs += h.userGroups().size();
    }
    return refs;
  }

  private static int find(int[] parent, int x) {
    int root = x;
    while (parent[root] != root) {
      root = parent[root];
    }
    while (parent[x] != root) {
      int next = parent[x];
      parent[x] = root;
      x = next;
    }
    return root;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }

  /** Hamilton's largest-remainder rounding of {@code total x fractions}; ties go to the earlier. */
  static long[] largestRemainder(long total, double[] fractions) {
    long[] out = new long[fractions.length];
    double[] rem = new double[fractions.length];
    long given = 0;
    for (int i = 0; i < fractions.length; i++) {
      double exact = total * fractions[i];
      out[i] = (long) Math.floor(exact + 1e-9);
      rem[i] = exact - out[i];
      given += out[i];
    }
    while (given < total) {
      int best = -1;
      for (int i = 0; i < fractions.length; i++) {
        if (fractions[i] > 0 && (best < 0 || rem[i] > rem[best] + 1e-12)) {
          best = i;
        }
      }
      out[best]++;
      rem[best] = -1;
      given++;
    }
    return out;
  }
}
