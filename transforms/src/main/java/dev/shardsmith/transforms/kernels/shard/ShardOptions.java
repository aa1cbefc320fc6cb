package dev.shardsmith.transforms.kernels.shard;

import dev.shardsmith.schemas.FeatureNames;
import java.io.Serializable;
import java.util.function.Consumer;

/**
 * The writer settings every shard format has: whether each file's sha256 is computed while it is
 * written (default yes) and the names of the features of feature rows (default none). A format's
 * {@code Options} extends this with its own settings. Every wither returns a changed copy, so an
 * options object never changes once made: immutable and serializable.
 *
 * @param <O> the format's own options type, which the withers return
 */
public abstract class ShardOptions<O extends ShardOptions<O>> implements Serializable, Cloneable {
  private static final long serialVersionUID = 1L;

  private boolean sha256 = true;
  private FeatureNames featureNames = FeatureNames.NONE;

  ShardOptions() {}

  /**
   * Whether to hash each file as it is written (default true). False leaves the written file's
   * sha256 null, for callers that hash elsewhere or not at all (benchmarks); the bytes are the
   * same.
   */
  public O withSha256(boolean sha256) {
    return with(o -> ((ShardOptions<O>) o).sha256 = sha256);
  }

  /** The names of the numeric and categorical features of feature rows. */
  public O withFeatureNames(FeatureNames names) {
    if (names == null) {
      throw new IllegalArgumentException("withFeatureNames: names must not be null");
    }
    return with(o -> ((ShardOptions<O>) o).featureNames = names);
  }

  public boolean sha256() {
    return sha256;
  }

  public FeatureNames featureNames() {
    return featureNames;
  }

  /** A copy of these options with {@code change} applied to it; these stay as they are. */
  @SuppressWarnings("unchecked")
  final O with(Consumer<O> change) {
    O copy;
    try {
      copy = (O) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError("ShardOptions is Cloneable", e);
    }
    change.accept(copy);
    return copy;
  }
}
