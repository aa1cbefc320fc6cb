package dev.shardsmith.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shardsmith.transforms.kernels.stats.NormalizeSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NormalizeConfigTest {
  private static final String MIN = "name: t\ninput: {root: imgs}\n";

  private static RunConfig parse(String yaml) throws Exception {
    return RunConfig.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml), Path.of("/d"));
  }

  private static String error(String yaml) {
    return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void imageApplyWithRawEncodingIsAccepted() throws Exception {
    RunConfig c = parse(MIN + "preprocess: {resize: 28}\nnormalize: {image: {apply: true}}\n");
    assertTrue(c.normalize().imageApply());
    assertEquals(Map.of("apply", true), NormalizeConfig.effective(c.normalize()).get("image"));
  }

  @Test
  void defaultsRecordImputationWithoutScalingOrFiltering() throws Exception {
    RunConfig c = parse(MIN);
    NormalizeSpec n = c.normalize();
    assertEquals("mean", n.impute());
    assertEquals("most_frequent", n.categoricalImpute());
    assertEquals("none", n.scale());
    assertEquals(1.0, n.maxMissing());
    assertTrue(!n.pca() && !n.exactMedian() && !n.imageApply());
    assertEquals(
        Map.of(
            "impute", "mean",
            "categorical_impute", "most_frequent",
            "scale", "none",
            "median", "approximate",
            "image", Map.of("apply", false)),
        c.effective().get("normalize"));
  }

  @Test
  void everyKeyIsParsedAndChangesTheConfigHash() throws Exception {
    RunConfig c =
        parse(
            MIN
                + "quality: {max_missing: 0.25}\n"
                + "normalize: {impute: constant, fill_value: -1, categorical_impute: constant,"
                + " categorical_fill_value: unk, scale: zscore, median: exact,"
                + " pca: {variance: 0.9}}\n");
    NormalizeSpec n = c.normalize();
    assertEquals(-1.0, n.fillValue());
    assertEquals("unk", n.categoricalFill());
    assertEquals("zscore", n.scale());
    assertTrue(n.exactMedian());
    assertEquals(0.25, n.maxMissing());
    assertEquals(0.9, n.pcaVariance());
    assertEquals(0, n.pcaComponents());
    assertEquals(3, parse(MIN + "normalize: {pca: {components: 3}}\n").normalize().pcaComponents());
    assertNotEquals(parse(MIN).sha256(), parse(MIN + "normalize: {scale: minmax}\n").sha256());
    assertNotEquals(parse(MIN).sha256(), parse(MIN + "quality: {max_missing: 0.5}\n").sha256());
  }

  @Test
  void badValuesNameTheKeyTheValueAndWhatIsAllowed() {
    assertEquals(
        "normalize.scale = standard is not allowed: use one of zscore, minmax, none",
        error(MIN + "normalize: {scale: standard}\n"));
    assertEquals(
        "normalize.impute = mode is not allowed: use one of mean, median, constant, forward_fill",
        error(MIN + "normalize: {impute: mode}\n"));
    assertEquals(
        "normalize.median = fast is not allowed: use one of approximate, exact",
        error(MIN + "normalize: {median: fast}\n"));
    assertEquals(
        "normalize.fill_value is used only with normalize.impute = constant, but impute = mean",
        error(MIN + "normalize: {fill_value: 3}\n"));
    assertTrue(
        error(MIN + "normalize: {categorical_fill_value: x}\n")
            .startsWith("normalize.categorical_fill_value is used only with"));
    assertTrue(
        error(MIN + "normalize: {pca: {components: 2, variance: 0.5}}\n")
            .startsWith("normalize.pca needs exactly one of components"));
    assertTrue(error(MIN + "normalize: {pca: {}}\n").startsWith("normalize.pca needs exactly one"));
    assertEquals(
        "normalize.pca.components = 0 is out of range: must be in [1, 100000]",
        error(MIN + "normalize: {pca: {components: 0}}\n"));
    assertTrue(
        error(MIN + "normalize: {pca: {variance: 1.5}}\n")
            .startsWith("normalize.pca.variance = 1.5 is out of range"));
    assertEquals(
        "normalize.pca.whiten is not a known key: normalize.pca takes components, variance",
        error(MIN + "normalize: {pca: {components: 2, whiten: true}}\n"));
    assertEquals(
        "quality.max_missing = 1.5 is out of range: must be in [0.0, 1.0]",
        error(MIN + "quality: {max_missing: 1.5}\n"));
    assertEquals(
        "normalize.image.apply = true writes float32 pixels, which only output.image_encoding ="
            + " raw holds, but output.image_encoding = png: set output.image_encoding: raw, or"
            + " normalize.image.apply: false",
        error(
            MIN
                + "normalize: {image: {apply: true}}\n"
                + "output: {formats: [parquet], image_encoding: png}\n"));
    assertEquals(
        "normalize.image.mean is not a known key: normalize.image takes apply",
        error(MIN + "normalize: {image: {mean: [1, 2, 3]}}\n"));
  }
}
