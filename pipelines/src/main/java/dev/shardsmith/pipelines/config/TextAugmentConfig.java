package dev.shardsmith.pipelines.config;

import dev.shardsmith.transforms.kernels.text.TextAugmentSpec;
import java.util.Map;

/**
 * Parses the text keys of the {@code augment} section ({@code ops}, {@code protect}) of a {@code
 * input.kind: text} run. CONTRACT STUB: the text-ops work replaces the bodies; the signatures stay.
 */
public final class TextAugmentConfig {
  private TextAugmentConfig() {}

  /**
   * Reads (and so consumes, for {@link Section#finish()}) the text-only keys of {@code augment};
   * {@code copies}, {@code enabled}, {@code include_original} and {@code copy_offset} stay with
   * {@link RunConfig}.
   */
  public static TextAugmentSpec parse(Section augment) {
    return TextAugmentSpec.NONE;
  }

  /** The effective-config view of {@code spec}, for the manifest. */
  public static Map<String, Object> effective(TextAugmentSpec spec) {
    return Map.of();
  }
}
