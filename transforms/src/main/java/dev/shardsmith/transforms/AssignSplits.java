package dev.shardsmith.transforms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.SampleCoder;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.kernels.split.ExactSplit;
import dev.shardsmith.transforms.kernels.split.HashNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Count;
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
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Groups samples and assigns each group to one split with {@link ExactSplit}: samples that share a
 * user group or a payload hash (exact duplicates) form one group and never straddle splits. Runs
 * before any augmentation or oversampling (DESIGN.md invariant 2). Emits the samples with {@code
 * group} and {@code split} set ({@link #OK}) and one JSON summary of per-class targets and achieved
 * counts ({@link #SUMMARY}).
 *
 * <p>Bounded memory except the documented one: the distinct (hash, user group, label) triples meet
 * on one worker to be planned.
 *
 * <pre>{@code
 * PCollectionTuple split = samples.apply("AssignSplits", AssignSplits.exact(0.8, 0.1, 0.1, seed));
 * }</pre>
 */
public final class AssignSplits extends PTransform<PCollection<Sample>, PCollectionTuple> {
  public static final TupleTag<Sample> OK = new TupleTag<>() {};
  public static final TupleTag<String> SUMMARY = new TupleTag<>() {};
  private static final TupleTag<KV<String, String>> ASSIGNMENTS = new TupleTag<>() {};

  private final double[] fractions;
  private final long seed;

  private AssignSplits(double[] fractions, long seed) {
    this.fractions = fractions;
    this.seed = seed;
  }

  /** The exact stratified group split with these fractions (they sum to 1). */
  public static AssignSplits exact(double train, double val, double test, long seed) {
    if (train < 0 || val < 0 || test < 0 || Math.abs(train + val + test - 1) > 1e-9) {
      throw new IllegalArgumentException(
          "exact: fractions must be >= 0 and sum to 1, but were "
              + train
              + ", "
              + val
              + ", "
              + test);
    }
    return new AssignSplits(new double[] {train, val, test}, seed);
  }

  @Override
  public PCollectionTuple expand(PCollection<Sample> samples) {
    PCollectionTuple planned =
        samples
            .apply(
                "HashGroupLabel",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(),
                            TypeDescriptors.kvs(
                                TypeDescriptors.strings(), TypeDescriptors.strings())))
                    .via(
                        (Sample s) ->
                            KV.of(
                                s.payloadHash(),
                                KV.of(nullToEmpty(s.group()), nullToEmpty(s.label())))))
            .apply("CountTriples", Count.perElement())
            .apply("OnePlanner", WithKeys.of("plan"))
            .apply("GatherTriples", GroupByKey.create())
            .apply(
                "PlanSplit",
                ParDo.of(new PlanFn(fractions, seed))
                    .withOutputTags(ASSIGNMENTS, TupleTagList.of(SUMMARY)));
    PCollection<KV<String, String>> assignments =
        planned.get(ASSIGNMENTS).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    TupleTag<Sample> sampleTag = new TupleTag<>();
    TupleTag<String> assignTag = new TupleTag<>();
    PCollection<KV<String, Sample>> byHash =
        samples
            .apply("KeyByHash", WithKeys.of((Sample s) -> s.payloadHash()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SampleCoder.of()));
    PCollection<Sample> assigned =
        KeyedPCollectionTuple.of(sampleTag, byHash)
            .and(assignTag, assignments)
            .apply("JoinAssignments", CoGroupByKey.create())
            .apply("SetGroupAndSplit", ParDo.of(new ApplyFn(sampleTag, assignTag)))
            .setCoder(SampleCoder.of());
    return PCollectionTuple.of(OK, assigned)
        .and(SUMMARY, planned.get(SUMMARY).setCoder(StringUtf8Coder.of()));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Plans the whole split on one worker and emits each hash's split and group. */
  static final class PlanFn
      extends DoFn<
          KV<String, Iterable<KV<KV<String, KV<String, String>>, Long>>>, KV<String, String>> {
    private final double[] fractions;
    private final long seed;

    PlanFn(double[] fractions, long seed) {
      this.fractions = fractions;
      this.seed = seed;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<KV<KV<String, KV<String, String>>, Long>>> all,
        MultiOutputReceiver out)
        throws JsonProcessingException {
      Map<String, Set<String>> groups = new HashMap<>();
      Map<String, Map<String, Long>> labels = new HashMap<>();
      for (KV<KV<String, KV<String, String>>, Long> t : all.getValue()) {
        String hash = t.getKey().getKey();
        String group = t.getKey().getValue().getKey();
        String label = t.getKey().getValue().getValue();
        Set<String> g = groups.computeIfAbsent(hash, k -> new TreeSet<>());
        if (!group.isEmpty()) {
          g.add(group);
        }
        labels.computeIfAbsent(hash, k -> new TreeMap<>()).merge(label, t.getValue(), Long::sum);
      }
      List<HashNode> nodes = new ArrayList<>(groups.size());
      groups.forEach((hash, g) -> nodes.add(HashNode.of(hash, g, labels.get(hash))));
      ExactSplit.Plan plan = ExactSplit.plan(nodes, fractions, seed);
      for (int i = 0; i < nodes.size(); i++) {
        HashNode n = nodes.get(i);
        out.get(ASSIGNMENTS)
            .output(KV.of(n.hash(), plan.splitAt(i).folder() + "\t" + plan.groupAt(i)));
      }
      out.get(SUMMARY).output(summary(plan));
    }

    private String summary(ExactSplit.Plan plan) throws JsonProcessingException {
      Map<String, Object> classes = new TreeMap<>();
      plan.targets()
          .forEach(
              (label, t) -> {
                long[] a = plan.achieved().get(label);
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("total", t[0] + t[1] + t[2]);
                c.put("targets", List.of(t[0], t[1], t[2]));
                c.put("achieved", List.of(a[0], a[1], a[2]));
                classes.put(label, c);
              });
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mode", "exact");
      m.put("fractions", List.of(fractions[0], fractions[1], fractions[2]));
      m.put("groups", plan.groupCount());
      m.put("classes", classes);
      return new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .writeValueAsString(m);
    }
  }

  /** Sets each sample's group and split from its hash's assignment. */
  static final class ApplyFn extends DoFn<KV<String, CoGbkResult>, Sample> {
    private final TupleTag<Sample> sampleTag;
    private final TupleTag<String> assignTag;

    ApplyFn(TupleTag<Sample> sampleTag, TupleTag<String> assignTag) {
      this.sampleTag = sampleTag;
      this.assignTag = assignTag;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, OutputReceiver<Sample> out) {
      String assignment = joined.getValue().getOnly(assignTag);
      int tab = assignment.indexOf('\t');
      Split split = Split.parse(assignment.substring(0, tab));
      String group = assignment.substring(tab + 1);
      for (Sample s : joined.getValue().getAll(sampleTag)) {
        out.output(s.toBuilder().split(split).group(group).build());
      }
    }
  }
}
