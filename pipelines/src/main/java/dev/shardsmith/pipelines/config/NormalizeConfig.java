package dev.shardsmith.pipelines.config;

import dev.shardsmith.transforms.kernels.stats.NormalizeSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the {@code normalize} section (and {@code quality.max_missing}) into a {@link
 * NormalizeSpec}, strictly: unknown keys, a {@code fill_value} without {@code impute: constant}, or
 * a PCA with both {@code components} and {@code variance} fail before any data is read. {@code
 * image.apply: true} makes image shards float32 ({@code (x - mean_c) / std_c} with the train
 * statistics), so it needs {@code output.image_encoding: raw} ({@link #checkImageApply}).
 *
 * <pre>{@code
 * normalize:
 *   impute: median          # mean | median | constant | forward_fill
 *   scale: zscore           # zscore | minmax | none
 *   median: exact           # approximate | exact
 *   pca: {variance: 0.95}   # or {components: 8}
 *   image: {apply: false}
 * }</pre>
 */
final class NormalizeConfig {
  private NormalizeConfig() {}

  static NormalizeSpec parse(Section n, double maxMissing) {
    String impute = n.choice("impute", "mean", NormalizeSpec.IMPUTE);
    if (n.has("fill_value") && !"constant".equals(impute)) {
      throw new ConfigException(
          n.key("fill_value")
              + " is used only with normalize.impute = constant, but impute = "
              + impute);
    }
    double fill = n.number("fill_value", 0.0, -Float.MAX_VALUE, Float.MAX_VALUE);
    String catImpute =
        n.choice("categorical_impute", "most_frequent", NormalizeSpec.CATEGORICAL_IMPUTE);
    if (n.has("categorical_fill_value") && !"constant".equals(catImpute)) {
      throw new ConfigException(
          n.key("categorical_fill_value")
              + " is used only with normalize.categorical_impute = constant, but"
              + " categorical_impute = "
              + catImpute);
    }
    String catFill = n.string("categorical_fill_value", "missing");
    String scale = n.choice("scale", "none", NormalizeSpec.SCALE);
    boolean exact =
        "exact"
            .equals(n.choice("median", "approximate", java.util.List.of("approximate", "exact")));
    int components = 0;
    double variance = 0;
    if (n.has("pca")) {
      Section pca = n.section("pca");
      if (pca.has("components") == pca.has("variance")) {
        throw new ConfigException(
            n.key("pca")
                + " needs exactly one of components (an integer >= 1) or variance (a fraction in"
                + " (0, 1]): the fewest components explaining that share of the variance");
      }
      components = (int) pca.integer("components", 0, 1, 100_000);
      variance = pca.number("variance", 0, Double.MIN_VALUE, 1);
      pca.finish();
    } else {
      n.section("pca").finish();
    }
    Section image = n.section("image");
    boolean apply = image.bool("apply", false);
    image.finish();
    n.finish();
    return new NormalizeSpec(
        impute, fill, catImpute, catFill, scale, exact, maxMissing, components, variance, apply);
  }

  /**
   * Normalized images are float32 pixel arrays, which only the raw encoding holds: png, jpeg and
   * webp store uint8 pixels.
   */
  static void checkImageApply(NormalizeSpec s, String imageEncoding) {
    if (s.imageApply() && !"raw".equals(imageEncoding)) {
      throw new ConfigException(
          "normalize.image.apply = true writes float32 pixels, which only output.image_encoding ="
              + " raw holds, but output.image_encoding = "
              + imageEncoding
              + ": set output.image_encoding: raw, or normalize.image.apply: false");
    }
  }

  /** The effective {@code normalize} section, every default filled in. */
  static Map<String, Object> effective(NormalizeSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("impute", s.impute());
    if ("constant".equals(s.impute())) {
      m.put("fill_value", s.fillValue());
    }
    m.put("categorical_impute", s.categoricalImpute());
    if ("constant".equals(s.categoricalImpute())) {
      m.put("categorical_fill_value", s.categoricalFill());
    }
    m.put("scale", s.scale());
    m.put("median", s.exactMedian() ? "exact" : "approximate");
    if (s.pcaComponents() > 0) {
      m.put("pca", Map.of("components", s.pcaComponents()));
    } else if (s.pcaVariance() > 0) {
      m.put("pca", Map.of("variance", s.pcaVariance()));
    }
    m.put("image", Map.of("apply", s.imageApply()));
    return m;
  }
}
