package dev.shardsmith.transforms.kernels.split;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the split needs about one distinct payload hash: the user groups of the samples that
 * carry it and how many of them carry each label. Samples with the same bytes share a node, so
 * duplicates are always grouped together.
 */
public record HashNode(String hash, SortedSet<String> userGroups, SortedMap<String, Long> labels) {
  public HashNode {
    userGroups = new TreeSet<>(userGroups);
    labels = new TreeMap<>(labels);
  }

  public static HashNode of(String hash, Set<String> userGroups, Map<String, Long> labels) {
    return new HashNode(hash, new TreeSet<>(userGroups), new TreeMap<>(labels));
  }

  public long size() {
    return labels.values().stream().mapToLong(Long::longValue).sum();
  }
}
