package dev.shardsmith.benchmarks;

import dev.shardsmith.transforms.kernels.text.Paraphrase;
import dev.shardsmith.transforms.kernels.text.Protection;
import dev.shardsmith.transforms.kernels.text.RandomDeletion;
import dev.shardsmith.transforms.kernels.text.RandomInsertion;
import dev.shardsmith.transforms.kernels.text.RandomSwap;
import dev.shardsmith.transforms.kernels.text.SynonymReplacement;
import dev.shardsmith.transforms.kernels.text.TextAugmentSpec;
import dev.shardsmith.transforms.kernels.text.TextOp;
import dev.shardsmith.transforms.kernels.text.Tokenizer;
import dev.shardsmith.transforms.kernels.text.WordNet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code benchmarks/run text}, one thread, input tokens per second over the fortunes records
 * ({@code data/fortunes.py}) held in memory. No Python peer (the baseline is a plain Java
 * loop): each {@code op_<name>} is one augmented copy per record through {@link
 * TextAugmentSpec#augment} (tokenize, mark protection, draw, edit, rebuild, record the edits; p =
 * 1, EDA's alpha 0.1, paraphrase rate 0.5), against {@code plain_op_<name>}: a loop that only
 * tokenizes and rebuilds the same strings. The two loops' passes alternate, so load from other
 * processes falls on both alike; the harness prints {@code RATIO op_<name>_vs_plain} (targets: swap
 * and deletion >= 0.5, the WordNet ops >= 0.1). WordNet is loaded before timing.
 */
public final class TextBenchmark {
  private TextBenchmark() {}

  private static volatile long sink;

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: TextBenchmark DIR WARMUP_PASSES PASSES");
      System.exit(2);
    }
    int warmup = Integer.parseInt(args[1]);
    int passes = Integer.parseInt(args[2]);
    String all =
        new String(
            Files.readAllBytes(Path.of(args[0]).resolve("fortunes.txt")), StandardCharsets.UTF_8);
    List<String> records = List.of(all.split("\n%\n"));
    long tokens = 0;
    for (String r : records) {
      tokens += Tokenizer.tokenize(r).size();
    }
    long t0 = System.nanoTime();
    WordNet.get();
    System.err.printf(
        "text: %d records, %d tokens; WordNet loaded in %.1f s%n",
        records.size(), tokens, (System.nanoTime() - t0) / 1e9);
    List<TextOp> ops =
        List.of(
            new SynonymReplacement(1, 0.1, WordNet.MAX_SENSES),
            new RandomInsertion(1, 0.1, WordNet.MAX_SENSES),
            new RandomSwap(1, 0.1),
            new RandomDeletion(1, 0.1),
            Paraphrase.rules(1, 0.5));
    for (TextOp op : ops) {
      TextAugmentSpec spec = TextAugmentSpec.of(List.of(op), Protection.DEFAULT);
      long words = 0;
      for (int i = 0; i < records.size(); i++) {
        words += spec.augment(records.get(i), 0, "r" + i, 0).words();
      }
      System.out.println(ResultLine.check("op_" + op.name(), words));
      double[] r = interleaved(records, tokens, warmup, passes, spec);
      String api = "Shardsmith TextAugmentSpec.augment, one copy per record, " + op.name();
      System.out.println(ResultLine.result("op_" + op.name(), 1, "tok/s", r[0], api));
      System.out.println(
          ResultLine.result(
              "plain_op_" + op.name(), 1, "tok/s", r[1], "Java loop: Tokenizer.tokenize + join"));
      System.out.flush();
    }
  }

  private static long augmentAll(List<String> records, TextAugmentSpec spec) {
    long n = 0;
    for (int i = 0; i < records.size(); i++) {
      n += spec.augment(records.get(i), 0, "r" + i, 0).text().length();
    }
    return n;
  }

  private static long rebuildAll(List<String> records) {
    long n = 0;
    for (String r : records) {
      n += Tokenizer.join(Tokenizer.tokenize(r)).length();
    }
    return n;
  }

  private static double[] interleaved(
      List<String> records, long tokens, int warmup, int passes, TextAugmentSpec spec) {
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    for (int i = 0; i < warmup + passes; i++) {
      // op then plain, then plain then op: neither always runs right after the other
      double x;
      double y;
      if (i % 2 == 0) {
        x = rate(tokens, () -> augmentAll(records, spec));
        y = rate(tokens, () -> rebuildAll(records));
      } else {
        y = rate(tokens, () -> rebuildAll(records));
        x = rate(tokens, () -> augmentAll(records, spec));
      }
      if (i >= warmup) {
        a.add(x);
        b.add(y);
      }
    }
    return new double[] {median(a), median(b)};
  }

  private static double rate(long tokens, PassTimer.Pass pass) {
    long start = System.nanoTime();
    sink += pass.run();
    return tokens / ((System.nanoTime() - start) / 1e9);
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
