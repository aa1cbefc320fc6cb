package dev.shardsmith.transforms;

import dev.shardsmith.schemas.Applied;
import dev.shardsmith.schemas.FeaturePayload;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.transforms.kernels.balance.Adasyn;
import dev.shardsmith.transforms.kernels.balance.BorderlineSmote;
import dev.shardsmith.transforms.kernels.balance.LabeledRows;
import dev.shardsmith.transforms.kernels.balance.SamplingStrategy;
import dev.shardsmith.transforms.kernels.balance.Smote;
import dev.shardsmith.transforms.kernels.balance.SmoteNc;
import dev.shardsmith.transforms.kernels.balance.SmoteParams;
import dev.shardsmith.transforms.kernels.balance.SyntheticRows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The SMOTE family inside {@link Balance}: the train feature rows of each fold ({@link
 * Sample#fold()}; all train rows when there are no folds) meet on one worker, sorted by id, and the
 * kernel ({@link Smote}, {@link BorderlineSmote}, {@link Adasyn} or {@link SmoteNc}) makes the
 * synthetic rows, so both parents of a row always come from one fold (DESIGN.md invariant 2). Emits
 * only the synthetic rows: {@code derivedKind = smote}, id {@code <parent id>#smote<copy index>},
 * {@code sourceIds = [parent, neighbour]}, the parent's labels, group, split, fold and payload
 * hash, and an {@link Applied} record whose last op is {@code smote} with {@code method}, {@code
 * parent}, {@code neighbour} and the interpolation factor {@code u}: the row is {@code parent + u
 * (neighbour - parent)}, rounded once to float32.
 *
 * <p>Targets count samples per class within the fold. SMOTE-NC codes categorical strings by their
 * sorted order ({@code null}, a missing value, is its own category and stays {@code null}).
 *
 * <p>Memory: one fold's train samples (as {@code Sample}s, then {@code 4 n_f d} bytes of features),
 * plus the kernel's per-class search (see the kernels' javadocs and docs/config.md).
 */
final class SmoteRows extends PTransform<PCollection<Sample>, PCollection<Sample>> {
  private static final long serialVersionUID = 1L;

  /** The derived kind of a synthetic row. */
  static final String KIND = "smote";

  private final Balance spec;

  SmoteRows(Balance spec) {
    this.spec = spec;
  }

  @Override
  public PCollection<Sample> expand(PCollection<Sample> train) {
    return train
        .apply(
            "ByFold", WithKeys.of((Sample s) -> s.fold()).withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), SampleCoder.of()))
        .apply("GroupFolds", GroupByKey.create())
        .apply("Interpolate", ParDo.of(new InterpolateFn(spec)))
        .setCoder(SampleCoder.of());
  }

  static final class InterpolateFn extends DoFn<KV<Integer, Iterable<Sample>>, Sample> {
    private final Balance spec;
    private final Counter made = Metrics.counter(Balance.class, "smote");

    InterpolateFn(Balance spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Sample>> fold, OutputReceiver<Sample> out) {
      List<Sample> rows = new ArrayList<>();
      fold.getValue().forEach(rows::add);
      rows.sort(Comparator.comparing(Sample::id));
      for (Sample s : smote(spec, fold.getKey(), rows)) {
        made.inc();
        out.output(s);
      }
    }
  }

  /** The synthetic rows for one fold's train rows, sorted by id. */
  static List<Sample> smote(Balance spec, int fold, List<Sample> rows) {
    String method = spec.strategy.configName();
    String where = fold < 0 ? "" : " (fold " + fold + ")";
    int n = rows.size();
    boolean nc = spec.strategy == Balance.Strategy.SMOTE_NC;
    FeaturePayload first = features(method, rows.get(0));
    int d = first.numeric().length;
    int c = first.categorical().length;
    if (d < 1) {
      throw new IllegalArgumentException(
          "balance.strategy "
              + method
              + ": sample "
              + rows.get(0).id()
              + " has no numeric feature");
    }
    if (nc && c == 0) {
      throw new IllegalArgumentException(
          "balance.strategy smote_nc needs categorical features, but sample "
              + rows.get(0).id()
              + " has none: use smote");
    }
    if (!nc && c > 0) {
      throw new IllegalArgumentException(
          "balance.strategy "
              + method
              + " interpolates numeric features only, but sample "
              + rows.get(0).id()
              + " has "
              + c
              + " categorical: use smote_nc");
    }
    TreeSet<String> labelSet = new TreeSet<>();
    for (Sample s : rows) {
      labelSet.add(Balance.classOf(s));
    }
    List<String> labels = new ArrayList<>(labelSet);
    Map<String, Integer> labelIndex = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      labelIndex.put(labels.get(i), i);
    }
    float[] x = new float[n * d];
    int[] y = new int[n];
    String[] ids = new String[n];
    String[][] cats = new String[n][];
    for (int i = 0; i < n; i++) {
      Sample s = rows.get(i);
      FeaturePayload f = features(method, s);
      if (f.numeric().length != d || f.categorical().length != c) {
        throw new IllegalArgumentException(
            "balance.strategy "
                + method
                + ": sample "
                + s.id()
                + " has "
                + f.numeric().length
                + " numeric and "
                + f.categorical().length
                + " categorical features, but "
                + rows.get(0).id()
                + " has "
                + d
                + " and "
                + c);
      }
      System.arraycopy(f.numeric(), 0, x, i * d, d);
      y[i] = labelIndex.get(Balance.classOf(s));
      ids[i] = s.id();
      cats[i] = f.categorical();
    }
    SortedMap<Integer, Integer> counts = new TreeMap<>();
    for (int label : y) {
      counts.merge(label, 1, Integer::sum);
    }
    List<Long> countValues = new ArrayList<>();
    counts.values().forEach(v -> countValues.add((long) v));
    long target = spec.target.resolve(countValues);
    Map<Integer, Integer> targets = new TreeMap<>();
    for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
      if (e.getValue() >= target) {
        continue;
      }
      if (e.getValue() <= spec.k) {
        String why =
            "balance.strategy "
                + method
                + ": class '"
                + labels.get(e.getKey())
                + "'"
                + where
                + " has "
                + e.getValue()
                + " train samples, but k_neighbors = "
                + spec.k
                + " needs at least "
                + (spec.k + 1);
        if (spec.smallClass == Balance.SmallClass.SKIP) {
          continue;
        }
        if (spec.smallClass == Balance.SmallClass.ERROR || e.getValue() < 2) {
          throw new IllegalArgumentException(
              why
                  + (spec.smallClass == Balance.SmallClass.ERROR
                      ? "; lower balance.k_neighbors or set balance.small_class to reduce_k or skip"
                      : " (small_class: reduce_k needs at least 2)"));
        }
      }
      if (target > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("balance.target " + target + " is too large");
      }
      targets.put(e.getKey(), (int) target);
    }
    if (targets.isEmpty()) {
      return List.of();
    }
    SmoteParams params =
        SmoteParams.defaults(spec.seed)
            .withK(spec.k)
            .withStrategy(SamplingStrategy.targets(targets))
            .withSmallClassFallback(spec.smallClass == Balance.SmallClass.REDUCE_K)
            .withThreads(spec.threads);
    LabeledRows data = new LabeledRows(x, n, d, y, ids);
    SyntheticRows s;
    String[][] codes = null;
    switch (spec.strategy) {
      case SMOTE:
        s = Smote.resample(data, params);
        break;
      case BORDERLINE_SMOTE:
        s = BorderlineSmote.resample(data, params, spec.m);
        break;
      case ADASYN:
        s = Adasyn.resample(data, params);
        break;
      case SMOTE_NC:
        codes = new String[c][];
        int[] coded = encode(cats, c, codes);
        s = SmoteNc.resample(data, coded, c, params);
        break;
      default:
        throw new IllegalStateException("not a SMOTE strategy: " + spec.strategy);
    }
    List<Sample> out = new ArrayList<>(s.m());
    Map<Integer, Integer> childrenOf = new HashMap<>();
    for (int i = 0; i < s.m(); i++) {
      Sample parent = rows.get(s.parent()[i]);
      Sample neighbour = rows.get(s.neighbor()[i]);
      int copyIndex =
          spec.firstBalanceCopy() + childrenOf.merge(s.parent()[i], 1, Integer::sum) - 1;
      float[] num = new float[d];
      System.arraycopy(s.x(), i * d, num, 0, d);
      String[] cat = new String[c];
      for (int j = 0; j < c && codes != null; j++) {
        int code = s.categories()[i * c + j];
        cat[j] = code == 0 ? null : codes[j][code];
      }
      SortedMap<String, Object> params0 = new TreeMap<>();
      params0.put("method", method);
      params0.put("parent", parent.id());
      params0.put("neighbour", neighbour.id());
      params0.put("u", s.u()[i]);
      Applied applied =
          parent.applied().plus(new Applied.Op(KIND, parent.applied().ops().size(), params0));
      out.add(
          parent.toBuilder()
              .id(parent.id() + "#" + KIND + copyIndex)
              .sourceIds(List.of(parent.id(), neighbour.id()))
              .copyCount(0)
              .derived(KIND, copyIndex)
              .applied(applied)
              .payload(new FeaturePayload(num, cat))
              .build());
    }
    return out;
  }

  /**
   * Codes each categorical column by the sorted order of its values: code 0 is {@code null}
   * (missing), then 1, 2, ... for the sorted strings; {@code codes[j][code]} maps back.
   */
  static int[] encode(String[][] cats, int c, String[][] codes) {
    int n = cats.length;
    int[] out = new int[n * c];
    for (int j = 0; j < c; j++) {
      TreeSet<String> distinct = new TreeSet<>();
      for (String[] row : cats) {
        if (row[j] != null) {
          distinct.add(row[j]);
        }
      }
      codes[j] = new String[distinct.size() + 1];
      Map<String, Integer> index = new HashMap<>();
      int code = 1;
      for (String v : distinct) {
        codes[j][code] = v;
        index.put(v, code++);
      }
      for (int i = 0; i < n; i++) {
        out[i * c + j] = cats[i][j] == null ? 0 : index.get(cats[i][j]);
      }
    }
    return out;
  }

  private static FeaturePayload features(String method, Sample s) {
    if (s.payload() instanceof FeaturePayload f) {
      return f;
    }
    throw new IllegalArgumentException(
        "balance.strategy "
            + method
            + " needs feature rows, but train sample "
            + s.id()
            + " is "
            + s.payload().modality()
            + " (images support none, undersample, oversample and augment)");
  }
}
