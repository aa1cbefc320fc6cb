package dev.shardsmith.schemas;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One sample of any modality, as it travels between pipeline stages.
 *
 * <ul>
 *   <li>{@code id}: the path relative to the input root (plus frame timestamp or window offset), or
 *       a declared id; never an absolute path. A derived row's id is its source's id plus {@code
 *       #<kind><copyIndex>}.
 *   <li>{@code sourceIds}: the ids a derived row comes from (both parents for SMOTE); for an
 *       original, its own id.
 *   <li>{@code group}: the user's group until grouping, then the id of the connected component of
 *       shared user groups and payload hashes.
 *   <li>{@code copyCount}: how many augmented copies the augmentation stage makes of this sample
 *       (the balancer sets it; train only). {@code copyIndex} is -1 for an original, else the
 *       global copy index within its source.
 * </ul>
 */
@DefaultCoder(SampleCoder.class)
public final class Sample {
  /** Fold of a sample outside k-fold cross-validation. */
  public static final int NO_FOLD = -1;

  /** Copy index of an original sample. */
  public static final int ORIGINAL = -1;

  private final String id;
  private final List<String> sourceIds;
  private final String group;
  private final List<String> labels;
  private final Split split;
  private final int fold;
  private final String payloadHash;
  private final int copyCount;
  private final int copyIndex;
  private final String derivedKind;
  private final Applied applied;
  private final Payload payload;

  private Sample(Builder b) {
    this.id = requireNonNull(b.id, "id");
    this.sourceIds = List.copyOf(b.sourceIds == null ? List.of(b.id) : b.sourceIds);
    this.group = b.group;
    this.labels = List.copyOf(requireNonNull(b.labels, "labels"));
    this.split = requireNonNull(b.split, "split");
    this.fold = b.fold;
    this.payloadHash = requireNonNull(b.payloadHash, "payloadHash");
    this.copyCount = b.copyCount;
    this.copyIndex = b.copyIndex;
    this.derivedKind = b.derivedKind;
    this.applied = requireNonNull(b.applied, "applied");
    this.payload = requireNonNull(b.payload, "payload");
    if (copyCount < 0) {
      throw new IllegalArgumentException("copyCount must be >= 0, was " + copyCount);
    }
    if ((copyIndex == ORIGINAL) != (derivedKind == null)) {
      throw new IllegalArgumentException("a derived row needs a kind and a copy index >= 0");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.sourceIds = sourceIds;
    b.group = group;
    b.labels = labels;
    b.split = split;
    b.fold = fold;
    b.payloadHash = payloadHash;
    b.copyCount = copyCount;
    b.copyIndex = copyIndex;
    b.derivedKind = derivedKind;
    b.applied = applied;
    b.payload = payload;
    return b;
  }

  public String id() {
    return id;
  }

  public List<String> sourceIds() {
    return sourceIds;
  }

  /** The group, or null before grouping when the user gave none. */
  public String group() {
    return group;
  }

  public List<String> labels() {
    return labels;
  }

  /** The first (for single-label data, the only) label, or null for an unlabelled sample. */
  public String label() {
    return labels.isEmpty() ? null : labels.get(0);
  }

  public Split split() {
    return split;
  }

  public int fold() {
    return fold;
  }

  /** Hex sha256 of this sample's own bytes (for a derived row, its source's). */
  public String payloadHash() {
    return payloadHash;
  }

  public int copyCount() {
    return copyCount;
  }

  public int copyIndex() {
    return copyIndex;
  }

  public boolean isDerived() {
    return derivedKind != null;
  }

  /** {@code augmented}, {@code oversampled} or {@code smote}; null for an original. */
  public String derivedKind() {
    return derivedKind;
  }

  public Applied applied() {
    return applied;
  }

  public Payload payload() {
    return payload;
  }

  /** The payload as an image; throws when this is another modality. */
  public ImagePayload image() {
    if (payload instanceof ImagePayload image) {
      return image;
    }
    throw new IllegalStateException(id + " is " + payload.modality() + ", not an image");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sample s
        && id.equals(s.id)
        && sourceIds.equals(s.sourceIds)
        && Objects.equals(group, s.group)
        && labels.equals(s.labels)
        && split == s.split
        && fold == s.fold
        && payloadHash.equals(s.payloadHash)
        && copyCount == s.copyCount
        && copyIndex == s.copyIndex
        && Objects.equals(derivedKind, s.derivedKind)
        && applied.equals(s.applied)
        && payload.equals(s.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, copyIndex, split, payloadHash);
  }

  @Override
  public String toString() {
    return "Sample{"
        + id
        + (isDerived() ? " " + derivedKind + copyIndex : "")
        + " "
        + labels
        + " "
        + split.folder()
        + " group="
        + group
        + " "
        + payload
        + "}";
  }

  /** Mutable builder; {@code split} defaults to unassigned, {@code applied} to none. */
  public static final class Builder {
    private String id;
    private List<String> sourceIds;
    private String group;
    private List<String> labels = List.of();
    private Split split = Split.UNASSIGNED;
    private int fold = NO_FOLD;
    private String payloadHash;
    private int copyCount;
    private int copyIndex = ORIGINAL;
    private String derivedKind;
    private Applied applied = Applied.NONE;
    private Payload payload;

    private Builder() {}

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder sourceIds(List<String> sourceIds) {
      this.sourceIds = sourceIds;
      return this;
    }

    public Builder group(String group) {
      this.group = group;
      return this;
    }

    public Builder labels(List<String> labels) {
      this.labels = labels;
      return this;
    }

    public Builder split(Split split) {
      this.split = split;
      return this;
    }

    public Builder fold(int fold) {
      this.fold = fold;
      return this;
    }

    public Builder payloadHash(String payloadHash) {
      this.payloadHash = payloadHash;
      return this;
    }

    public Builder copyCount(int copyCount) {
      this.copyCount = copyCount;
      return this;
    }

    /** Marks this row as derived: its kind and its global copy index within its source. */
    public Builder derived(String kind, int copyIndex) {
      this.derivedKind = kind;
      this.copyIndex = copyIndex;
      return this;
    }

    public Builder applied(Applied applied) {
      this.applied = applied;
      return this;
    }

    public Builder payload(Payload payload) {
      this.payload = payload;
      return this;
    }

    public Sample build() {
      return new Sample(this);
    }
  }
}
