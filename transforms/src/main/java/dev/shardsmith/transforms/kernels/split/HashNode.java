package dev.shardsmith.transforms.kernels.split;

import static java.util.Objects.requireNonNull;

import dev.shardsmith.schemas.Split;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the split needs about one distinct payload hash: the user groups of the samples that
 * carry it, how many of them carry each label, and which of them are frozen by {@code
 * split.freeze_from} (one {@link Frozen} per frozen sample; they are also counted in {@code
 * labels}). Samples with the same bytes share a node, so duplicates are always grouped together.
 */
public record HashNode(
    String hash,
    SortedSet<String> userGroups,
    SortedMap<String, Long> labels,
    List<Frozen> frozen) {
  public HashNode {
    userGroups = new TreeSet<>(userGroups);
    labels = new TreeMap<>(labels);
    frozen = List.copyOf(frozen);
  }

  /**
   * A sample of this node whose split, fold and group come from an earlier {@code splits.parquet}.
   */
  public record Frozen(String id, String group, Split split, int fold) {
    public Frozen {
      requireNonNull(id, "id");
      requireNonNull(group, "group");
      requireNonNull(split, "split");
    }
  }

  public static HashNode of(String hash, Set<String> userGroups, Map<String, Long> labels) {
    return new HashNode(hash, new TreeSet<>(userGroups), new TreeMap<>(labels), List.of());
  }

  public static HashNode of(
      String hash, Set<String> userGroups, Map<String, Long> labels, List<Frozen> frozen) {
    return new HashNode(hash, new TreeSet<>(userGroups), new TreeMap<>(labels), frozen);
  }

  public long size() {
    return labels.values().stream().mapToLong(Long::longValue).sum();
  }
}
