package dev.shardsmith.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.stats.FeatureAccumulator;
import dev.shardsmith.transforms.kernels.stats.FittedFeatures;
import dev.shardsmith.transforms.kernels.stats.NormalizeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

class NormalizeFeaturesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Sample sample(String id, String group, Split split, int fold, float[] x, String[] c) {
    return Sample.builder()
        .id(id)
        .group(group)
        .labels(List.of("a"))
        .split(split)
        .fold(fold)
        .payloadHash("h-" + id)
        .payload(new FeaturePayload(x, c))
        .build();
  }

  /** Letters rows 0..1499 train (folds 0..2), 1500..1749 val, 1750.. test. */
  static List<Sample> letters() throws Exception {
    List<Sample> out = new ArrayList<>();
    int i = 0;
    for (String l : Files.readAllLines(Path.of("src/test/resources/letters/letters-2000.data"))) {
      if (l.isBlank()) {
        continue;
      }
      String[] f = l.split(",");
      float[] x = new float[16];
      for (int t = 0; t < 16; t++) {
        x[t] = Float.parseFloat(f[t + 1]);
      }
      Split split = i < 1500 ? Split.TRAIN : i < 1750 ? Split.VAL : Split.TEST;
      out.add(
          sample(
              String.format("r%05d", i),
              "g" + i,
              split,
              split == Split.TRAIN ? i % 3 : -1,
              x,
              new String[] {f[0]}));
      i++;
    }
    return out;
  }

  private static FittedFeatures kernelFit(List<Sample> rows, NormalizeSpec spec, int dropFold) {
    FeatureAccumulator acc = new FeatureAccumulator();
    for (Sample s : rows) {
      if (s.split() == Split.TRAIN && s.fold() != dropFold) {
        FeaturePayload p = (FeaturePayload) s.payload();
        acc.add(p.numeric(), p.categorical());
      }
    }
    return acc.fit(spec, null);
  }

  @Test
  void fitsOnTrainOnlyAppliesToEverySplitAndRecordsFolds() throws Exception {
    List<Sample> rows = letters();
    // Val and test hold huge outliers: the statistics must not move, and nothing non-finite leaks.
    List<Sample> withOutliers = new ArrayList<>();
    for (Sample s : rows) {
      if (s.split() != Split.TRAIN) {
        float[] x = ((FeaturePayload) s.payload()).numeric().clone();
        x[0] = 3e38f;
        x[1] = -3e38f;
        s = s.toBuilder().payload(new FeaturePayload(x, new String[] {"Z"})).build();
      }
      withOutliers.add(s);
    }
    NormalizeSpec spec = NormalizeSpec.DEFAULT.withScale("zscore");
    FittedFeatures expected = kernelFit(rows, spec, -1);
    Map<Integer, FittedFeatures> folds = new HashMap<>();
    for (int f = 0; f < 3; f++) {
      folds.put(f, kernelFit(rows, spec, f));
    }
    String expectedJson = NormalizeFeatures.manifestJson(expected, folds);
    HashMap<String, String> expectedTrain = new HashMap<>();
    for (Sample s : rows) {
      if (s.split() == Split.TRAIN) {
        expectedTrain.put(
            s.id(),
            Arrays.toString(expected.apply(((FeaturePayload) s.payload()).numeric(), null)));
      }
    }

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple out =
        p.apply(Create.of(withOutliers).withCoder(SampleCoder.of()))
            .apply(NormalizeFeatures.of(spec).withFolds(3));
    PAssert.that(out.get(NormalizeFeatures.MANIFEST)).containsInAnyOrder(expectedJson);
    PAssert.that(out.get(NormalizeFeatures.COUNTS)).empty();
    PAssert.that(out.get(NormalizeFeatures.OK))
        .satisfies(
            got -> {
              int n = 0;
              for (Sample s : got) {
                n++;
                float[] x = ((FeaturePayload) s.payload()).numeric();
                for (float v : x) {
                  assertTrue(Float.isFinite(v), s.id());
                }
                if (s.split() == Split.TRAIN) {
                  assertEquals(expectedTrain.get(s.id()), Arrays.toString(x));
                } else {
                  // Scaled by the train std (about 1.9): huge but finite.
                  assertTrue(x[0] > 1e38f && x[1] < -1e37f, Arrays.toString(x));
                  assertEquals("Z", ((FeaturePayload) s.payload()).categorical()[0]);
                }
              }
              assertEquals(2000, n);
              return null;
            });
    p.run().waitUntilFinish();

    JsonNode m = JSON.readTree(expectedJson);
    assertEquals(1500, m.get("features").get("train_rows").asLong());
    assertEquals(1000, m.get("folds").get("001").get("train_rows").asLong());
    assertTrue(m.get("applied").asBoolean());
  }

  @Test
  void filtersTooManyMissingImputesForwardFillsAndFitsExactMediansAndPca() {
    float nan = Float.NaN;
    List<Sample> in =
        List.of(
            // Group g, in id order a1, a2, a3: a2 and a3 take a1's value for column 0.
            sample("a1", "g", Split.TRAIN, -1, new float[] {10f, 1f, 2f}, new String[] {"x"}),
            sample("a2", "g", Split.TRAIN, -1, new float[] {nan, 3f, 1f}, new String[] {"y"}),
            sample("a3", "g", Split.TRAIN, -1, new float[] {nan, 5f, 7f}, new String[] {null}),
            // First of its group: no previous value, so the fitted mean (of 10, 4, 1) = 5.
            sample("b1", "h", Split.VAL, -1, new float[] {nan, 7f, 4f}, new String[] {"x"}),
            sample("c1", "k", Split.TRAIN, -1, new float[] {4f, 2f, 3f}, new String[] {"x"}),
            sample("c2", "k", Split.TRAIN, -1, new float[] {1f, 9f, 0f}, new String[] {"y"}),
            // 3 of 4 features missing > 0.5: filtered, on any split.
            sample("d1", "m", Split.TEST, -1, new float[] {nan, nan, 1f}, new String[] {null}),
            sample("d2", "n", Split.TRAIN, -1, new float[] {nan, nan, 1e9f}, new String[] {null}));
    NormalizeSpec fill = NormalizeSpec.DEFAULT.withImpute("forward_fill", 0).withMaxMissing(0.5);
    NormalizeSpec exact =
        NormalizeSpec.DEFAULT.withImpute("median", 0).withExactMedian(true).withMaxMissing(0.5);
    NormalizeSpec pca = NormalizeSpec.DEFAULT.withScale("zscore").withPca(2, 0).withMaxMissing(0.5);

    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple ff =
        p.apply("In", Create.of(in).withCoder(SampleCoder.of()))
            .apply("Fill", NormalizeFeatures.of(fill));
    PAssert.that(ff.get(NormalizeFeatures.COUNTS))
        .containsInAnyOrder(
            KV.of(CountKey.samplesFiltered("missing"), 1L),
            KV.of(CountKey.samplesFiltered("missing"), 1L));
    PAssert.that(ff.get(NormalizeFeatures.OK))
        .satisfies(
            got -> {
              Map<String, String> byId = new HashMap<>();
              got.forEach(
                  s -> {
                    FeaturePayload f = (FeaturePayload) s.payload();
                    byId.put(
                        s.id(), Arrays.toString(f.numeric()) + Arrays.toString(f.categorical()));
                  });
              assertEquals(6, byId.size(), byId.toString());
              assertEquals("[10.0, 3.0, 1.0][y]", byId.get("a2"));
              // Most frequent category: x (3 of 5 train values).
              assertEquals("[10.0, 5.0, 7.0][x]", byId.get("a3"));
              assertEquals("[5.0, 7.0, 4.0][x]", byId.get("b1"));
              return null;
            });
    PCollectionTuple med =
        p.apply("In2", Create.of(in).withCoder(SampleCoder.of()))
            .apply("Exact", NormalizeFeatures.of(exact));
    PAssert.that(med.get(NormalizeFeatures.MANIFEST))
        .satisfies(
            got -> {
              // Without folds, no per-fold statistics.
              assertEquals(null, read(got.iterator().next()).get("folds"));
              JsonNode cols = read(got.iterator().next()).get("features").get("numeric");
              // Train, after the filter: column 0 observed {10, 4, 1} -> 4; column 2 {2,1,7,3,0}.
              assertEquals(4.0, cols.get(0).get("median").asDouble());
              assertEquals(2.0, cols.get(2).get("median").asDouble());
              assertEquals(2, cols.get(0).get("missing").asLong());
              return null;
            });
    PCollectionTuple pc =
        p.apply("In3", Create.of(in).withCoder(SampleCoder.of()))
            .apply("Pca", NormalizeFeatures.of(pca));
    PAssert.that(pc.get(NormalizeFeatures.OK))
        .satisfies(
            got -> {
              got.forEach(s -> assertEquals(2, ((FeaturePayload) s.payload()).numeric().length));
              return null;
            });
    PAssert.that(pc.get(NormalizeFeatures.MANIFEST))
        .satisfies(
            got -> {
              JsonNode pcaNode = read(got.iterator().next()).get("features").get("pca");
              assertEquals(2, pcaNode.get("components").asInt());
              double r0 = pcaNode.get("explained_variance_ratio").get(0).asDouble();
              double r1 = pcaNode.get("explained_variance_ratio").get(1).asDouble();
              assertTrue(r0 >= r1 && r1 > 0 && r0 + r1 <= 1 + 1e-12, r0 + " " + r1);
              return null;
            });
    p.run().waitUntilFinish();
  }

  /** The messages of {@code t} and its causes, joined. */
  static String messages(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c.getMessage()).append(" | ");
    }
    return b.toString();
  }

  @Test
  void exactMediansOrPcaWithNoTrainRowsFailNamingTheTrainSplit() {
    List<Sample> noTrain =
        List.of(
            sample("v1", "g1", Split.VAL, -1, new float[] {1f, 2f}, new String[0]),
            sample("t1", "g2", Split.TEST, -1, new float[] {3f, Float.NaN}, new String[0]));
    NormalizeSpec exact = NormalizeSpec.DEFAULT.withImpute("median", 0).withExactMedian(true);
    NormalizeSpec pca = NormalizeSpec.DEFAULT.withScale("zscore").withPca(1, 0);
    for (NormalizeSpec spec : List.of(exact, pca)) {
      TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
      p.apply(Create.of(noTrain).withCoder(SampleCoder.of())).apply(NormalizeFeatures.of(spec));
      String m = messages(org.junit.jupiter.api.Assertions.assertThrows(Exception.class, p::run));
      assertTrue(!m.toLowerCase(java.util.Locale.ROOT).contains("empty pcollection"), m);
      assertTrue(m.contains("split.train"), m);
      if (spec.pca()) {
        assertTrue(m.contains("normalize.pca needs at least 2 train rows to fit on, got 0"), m);
      } else {
        assertTrue(m.contains("fitted on 0 train samples"), m);
      }
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
