package dev.shardsmith.transforms;

import dev.shardsmith.schemas.Sample;
import dev.shardsmith.schemas.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * The leakage guard of DESIGN.md invariant 2, applied to the rows about to be written (originals
 * and derived rows): passes them through unchanged and fails the run, naming the rows, when
 *
 * <ul>
 *   <li>a group appears in two splits (or a row has no split or no group);
 *   <li>a derived row (augmented, oversampled, SMOTE) is in val or test;
 *   <li>a derived row is in another split or fold than one of its sources ({@link
 *       Sample#sourceIds()}) that is among the rows: with folds, a SMOTE row whose two parents sit
 *       in different folds always differs from one of them.
 * </ul>
 *
 * <p>Cheap: two {@code Combine.perKey} over small values (per group: the smallest id per split; per
 * source id: its own split and fold and the smallest derived id per claimed split and fold), then a
 * global combine of at most {@value #SHOWN} messages. A source that is not among the rows (a train
 * original left out by {@code augment.include_original: false}) is checked only through the group
 * and val/test rules. The failure surfaces from {@code Pipeline.run()} as a {@link
 * LeakageException} (wrapped by the runner) before anything is committed.
 *
 * <pre>{@code
 * PCollection<Sample> checked = rows.apply("CheckLeakage", CheckLeakage.rows());
 * }</pre>
 */
public final class CheckLeakage extends PTransform<PCollection<Sample>, PCollection<Sample>> {
  static final int SHOWN = 10;

  private CheckLeakage() {}

  public static CheckLeakage rows() {
    return new CheckLeakage();
  }

  /** A broken leakage rule; the message names the rows. */
  public static final class LeakageException extends IllegalStateException {
    LeakageException(String message) {
      super(message);
    }
  }

  @Override
  public PCollection<Sample> expand(PCollection<Sample> rows) {
    Coder<KV<String, String>> kv = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    PCollection<String> byGroup =
        rows.apply("KeyByGroup", ParDo.of(new GroupClaimFn()))
            .setCoder(kv)
            .apply("SplitsPerGroup", Combine.perKey(new MinIdPerPlaceFn()))
            .apply("GroupViolations", ParDo.of(new GroupViolationFn()));
    PCollection<String> bySource =
        rows.apply("KeyBySource", ParDo.of(new SourceClaimFn()))
            .setCoder(kv)
            .apply("ClaimsPerSource", Combine.perKey(new MinIdPerPlaceFn()))
            .apply("SourceViolations", ParDo.of(new SourceViolationFn()));
    PCollection<String> derivedOutsideTrain =
        rows.apply("DerivedOutsideTrain", ParDo.of(new DerivedOutsideTrainFn()));
    PCollectionList.of(byGroup)
        .and(bySource)
        .and(derivedOutsideTrain)
        .apply("AllViolations", Flatten.pCollections())
        .setCoder(StringUtf8Coder.of())
        .apply("FirstViolations", Combine.globally(new FirstViolationsFn()))
        .setCoder(FirstViolationsFn.CODER)
        .apply("FailOnLeak", ParDo.of(new FailFn()));
    return rows;
  }

  /** {@code train}, {@code train fold 2}: where a row sits. */
  private static String where(Split split, int fold) {
    return split.folder() + (fold == Sample.NO_FOLD ? "" : " fold " + fold);
  }

  /** group -> "where\tid" for every row. */
  static final class GroupClaimFn extends DoFn<Sample, KV<String, String>> {
    @ProcessElement
    public void process(@Element Sample s, OutputReceiver<KV<String, String>> out) {
      out.output(
          KV.of(s.group() == null ? "" : s.group(), where(s.split(), s.fold()) + "\t" + s.id()));
    }
  }

  /**
   * source id -> "=where\tid" for an original (its own place) and "where\tid" for each source a
   * derived row claims.
   */
  static final class SourceClaimFn extends DoFn<Sample, KV<String, String>> {
    @ProcessElement
    public void process(@Element Sample s, OutputReceiver<KV<String, String>> out) {
      String where = where(s.split(), s.fold());
      if (!s.isDerived()) {
        out.output(KV.of(s.id(), "=" + where + "\t" + s.id()));
      } else {
        for (String source : s.sourceIds()) {
          out.output(KV.of(source, where + "\t" + s.derivedKind() + " row " + s.id()));
        }
      }
    }
  }

  /**
   * Per key, the smallest id per distinct place ("train", "train fold 1", or "=" + a source's own
   * place): order-independent and small (a handful of entries per key). Output: "place\tid" lines.
   */
  static final class MinIdPerPlaceFn
      extends Combine.CombineFn<String, Map<String, String>, List<String>> {
    @Override
    public Map<String, String> createAccumulator() {
      return new TreeMap<>();
    }

    @Override
    public Map<String, String> addInput(Map<String, String> acc, String claim) {
      int tab = claim.indexOf('\t');
      acc.merge(claim.substring(0, tab), claim.substring(tab + 1), CheckLeakage::min);
      return acc;
    }

    @Override
    public Map<String, String> mergeAccumulators(Iterable<Map<String, String>> accs) {
      Map<String, String> out = new TreeMap<>();
      for (Map<String, String> a : accs) {
        a.forEach((place, id) -> out.merge(place, id, CheckLeakage::min));
      }
      return out;
    }

    @Override
    public List<String> extractOutput(Map<String, String> acc) {
      List<String> out = new ArrayList<>();
      new TreeMap<>(acc).forEach((place, id) -> out.add(place + "\t" + id));
      return out;
    }

    @Override
    public Coder<Map<String, String>> getAccumulatorCoder(
        CoderRegistry registry, Coder<String> input) {
      return MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    }

    @Override
    public Coder<List<String>> getDefaultOutputCoder(CoderRegistry registry, Coder<String> input) {
      return ListCoder.of(StringUtf8Coder.of());
    }
  }

  private static String min(String a, String b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static final class GroupViolationFn extends DoFn<KV<String, List<String>>, String> {
    @ProcessElement
    public void process(@Element KV<String, List<String>> g, OutputReceiver<String> out) {
      List<String> claims = g.getValue();
      if (g.getKey().isEmpty()) {
        out.output("row " + claims.get(0).split("\t")[1] + " has no group");
      } else if (claims.size() > 1) {
        out.output("group " + g.getKey() + " is in " + describe(claims));
      }
      for (String c : claims) {
        if (c.startsWith(Split.UNASSIGNED.folder() + "\t")) {
          out.output("row " + c.split("\t")[1] + " has no split");
        }
      }
    }
  }

  static final class SourceViolationFn extends DoFn<KV<String, List<String>>, String> {
    @ProcessElement
    public void process(@Element KV<String, List<String>> s, OutputReceiver<String> out) {
      String own = null;
      List<String> claims = new ArrayList<>();
      for (String c : s.getValue()) {
        if (c.startsWith("=")) {
          own = c.substring(1, c.indexOf('\t'));
        } else {
          claims.add(c);
        }
      }
      if (own == null) {
        return; // the source is not among the rows
      }
      for (String c : claims) {
        String where = c.substring(0, c.indexOf('\t'));
        if (!where.equals(own)) {
          out.output(
              c.substring(c.indexOf('\t') + 1)
                  + " is in "
                  + where
                  + ", but its source "
                  + s.getKey()
                  + " is in "
                  + own);
        }
      }
    }
  }

  static final class DerivedOutsideTrainFn extends DoFn<Sample, String> {
    @ProcessElement
    public void process(@Element Sample s, OutputReceiver<String> out) {
      if (s.isDerived() && s.split() != Split.TRAIN) {
        out.output(
            s.derivedKind()
                + " row "
                + s.id()
                + " is in "
                + s.split().folder()
                + ": only train is augmented or oversampled");
      }
    }
  }

  /** "train (e.g. a.jpg) and test (e.g. b.jpg)". */
  private static String describe(List<String> claims) {
    List<String> parts = new ArrayList<>();
    for (String c : claims) {
      String[] f = c.split("\t", 2);
      parts.add(f[0] + " (e.g. " + f[1] + ")");
    }
    return String.join(" and ", parts);
  }

  /** The number of messages and the {@value #SHOWN} smallest: order-independent. */
  static final class FirstViolationsFn
      extends Combine.CombineFn<String, KV<Long, List<String>>, KV<Long, List<String>>> {
    @Override
    public KV<Long, List<String>> createAccumulator() {
      return KV.of(0L, List.of());
    }

    @Override
    public KV<Long, List<String>> addInput(KV<Long, List<String>> acc, String message) {
      return mergeAccumulators(List.of(acc, KV.of(1L, List.of(message))));
    }

    @Override
    public KV<Long, List<String>> mergeAccumulators(Iterable<KV<Long, List<String>>> accs) {
      long n = 0;
      TreeSet<String> kept = new TreeSet<>();
      for (KV<Long, List<String>> a : accs) {
        n += a.getKey();
        kept.addAll(a.getValue());
        while (kept.size() > SHOWN) {
          kept.pollLast();
        }
      }
      return KV.of(n, new ArrayList<>(kept));
    }

    @Override
    public KV<Long, List<String>> extractOutput(KV<Long, List<String>> acc) {
      return acc;
    }

    @Override
    public Coder<KV<Long, List<String>>> getAccumulatorCoder(
        CoderRegistry registry, Coder<String> input) {
      return CODER;
    }

    @Override
    public Coder<KV<Long, List<String>>> getDefaultOutputCoder(
        CoderRegistry registry, Coder<String> input) {
      return CODER;
    }

    static final Coder<KV<Long, List<String>>> CODER =
        KvCoder.of(VarLongCoder.of(), ListCoder.of(StringUtf8Coder.of()));
  }

  static final class FailFn extends DoFn<KV<Long, List<String>>, Void> {
    @ProcessElement
    public void process(@Element KV<Long, List<String>> found) {
      if (found.getKey() > 0) {
        throw new LeakageException(
            "leakage guard: "
                + found.getKey()
                + " violation(s)"
                + (found.getKey() > SHOWN ? ", the first " + SHOWN : "")
                + ": "
                + String.join("; ", found.getValue()));
      }
    }
  }
}
