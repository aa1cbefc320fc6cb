package dev.shardsmith.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shardsmith.pipelines.config.ConfigException;
import dev.shardsmith.pipelines.config.RunConfig;
import dev.shardsmith.schemas.CountKey;
import dev.shardsmith.schemas.Counts;
import dev.shardsmith.schemas.Manifest;
import dev.shardsmith.schemas.Split;
import dev.shardsmith.transforms.ReadVideo;
import dev.shardsmith.transforms.kernels.shard.ParquetShardFile;
import dev.shardsmith.transforms.kernels.shard.Sha256Files;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Atomic, rerunnable output (DESIGN.md invariant 5). Before a run: the old manifest is deleted
 * first (so a killed run never leaves a manifest that describes files it did not finish), stale
 * staging folders are removed and a fresh {@code OUT/.staging-<run id>} is made. After the
 * pipeline: every staged file is verified against the size and sha256 its writer reported, the
 * counts are checked against invariant 3, the old data folders are replaced by the staged ones, and
 * {@code manifest.json} is written last, through a temporary file and an atomic rename.
 */
public final class OutputCommit {
  private OutputCommit() {}

  static final String MANIFEST = "manifest.json";
  static final List<String> DATA = List.of("train", "val", "test", "rejected", "splits.parquet");

  /** Clears the way for a run and returns its empty staging folder. */
  public static Path prepare(Path out, String mode, String runId) throws IOException {
    Path manifest = out.resolve(MANIFEST);
    if (Files.exists(manifest) && "fail".equals(mode)) {
      throw new ConfigException(
          "output.mode = fail, but "
              + out
              + " already holds a dataset ("
              + MANIFEST
              + "): remove it, choose another --output, or set output.mode: overwrite");
    }
    Files.createDirectories(out);
    Files.deleteIfExists(manifest);
    try (DirectoryStream<Path> old = Files.newDirectoryStream(out, ".staging-*")) {
      for (Path p : old) {
        deleteTree(p);
      }
    }
    Path staging = out.resolve(".staging-" + runId);
    Files.createDirectories(staging);
    return staging;
  }

  /** Verifies the staged run, moves it into place and writes the manifest last. */
  public static Manifest commit(
      Path out, Path staging, RunConfig config, String runner, Map<String, Object> run)
      throws IOException {
    Path meta = staging.resolve(RunRecords.META);
    ObjectMapper json = new ObjectMapper();

    List<String> labels = new ArrayList<>();
    for (String line : lines(meta.resolve("labels.tsv"))) {
      labels.add(line.substring(line.indexOf('\t') + 1));
    }
    if (!config.input().labels().isEmpty()) {
      labels = config.input().labels();
    }

    // The normalize stage's fitted statistics (one JSON object), when the pipeline wrote them.
    Path normalizationFile = meta.resolve("normalization.json");
    Map<String, Object> normalization =
        Files.exists(normalizationFile) && !lines(normalizationFile).isEmpty()
            ? json.readValue(
                lines(normalizationFile).get(0),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {})
            : Map.of("applied", false);
    List<String> planLines = lines(meta.resolve("split-summary.json"));
    Map<String, Object> splitPlan =
        planLines.isEmpty()
            ? null
            : json.readValue(
                planLines.get(0),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});

    Map<String, Long> flat = new HashMap<>();
    for (String line : lines(meta.resolve("counts.tsv"))) {
      String[] kv = line.split("\t");
      flat.put(kv[0], Long.parseLong(kv[1]));
    }

