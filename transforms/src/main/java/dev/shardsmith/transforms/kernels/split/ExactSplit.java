package dev.shardsmith.transforms.kernels.split;

import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.Seeds;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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

  /** The result: each hash's group and split, and per class the targets and achieved counts. */
  public record Plan(
      Map<String, String> groupOfHash,
      Map<String, Split> splitOfGroup,
      SortedMap<String, long[]> targets,
      SortedMap<String, long[]> achieved) {

    public Split splitOf(String hash) {
      return splitOfGroup.get(groupOfHash.get(hash));
    }

    public String groupOf(String hash) {
      return groupOfHash.get(hash);
    }
  }

  /**
   * Plans the split. {@code fractions} are train, val, test and sum to 1; a split with fraction 0
   * receives nothing.
   */
  public static Plan plan(Collection<HashNode> nodes, double[] fractions, long seed) {
    if (fractions.length != 3) {
      throw new IllegalArgumentException("fractions are train, val, test");
    }
    Map<String, String> groupOfHash = components(nodes);

    // Label counts per group, and per class in total.
    Map<String, SortedMap<String, Long>> groupLabels = new HashMap<>();
    SortedMap<String, Long> classTotals = new TreeMap<>();
    for (HashNode n : nodes) {
      SortedMap<String, Long> g =
          groupLabels.computeIfAbsent(groupOfHash.get(n.hash()), k -> new TreeMap<>());
      n.labels().forEach((label, c) -> g.merge(label, c, Long::sum));
      n.labels().forEach((label, c) -> classTotals.merge(label, c, Long::sum));
    }

    SortedMap<String, long[]> targets = new TreeMap<>();
    SortedMap<String, long[]> achieved = new TreeMap<>();
    classTotals.forEach(
        (label, total) -> {
          targets.put(label, largestRemainder(total, fractions));
          achieved.put(label, new long[3]);
        });

    List<String> order = new ArrayList<>(groupLabels.keySet());
    Map<String, Long> sizes = new HashMap<>();
    Map<String, Long> ranks = new HashMap<>();
    for (String g : order) {
      sizes.put(g, groupLabels.get(g).values().stream().mapToLong(Long::longValue).sum());
      ranks.put(g, Seeds.hash(seed, "split", g));
    }
    order.sort(
        Comparator.<String>comparingLong(g -> -sizes.get(g))
            .thenComparingLong(ranks::get)
            .thenComparing(Comparator.naturalOrder()));

    Map<String, Split> splitOfGroup = new HashMap<>();
    for (String g : order) {
      SortedMap<String, Long> labels = groupLabels.get(g);
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int s = 0; s < 3; s++) {
        if (fractions[s] <= 0) {
          continue;
        }
        double score = 0;
        for (Map.Entry<String, Long> e : labels.entrySet()) {
          long deficit = targets.get(e.getKey())[s] - achieved.get(e.getKey())[s];
          score += labels.size() == 1 ? deficit : (double) e.getValue() * deficit;
        }
        if (score > bestScore) {
          bestScore = score;
          best = s;
        }
      }
      splitOfGroup.put(g, Split.ASSIGNED[best]);
      for (Map.Entry<String, Long> e : labels.entrySet()) {
        achieved.get(e.getKey())[best] += e.getValue();
      }
    }
    return new Plan(groupOfHash, splitOfGroup, targets, achieved);
  }

  /**
   * Group id of every hash: the connected component of hashes linked through shared user groups. A
   * component's id is its smallest user group, or {@code sha256:<smallest hash>} when it has none.
   */
  static Map<String, String> components(Collection<HashNode> nodes) {
    Map<String, String> parent = new HashMap<>();
    for (HashNode n : nodes) {
      String h = "h:" + n.hash();
      parent.putIfAbsent(h, h);
      for (String g : n.userGroups()) {
        String gn = "g:" + g;
        parent.putIfAbsent(gn, gn);
        union(parent, h, gn);
      }
    }
    Map<String, String> bestName = new HashMap<>();
    for (HashNode n : nodes) {
      String root = find(parent, "h:" + n.hash());
      String name = n.userGroups().isEmpty() ? null : n.userGroups().first();
      String candidate = name != null ? "0" + name : "1sha256:" + n.hash();
      bestName.merge(root, candidate, (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }
    Map<String, String> out = new HashMap<>();
    for (HashNode n : nodes) {
      out.put(n.hash(), bestName.get(find(parent, "h:" + n.hash())).substring(1));
    }
    return out;
  }

  private static String find(Map<String, String> parent, String x) {
    String root = x;
    while (!parent.get(root).equals(root)) {
      root = parent.get(root);
    }
    while (!parent.get(x).equals(root)) {
      String next = parent.get(x);
      parent.put(x, root);
      x = next;
    }
    return root;
  }

  private static void union(Map<String, String> parent, String a, String b) {
    String ra = find(parent, a);
    String rb = find(parent, b);
    if (!ra.equals(rb)) {
      if (ra.compareTo(rb) < 0) {
        parent.put(rb, ra);
      } else {
        parent.put(ra, rb);
      }
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
