package dev.shardsmith.transforms;

import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.transforms.kernels.stats.FeatureAccumulator;
import dev.shardsmith.transforms.kernels.stats.FittedFeatures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Applies fitted feature statistics (a singleton side input from {@link FitStatistics#features}) to
 * every sample of every split: missing values imputed, numeric columns scaled, then projected when
 * PCA was fitted. Output values are finite float32 (see {@link FittedFeatures}).
 *
 * <p>With {@link #withForwardFill()}, a missing numeric value takes the previous observed value of
 * the same column among the samples of its group (its {@code group}, or its id when it has none) in
 * sample-id order, and the fitted imputation value when there is none. Groups never straddle
 * splits, so no value crosses a split. Memory: one group's samples, sorted.
 *
 * <pre>{@code
 * PCollection<Sample> out = samples.apply("Normalize", ApplyNormalization.features(fitView));
 * }</pre>
 */
public final class ApplyNormalization extends PTransform<PCollection<Sample>, PCollection<Sample>> {
  private static final long serialVersionUID = 1L;

  private final PCollectionView<FittedFeatures> fit;
  private final boolean forwardFill;

  private ApplyNormalization(PCollectionView<FittedFeatures> fit, boolean forwardFill) {
    this.fit = fit;
    this.forwardFill = forwardFill;
  }

  public static ApplyNormalization features(PCollectionView<FittedFeatures> fit) {
    return new ApplyNormalization(fit, false);
  }

  /** Imputes from the previous value in the group first (see the class comment). */
  public ApplyNormalization withForwardFill() {
    return new ApplyNormalization(fit, true);
  }

  @Override
  public PCollection<Sample> expand(PCollection<Sample> samples) {
    if (!forwardFill) {
      return samples
          .apply("Apply", ParDo.of(new ApplyFn(fit)).withSideInputs(fit))
          .setCoder(SampleCoder.of());
    }
    return samples
        .apply(
            "ByGroup",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), new TypeDescriptor<Sample>() {}))
                .via((Sample s) -> KV.of(s.group() != null ? s.group() : s.id(), s)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SampleCoder.of()))
        .apply("GroupForFill", GroupByKey.create())
        .apply("ForwardFillApply", ParDo.of(new ForwardFillFn(fit)).withSideInputs(fit))
        .setCoder(SampleCoder.of());
  }

  static Sample transformed(Sample s, FittedFeatures f, float[] previous) {
    FeaturePayload p = FitStatistics.features(s);
    return s.toBuilder()
        .payload(new FeaturePayload(f.apply(p.numeric(), previous), f.impute(p.categorical())))
        .build();
  }

  static final class ApplyFn extends DoFn<Sample, Sample> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<FittedFeatures> fit;

    ApplyFn(PCollectionView<FittedFeatures> fit) {
      this.fit = fit;
    }

    @ProcessElement
    public void process(@Element Sample s, ProcessContext c, OutputReceiver<Sample> out) {
      out.output(transformed(s, c.sideInput(fit), null));
    }
  }

  static final class ForwardFillFn extends DoFn<KV<String, Iterable<Sample>>, Sample> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<FittedFeatures> fit;

    ForwardFillFn(PCollectionView<FittedFeatures> fit) {
      this.fit = fit;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<Sample>> group, ProcessContext c, OutputReceiver<Sample> out) {
      FittedFeatures f = c.sideInput(fit);
      List<Sample> rows = new ArrayList<>();
      group.getValue().forEach(rows::add);
      rows.sort(Comparator.comparing(Sample::id).thenComparingInt(Sample::copyIndex));
      float[] previous = new float[f.numericWidth()];
      Arrays.fill(previous, Float.NaN);
      for (Sample s : rows) {
        float[] x = FitStatistics.features(s).numeric();
        out.output(transformed(s, f, previous));
        for (int j = 0; j < x.length && j < previous.length; j++) {
          if (!FeatureAccumulator.isMissing(x[j])) {
            previous[j] = x[j];
          }
        }
      }
    }
  }
}
