package dev.shardsmith.transforms;

import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.ImagePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.schemas.VideoPayload;
import dev.shardsmith.transforms.kernels.stats.ChannelAccumulator;
import dev.shardsmith.transforms.kernels.stats.ColumnAccumulator;
import dev.shardsmith.transforms.kernels.stats.CovarianceAccumulator;
import dev.shardsmith.transforms.kernels.stats.FeatureAccumulator;
import dev.shardsmith.transforms.kernels.stats.FittedFeatures;
import dev.shardsmith.transforms.kernels.stats.Float32Histogram;
import dev.shardsmith.transforms.kernels.stats.NormalizeSpec;
import dev.shardsmith.transforms.kernels.stats.Pca;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.CombineWithContext;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Fits {@code normalize} statistics on the {@code TRAIN} originals of a collection (derived rows
 * and other splits are ignored, so val/test values never move a statistic). Every accumulator
 * merges exactly, so the result is the same for any bundling, parallelism or runner.
 *
 * <p>Feature statistics are combined per column ({@link #columns}): each bundle accumulates its
 * rows, then emits one {@link ColumnAccumulator} per column (and one row header), keyed by column,
 * and a {@code Combine.perKey} merges them. So no shuffled record grows with the table's width: a
 * runner with a record bound (Flink's sort buffer, about 1.3 MB at its default memory) sees at most
 * one column's histogram (at most about 0.6 MB) or, for PCA, the {@code d x d} covariance ({@link
 * CovarianceAccumulator}: bounded for {@code d <= 95}, typically fine to about 250).
 *
 * <pre>{@code
 * PCollection<FittedFeatures> fit = samples.apply("FitFeatures", FitStatistics.features(spec));
 * PCollection<ChannelAccumulator> px = rows.apply("FitChannels", FitStatistics.channels());
 * }</pre>
 */
public final class FitStatistics {
  private FitStatistics() {}

  /** The fold key of statistics fitted on the whole train split (not on train minus a fold). */
  public static final int ALL_TRAIN = -1;

  /** Per-column feature statistics and the transform they define; exact medians if asked. */
  public static Features features(NormalizeSpec spec) {
    return new Features(spec);
  }

  /**
   * Per-channel pixel sums of the raw train originals; a clip adds each of its frames, exactly as
   * its frames as images would ({@code images} then counts frames).
   */
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

  private static final Coder<KV<Integer, Integer>> FOLD_COLUMN =
      KvCoder.of(VarIntCoder.of(), VarIntCoder.of());

  /**
   * The merged column statistics of the train originals in {@code samples}, keyed by (fold, column
   * key of {@link FeatureAccumulator#parts()}). With {@code folds == 0}, one set with fold {@link
   * #ALL_TRAIN}; with {@code k} folds, a set per fold {@code f} fitted on train minus fold {@code
   * f} (train samples without a fold feed none of them).
   */
  static PCollection<KV<KV<Integer, Integer>, ColumnAccumulator>> columns(
      PCollection<Sample> samples, int folds) {
    return samples
        .apply("PartialColumns", ParDo.of(new PartialColumnsFn(folds)))
        .setCoder(KvCoder.of(FOLD_COLUMN, CompactCoder.COLUMN))
        .apply("MergeColumns", Combine.perKey(ColumnAccumulator::merged))
        .setCoder(KvCoder.of(FOLD_COLUMN, CompactCoder.COLUMN));
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
      PCollectionView<Map<Integer, ColumnAccumulator>> columnView =
          columns(train, 0)
              .apply(
                  "ByColumn",
                  MapElements.into(
                          TypeDescriptors.kvs(
                              TypeDescriptors.integers(),
                              TypeDescriptor.of(ColumnAccumulator.class)))
                      .via(
                          (KV<KV<Integer, Integer>, ColumnAccumulator> kv) ->
                              KV.of(kv.getKey().getValue(), kv.getValue())))
              .setCoder(KvCoder.of(VarIntCoder.of(), CompactCoder.COLUMN))
              .apply("ColumnView", View.asMap());
      PCollectionView<Map<Integer, Double>> medianView =
          spec.exactMedian()
              ? train
                  .apply(
                      "ExactMedianCounts",
                      ParDo.of(new ExactMedianCountsFn(columnView)).withSideInputs(columnView))
                  .setCoder(KvCoder.of(VarIntCoder.of(), CompactCoder.EXACT_MEDIAN))
                  .apply("MergeMedianCounts", Combine.perKey(Float32Histogram.ExactMedian::merged))
                  .setCoder(KvCoder.of(VarIntCoder.of(), CompactCoder.EXACT_MEDIAN))
                  .apply(
                      "ExactMedians",
                      MapElements.into(
                              TypeDescriptors.kvs(
                                  TypeDescriptors.integers(), TypeDescriptors.doubles()))
                          .via(
                              (KV<Integer, Float32Histogram.ExactMedian> kv) ->
                                  KV.of(kv.getKey(), kv.getValue().median())))
                  .setCoder(KvCoder.of(VarIntCoder.of(), DoubleCoder.of()))
                  .apply("MedianView", View.asMap())
              : null;
      NormalizeSpec s = spec;
      List<PCollectionView<?>> sides = new ArrayList<>();
      sides.add(columnView);
      if (medianView != null) {
        sides.add(medianView);
      }
      // One element, so the fit runs once even when the train split is empty.
      PCollection<FittedFeatures> fitted =
          samples
              .getPipeline()
              .apply("FitOnce", Create.of(0))
              .apply(
                  "Fit",
                  ParDo.of(
                          new DoFn<Integer, FittedFeatures>() {
                            @ProcessElement
                            public void process(ProcessContext c) {
                              FeatureAccumulator a = FeatureAccumulator.of(c.sideInput(columnView));
                              double[] m = null;
                              if (medianView != null) {
                                Map<Integer, Double> byColumn = c.sideInput(medianView);
                                m = new double[a.numericWidth()];
                                for (int j = 0; j < m.length; j++) {
                                  m[j] = byColumn.getOrDefault(j, 0.0);
                                }
                              }
                              c.output(a.fit(s, m));
                            }
                          })
                      .withSideInputs(sides))
              .setCoder(StatsCoder.of(FittedFeatures.class));
      if (!spec.pca()) {
        return fitted;
      }
      PCollectionView<FittedFeatures> fitView = fitted.apply("FitView", View.asSingleton());
      PCollectionView<Iterable<CovarianceAccumulator>> covView =
          train
              .apply(
                  "Covariance",
                  Combine.globally(new CovarianceFn(fitView))
                      .withoutDefaults()
                      .withSideInputs(fitView))
              .setCoder(CompactCoder.COVARIANCE)
              .apply("CovarianceView", View.asIterable());
      return fitted
          .apply(
              "FitPca",
              ParDo.of(
                      new DoFn<FittedFeatures, FittedFeatures>() {
                        @ProcessElement
                        public void process(
                            @Element FittedFeatures f,
                            ProcessContext ctx,
                            OutputReceiver<FittedFeatures> out) {
                          CovarianceAccumulator c = new CovarianceAccumulator();
                          ctx.sideInput(covView).forEach(c::merge);
                          if (c.count() < 2) {
                            throw new IllegalStateException(
                                "normalize.pca needs at least 2 train rows to fit on, got "
                                    + c.count()
                                    + " (the train split is empty or nearly: raise split.train,"
                                    + " check that quality.max_missing keeps train rows, or"
                                    + " remove normalize.pca)");
                          }
                          out.output(
                              f.withPca(
                                  Pca.fit(
                                      c.mean(),
                                      c.covariance(),
                                      s.pcaComponents(),
                                      s.pcaVariance())));
                        }
                      })
                  .withSideInputs(covView))
          .setCoder(StatsCoder.of(FittedFeatures.class));
    }
  }

  /**
   * Accumulates a bundle's train originals per fold (see {@link #columns}) and emits, when the
   * bundle ends, one part per (fold, column): the combiner lifting a {@code Combine.perKey} would
   * do, without first making one element per value.
   */
  static final class PartialColumnsFn
      extends DoFn<Sample, KV<KV<Integer, Integer>, ColumnAccumulator>> {
    private static final long serialVersionUID = 1L;
    private final int folds;
    private transient Map<Integer, FeatureAccumulator> byFold;

    PartialColumnsFn(int folds) {
      this.folds = folds;
    }

    @StartBundle
    public void start() {
      byFold = new TreeMap<>();
    }

    @ProcessElement
    public void process(@Element Sample s, BoundedWindow window) {
      if (!(window instanceof GlobalWindow)) {
        throw new IllegalStateException("statistics are fitted in the global window only");
      }
      if (!isTrainOriginal(s)) {
        return;
      }
      FeaturePayload f = features(s);
      if (folds == 0) {
        add(ALL_TRAIN, f);
        return;
      }
      if (s.fold() < 0) {
        return;
      }
      if (s.fold() >= folds) {
        throw new IllegalStateException(
            s.id() + " has fold " + s.fold() + " but the run has " + folds + " folds");
      }
      for (int k = 0; k < folds; k++) {
        if (k != s.fold()) {
          add(k, f);
        }
      }
    }

    private void add(int fold, FeaturePayload f) {
      byFold.computeIfAbsent(fold, k -> new FeatureAccumulator()).add(f.numeric(), f.categorical());
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      byFold.forEach(
          (fold, acc) ->
              acc.parts()
                  .forEach(
                      (column, part) ->
                          c.output(
                              KV.of(KV.of(fold, column), part),
                              GlobalWindow.INSTANCE.maxTimestamp(),
                              GlobalWindow.INSTANCE)));
      byFold = null;
    }
  }

  /**
   * The second median pass: per bundle and numeric column, full-precision counts inside the
   * column's median buckets (from the first pass's histogram), emitted when the bundle ends.
   */
  static final class ExactMedianCountsFn
      extends DoFn<Sample, KV<Integer, Float32Histogram.ExactMedian>> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<Map<Integer, ColumnAccumulator>> first;
    private transient Map<Integer, Float32Histogram.ExactMedian> counters;

    ExactMedianCountsFn(PCollectionView<Map<Integer, ColumnAccumulator>> first) {
      this.first = first;
    }

    @StartBundle
    public void start() {
      counters = new TreeMap<>();
    }

    @ProcessElement
    public void process(ProcessContext c) {
      float[] x = features(c.element()).numeric();
      Map<Integer, ColumnAccumulator> columns = null;
      for (int j = 0; j < x.length; j++) {
        if (FeatureAccumulator.isMissing(x[j])) {
          continue;
        }
        Float32Histogram.ExactMedian m = counters.get(j);
        if (m == null) {
          if (columns == null) {
            columns = c.sideInput(first);
          }
          m = columns.get(j).histogram().exactCounter();
          counters.put(j, m);
        }
        m.add(x[j]);
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      counters.forEach(
          (j, m) ->
              c.output(KV.of(j, m), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
      counters = null;
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
      return CompactCoder.COVARIANCE;
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
      // a clip adds every frame, as that many images would
      List<ImagePayload> images =
          s.payload() instanceof VideoPayload clip ? clip.frames() : List.of(s.image());
      for (ImagePayload p : images) {
        if (!ImagePayload.RAW.equals(p.format())) {
          throw new IllegalStateException(
              s.id() + ": channel statistics need decoded uint8 pixels, got " + p.format());
        }
        acc.add(p.bytes(), p.channels());
      }
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
