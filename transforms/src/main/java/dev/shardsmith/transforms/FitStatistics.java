package dev.shardsmith.transforms;

import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.stats.ChannelAccumulator;
import dev.shardsmith.transforms.kernels.stats.CovarianceAccumulator;
import dev.shardsmith.transforms.kernels.stats.FeatureAccumulator;
import dev.shardsmith.transforms.kernels.stats.FittedFeatures;
import dev.shardsmith.transforms.kernels.stats.Float32Histogram;
import dev.shardsmith.transforms.kernels.stats.NormalizeSpec;
import dev.shardsmith.transforms.kernels.stats.Pca;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.CombineWithContext;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Fits {@code normalize} statistics on the {@code TRAIN} originals of a collection (derived rows
 * and other splits are ignored, so val/test values never move a statistic), each as a {@code
 * Combine.globally} whose accumulators merge exactly: the result is the same for any bundling,
 * parallelism or runner. The outputs are singletons, meant for {@code View.asSingleton()}.
 *
 * <pre>{@code
 * PCollection<FittedFeatures> fit = samples.apply("FitFeatures", FitStatistics.features(spec));
 * PCollection<ChannelAccumulator> px = rows.apply("FitChannels", FitStatistics.channels());
 * }</pre>
 */
public final class FitStatistics {
  private FitStatistics() {}

  /** Per-column feature statistics and the transform they define; exact medians if asked. */
  public static Features features(NormalizeSpec spec) {
    return new Features(spec);
  }

  /** Per-channel pixel sums of the raw train originals. */
  public static Channels channels() {
    return new Channels();
  }

  /** Whether a sample is a train original: the only rows statistics are fitted on. */
  public static boolean isTrainOriginal(Sample s) {
    return s.split() == Split.TRAIN && !s.isDerived();
  }

  static FeaturePayload features(Sample s) {
    if (s.payload() instanceof FeaturePayload f) {
      return f;
    }
    throw new IllegalStateException(
        s.id() + " is " + s.payload().modality() + ", not a feature vector");
  }

  /** See {@link #features(NormalizeSpec)}. */
  public static final class Features
      extends PTransform<PCollection<Sample>, PCollection<FittedFeatures>> {
    private static final long serialVersionUID = 1L;
    private final NormalizeSpec spec;

    private Features(NormalizeSpec spec) {
      this.spec = spec;
    }

    @Override
    public PCollection<FittedFeatures> expand(PCollection<Sample> samples) {
      PCollection<Sample> train =
          samples.apply("TrainOriginals", Filter.by(FitStatistics::isTrainOriginal));
      PCollection<FeatureAccumulator> acc =
          train
              .apply("Accumulate", Combine.globally(new FeatureFn()))
              .setCoder(FeatureAccumulatorCoder.of());
      PCollectionView<FeatureAccumulator> accView = acc.apply("AccView", View.asSingleton());
      PCollection<double[]> medians;
      if (spec.exactMedian()) {
        medians =
            train.apply(
                "ExactMedians",
                Combine.globally(new ExactMedianFn(accView))
                    .withoutDefaults()
                    .withSideInputs(accView));
      } else {
        medians =
            acc.apply(
                "NoExactMedians",
                ParDo.of(
                    new DoFn<FeatureAccumulator, double[]>() {
                      @ProcessElement
                      public void process(OutputReceiver<double[]> out) {
                        out.output(new double[0]);
                      }
                    }));
      }
      medians.setCoder(StatsCoder.of(double[].class));
      NormalizeSpec s = spec;
      PCollection<FittedFeatures> fitted =
          medians
              .apply(
                  "Fit",
                  ParDo.of(
                          new DoFn<double[], FittedFeatures>() {
                            @ProcessElement
                            public void process(
                                @Element double[] m,
                                ProcessContext c,
                                OutputReceiver<FittedFeatures> out) {
                              FeatureAccumulator a = c.sideInput(accView);
                              out.output(a.fit(s, s.exactMedian() ? m : null));
                            }
                          })
                      .withSideInputs(accView))
              .setCoder(StatsCoder.of(FittedFeatures.class));
      if (!spec.pca()) {
        return fitted;
      }
      PCollectionView<FittedFeatures> fitView = fitted.apply("FitView", View.asSingleton());
      PCollection<CovarianceAccumulator> cov =
          train
              .apply(
                  "Covariance",
                  Combine.globally(new CovarianceFn(fitView))
                      .withoutDefaults()
                      .withSideInputs(fitView))
              .setCoder(StatsCoder.of(CovarianceAccumulator.class));
      return cov.apply(
              "FitPca",
              ParDo.of(
                      new DoFn<CovarianceAccumulator, FittedFeatures>() {
                        @ProcessElement
                        public void process(
                            @Element CovarianceAccumulator c,
                            ProcessContext ctx,
                            OutputReceiver<FittedFeatures> out) {
                          FittedFeatures f = ctx.sideInput(fitView);
                          out.output(
                              f.withPca(
                                  Pca.fit(
                                      c.mean(),
                                      c.covariance(),
                                      s.pcaComponents(),
                                      s.pcaVariance())));
                        }
                      })
                  .withSideInputs(fitView))
          .setCoder(StatsCoder.of(FittedFeatures.class));
    }
  }