    List<Manifest.ShardEntry> shards = new ArrayList<>();
    Map<String, Long> rowsPerShard = new HashMap<>();
    Map<String, Integer> shardsPerSplit = new TreeMap<>();
    Map<String, SortedMap<String, Long>> classes = new TreeMap<>();
    Map<String, Long> rowsPerSplit = new TreeMap<>();
    long written = 0;
    for (String line : lines(meta.resolve("shards.jsonl"))) {
      JsonNode e = json.readTree(line);
      Manifest.ShardEntry entry =
          new Manifest.ShardEntry(
              e.get("path").asText(),
              e.get("format").asText(),
              e.get("split").asText(),
              e.get("shard").asInt(),
              e.get("rows").asLong(),
              e.get("bytes").asLong(),
              e.get("sha256").asText());
      verify(staging, entry);
      shards.add(entry);
      // Every format holds the same rows of a shard: they must agree, and count once.
      String shardKey = entry.split() + "/" + entry.shard();
      Long seen = rowsPerShard.putIfAbsent(shardKey, entry.rows());
      if (seen != null) {
        if (seen != entry.rows()) {
          throw new IllegalStateException(
              entry.path()
                  + " has "
                  + entry.rows()
                  + " rows, another file of its shard "
                  + seen
                  + " (a bug)");
        }
        continue;
      }
      written += entry.rows();
      rowsPerSplit.merge(entry.split(), entry.rows(), Long::sum);
      shardsPerSplit.merge(entry.split(), 1, Integer::sum);
      SortedMap<String, Long> c = classes.computeIfAbsent(entry.split(), k -> new TreeMap<>());
      e.get("classes")
          .fields()
          .forEachRemaining(f -> c.merge(f.getKey(), f.getValue().asLong(), Long::sum));
      e.get("derived")
          .fields()
          .forEachRemaining(
              f -> flat.merge(CountKey.derived(f.getKey()), f.getValue().asLong(), Long::sum));
    }
    shards.sort(Comparator.comparing(Manifest.ShardEntry::path));
    for (Map.Entry<String, Integer> e : shardsPerSplit.entrySet()) {
      long rows = rowsPerSplit.get(e.getKey());
      if (rows % e.getValue() != 0 && !"allow_short".equals(config.output().equalShards())) {
        throw new IllegalStateException(
            e.getKey()
                + ": "
                + rows
                + " rows in "
                + e.getValue()
                + " shards are not equal (a bug)");
      }
    }
    flat.put(CountKey.SAMPLES_WRITTEN, written);
    Counts counts = Counts.fromFlat(flat);
    List<String> broken = counts.violations();
    if (!broken.isEmpty()) {
      throw new IllegalStateException(
          "the run's counts break invariant 3 (a bug; nothing was committed): " + broken);
    }

    List<Manifest.ShardEntry> files = new ArrayList<>();
    for (String required : List.of("splits.parquet", "rejected/rejected.jsonl")) {
      if (!Files.exists(staging.resolve(required))) {
        throw new IllegalStateException("the run did not write " + required + " (a bug)");
      }
    }
    files.add(
        fileEntry(
            staging,
            "splits.parquet",
            "parquet",
            "all",
            ParquetShardFile.rowCount(staging.resolve("splits.parquet"))));
    Path rejected = staging.resolve("rejected/rejected.jsonl");
    files.add(
        fileEntry(staging, "rejected/rejected.jsonl", "jsonl", "rejected", lines(rejected).size()));

    SortedMap<String, Manifest.SplitSummary> splits =
        splitSummaries(meta.resolve("split-summary.json"), config, labels, classes, rowsPerSplit);

    for (String name : DATA) {
      deleteTree(out.resolve(name));
    }
    for (String name : DATA) {
      Path from = staging.resolve(name);
      if (Files.exists(from)) {
        Files.move(from, out.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      }
    }

    if (flat.containsKey(ReadVideo.MOTION_SKIPPED)) {
      // video runs: the decoded frames motion skipping saved from the image path (they are
      // also in samples.filtered.frame_skip)
      run.put("frames_motion_skipped", flat.get(ReadVideo.MOTION_SKIPPED));
    }
    if (flat.containsKey(ReadVideo.FRAMES_UNUSED)) {
      // clip runs: decoded frames that belong to no clip (not samples, so not in invariant 3)
      run.put("frames_unused", flat.get(ReadVideo.FRAMES_UNUSED));
    }
    if (flat.containsKey(ReadVideo.DECODE_WARNINGS)) {
      // video runs: frames kept although FFmpeg warned while decoding them (no damage reported)
      run.put("decode_warnings", flat.get(ReadVideo.DECODE_WARNINGS));
    }
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT_VERSION,
            config.name(),
            config.seed(),
            config.sha256(),
            Runs.TOOL_VERSION,
            runner,
            config.compute().backend(),
            labels,
            !List.of("images", "video").contains(config.input().kind())
                ? null // feature rows and text hold no pixels
                : new Manifest.PixelFormat(
                    "HWC",
                    "RGB",
                    config.normalize().imageApply() ? "float32" : "uint8",
                    true,
                    "dropped",
                    "scaled_to_8bit",
                    config.output().imageEncoding(),
                    config.normalize().imageApply()
                        ? Manifest.PixelFormat.STANDARDIZED
                        : Manifest.PixelFormat.INTENSITY),
            counts,
            splits,
            splitPlan,
            normalization,
            shards,
            files,
            workers(config.output().workers(), shardsPerSplit),
            config.effective(),
            run);
    Path tmp = out.resolve(MANIFEST + ".tmp");
    Files.write(tmp, manifest.toJsonBytes());
    Files.move(tmp, out.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
    deleteTree(staging);
    return manifest;
  }

