package dev.shardsmith.transforms.kernels;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Enum constants named in configs by their lower-case names ({@code zstd}, {@code reflect}), and
 * the way back from such a name to the constant, with an error that lists what is allowed: {@link
 * #parse} for a name typed by a user (any case), {@link #of} for a name recorded by this code
 * (exact). The two error forms are the ones their callers had before they shared this class.
 *
 * <pre>{@code
 * Compression c = EnumKeys.parse(Compression.class, "compression", "Zstd"); // ZSTD
 * }</pre>
 */
public final class EnumKeys {
  private EnumKeys() {}

  /** The config name of {@code value}: its constant name in lower case. */
  public static String key(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** The config names of {@code type}'s constants, in declaration order. */
  public static <E extends Enum<E>> List<String> keys(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(EnumKeys::key).toList();
  }

  /**
   * The constant of {@code type} named {@code name} in any case ({@code Zstd} is {@code ZSTD}).
   *
   * @throws IllegalArgumentException {@code "<what> must be one of a, b, c, but was <name>"}, the
   *     names in declaration order
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String what, String name) {
    for (E c : type.getEnumConstants()) {
      if (c.name().equalsIgnoreCase(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        what + " must be one of " + String.join(", ", keys(type)) + ", but was " + name);
  }

  /**
   * The constant of {@code type} whose config name is exactly {@code key} (lower case: the form
   * recorded in applied records, so no case folding).
   *
   * @throws IllegalArgumentException {@code "<where> must be one of [a, b, c], but was <key>"}
   */
  public static <E extends Enum<E>> E of(Class<E> type, String where, String key) {
    for (E c : type.getEnumConstants()) {
      if (key(c).equals(key)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        where + " must be one of " + keys(type) + ", but was " + key);
  }
}
