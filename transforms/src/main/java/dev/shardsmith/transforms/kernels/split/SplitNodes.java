package dev.shardsmith.transforms.kernels.split;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The input of {@link GroupSplit#plan}, column by column: one node per distinct payload hash with
 * its label counts, user groups and frozen samples; labels and user groups interned to ints. A
 * million singleton nodes are three arrays, so planning reads no maps and follows no pointers but
 * the hash strings. Append-only: each node's labels, groups and frozen samples are added right
 * after {@link #addNode}, before the next node.
 *
 * <pre>{@code
 * SplitNodes nodes = new SplitNodes();
 * int cat = nodes.labelId("cat");
 * int i = nodes.addNode(sha256Hex);
 * nodes.addLabel(i, cat, 1);
 * nodes.addUserGroup(i, "patient-7");
 * }</pre>
 */
public final class SplitNodes {
  private String[] hash;
  private int[] label; // the node's first label, -1 when none
  private long[] count;
  private int[] groupStart; // user groups of node i: groupIds[groupStart[i] .. groupStart[i + 1])
  private int[] groupIds;
  private int groupRefs;
  private int size;
  private final Map<Integer, SortedMap<Integer, Long>> mixed = new HashMap<>();
  private final Map<Integer, List<HashNode.Frozen>> frozen = new HashMap<>();
  private final Map<String, Integer> labelIds = new HashMap<>();
  private final List<String> labelNames = new ArrayList<>();
  private final Map<String, Integer> groupIdOf = new HashMap<>();
  private final List<String> groupNames = new ArrayList<>();

  public SplitNodes() {
    this(16);
  }

  /** Room for {@code capacity} nodes before the arrays grow. */
  public SplitNodes(int capacity) {
    int c = Math.max(capacity, 1);
    hash = new String[c];
    label = new int[c];
    count = new long[c];
    groupStart = new int[c + 1];
    groupIds = new int[16];
  }

  /** The nodes of {@code nodes}, in their order. */
  public static SplitNodes of(Collection<HashNode> nodes) {
    SplitNodes out = new SplitNodes(nodes.size());
    for (HashNode h : nodes) {
      int i = out.addNode(h.hash());
      for (Map.Entry<String, Long> e : h.labels().entrySet()) {
        out.addLabel(i, out.labelId(e.getKey()), e.getValue());
      }
      for (String g : h.userGroups()) {
        out.addUserGroup(i, g);
      }
      for (HashNode.Frozen f : h.frozen()) {
        out.addFrozen(i, f);
      }
    }
    return out;
  }

  /** The int id of a label, given on first use. */
  public int labelId(String name) {
    Integer id = labelIds.get(name);
    if (id == null) {
      id = labelNames.size();
      labelIds.put(name, id);
      labelNames.add(name);
    }
    return id;
  }

  /** Appends a node for a payload hash (distinct per node) and returns its index. */
  public int addNode(String payloadHash) {
    if (size == hash.length) {
      int c = 2 * size;
      hash = Arrays.copyOf(hash, c);
      label = Arrays.copyOf(label, c);
      count = Arrays.copyOf(count, c);
      groupStart = Arrays.copyOf(groupStart, c + 1);
    }
    int i = size++;
    hash[i] = payloadHash;
    label[i] = -1;
    groupStart[i + 1] = groupRefs;
    return i;
  }

  /** {@code n} samples of node {@code i} carry label {@code labelId}. */
  public void addLabel(int i, int labelId, long n) {
    checkLast(i);
    SortedMap<Integer, Long> m = mixed.get(i);
    if (m != null) {
      m.merge(labelId, n, Long::sum);
    } else if (label[i] < 0 || label[i] == labelId) {
      label[i] = labelId;
      count[i] += n;
    } else {
      m = new TreeMap<>();
      m.put(label[i], count[i]);
      m.merge(labelId, n, Long::sum);
      mixed.put(i, m);
    }
  }

  /** A sample of node {@code i} belongs to user group {@code name}. */
  public void addUserGroup(int i, String name) {
    checkLast(i);
    Integer id = groupIdOf.get(name);
    if (id == null) {
      id = groupNames.size();
      groupIdOf.put(name, id);
      groupNames.add(name);
    }
    for (int k = groupStart[i]; k < groupRefs; k++) {
      if (groupIds[k] == id) {
        return;
      }
    }
    if (groupRefs == groupIds.length) {
      groupIds = Arrays.copyOf(groupIds, 2 * groupRefs);
    }
    groupIds[groupRefs++] = id;
    groupStart[i + 1] = groupRefs;
  }

  /** A sample of node {@code i} is frozen (its label is counted by {@link #addLabel} as well). */
  public void addFrozen(int i, HashNode.Frozen f) {
    checkLast(i);
    frozen.computeIfAbsent(i, k -> new ArrayList<>()).add(f);
  }

  private void checkLast(int i) {
    if (i != size - 1) {
      throw new IllegalArgumentException(
          "add labels, groups and frozen samples to the last node (" + (size - 1) + "), not " + i);
    }
  }

  public int size() {
    return size;
  }

  String hash(int i) {
    return hash[i];
  }

  /** The node's only label, or -1 when it has none or several ({@link #mixed}). */
  int onlyLabel(int i) {
    return mixed.isEmpty() || !mixed.containsKey(i) ? label[i] : -1;
  }

  long onlyCount(int i) {
    return count[i];
  }

  /** Label counts of a node with several labels, else null. */
  SortedMap<Integer, Long> mixed(int i) {
    return mixed.isEmpty() ? null : mixed.get(i);
  }

  boolean hasMixed() {
    return !mixed.isEmpty();
  }

  int groupStart(int i) {
    return groupStart[i];
  }

  int groupEnd(int i) {
    return groupStart[i + 1];
  }

  int groupId(int k) {
    return groupIds[k];
  }

  int groupCount() {
    return groupNames.size();
  }

  String groupName(int id) {
    return groupNames.get(id);
  }

  List<HashNode.Frozen> frozen(int i) {
    return frozen.isEmpty() ? List.of() : frozen.getOrDefault(i, List.of());
  }

  boolean hasFrozen() {
    return !frozen.isEmpty();
  }

  int labelCount() {
    return labelNames.size();
  }

  String labelName(int id) {
    return labelNames.get(id);
  }
}
