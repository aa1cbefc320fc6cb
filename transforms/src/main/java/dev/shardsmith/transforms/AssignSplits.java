package dev.shardsmith.transforms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.shard.SplitRow;
import dev.shardsmith.transforms.kernels.split.GroupSplit;
import dev.shardsmith.transforms.kernels.split.HashNode;
import dev.shardsmith.transforms.kernels.split.SplitNodes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Groups samples and assigns each group to one split (and, with folds, each train group to one
 * fold) with {@link GroupSplit}, in {@code exact} or {@code stable} mode: samples that share a user
 * group or a payload hash (exact duplicates) form one group and never straddle splits or folds.
 * Runs before any augmentation or oversampling (DESIGN.md invariant 2). Emits the samples with
 * {@code group}, {@code split} and {@code fold} set ({@link #OK}) and one JSON summary ({@link
 * #SUMMARY}): mode, fractions, groups, folds, frozen and new sample counts, and per class its
 * total, split targets and achieved counts (and with folds, fold targets and achieved counts).
 *
 * <p>{@link #withFrozen} reuses an earlier {@code splits.parquet}: a sample whose id is listed
 * keeps that split, fold and group; new samples linked to it take its split and fold; a group that
 * links frozen samples of two splits or folds fails the run, naming them.
 *
 * <p>Bounded memory except the documented ones: the distinct (hash, user group, label) triples meet
 * on one worker to be planned, and the frozen rows are held by the pipeline.
 *
 * <pre>{@code
 * PCollectionTuple split =
 *     samples.apply("AssignSplits", AssignSplits.of(GroupSplit.Spec.of("stable", f, seed, 5))
 *         .withFrozen(SplitsFile.read(previous)));
 * }</pre>
 */
public final class AssignSplits extends PTransform<PCollection<Sample>, PCollectionTuple> {
  public static final TupleTag<Sample> OK = new TupleTag<>() {};
  public static final TupleTag<String> SUMMARY = new TupleTag<>() {};
  private static final TupleTag<KV<String, String>> ASSIGNMENTS = new TupleTag<>() {};

  private final GroupSplit.Spec spec;
  private final List<KV<String, String>> frozen;

  private AssignSplits(GroupSplit.Spec spec, List<KV<String, String>> frozen) {
    this.spec = spec;
    this.frozen = frozen;
  }

  /** The exact stratified group split with these fractions (they sum to 1), without folds. */
  public static AssignSplits exact(double train, double val, double test, long seed) {
    return of(new GroupSplit.Spec(GroupSplit.Mode.EXACT, new double[] {train, val, test}, seed, 0));
  }

  /** The split that {@code spec} describes (mode, fractions, seed, folds). */
  public static AssignSplits of(GroupSplit.Spec spec) {
    return new AssignSplits(spec, List.of());
  }

  /**
   * Samples whose id is in {@code rows} keep that row's split, fold and group (rows of ids no
   * longer in the input are ignored).
   *
   * @throws IllegalArgumentException when a row's split is not train/val/test, its fold does not
   *     fit the spec's folds, or an id is listed twice (the message names it)
   */
  public AssignSplits withFrozen(List<SplitRow> rows) {
    List<KV<String, String>> out = new ArrayList<>(rows.size());
    Set<String> seen = new HashSet<>();
    for (SplitRow r : rows) {
      Split s;
      try {
        s = Split.parse(r.split());
      } catch (IllegalArgumentException e) {
        s = Split.UNASSIGNED;
      }
      if (s == Split.UNASSIGNED) {
        throw new IllegalArgumentException(
            "frozen sample " + r.id() + " has split \"" + r.split() + "\": use train, val or test");
      }
      GroupSplit.checkFrozen(r.id(), s, r.fold(), spec.folds());
      if (!seen.add(r.id())) {
        throw new IllegalArgumentException("frozen sample " + r.id() + " is listed twice");
      }
      out.add(KV.of(r.id(), s.folder() + "\t" + r.fold() + "\t" + r.group()));
    }
    return new AssignSplits(spec, List.copyOf(out));
  }

  @Override
  public PCollectionTuple expand(PCollection<Sample> samples) {
    KvCoder<Sample, String> taggedCoder = KvCoder.of(SampleCoder.of(), StringUtf8Coder.of());
    PCollection<KV<Sample, String>> tagged;
    if (frozen.isEmpty()) {
      tagged =
          samples
              .apply(
                  "NothingFrozen",
                  MapElements.into(
                          TypeDescriptors.kvs(
                              new TypeDescriptor<Sample>() {}, TypeDescriptors.strings()))
                      .via((Sample s) -> KV.of(s, "")))
              .setCoder(taggedCoder);
    } else {
      TupleTag<Sample> sampleTag = new TupleTag<>();
      TupleTag<String> frozenTag = new TupleTag<>();
      PCollection<KV<String, Sample>> byId =
          samples
              .apply("KeyById", WithKeys.of((Sample s) -> s.id()))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), SampleCoder.of()));
      PCollection<KV<String, String>> frozenRows =
          samples
              .getPipeline()
              .apply(
                  "FrozenRows",
                  Create.of(frozen)
                      .withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())));
      tagged =
          KeyedPCollectionTuple.of(sampleTag, byId)
              .and(frozenTag, frozenRows)
              .apply("JoinFrozen", CoGroupByKey.create())
              .apply("TagFrozen", ParDo.of(new TagFrozenFn(sampleTag, frozenTag)))
              .setCoder(taggedCoder);
    }

    PCollectionTuple planned =
        tagged
            .apply(
                "HashGroupLabel",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(),
                            TypeDescriptors.lists(TypeDescriptors.strings())))
                    .via(
                        (KV<Sample, String> t) -> {
                          Sample s = t.getKey();
                          return KV.of(
                              s.payloadHash(),
                              List.of(
                                  nullToEmpty(s.group()),
                                  nullToEmpty(s.label()),
                                  t.getValue().isEmpty() ? "" : s.id(),
                                  t.getValue()));
                        }))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(StringUtf8Coder.of())))
            .apply("CountTriples", Count.perElement())
            // One bundle per distinct triple comes out of the count; gathered on one key as they
            // are, the DirectRunner would copy that key's growing state once per bundle.
            .apply(
                "RebundleTriples",
                Rebundle.by(
                    (KV<KV<String, List<String>>, Long> t) ->
                        t.getKey().getKey() + "\t" + String.join("\t", t.getKey().getValue()),
                    Rebundle.BUCKETS))
            .apply("OnePlanner", WithKeys.of("plan"))
            .apply("GatherTriples", GroupByKey.create())
            .apply(
                "PlanSplit",
                ParDo.of(new PlanFn(spec)).withOutputTags(ASSIGNMENTS, TupleTagList.of(SUMMARY)));
    PCollection<KV<String, String>> assignments =
        planned.get(ASSIGNMENTS).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    TupleTag<KV<Sample, String>> sampleTag = new TupleTag<>();
    TupleTag<String> assignTag = new TupleTag<>();
    PCollection<KV<String, KV<Sample, String>>> byHash =
        tagged
            .apply("KeyByHash", WithKeys.of((KV<Sample, String> t) -> t.getKey().payloadHash()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), taggedCoder));
    PCollection<Sample> assigned =
        KeyedPCollectionTuple.of(sampleTag, byHash)
            .and(assignTag, assignments)
            .apply("JoinAssignments", CoGroupByKey.create())
            .apply("SetGroupSplitFold", ParDo.of(new ApplyFn(sampleTag, assignTag)))
            .setCoder(SampleCoder.of())
            // The join hands on one bundle per payload hash: without this every later step of
            // every pipeline would run once per row on the DirectRunner.
            .apply("Rebundle", Rebundle.samples());
    return PCollectionTuple.of(OK, assigned)
        .and(SUMMARY, planned.get(SUMMARY).setCoder(StringUtf8Coder.of()));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Pairs each sample with its frozen row ({@code split\tfold\tgroup}) or "". */
  static final class TagFrozenFn extends DoFn<KV<String, CoGbkResult>, KV<Sample, String>> {
    private final TupleTag<Sample> sampleTag;
    private final TupleTag<String> frozenTag;

    TagFrozenFn(TupleTag<Sample> sampleTag, TupleTag<String> frozenTag) {
      this.sampleTag = sampleTag;
      this.frozenTag = frozenTag;
    }

    @ProcessElement
    public void process(
        @Element KV<String, CoGbkResult> joined, OutputReceiver<KV<Sample, String>> out) {
      String tag = joined.getValue().getOnly(frozenTag, "");
      for (Sample s : joined.getValue().getAll(sampleTag)) {
        out.output(KV.of(s, tag));
      }
    }
  }

  /** Plans the whole split on one worker and emits each hash's split, fold and group. */
  static final class PlanFn
      extends DoFn<KV<String, Iterable<KV<KV<String, List<String>>, Long>>>, KV<String, String>> {
    private final GroupSplit.Spec spec;

    PlanFn(GroupSplit.Spec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<KV<KV<String, List<String>>, Long>>> all,
        MultiOutputReceiver out)
        throws JsonProcessingException {
      // (group, label, frozen id, frozen row) triples with their counts, gathered per hash.
      Map<String, List<KV<List<String>, Long>>> byHash = new HashMap<>();
      for (KV<KV<String, List<String>>, Long> t : all.getValue()) {
        byHash
            .computeIfAbsent(t.getKey().getKey(), k -> new ArrayList<>())
            .add(KV.of(t.getKey().getValue(), t.getValue()));
      }
      SplitNodes nodes = new SplitNodes(byHash.size());
      for (Map.Entry<String, List<KV<List<String>, Long>>> e : byHash.entrySet()) {
        int i = nodes.addNode(e.getKey());
        for (KV<List<String>, Long> t : e.getValue()) {
          List<String> f = t.getKey();
          nodes.addLabel(i, nodes.labelId(f.get(1)), t.getValue());
          if (!f.get(0).isEmpty()) {
            nodes.addUserGroup(i, f.get(0));
          }
          if (!f.get(3).isEmpty()) {
            String[] tag = f.get(3).split("\t", 3);
            HashNode.Frozen fr =
                new HashNode.Frozen(
                    f.get(2), tag[2], Split.parse(tag[0]), Integer.parseInt(tag[1]));
            for (long k = 0; k < t.getValue(); k++) {
              nodes.addFrozen(i, fr);
            }
          }
        }
      }
      GroupSplit.Plan plan = GroupSplit.plan(nodes, spec);
      for (int i = 0; i < plan.size(); i++) {
        out.get(ASSIGNMENTS)
            .output(
                KV.of(
                    plan.hashAt(i),
                    plan.splitAt(i).folder() + "\t" + plan.foldAt(i) + "\t" + plan.groupAt(i)));
      }
      out.get(SUMMARY).output(summary(plan));
    }
  }

  /**
   * The plan's JSON summary: {@code mode}, {@code fractions}, {@code groups}, {@code folds}, {@code
   * samples} {frozen, new}, and per class {@code total}, {@code targets} and {@code achieved}
   * (train, val, test), plus {@code fold_targets} and {@code fold_achieved} with folds.
   */
  static String summary(GroupSplit.Plan plan) throws JsonProcessingException {
    Map<String, Object> classes = new TreeMap<>();
    plan.targets()
        .forEach(
            (label, t) -> {
              long[] a = plan.achieved().get(label);
              Map<String, Object> c = new LinkedHashMap<>();
              c.put("total", t[0] + t[1] + t[2]);
              c.put("targets", List.of(t[0], t[1], t[2]));
              c.put("achieved", List.of(a[0], a[1], a[2]));
              if (plan.spec().folds() > 0) {
                c.put("fold_targets", plan.foldTargets().get(label));
                c.put("fold_achieved", plan.foldAchieved().get(label));
              }
              classes.put(label, c);
            });
    double[] f = plan.spec().fractions();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", plan.spec().mode().configName());
    m.put("fractions", List.of(f[0], f[1], f[2]));
    m.put("groups", plan.groupCount());
    m.put("folds", plan.spec().folds());
    m.put(
        "samples",
        Map.of("frozen", plan.frozenSamples(), "new", plan.samples() - plan.frozenSamples()));
    m.put("classes", classes);
    return new ObjectMapper()
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .writeValueAsString(m);
  }

  /** Sets each sample's group, split and fold: its frozen row's, else its hash's assignment. */
  static final class ApplyFn extends DoFn<KV<String, CoGbkResult>, Sample> {
    private final TupleTag<KV<Sample, String>> sampleTag;
    private final TupleTag<String> assignTag;

    ApplyFn(TupleTag<KV<Sample, String>> sampleTag, TupleTag<String> assignTag) {
      this.sampleTag = sampleTag;
      this.assignTag = assignTag;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, OutputReceiver<Sample> out) {
      String[] planned = joined.getValue().getOnly(assignTag).split("\t", 3);
      for (KV<Sample, String> t : joined.getValue().getAll(sampleTag)) {
        String[] a = t.getValue().isEmpty() ? planned : t.getValue().split("\t", 3);
        out.output(
            t.getKey().toBuilder()
                .split(Split.parse(a[0]))
                .fold(Integer.parseInt(a[1]))
                .group(a[2])
                .build());
      }
    }
  }
}