  /** Shard {@code i} of every split goes to rank {@code i mod count}. */
  static Manifest.Workers workers(int count, Map<String, Integer> shardsPerSplit) {
    List<SortedMap<String, List<Integer>>> ranks = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      SortedMap<String, List<Integer>> mine = new TreeMap<>();
      for (Map.Entry<String, Integer> e : shardsPerSplit.entrySet()) {
        List<Integer> idx = new ArrayList<>();
        for (int i = r; i < e.getValue(); i += count) {
          idx.add(i);
        }
        mine.put(e.getKey(), idx);
      }
      ranks.add(mine);
    }
    return new Manifest.Workers(count, ranks);
  }

  private static Manifest.ShardEntry fileEntry(
      Path staging, String path, String format, String split, long rows) throws IOException {
    Path file = staging.resolve(path);
    return new Manifest.ShardEntry(
        path, format, split, null, rows, Files.size(file), Sha256Files.of(file));
  }

  /** A staged shard must exist with exactly the size and sha256 its writer reported. */
  private static void verify(Path staging, Manifest.ShardEntry entry) throws IOException {
    Path file = staging.resolve(entry.path());
    if (!Files.exists(file)) {
      throw new IllegalStateException("staged shard " + entry.path() + " is missing");
    }
    long size = Files.size(file);
    String sha = Sha256Files.of(file);
    if (size != entry.bytes() || !sha.equals(entry.sha256())) {
      throw new IllegalStateException(
          "staged shard "
              + entry.path()
              + " does not match what was written: "
              + size
              + " bytes, sha256 "
              + sha
              + "; expected "
              + entry.bytes()
              + ", "
              + entry.sha256());
    }
  }

  private static SortedMap<String, Manifest.SplitSummary> splitSummaries(
      Path summaryFile,
      RunConfig config,
      List<String> labels,
      Map<String, SortedMap<String, Long>> written,
      Map<String, Long> rowsPerSplit)
      throws IOException {
    List<String> summaryLines = lines(summaryFile);
    JsonNode classes =
        summaryLines.isEmpty()
            ? new ObjectMapper().createObjectNode()
            : new ObjectMapper().readTree(summaryLines.get(0)).get("classes");
    long total = 0;
    long[] perSplit = new long[3];
    for (JsonNode c : classes) {
      total += c.get("total").asLong();
      for (int s = 0; s < 3; s++) {
        perSplit[s] += c.get("achieved").get(s).asLong();
      }
    }
    SortedMap<String, Manifest.SplitSummary> out = new TreeMap<>();
    for (int s = 0; s < 3; s++) {
      Split split = Split.ASSIGNED[s];
      double requested = config.split().fraction(split);
      SortedMap<String, Double> classAchieved = new TreeMap<>();
      double maxError = 0;
      List<String> missing = new ArrayList<>();
      for (String label : labels) {
        JsonNode c = classes.get(label);
        long n = c == null ? 0 : c.get("total").asLong();
        long got = c == null ? 0 : c.get("achieved").get(s).asLong();
        classAchieved.put(label, n == 0 ? 0.0 : (double) got / n);
        maxError = Math.max(maxError, Math.abs(got - requested * n));
        if (got == 0) {
          missing.add(label);
        }
      }
      SortedMap<String, Long> rowsByClass = new TreeMap<>();
      for (String label : labels) {
        rowsByClass.put(label, 0L);
      }
      rowsByClass.putAll(written.getOrDefault(split.folder(), new TreeMap<>()));
      out.put(
          split.folder(),
          new Manifest.SplitSummary(
              rowsPerSplit.getOrDefault(split.folder(), 0L),
              rowsByClass,
              requested,
              total == 0 ? 0.0 : (double) perSplit[s] / total,
              classAchieved,
              Math.round(maxError * 1e6) / 1e6,
              missing));
    }
    return out;
  }

  private static List<String> lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IllegalStateException("the run did not write " + file.getFileName() + " (a bug)");
    }
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!l.isEmpty()) {
        out.add(l);
      }
    }
    return out;
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
