package dev.shardsmith.transforms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.SeriesPayload;
import dev.shardsmith.transforms.kernels.stats.FeatureAccumulator;
import dev.shardsmith.transforms.kernels.stats.FittedFeatures;
import dev.shardsmith.transforms.kernels.stats.NormalizeSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Per-channel normalization of series windows, fitted on train: every time step of every train
 * original window (its T steps, not its horizon) is one row of C values in a {@link
 * FeatureAccumulator} (exact sums, so the fit does not depend on bundling), fitted with {@code
 * spec.scale()} ({@code zscore}: {@code (x - mean_c) / std_c}; {@code minmax}: {@code (x - min_c) /
 * (max_c - min_c)}), and applied to the window and its horizon of every sample in every split. A
 * channel with zero spread maps to 0. Outputs the samples ({@link #OK}) and the fitted statistics
 * as one JSON line ({@link #MANIFEST}, the manifest's {@code normalization}).
 *
 * <pre>{@code
 * PCollectionTuple n = windows.apply("Normalize", NormalizeSeries.of(spec));
 * }</pre>
 */
public final class NormalizeSeries extends PTransform<PCollection<Sample>, PCollectionTuple> {
  public static final TupleTag<Sample> OK = new TupleTag<>() {};
  public static final TupleTag<String> MANIFEST = new TupleTag<>() {};

  private final NormalizeSpec spec;

  private NormalizeSeries(NormalizeSpec spec) {
    this.spec = spec;
  }

  /** Normalizes with {@code spec.scale()}; only the scale of {@code spec} is used. */
  public static NormalizeSeries of(NormalizeSpec spec) {
    return new NormalizeSeries(spec);
  }

  @Override
  public PCollectionTuple expand(PCollection<Sample> windows) {
    PCollection<FittedFeatures> fitted =
        windows
            .apply("TrainWindows", Filter.by(FitStatistics::isTrainOriginal))
            .apply("FitChannels", Combine.globally(new StepFn()))
            .apply(
                "Fit",
                MapElements.into(org.apache.beam.sdk.values.TypeDescriptor.of(FittedFeatures.class))
                    .via((FeatureAccumulator a) -> a.fit(spec, null)))
            .setCoder(SerializableCoder.of(FittedFeatures.class));
    PCollectionView<FittedFeatures> view = fitted.apply("FitView", View.asSingleton());
    PCollection<Sample> out =
        windows
            .apply("Scale", ParDo.of(new ScaleFn(view)).withSideInputs(view))
            .setCoder(SampleCoder.of());
    PCollection<String> manifest =
        fitted
            .apply(
                "ManifestJson",
                MapElements.into(TypeDescriptors.strings()).via(NormalizeSeries::json))
            .setCoder(StringUtf8Coder.of());
    return PCollectionTuple.of(OK, out).and(MANIFEST, manifest);
  }

  static String json(FittedFeatures f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("applied", true);
    m.put("per", "channel");
    m.put("fitted_on", "train window steps");
    m.putAll(f.toManifest());
    try {
      return new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Each time step of a train window is one row of C channel values. */
  static final class StepFn
      extends Combine.CombineFn<Sample, FeatureAccumulator, FeatureAccumulator> {
    private static final long serialVersionUID = 1L;
    private static final String[] NONE = new String[0];

    @Override
    public FeatureAccumulator createAccumulator() {
      return new FeatureAccumulator();
    }

    @Override
    public FeatureAccumulator addInput(FeatureAccumulator acc, Sample s) {
      SeriesPayload p = (SeriesPayload) s.payload();
      int c = p.channels();
      float[] v = p.values();
      for (int t = 0; t < p.length(); t++) {
        float[] row = new float[c];
        System.arraycopy(v, t * c, row, 0, c);
        acc.add(row, NONE);
      }
      return acc;
    }

    @Override
    public FeatureAccumulator mergeAccumulators(Iterable<FeatureAccumulator> accs) {
      FeatureAccumulator out = new FeatureAccumulator();
      accs.forEach(out::merge);
      return out;
    }

    @Override
    public FeatureAccumulator extractOutput(FeatureAccumulator acc) {
      return acc;
    }

    @Override
    public Coder<FeatureAccumulator> getAccumulatorCoder(CoderRegistry r, Coder<Sample> in) {
      return FeatureAccumulatorCoder.of();
    }
  }

  static final class ScaleFn extends DoFn<Sample, Sample> {
    private final PCollectionView<FittedFeatures> view;

    ScaleFn(PCollectionView<FittedFeatures> view) {
      this.view = view;
    }

    @ProcessElement
    public void process(@Element Sample s, ProcessContext ctx) {
      FittedFeatures f = ctx.sideInput(view);
      SeriesPayload p = (SeriesPayload) s.payload();
      SeriesPayload scaled =
          new SeriesPayload(
              p.seriesId(),
              p.start(),
              p.length(),
              p.channels(),
              scale(f, p.values(), p.channels()),
              scale(f, p.horizon(), p.channels()));
      ctx.output(s.toBuilder().payload(scaled).build());
    }

    private static float[] scale(FittedFeatures f, float[] x, int c) {
      float[] out = new float[x.length];
      float[] row = new float[c];
      for (int t = 0; t < x.length / c; t++) {
        System.arraycopy(x, t * c, row, 0, c);
        System.arraycopy(f.scale(row, null), 0, out, t * c, c);
      }
      return out;
    }
  }
}
