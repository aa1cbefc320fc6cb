package dev.shardsmith.pipelines;

import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.transforms.kernels.shard.Sha256Files;
import dev.shardsmith.transforms.kernels.shard.ShardReader;
import dev.shardsmith.transforms.kernels.shard.ShardRow;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code shardsmith inspect OUT}: verifies every file the manifest lists (present, same size, same
 * sha256), checks the manifest's counts against invariant 3, prints counts per split, class and
 * shard, and shows a few rows. Returns false on any mismatch.
 */
public final class Inspect {
  private Inspect() {}

  public static boolean run(Path dir, PrintStream out) throws IOException {
    return check(dir, out).isEmpty();
  }

  /** Like {@link #run}, but returns the problems found (empty when the dataset checks out). */
  public static List<String> check(Path dir, PrintStream out) throws IOException {
    Path manifestFile = dir.resolve(OutputCommit.MANIFEST);
    if (!Files.exists(manifestFile)) {
      String problem = dir + " has no manifest.json: not a finished dataset";
      out.println("inspect: " + problem);
      return List.of(problem);
    }
    Manifest m = Manifest.read(manifestFile);
    List<String> problems = new ArrayList<>();
    List<Manifest.ShardEntry> all = new ArrayList<>(m.shards());
    all.addAll(m.files());
    for (Manifest.ShardEntry e : all) {
      Path f = dir.resolve(e.path());
      if (!Files.exists(f)) {
        problems.add(e.path() + ": missing");
      } else if (Files.size(f) != e.bytes()) {
        problems.add(e.path() + ": " + Files.size(f) + " bytes, manifest says " + e.bytes());
      } else if (!Sha256Files.of(f).equals(e.sha256())) {
        problems.add(e.path() + ": sha256 differs from the manifest");
      }
    }
    problems.addAll(m.counts().violations());

    out.printf(
        "%s: %s, seed %d, %d labels, %d files, runner %s, backend %s%n",
        dir, m.name(), m.seed(), m.labels().size(), all.size(), m.runner(), m.backend());
    out.println("counts: " + m.counts());
    for (Map.Entry<String, Manifest.SplitSummary> e : m.splits().entrySet()) {
      out.printf("%-5s %d rows  %s%n", e.getKey(), e.getValue().count(), e.getValue().classes());
    }
    // One readable file per shard (every format holds the same rows): read it back, count its
    // rows per class, and check them against the manifest.
    List<ShardRow> firstRows = null;
    String firstPath = null;
    Set<String> seenShards = new HashSet<>();
    for (Manifest.ShardEntry e : m.shards()) {
      Path f = dir.resolve(e.path());
      if (!ShardReader.readable(f.getFileName().toString())
          || !seenShards.add(e.split() + "/" + e.shard())
          || !Files.exists(f)) {
        continue;
      }
      List<ShardRow> rows;
      try {
        rows = ShardReader.read(f);
      } catch (IOException | RuntimeException ex) {
        problems.add(e.path() + ": unreadable: " + ex.getMessage());
        continue;
      }
      Map<String, Long> perClass = new TreeMap<>();
      for (ShardRow r : rows) {
        perClass.merge(r.labelName() == null ? "(none)" : r.labelName(), 1L, Long::sum);
      }
      if (rows.size() != e.rows()) {
        problems.add(e.path() + ": " + rows.size() + " rows, manifest says " + e.rows());
      }
      out.printf("  %-40s %8d rows  %s%n", e.path(), rows.size(), perClass);
      if (firstRows == null) {
        firstRows = rows;
        firstPath = e.path();
      }
    }
    if (firstRows != null) {
      out.println("first rows of " + firstPath + ":");
      for (ShardRow r : firstRows.subList(0, Math.min(3, firstRows.size()))) {
        if (r.features() != null) {
          out.printf(
              "  %s label=%d (%s) features=%s categorical=%s%n",
              r.id(),
              r.label(),
              r.labelName(),
              java.util.Arrays.toString(r.features()),
              r.categorical());
        } else if (r.text() != null) {
          String t = r.text().replaceAll("(?U)\\s+", " ");
          out.printf(
              "  %s label=%d (%s) text=\"%s\" applied=%s%n",
              r.id(),
              r.label(),
              r.labelName(),
              t.length() > 60 ? t.substring(0, 57) + "..." : t,
              r.applied());
        } else {
          out.printf(
              "  %s label=%d (%s) %dx%dx%d applied=%s%n",
              r.id(), r.label(), r.labelName(), r.height(), r.width(), r.channels(), r.applied());
        }
      }
    }
    for (String p : problems) {
      out.println("MISMATCH " + p);
    }
    out.println(problems.isEmpty() ? "inspect: ok" : "inspect: " + problems.size() + " problem(s)");
    return problems;
  }
}
