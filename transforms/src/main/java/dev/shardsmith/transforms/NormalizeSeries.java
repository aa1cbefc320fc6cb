package dev.shardsmith.transforms;

import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.SeriesPayload;
import dev.shardsmith.transforms.kernels.stats.ColumnAccumulator;
import dev.shardsmith.transforms.kernels.stats.FeatureAccumulator;
import dev.shardsmith.transforms.kernels.stats.FittedFeatures;
import dev.shardsmith.transforms.kernels.stats.NormalizeSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
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
    // Per channel, like the feature statistics (FitStatistics.columns): a bundle's partial sums
    // and histogram of each channel, merged per channel, so no shuffled record holds every
    // channel's histogram at once (Flink's sort buffer is 1.4 MB).
    PCollectionView<Map<Integer, ColumnAccumulator>> channels =
        windows
            .apply("TrainWindows", Filter.by(FitStatistics::isTrainOriginal))
            .apply("PartialChannels", ParDo.of(new StepPartsFn()))
            .setCoder(KvCoder.of(VarIntCoder.of(), CompactCoder.COLUMN))
            .apply("MergeChannels", Combine.perKey(ColumnAccumulator::merged))
            .setCoder(KvCoder.of(VarIntCoder.of(), CompactCoder.COLUMN))
            .apply("ChannelView", View.asMap());
    NormalizeSpec s = spec;
    // One element, so the fit runs once (and fails clearly) even when the train split is empty.
    PCollection<FittedFeatures> fitted =
        windows
            .getPipeline()
            .apply("FitOnce", Create.of(0))
            .apply(
                "Fit",
                ParDo.of(
                        new DoFn<Integer, FittedFeatures>() {
                          @ProcessElement
                          public void process(ProcessContext c) {
                            c.output(FeatureAccumulator.of(c.sideInput(channels)).fit(s, null));
                          }
                        })
                    .withSideInputs(channels))
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
    return WriteShards.json(m);
  }

  /**
   * Each time step of a train window is one row of C channel values; a bundle's rows are summed
   * into one accumulator and emitted per channel when the bundle ends.
   */
  static final class StepPartsFn extends DoFn<Sample, KV<Integer, ColumnAccumulator>> {
    private static final long serialVersionUID = 1L;
    private static final String[] NONE = new String[0];
    private transient FeatureAccumulator acc;

    @StartBundle
    public void start() {
      acc = new FeatureAccumulator();
    }

    @ProcessElement
    public void process(@Element Sample s) {
      SeriesPayload p = (SeriesPayload) s.payload();
      int c = p.channels();
      float[] v = p.values();
      for (int t = 0; t < p.length(); t++) {
        float[] row = new float[c];
        System.arraycopy(v, t * c, row, 0, c);
        acc.add(row, NONE);
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      acc.parts() // empty when the bundle held no train window
          .forEach(
              (column, part) ->
                  c.output(
                      KV.of(column, part),
                      GlobalWindow.INSTANCE.maxTimestamp(),
                      GlobalWindow.INSTANCE));
      acc = null;
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
