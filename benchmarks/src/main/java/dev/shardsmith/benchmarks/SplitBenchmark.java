package dev.shardsmith.benchmarks;

import dev.shardsmith.transforms.kernels.shard.NpyShardFile;
import dev.shardsmith.transforms.kernels.split.GroupSplit;
import dev.shardsmith.transforms.kernels.split.HashNode;
import dev.shardsmith.transforms.kernels.split.SplitNodes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code benchmarks/run split}, our side: the exact split kernel ({@link GroupSplit#plan}) on 1M
 * samples held in memory, 80% train / 20% test, seed 0. Labels: {@code y_1m_split.npy} of {@code
 * benchmarks/data/tabular32.py} (10 classes). Every sample has its own payload hash (64 hex digits,
 * like a sha256) and no user group, so every sample is its own group, as in scikit-learn's {@code
 * StratifiedShuffleSplit}.
 *
 * <p>Rows: {@code split_1m}, compared with the peer: {@link SplitNodes} built from the hashes (made
 * once, untimed: they are the input, as the pipeline's payload hashes are) and the int label array,
 * then {@code GroupSplit.plan}; {@code split_1m_nodes}, for information (no peer): one {@link
 * HashNode} object per sample, then the plan. Value: rows per second, median of the timed passes.
 * {@code CHECK split_1m}: rows in the test split. One thread (the plan is sequential).
 *
 * <p>{@code java -cp ... dev.shardsmith.benchmarks.SplitBenchmark DIR [WARMUP_PASSES PASSES]}
 */
public final class SplitBenchmark {
  private static final GroupSplit.Spec SPEC =
      new GroupSplit.Spec(GroupSplit.Mode.EXACT, new double[] {0.8, 0.0, 0.2}, 0, 0);

  private SplitBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1 && args.length != 3) {
      System.err.println("usage: SplitBenchmark DIR [WARMUP_PASSES PASSES]");
      System.exit(2);
    }
    int warmup = args.length == 3 ? Integer.parseInt(args[1]) : 1;
    int passes = args.length == 3 ? Integer.parseInt(args[2]) : 5;
    int[] y = NpyShardFile.readNpy(Path.of(args[0]).resolve("y_1m_split.npy")).ints();
    int n = y.length;
    List<String> only = BenchEnv.rows();

    String[] hashes = new String[n];
    for (int i = 0; i < n; i++) {
      hashes[i] = hash(i);
    }
    long[] test = new long[1];
    if (only.isEmpty() || only.contains("split_1m")) {
      double rate =
          PassTimer.medianRate(
              warmup,
              passes,
              n,
              () -> {
                GroupSplit.Plan plan = GroupSplit.plan(splitNodes(hashes, y), SPEC);
                test[0] = plan.achieved().values().stream().mapToLong(a -> a[2]).sum();
                return plan.size() + test[0];
              });
      System.out.println(ResultLine.check("split_1m", test[0]));
      System.out.println(
          ResultLine.result(
              "split_1m",
              1,
              "rows/s",
              rate,
              "SplitNodes from the hashes and label array + GroupSplit.plan, 0.8/0/0.2"));
      System.out.flush();
    }
    if (only.isEmpty() || only.contains("split_1m_nodes")) {
      double rate =
          PassTimer.medianRate(
              warmup,
              passes,
              n,
              () -> {
                GroupSplit.Plan plan = GroupSplit.plan(nodes(hashes, y), SPEC);
                return plan.size();
              });
      System.out.println(
          ResultLine.result(
              "split_1m_nodes",
              1,
              "rows/s",
              rate,
              "HashNode.of per sample from the label array + GroupSplit.plan (information)"));
      System.out.flush();
    }
  }

  /** One node per sample, as the pipeline builds them: its hash, its label id, count 1. */
  private static SplitNodes splitNodes(String[] hashes, int[] y) {
    SplitNodes nodes = new SplitNodes(y.length);
    int[] label = new int[10];
    for (int c = 0; c < label.length; c++) {
      label[c] = nodes.labelId("c" + c);
    }
    for (int i = 0; i < y.length; i++) {
      nodes.addLabel(nodes.addNode(hashes[i]), label[y[i]], 1);
    }
    return nodes;
  }

  /** One {@link HashNode} per sample: a distinct hash, no user group, one label. */
  private static List<HashNode> nodes(String[] hashes, int[] y) {
    List<HashNode> nodes = new ArrayList<>(y.length);
    for (int i = 0; i < y.length; i++) {
      nodes.add(HashNode.of(hashes[i], Set.of(), Map.of("c" + y[i], 1L)));
    }
    return nodes;
  }

  /** 64 hex digits, distinct per {@code i}, in no particular order (as sha256 digests are). */
  private static String hash(int i) {
    long a = 0x9E3779B97F4A7C15L * (i + 1L);
    return String.format(
        "%016x%016x%016x%016x", a, Long.rotateLeft(a, 17), Long.rotateLeft(a, 31), ~a);
  }
}
