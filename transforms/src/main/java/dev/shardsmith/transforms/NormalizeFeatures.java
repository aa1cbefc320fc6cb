package dev.shardsmith.transforms;

import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.transforms.kernels.stats.ColumnAccumulator;
import dev.shardsmith.transforms.kernels.stats.FeatureAccumulator;
import dev.shardsmith.transforms.kernels.stats.FittedFeatures;
import dev.shardsmith.transforms.kernels.stats.NormalizeSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The whole {@code normalize} stage for feature vectors, on split samples before balancing:
 *
 * <ol>
 *   <li>every split: a sample with more than {@code maxMissing} of its features missing (numeric
 *       NaN/Inf and categorical null, over all its features) is filtered, counted as {@code
 *       samples.filtered.missing} in {@link #COUNTS};
 *   <li>the statistics are fitted on the remaining train originals ({@link FitStatistics});
 *   <li>every split is imputed, scaled and projected ({@link ApplyNormalization});
 *   <li>with {@link #withFolds(int) k folds}, the same statistics are also fitted on train minus
 *       each fold (recorded only, for honest cross-validation refits; medians approximate there).
 * </ol>
 *
 * {@link #MANIFEST} holds one JSON line, the manifest's {@code normalization} object.
 *
 * <pre>{@code
 * PCollectionTuple n = split.apply("Normalize", NormalizeFeatures.of(spec).withFolds(5));
 * PCollection<Sample> scaled = n.get(NormalizeFeatures.OK);
 * }</pre>
 */
public final class NormalizeFeatures extends PTransform<PCollection<Sample>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  public static final TupleTag<Sample> OK = new TupleTag<>() {};
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<>() {};
  public static final TupleTag<String> MANIFEST = new TupleTag<>() {};

  /** The filter reason of a sample with too many missing values. */
  public static final String MISSING = "missing";

  private final NormalizeSpec spec;
  private final int folds;

  private NormalizeFeatures(NormalizeSpec spec, int folds) {
    this.spec = spec;
    this.folds = folds;
  }

  public static NormalizeFeatures of(NormalizeSpec spec) {
    return new NormalizeFeatures(spec, 0);
  }

  /** Also fits per-fold statistics for folds {@code 0..k-1} (0: none). */
  public NormalizeFeatures withFolds(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("withFolds: k must be >= 0, was " + k);
    }
    return new NormalizeFeatures(spec, k);
  }

  /** The missing fraction of a sample's features, over numeric and categorical ones. */
  public static double missingFraction(FeaturePayload p) {
    int total = p.numeric().length + p.categorical().length;
    if (total == 0) {
      return 0;
    }
    int missing = 0;
    for (float v : p.numeric()) {
      missing += FeatureAccumulator.isMissing(v) ? 1 : 0;
    }
    for (String v : p.categorical()) {
      missing += v == null ? 1 : 0;
    }
    return (double) missing / total;
  }

  @Override
  public PCollectionTuple expand(PCollection<Sample> samples) {
    TupleTag<Sample> kept = new TupleTag<>() {};
    double maxMissing = spec.maxMissing();
    PCollectionTuple filtered =
        samples.apply(
            "FilterMissing",
            ParDo.of(
                    new DoFn<Sample, Sample>() {
                      @ProcessElement
                      public void process(@Element Sample s, MultiOutputReceiver out) {
                        if (missingFraction(FitStatistics.features(s)) > maxMissing) {
                          out.get(COUNTS).output(KV.of(CountKey.samplesFiltered(MISSING), 1L));
                        } else {
                          out.get(kept).output(s);
                        }
                      }
                    })
                .withOutputTags(kept, TupleTagList.of(COUNTS)));
    PCollection<Sample> ok = filtered.get(kept).setCoder(SampleCoder.of());
    PCollection<KV<String, Long>> counts =
        filtered.get(COUNTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));

    PCollection<FittedFeatures> fit = ok.apply("FitFeatures", FitStatistics.features(spec));
    PCollectionView<FittedFeatures> fitView = fit.apply("FitView", View.asSingleton());
    ApplyNormalization apply = ApplyNormalization.features(fitView);
    if ("forward_fill".equals(spec.impute())) {
      apply = apply.withForwardFill();
    }
    PCollection<Sample> out = ok.apply("ApplyNormalization", apply);

    PCollectionView<Map<Integer, FittedFeatures>> foldView =
        perFold(ok).apply("FoldView", View.asMap());
    PCollection<String> manifest =
        fit.apply(
                "ManifestJson",
                ParDo.of(
                        new DoFn<FittedFeatures, String>() {
                          @ProcessElement
                          public void process(
                              @Element FittedFeatures f,
                              ProcessContext c,
                              OutputReceiver<String> o) {
                            o.output(manifestJson(f, c.sideInput(foldView)));
                          }
                        })
                    .withSideInputs(foldView))
            .setCoder(StringUtf8Coder.of());
    return PCollectionTuple.of(OK, out).and(COUNTS, counts).and(MANIFEST, manifest);
  }

  /** Statistics on train minus each fold: a train sample of fold f feeds every other fold. */
  private PCollection<KV<Integer, FittedFeatures>> perFold(PCollection<Sample> ok) {
    NormalizeSpec s = spec.withExactMedian(false).withPca(0, 0);
    Coder<KV<Integer, FittedFeatures>> coder =
        KvCoder.of(VarIntCoder.of(), StatsCoder.of(FittedFeatures.class));
    if (folds == 0) {
      return ok.getPipeline().apply("NoFolds", Create.empty(coder));
    }
    return FitStatistics.columns(ok, folds)
        .apply(
            "ByFold",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.integers(),
                        TypeDescriptors.kvs(
                            TypeDescriptors.integers(),
                            TypeDescriptor.of(ColumnAccumulator.class))))
                .via(
                    (KV<KV<Integer, Integer>, ColumnAccumulator> kv) ->
                        KV.of(kv.getKey().getKey(), KV.of(kv.getKey().getValue(), kv.getValue()))))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(VarIntCoder.of(), CompactCoder.COLUMN)))
        .apply("GroupFolds", GroupByKey.create())
        .apply(
            "FitFolds",
            ParDo.of(
                new DoFn<
                    KV<Integer, Iterable<KV<Integer, ColumnAccumulator>>>,
                    KV<Integer, FittedFeatures>>() {
                  @ProcessElement
                  public void process(
                      @Element KV<Integer, Iterable<KV<Integer, ColumnAccumulator>>> kv,
                      OutputReceiver<KV<Integer, FittedFeatures>> o) {
                    Map<Integer, ColumnAccumulator> parts = new TreeMap<>();
                    kv.getValue().forEach(p -> parts.put(p.getKey(), p.getValue()));
                    o.output(KV.of(kv.getKey(), FeatureAccumulator.of(parts).fit(s, null)));
                  }
                }))
        .setCoder(coder);
  }

  static String manifestJson(FittedFeatures f, Map<Integer, FittedFeatures> folds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("applied", true);
    m.put("features", f.toManifest());
    if (!folds.isEmpty()) {
      Map<String, Object> byFold = new TreeMap<>();
      folds.forEach(
          (k, v) -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("fitted_on", "train minus fold " + k);
            x.putAll(v.toManifest());
            byFold.put(String.format("%03d", k), x);
          });
      m.put("folds", byFold);
    }
    return WriteShards.json(m);
  }
}
