package dev.shardsmith.schemas;

import java.io.Serializable;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Label index to name. Either declared in config (its order is the index order) or the sorted set
 * of labels seen, so indices are stable across runs over the same labels. An unknown label has no
 * index: {@link #indexOf} returns -1 and the caller rejects or fails, as configured.
 */
public final class LabelMap implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> names;
  private final Map<String, Integer> index = new HashMap<>();

  private LabelMap(List<String> names) {
    this.names = List.copyOf(names);
    for (int i = 0; i < this.names.size(); i++) {
      if (index.put(this.names.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate label: " + this.names.get(i));
      }
    }
  }

  /** The declared labels, in their declared order. */
  public static LabelMap declared(List<String> names) {
    return new LabelMap(names);
  }

  /** The sorted set of the labels seen (Java {@code String} order, i.e. by UTF-16 code unit). */
  public static LabelMap sorted(Collection<String> seen) {
    return new LabelMap(List.copyOf(new TreeSet<>(seen)));
  }

  /** Index of {@code name}, or -1 when it is not in the map. */
  public int indexOf(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  public List<String> names() {
    return names;
  }

  public int size() {
    return names.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMap m && names.equals(m.names);
  }

  @Override
  public int hashCode() {
    return names.hashCode();
  }

  @Override
  public String toString() {
    return names.toString();
  }
}
