package dev.shardsmith.pipelines.config;

import dev.shardsmith.transforms.AssignSplits;
import dev.shardsmith.transforms.kernels.shard.Sha256Files;
import dev.shardsmith.transforms.kernels.shard.SplitsFile;
import dev.shardsmith.transforms.kernels.split.GroupSplit;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code split} section: {@code mode} ({@code exact} | {@code stable}), {@code train}, {@code
 * val}, {@code test} (summing to 1), {@code folds} (0 = none, else >= 2) and {@code freeze_from}
 * (an earlier {@code OUT/splits.parquet}, relative to the config). {@code mode: time} (series only)
 * cuts each series in time order instead, with {@code gap} steps between splits (default 0 = window
 * length + horizon). The frozen file is read and checked here, before any data: a missing,
 * unreadable or inconsistent file is a {@link ConfigException}.
 */
final class SplitConfig {
  private SplitConfig() {}

  static RunConfig.SplitSpec parse(Section s, Path base) {
    String mode = s.choice("mode", "exact", List.of("exact", "stable", "time"));
    double train = s.number("train", 0.8, 0, 1);
    double val = s.number("val", 0.1, 0, 1);
    double test = s.number("test", 0.1, 0, 1);
    if (Math.abs(train + val + test - 1.0) > 1e-9) {
      // Sum the decimals as written, so 0.7 + 0.2 + 0.15 reads 1.05, not 1.0499999999999998.
      BigDecimal sum =
          BigDecimal.valueOf(train).add(BigDecimal.valueOf(val)).add(BigDecimal.valueOf(test));
      throw new ConfigException(
          "split.train = "
              + train
              + ", split.val = "
              + val
              + ", split.test = "
              + test
              + " sum to "
              + sum.stripTrailingZeros().toPlainString()
              + ": they must sum to 1");
    }
    int folds = (int) s.integer("folds", 0, 0, 1000);
    if (folds == 1) {
      throw new ConfigException(
          "split.folds = 1 is not allowed: use 0 (no folds) or k >= 2 folds of the train split");
    }
    if (folds > 0 && train == 0) {
      throw new ConfigException(
          "split.folds = " + folds + " partitions the train split, but split.train = 0");
    }
    String freeze = s.optionalString("freeze_from");
    boolean time = mode.equals("time");
    if (!time && s.has("gap")) {
      throw new ConfigException(
          "split.gap applies to split.mode = time only (series windows), not mode " + mode);
    }
    int gap = (int) s.integer("gap", 0, 1, 1_000_000_000);
    if (time && (folds > 0 || freeze != null)) {
      throw new ConfigException(
          "split.mode = time cuts each series by time: split.folds and split.freeze_from do not"
              + " apply (remove them)");
    }
    s.finish();
    Path frozen = null;
    String frozenSha = null;
    if (freeze != null) {
      frozen = base.resolve(freeze).normalize();
      String key = "split.freeze_from = \"" + freeze + "\" (" + frozen + ")";
      if (!Files.isRegularFile(frozen)) {
        throw new ConfigException(
            key + " does not exist: give an earlier run's OUT/splits.parquet");
      }
      try {
        AssignSplits.of(spec(mode, train, val, test, folds, 0)).withFrozen(SplitsFile.read(frozen));
        frozenSha = Sha256Files.of(frozen);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + ": " + e.getMessage());
      } catch (IOException | RuntimeException e) {
        throw new ConfigException(
            key
                + " cannot be read as a splits.parquet (id, group, split, fold): "
                + e.getMessage());
      }
    }
    return new RunConfig.SplitSpec(mode, train, val, test, folds, frozen, frozenSha, gap);
  }

  /** The planner's spec for these values. */
  static GroupSplit.Spec spec(
      String mode, double train, double val, double test, int folds, long seed) {
    return GroupSplit.Spec.of(mode, new double[] {train, val, test}, seed, folds);
  }

  /** The section as the manifest's effective config stores it (the frozen file by its sha256). */
  static Map<String, Object> effective(RunConfig.SplitSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", s.mode());
    m.put("train", s.train());
    m.put("val", s.val());
    m.put("test", s.test());
    m.put("folds", s.folds());
    if (s.mode().equals("time")) {
      m.put("gap", s.gap()); // 0: input.window.length + horizon
    }
    if (s.freezeFromSha256() != null) {
      m.put("freeze_from_sha256", s.freezeFromSha256());
    }
    return m;
  }
}