  /** Per-column accumulation of feature vectors. */
  public static final class FeatureFn
      extends Combine.CombineFn<Sample, FeatureAccumulator, FeatureAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public FeatureAccumulator createAccumulator() {
      return new FeatureAccumulator();
    }

    @Override
    public FeatureAccumulator addInput(FeatureAccumulator acc, Sample s) {
      FeaturePayload f = features(s);
      acc.add(f.numeric(), f.categorical());
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

  /** The second median pass: full-precision counts inside each column's median buckets. */
  static final class ExactMedianFn
      extends CombineWithContext.CombineFnWithContext<
          Sample, Float32Histogram.ExactMedian[], double[]> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<FeatureAccumulator> first;

    ExactMedianFn(PCollectionView<FeatureAccumulator> first) {
      this.first = first;
    }

    @Override
    public Float32Histogram.ExactMedian[] createAccumulator(CombineWithContext.Context c) {
      return c.sideInput(first).exactMedianCounters();
    }

    @Override
    public Float32Histogram.ExactMedian[] addInput(
        Float32Histogram.ExactMedian[] acc, Sample s, CombineWithContext.Context c) {
      float[] x = features(s).numeric();
      for (int j = 0; j < acc.length; j++) {
        if (!FeatureAccumulator.isMissing(x[j])) {
          acc[j].add(x[j]);
        }
      }
      return acc;
    }

    @Override
    public Float32Histogram.ExactMedian[] mergeAccumulators(
        Iterable<Float32Histogram.ExactMedian[]> accs, CombineWithContext.Context c) {
      Float32Histogram.ExactMedian[] out = createAccumulator(c);
      for (Float32Histogram.ExactMedian[] a : accs) {
        for (int j = 0; j < out.length; j++) {
          out[j].merge(a[j]);
        }
      }
      return out;
    }

    @Override
    public double[] extractOutput(
        Float32Histogram.ExactMedian[] acc, CombineWithContext.Context c) {
      double[] m = new double[acc.length];
      for (int j = 0; j < m.length; j++) {
        m[j] = acc[j].median();
      }
      return m;
    }

    @Override
    public Coder<Float32Histogram.ExactMedian[]> getAccumulatorCoder(
        CoderRegistry r, Coder<Sample> in) {
      return StatsCoder.of(Float32Histogram.ExactMedian[].class);
    }
  }

  /** Covariance of the imputed and scaled train features, for PCA. */
  static final class CovarianceFn
      extends CombineWithContext.CombineFnWithContext<
          Sample, CovarianceAccumulator, CovarianceAccumulator> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<FittedFeatures> fit;

    CovarianceFn(PCollectionView<FittedFeatures> fit) {
      this.fit = fit;
    }

    @Override
    public CovarianceAccumulator createAccumulator(CombineWithContext.Context c) {
      return new CovarianceAccumulator();
    }

    @Override
    public CovarianceAccumulator addInput(
        CovarianceAccumulator acc, Sample s, CombineWithContext.Context c) {
      acc.add(c.sideInput(fit).scale(features(s).numeric(), null));
      return acc;
    }

    @Override
    public CovarianceAccumulator mergeAccumulators(
        Iterable<CovarianceAccumulator> accs, CombineWithContext.Context c) {
      CovarianceAccumulator out = new CovarianceAccumulator();
      accs.forEach(out::merge);
      return out;
    }

    @Override
    public CovarianceAccumulator extractOutput(
        CovarianceAccumulator acc, CombineWithContext.Context c) {
      return acc;
    }

    @Override
    public Coder<CovarianceAccumulator> getAccumulatorCoder(CoderRegistry r, Coder<Sample> in) {
      return StatsCoder.of(CovarianceAccumulator.class);
    }
  }

  /** See {@link #channels()}. */
  public static final class Channels
      extends PTransform<PCollection<Sample>, PCollection<ChannelAccumulator>> {
    private static final long serialVersionUID = 1L;

    @Override
    public PCollection<ChannelAccumulator> expand(PCollection<Sample> rows) {
      return rows.apply("TrainOriginals", Filter.by(FitStatistics::isTrainOriginal))
          .apply("SumChannels", Combine.globally(new ChannelFn()))
          .setCoder(StatsCoder.of(ChannelAccumulator.class));
    }
  }

  /** Integer channel sums of raw images. */
  public static final class ChannelFn
      extends Combine.CombineFn<Sample, ChannelAccumulator, ChannelAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public ChannelAccumulator createAccumulator() {
      return new ChannelAccumulator();
    }

    @Override
    public ChannelAccumulator addInput(ChannelAccumulator acc, Sample s) {
      ImagePayload p = s.image();
      if (!ImagePayload.RAW.equals(p.format())) {
        throw new IllegalStateException(
            s.id() + ": channel statistics need decoded uint8 pixels, got " + p.format());
      }
      acc.add(p.bytes(), p.channels());
      return acc;
    }

    @Override
    public ChannelAccumulator mergeAccumulators(Iterable<ChannelAccumulator> accs) {
      ChannelAccumulator out = new ChannelAccumulator();
      accs.forEach(out::merge);
      return out;
    }

    @Override
    public ChannelAccumulator extractOutput(ChannelAccumulator acc) {
      return acc;
    }

    @Override
    public Coder<ChannelAccumulator> getAccumulatorCoder(CoderRegistry r, Coder<Sample> in) {
      return StatsCoder.of(ChannelAccumulator.class);
    }
  }
}
