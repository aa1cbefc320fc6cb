package dev.shardsmith.transforms.kernels.split;

import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The group split of DESIGN.md, both modes, with optional folds and frozen samples.
 *
 * <p><b>Groups.</b> The connected components of samples linked by a shared user group or a shared
 * payload hash; every group lands in exactly one split (and, in train with folds, one fold). A
 * group's <b>key</b> is its smallest user group name, else {@code "sha256:"} + its smallest payload
 * hash (user groups win over hashes); a group holding frozen samples is keyed by their smallest
 * frozen group instead. The key names the group in the output and seeds its hashes.
 *
 * <p><b>{@code exact}.</b> Per class, the targets are the largest-remainder rounding of {@code n_c
 * x fraction}. Groups are placed largest first, ties in the order of {@code hash(seed, "split",
 * key)}; a single-label group goes to the split with the largest remaining deficit for its class, a
 * mixed-label group to the split with the largest deficit weighted by its label counts (in the
 * spirit of scikit-learn's StratifiedGroupKFold). When every group holds one sample, every class's
 * counts equal its targets. Not stable when data is appended.
 *
 * <p><b>{@code stable}.</b> A group's split is the bucket of {@code u = hash(seed, "stable-split",
 * key)} in [0, 1) against the cumulative fractions (train, then val, then test): it depends on
 * nothing but the seed and the key, so a sample keeps its split when other data is added (unless
 * the new data joins its group under a smaller key). Proportions are approximate; targets and
 * achieved counts are reported as in exact mode.
 *
 * <p><b>Folds</b> ({@code folds >= 2}) partition the train split by group; val and test rows have
 * fold {@link Sample#NO_FOLD}. Exact mode places train groups greedily on per-class fold targets
 * (the largest-remainder rounding of the class's train count / k), ordered as above by {@code
 * hash(seed, "fold", key)}; stable mode takes the bucket of {@code hash(seed, "stable-fold", key)}.
 *
 * <p><b>Frozen samples</b> ({@link HashNode#frozen()}) keep their split and fold, and pin their
 * whole group: new samples linked to them take that split and fold; exact mode counts them toward
 * the targets before placing the free groups. A group that links frozen samples of two different
 * splits or folds is an error ({@link FrozenConflictException}) that names the samples.
 *
 * <p>Deterministic in (seed, groups): input order does not matter. Memory: a few arrays over hash
 * nodes and groups, about {@code 60 bytes x (distinct hashes + user groups)} beyond the nodes: the
 * one documented exception for the split (DESIGN.md invariant 6). Works on int indices throughout,
 * so a million singleton groups plan in about a tenth of a second.
 *
 * <pre>{@code
 * GroupSplit.Plan plan =
 *     GroupSplit.plan(nodes, GroupSplit.Spec.of("stable", new double[] {0.8, 0.1, 0.1}, seed, 5));
 * Split s = plan.splitOf(hash);
 * }</pre>
 */
public final class GroupSplit {
  private GroupSplit() {}

  /** The two split modes of DESIGN.md. */
  public enum Mode {
    EXACT,
    STABLE;

    /** The lower-case config name. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String name) {
      for (Mode m : values()) {
        if (m.configName().equals(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "split mode \"" + name + "\" is not allowed: use exact or stable");
    }
  }

  /**
   * What to plan: the mode, train/val/test fractions (summing to 1), the seed and folds (0 = none).
   */
  public record Spec(Mode mode, double[] fractions, long seed, int folds)
      implements java.io.Serializable {
    public Spec {
      fractions = fractions.clone();
      if (fractions.length != 3) {
        throw new IllegalArgumentException("fractions are train, val, test");
      }
      double sum = 0;
      for (double f : fractions) {
        if (!(f >= 0)) {
          throw new IllegalArgumentException(
              "fractions must be >= 0, but were " + Arrays.toString(fractions));
        }
        sum += f;
      }
      if (Math.abs(sum - 1) > 1e-9) {
        throw new IllegalArgumentException(
            "fractions must sum to 1, but were " + Arrays.toString(fractions));
      }
      if (folds < 0 || folds == 1) {
        throw new IllegalArgumentException("folds must be 0 (none) or >= 2, but was " + folds);
      }
      if (folds > 0 && fractions[0] <= 0) {
        throw new IllegalArgumentException("folds partition the train split, whose fraction is 0");
      }
    }

    public static Spec of(String mode, double[] fractions, long seed, int folds) {
      return new Spec(Mode.parse(mode), fractions, seed, folds);
    }

    @Override
    public double[] fractions() {
      return fractions.clone();
    }
  }

  /** A group links frozen samples from two different splits or folds. */
  public static final class FrozenConflictException extends IllegalArgumentException {
    FrozenConflictException(String message) {
      super(message);
    }
  }

  /**
   * Checks one frozen row against the fold count: a train row has a fold in [0, folds) when folds
   * are on, every other row has fold -1.
   *
   * @throws IllegalArgumentException naming the id, its split and fold
   */
  public static void checkFrozen(String id, Split split, int fold, int folds) {
    if (split == Split.UNASSIGNED) {
      throw new IllegalArgumentException("frozen sample " + id + " has no split");
    }
    boolean ok =
        split == Split.TRAIN && folds > 0 ? fold >= 0 && fold < folds : fold == Sample.NO_FOLD;
    if (!ok) {
      throw new IllegalArgumentException(
          "frozen sample "
              + id
              + " is in "
              + split.folder()
              + " fold "
              + fold
              + ", which does not fit split.folds = "
              + folds
              + (folds > 0
                  ? ": train rows need a fold in [0, " + folds + "), val and test rows -1"
                  : ": without folds every fold is -1"));
    }
  }

  /**
   * The result, aligned with the input order of the hash nodes ({@link #groupAt}, {@link #splitAt},
   * {@link #foldAt}), and per class the targets and achieved counts (per split, and per fold of
   * train). {@link #splitOf}, {@link #groupOf} and {@link #foldOf} look a hash up (an index is
   * built on first use). Group names are built when asked for.
   */
  public static final class Plan {
    private final Spec spec;
    private final SplitNodes nodes;
    private final int[] comp;
    private final String[] compName;
    private final boolean[] compNameIsHash;
    private final byte[] compSplit;
    private final int[] compFold;
    private final SortedMap<String, long[]> targets;
    private final SortedMap<String, long[]> achieved;
    private final SortedMap<String, long[]> foldTargets;
    private final SortedMap<String, long[]> foldAchieved;
    private final long frozenSamples;
    private Map<String, Integer> index;

    private Plan(
        Spec spec,
        SplitNodes nodes,
        int[] comp,
        String[] compName,
        boolean[] compNameIsHash,
        byte[] compSplit,
        int[] compFold,
        SortedMap<String, long[]> targets,
        SortedMap<String, long[]> achieved,
        SortedMap<String, long[]> foldTargets,
        SortedMap<String, long[]> foldAchieved,
        long frozenSamples) {
      this.spec = spec;
      this.nodes = nodes;
      this.comp = comp;
      this.compName = compName;
      this.compNameIsHash = compNameIsHash;
      this.compSplit = compSplit;
      this.compFold = compFold;
      this.targets = targets;
      this.achieved = achieved;
      this.foldTargets = foldTargets;
      this.foldAchieved = foldAchieved;
      this.frozenSamples = frozenSamples;
    }

    public Spec spec() {
      return spec;
    }

    /** The group key of the {@code i}-th hash node given to {@link GroupSplit#plan}. */
    public String groupAt(int i) {
      int c = comp[i];
      return compNameIsHash[c] ? "sha256:" + compName[c] : compName[c];
    }

    /** The split of the {@code i}-th hash node given to {@link GroupSplit#plan}. */
    public Split splitAt(int i) {
      return Split.ASSIGNED[compSplit[comp[i]]];
    }

    /** The fold of the {@code i}-th hash node: -1 outside train or without folds. */
    public int foldAt(int i) {
      return compFold[comp[i]];
    }

    /** The hash of the {@code i}-th node. */
    public String hashAt(int i) {
      return nodes.hash(i);
    }

    public Split splitOf(String hash) {
      return splitAt(indexOf(hash));
    }

    public String groupOf(String hash) {
      return groupAt(indexOf(hash));
    }

    public int foldOf(String hash) {
      return foldAt(indexOf(hash));
    }

    /** Number of groups (connected components). */
    public int groupCount() {
      return compName.length;
    }

    /** Number of hash nodes. */
    public int size() {
      return nodes.size();
    }

    /** Per class: target counts for train, val, test. */
    public SortedMap<String, long[]> targets() {
      return targets;
    }

    /** Per class: achieved counts for train, val, test. */
    public SortedMap<String, long[]> achieved() {
      return achieved;
    }

    /** Per class: target counts per fold of train (empty without folds). */
    public SortedMap<String, long[]> foldTargets() {
      return foldTargets;
    }

    /** Per class: achieved counts per fold of train (empty without folds). */
    public SortedMap<String, long[]> foldAchieved() {
      return foldAchieved;
    }

    /** Samples that kept a frozen assignment. */
    public long frozenSamples() {
      return frozenSamples;
    }

    /** All samples planned (frozen and new). */
    public long samples() {
      long n = 0;
      for (long[] a : achieved.values()) {
        n += a[0] + a[1] + a[2];
      }
      return n;
    }

    private int indexOf(String hash) {
      if (index == null) {
        Map<String, Integer> m = new HashMap<>(nodes.size() * 2);
        for (int i = 0; i < nodes.size(); i++) {
          m.put(nodes.hash(i), i);
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

  /** Plans the split of {@code nodes} as {@code spec} says. */
  public static Plan plan(Collection<HashNode> nodes, Spec spec) {
    return plan(SplitNodes.of(nodes), spec);
  }

  /** Plans the split of {@code in} as {@code spec} says. */
  public static Plan plan(SplitNodes in, Spec spec) {
    double[] fractions = spec.fractions;
    long seed = spec.seed();
    int folds = spec.folds();
    int n = in.size();

    // Components: union-find over hash nodes 0..n-1 and user groups n.. (linked through nodes);
    // without user groups every node is its own component.
    int userGroups = in.groupCount();
    int[] comp = new int[n];
    int groups = 0;
    String[] name = new String[Math.max(n, 1)];
    boolean[] isHash = new boolean[Math.max(n, 1)];
    if (userGroups == 0) {
      for (int i = 0; i < n; i++) {
        comp[i] = i;
        name[i] = in.hash(i);
        isHash[i] = true;
      }
      groups = n;
    } else {
      int[] parent = new int[n + userGroups];
      for (int i = 0; i < parent.length; i++) {
        parent[i] = i;
      }
      for (int i = 0; i < n; i++) {
        for (int k = in.groupStart(i); k < in.groupEnd(i); k++) {
          union(parent, i, n + in.groupId(k));
        }
      }
      // A component's key: its smallest user group, else sha256:<smallest hash> (kept as the
      // bare hash; the prefix is added when the name is asked for).
      int[] compOfRoot = new int[parent.length];
      Arrays.fill(compOfRoot, -1);
      for (int i = 0; i < n; i++) {
        int root = find(parent, i);
        int c = compOfRoot[root];
        boolean byHash = in.groupStart(i) == in.groupEnd(i);
        String candidate = byHash ? in.hash(i) : smallestGroup(in, i);
        if (c < 0) {
          c = groups++;
          compOfRoot[root] = c;
          name[c] = candidate;
          isHash[c] = byHash;
        } else if ((isHash[c] && !byHash)
            || (isHash[c] == byHash && candidate.compareTo(name[c]) < 0)) {
          name[c] = candidate;
          isHash[c] = byHash;
        }
        comp[i] = c;
      }
    }
    name = Arrays.copyOf(name, groups);
    isHash = Arrays.copyOf(isHash, groups);

    // Frozen samples pin their component's split and fold, and name it.
    byte[] split = new byte[groups];
    Arrays.fill(split, (byte) -1);
    int[] fold = new int[groups];
    Arrays.fill(fold, Sample.NO_FOLD);
    boolean[] frozen = new boolean[groups];
    long frozenSamples = 0;
    boolean conflicts = false;
    for (int i = 0; in.hasFrozen() && i < n; i++) {
      int c = comp[i];
      for (HashNode.Frozen f : in.frozen(i)) {
        checkFrozen(f.id(), f.split(), f.fold(), folds);
        frozenSamples++;
        byte s = (byte) f.split().ordinal();
        if (!frozen[c]) {
          frozen[c] = true;
          split[c] = s;
          fold[c] = f.fold();
          name[c] = f.group();
          isHash[c] = false;
        } else {
          if (split[c] != s || fold[c] != f.fold()) {
            split[c] = -2; // conflict: reported below
            conflicts = true;
          }
          if (f.group().compareTo(name[c]) < 0) {
            name[c] = f.group();
          }
        }
      }
    }
    if (conflicts) {
      throw conflict(in, comp, split);
    }

    // Per component its size and either one label or a mixed count map.
    int labels = in.labelCount();
    long[] classTotals = new long[labels];
    long[] size = new long[groups];
    long[] single = new long[groups];
    int[] onlyLabel = new int[groups];
    Arrays.fill(onlyLabel, -1);
    Map<Integer, SortedMap<Integer, Long>> mixed = new HashMap<>();
    for (int i = 0; i < n; i++) {
      int c = comp[i];
      SortedMap<Integer, Long> nodeMixed = in.hasMixed() ? in.mixed(i) : null;
      if (nodeMixed == null) {
        int l = in.onlyLabel(i);
        if (l >= 0) {
          addLabel(c, l, in.onlyCount(i), classTotals, size, single, onlyLabel, mixed);
        }
      } else {
        for (Map.Entry<Integer, Long> e : nodeMixed.entrySet()) {
          addLabel(c, e.getKey(), e.getValue(), classTotals, size, single, onlyLabel, mixed);
        }
      }
    }
    Groups g = new Groups(name, isHash, size, single, onlyLabel, mixed);

    long[][] target = new long[labels][];
    long[][] got = new long[labels][3];
    for (int l = 0; l < labels; l++) {
      target[l] = largestRemainder(classTotals[l], fractions);
    }
    boolean[] allowed = new boolean[3];
    for (int s = 0; s < 3; s++) {
      allowed[s] = fractions[s] > 0;
    }

    // Splits: frozen groups first (they count toward the targets), then the free ones.
    int free = 0;
    for (int c = 0; c < groups; c++) {
      if (frozen[c]) {
        g.add(got, c, split[c]);
      } else {
        free++;
      }
    }
    int[] freeGroups = new int[free];
    for (int c = 0, k = 0; c < groups; c++) {
      if (!frozen[c]) {
        freeGroups[k++] = c;
      }
    }
    if (spec.mode() == Mode.EXACT) {
      int[] order = g.order(freeGroups, seed, "split");
      for (int c : order) {
        int best = g.best(target, got, c, allowed);
        split[c] = (byte) best;
        g.add(got, c, best);
      }
    } else {
      double[] cum = {fractions[0], fractions[0] + fractions[1], 1.0};
      long base = base(seed, "stable-split");
      for (int c : freeGroups) {
        double u = unit(g.hash(c, seed, "stable-split", base));
        int s = 0;
        while (s < 2 && !(u < cum[s] && allowed[s])) {
          s++;
        }
        while (!allowed[s]) {
          s--; // u fell past the last allowed split by rounding
        }
        split[c] = (byte) s;
        g.add(got, c, s);
      }
    }

    // Folds partition train: frozen train groups keep theirs, the free ones are placed.
    SortedMap<String, long[]> foldTargets = new TreeMap<>();
    SortedMap<String, long[]> foldAchieved = new TreeMap<>();
    if (folds > 0) {
      long[][] foldTarget = new long[labels][];
      long[][] foldGot = new long[labels][folds];
      double[] even = new double[folds];
      Arrays.fill(even, 1.0 / folds);
      boolean[] every = new boolean[folds];
      Arrays.fill(every, true);
      for (int l = 0; l < labels; l++) {
        foldTarget[l] = largestRemainder(got[l][0], even);
      }
      int freeTrain = 0;
      for (int c = 0; c < groups; c++) {
        if (split[c] == 0) {
          if (frozen[c]) {
            g.add(foldGot, c, fold[c]);
          } else {
            freeTrain++;
          }
        }
      }
      int[] train = new int[freeTrain];
      for (int c = 0, k = 0; c < groups; c++) {
        if (split[c] == 0 && !frozen[c]) {
          train[k++] = c;
        }
      }
      if (spec.mode() == Mode.EXACT) {
        for (int c : g.order(train, seed, "fold")) {
          fold[c] = g.best(foldTarget, foldGot, c, every);
          g.add(foldGot, c, fold[c]);
        }
      } else {
        long base = base(seed, "stable-fold");
        for (int c : train) {
          fold[c] = (int) (((g.hash(c, seed, "stable-fold", base) >>> 32) * folds) >>> 32);
          g.add(foldGot, c, fold[c]);
        }
      }
      for (int l = 0; l < labels; l++) {
        foldTargets.put(in.labelName(l), foldTarget[l]);
        foldAchieved.put(in.labelName(l), foldGot[l]);
      }
    }

    SortedMap<String, long[]> targets = new TreeMap<>();
    SortedMap<String, long[]> achieved = new TreeMap<>();
    for (int l = 0; l < labels; l++) {
      targets.put(in.labelName(l), target[l]);
      achieved.put(in.labelName(l), got[l]);
    }
    return new Plan(
        spec,
        in,
        comp,
        name,
        isHash,
        split,
        fold,
        targets,
        achieved,
        foldTargets,
        foldAchieved,
        frozenSamples);
  }

  private static void addLabel(
      int c,
      int l,
      long count,
      long[] classTotals,
      long[] size,
      long[] single,
      int[] onlyLabel,
      Map<Integer, SortedMap<Integer, Long>> mixed) {
    classTotals[l] += count;
    size[c] += count;
    SortedMap<Integer, Long> m = mixed.isEmpty() ? null : mixed.get(c);
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

  private static String smallestGroup(SplitNodes in, int i) {
    String best = null;
    for (int k = in.groupStart(i); k < in.groupEnd(i); k++) {
      String g = in.groupName(in.groupId(k));
      if (best == null || g.compareTo(best) < 0) {
        best = g;
      }
    }
    return best;
  }

  /** Hex digit values by ASCII code; -1 for anything else. */
  private static final byte[] HEX = new byte[128];

  static {
    Arrays.fill(HEX, (byte) -1);
    for (int i = 0; i < 10; i++) {
      HEX['0' + i] = (byte) i;
    }
    for (int i = 0; i < 6; i++) {
      HEX['a' + i] = (byte) (10 + i);
      HEX['A' + i] = (byte) (10 + i);
    }
  }

  /** {@code hash(seed, stage, "sha256:")}: the base of every digest-keyed group's hash. */
  private static long base(long seed, String stage) {
    return Seeds.hash(seed, stage, "sha256:");
  }

  /** A value in [0, 1) from the top 53 bits of a hash. */
  private static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }

  /** The components with their keys, sizes and labels: placement and ordering. */
  private record Groups(
      String[] name,
      boolean[] isHash,
      long[] size,
      long[] single,
      int[] onlyLabel,
      Map<Integer, SortedMap<Integer, Long>> mixed) {

    String key(int c) {
      return isHash[c] ? "sha256:" + name[c] : name[c];
    }

    /**
     * {@code hash(seed, stage, key)}; for a key {@code sha256:<hex>}, {@code mix(base ^ the first
     * 64 bits of the digest)} with {@code base = hash(seed, stage, "sha256:")}: the digest is
     * already uniform, so one mix replaces hashing 71 bytes (a million singleton groups).
     */
    long hash(int c, long seed, String stage, long base) {
      if (isHash[c]) {
        String h = name[c];
        if (h.length() >= 16) {
          long bits = 0;
          int bad = 0;
          for (int i = 0; i < 16; i++) {
            char ch = h.charAt(i);
            int v = HEX[ch & 0x7F] | -(ch >>> 7);
            bad |= v;
            bits = (bits << 4) | (v & 0xF);
          }
          if (bad >= 0) {
            return Seeds.mix(base ^ bits);
          }
        }
        return Seeds.hashJoined(seed, stage, "sha256:", h);
      }
      return Seeds.hash(seed, stage, name[c]);
    }

    /** Adds group {@code c}'s label counts to bin {@code b}. */
    void add(long[][] got, int c, int b) {
      SortedMap<Integer, Long> m = mixed.isEmpty() ? null : mixed.get(c);
      if (m == null) {
        if (onlyLabel[c] >= 0) {
          got[onlyLabel[c]][b] += single[c];
        }
      } else {
        for (Map.Entry<Integer, Long> e : m.entrySet()) {
          got[e.getKey()][b] += e.getValue();
        }
      }
    }

    /** The allowed bin with the largest deficit for the group's labels; ties to the first. */
    int best(long[][] target, long[][] got, int c, boolean[] allowed) {
      SortedMap<Integer, Long> m = mixed.isEmpty() ? null : mixed.get(c);
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int b = 0; b < allowed.length; b++) {
        if (!allowed[b]) {
          continue;
        }
        double score;
        if (m == null) {
          score = onlyLabel[c] < 0 ? 0 : target[onlyLabel[c]][b] - got[onlyLabel[c]][b];
        } else {
          score = 0;
          for (Map.Entry<Integer, Long> e : m.entrySet()) {
            score += (double) e.getValue() * (target[e.getKey()][b] - got[e.getKey()][b]);
          }
        }
        if (score > bestScore) {
          bestScore = score;
          best = b;
        }
      }
      return best;
    }

    /**
     * {@code cs} ordered largest first, then by {@code hash(seed, stage, key)} (signed), then by
     * key: a bucket sort on the hash (uniform, so about one group per bucket), then a stable
     * counting pass on size, then ties of equal hash fixed by key.
     */
    int[] order(int[] cs, long seed, String stage) {
      int m = cs.length;
      long[] rank = new long[m];
      long base = base(seed, stage);
      for (int k = 0; k < m; k++) {
        rank[k] = hash(cs[k], seed, stage, base) ^ Long.MIN_VALUE; // unsigned == signed order
      }
      long[] r2 = new long[m];
      int[] c2 = new int[m];
      // Two bucket passes (256 buckets, then about one group per bucket within each), each
      // scattering into a range that fits in cache, then insertion sorts of the few left.
      int[] start = scatter(rank, cs, 0, m, r2, c2, 8, 0);
      long[] r3 = rank; // no longer needed: reused as the second pass's target
      int[] c3 = new int[m];
      for (int b = 0; b < 256; b++) {
        int lo = start[b];
        int hi = start[b + 1];
        int bits = 1;
        while ((1 << bits) < hi - lo && bits < 20) {
          bits++;
        }
        int[] sub = scatter(r2, c2, lo, hi, r3, c3, bits, 8);
        for (int k = 0; k < sub.length - 1; k++) {
          if (sub[k + 1] - sub[k] > 1) {
            sortRange(r3, c3, sub[k], sub[k + 1]);
          }
        }
      }
      r2 = r3;
      c2 = c3;
      // Stable by size, largest first: most groups share a few sizes.
      long maxSize = 0;
      long minSize = Long.MAX_VALUE;
      for (int k = 0; k < m; k++) {
        maxSize = Math.max(maxSize, size[c2[k]]);
        minSize = Math.min(minSize, size[c2[k]]);
      }
      if (m > 0 && maxSize != minSize) {
        TreeMap<Long, Integer> sizes = new TreeMap<>(java.util.Comparator.reverseOrder());
        for (int k = 0; k < m; k++) {
          sizes.merge(size[c2[k]], 1, Integer::sum);
        }
        Map<Long, Integer> at = new HashMap<>();
        int pos = 0;
        for (Map.Entry<Long, Integer> e : sizes.entrySet()) {
          at.put(e.getKey(), pos);
          pos += e.getValue();
        }
        long[] rs = new long[m];
        int[] cz = new int[m];
        for (int k = 0; k < m; k++) {
          int p = at.merge(size[c2[k]], 1, Integer::sum) - 1;
          rs[p] = r2[k];
          cz[p] = c2[k];
        }
        r2 = rs;
        c2 = cz;
      }
      // Equal (size, hash): order by key (in practice never).
      for (int k = 1; k < m; k++) {
        if (r2[k] == r2[k - 1] && size[c2[k]] == size[c2[k - 1]]) {
          int j = k;
          while (j > 0
              && r2[j] == r2[j - 1]
              && size[c2[j]] == size[c2[j - 1]]
              && key(c2[j]).compareTo(key(c2[j - 1])) < 0) {
            int t = c2[j];
            c2[j] = c2[j - 1];
            c2[j - 1] = t;
            j--;
          }
        }
      }
      return c2;
    }
  }

  /**
   * Scatters {@code r[lo, hi)} (and {@code c}) into {@code rOut[lo, hi)} by the {@code bits} bits
   * of {@code r} below its top {@code skip} bits, stably; returns the bucket starts (absolute,
   * {@code 2^bits + 1} of them).
   */
  private static int[] scatter(
      long[] r, int[] c, int lo, int hi, long[] rOut, int[] cOut, int bits, int skip) {
    int buckets = 1 << bits;
    int shift = 64 - skip - bits;
    int mask = buckets - 1;
    int[] start = new int[buckets + 1];
    for (int k = lo; k < hi; k++) {
      start[(int) (r[k] >>> shift) & mask]++;
    }
    int at = lo;
    for (int b = 0; b < buckets; b++) {
      int count = start[b];
      start[b] = at;
      at += count;
    }
    start[buckets] = hi;
    int[] fill = Arrays.copyOf(start, buckets);
    for (int k = lo; k < hi; k++) {
      int to = fill[(int) (r[k] >>> shift) & mask]++;
      rOut[to] = r[k];
      cOut[to] = c[k];
    }
    return start;
  }

  /** Sorts {@code r[lo, hi)} ascending (unsigned), carrying {@code c}; stable. */
  private static void sortRange(long[] r, int[] c, int lo, int hi) {
    if (hi - lo <= 32) {
      for (int i = lo + 1; i < hi; i++) {
        long x = r[i];
        int y = c[i];
        int j = i - 1;
        while (j >= lo && Long.compareUnsigned(r[j], x) > 0) {
          r[j + 1] = r[j];
          c[j + 1] = c[j];
          j--;
        }
        r[j + 1] = x;
        c[j + 1] = y;
      }
      return;
    }
    int mid = (lo + hi) >>> 1;
    sortRange(r, c, lo, mid);
    sortRange(r, c, mid, hi);
    long[] rl = Arrays.copyOfRange(r, lo, mid);
    int[] cl = Arrays.copyOfRange(c, lo, mid);
    int i = 0;
    int j = mid;
    int k = lo;
    while (i < rl.length) {
      if (j < hi && Long.compareUnsigned(r[j], rl[i]) < 0) {
        r[k] = r[j];
        c[k++] = c[j++];
      } else {
        r[k] = rl[i];
        c[k++] = cl[i++];
      }
    }
  }

  /** One message for every group that links frozen samples of different splits or folds. */
  private static FrozenConflictException conflict(SplitNodes in, int[] comp, byte[] split) {
    // Per conflicting group: the smallest frozen id per (split, fold), in split then fold order.
    Map<Integer, TreeMap<Long, String>> byGroup = new TreeMap<>();
    for (int i = 0; i < in.size(); i++) {
      if (split[comp[i]] != -2) {
        continue;
      }
      for (HashNode.Frozen f : in.frozen(i)) {
        long where = ((long) f.split().ordinal() << 32) + f.fold() + 1;
        byGroup
            .computeIfAbsent(comp[i], k -> new TreeMap<>())
            .merge(where, f.id(), GroupSplit::min);
      }
    }
    TreeSet<String> lines = new TreeSet<>();
    for (TreeMap<Long, String> m : byGroup.values()) {
      List<String> parts = new ArrayList<>();
      m.forEach(
          (where, id) -> {
            Split s = Split.values()[(int) (where >>> 32)];
            int fold = (int) (where & 0xFFFFFFFFL) - 1;
            parts.add(id + " (" + s.folder() + (fold < 0 ? "" : " fold " + fold) + ")");
          });
      lines.add(String.join(" and ", parts));
    }
    List<String> shown = new ArrayList<>(lines).subList(0, Math.min(lines.size(), 10));
    return new FrozenConflictException(
        "split.freeze_from: "
            + lines.size()
            + " group(s) would join frozen samples of different splits or folds through shared"
            + " user groups or identical bytes: "
            + String.join("; ", shown)
            + (lines.size() > shown.size() ? "; ..." : "")
            + ". Remove the link or the sample, or drop freeze_from.");
  }

  private static String min(String a, String b) {
    return a.compareTo(b) <= 0 ? a : b;
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
